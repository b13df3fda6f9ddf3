// Position-wise feed-forward blocks of the SAN-M encoder and decoder.
//
// PositionwiseFeedForward (funasr/models/transformer/positionwise_feed_forward.py), used by
// SAN-M encoder layers:      y = w_2(ReLU(w_1 x + b_1)) + b_2
// PositionwiseFeedForwardDecoderSanm (funasr/models/sanm/positionwise_feed_forward.py),
// used by the Paraformer decoder (paraformer-pipeline.md §4.3):
//                            y = w_2(LayerNorm(ReLU(w_1 x + b_1)))      (w_2 has no bias)
// Weights relative to the prefix (e.g. "encoder.encoders.0.feed_forward"): w_1.weight
// [hidden, d], w_1.bias [hidden], w_2.weight [d_out, hidden] (+ w_2.bias [d_out] for the
// encoder form), norm.weight/.bias [hidden] for the decoder form.
#pragma once

#include <cstdint>
#include <string>

#include "io/model_files.h"
#include "kernels/linear.h"
#include "layers/layer_norm.h"
#include "layers/linear_loader.h"
#include "layers/workspace.h"

namespace funasr::layers {

class PositionwiseFeedForward {
 public:
  PositionwiseFeedForward() = default;
  static PositionwiseFeedForward Load(const io::ModelFiles& files, const std::string& prefix,
                                      int64_t d_model, int64_t hidden,
                                      const WeightOptions& options);
  // x [rows, d_model] -> y [rows, d_model]; y must not overlap x.
  void Forward(const float* x, int64_t rows, float* y, Workspace& ws) const;
  // y += FFN(x) (the residual form used by the encoder layer).
  void ForwardAccumulate(const float* x, int64_t rows, float* y, Workspace& ws) const;
  // The same with the caller's buffer for the hidden layer, [rows, hidden()].
  void ForwardAccumulate(const float* x, int64_t rows, float* y, float* h) const;

  int64_t d_model() const { return w_1_.in_features(); }
  int64_t hidden() const { return w_1_.out_features(); }
  // Whether row blocks give the rows of one call exactly (kernels::LinearRowBlocksExact).
  bool RowBlocksExact(int64_t rows, int64_t blocks) const {
    return kernels::LinearRowBlocksExact(w_1_, rows, blocks) &&
           kernels::LinearRowBlocksExact(w_2_, rows, blocks);
  }

 private:
  kernels::LinearWeights w_1_;
  kernels::LinearWeights w_2_;
};

class PositionwiseFeedForwardDecoderSanm {
 public:
  PositionwiseFeedForwardDecoderSanm() = default;
  static PositionwiseFeedForwardDecoderSanm Load(const io::ModelFiles& files,
                                                 const std::string& prefix, int64_t d_model,
                                                 int64_t hidden, const WeightOptions& options);
  // x [rows, d_model] -> y [rows, d_model]; y must not overlap x.
  void Forward(const float* x, int64_t rows, float* y, Workspace& ws) const;
  // The same with the caller's buffer for the hidden layer, [rows, hidden()].
  void Forward(const float* x, int64_t rows, float* y, float* h) const;

  int64_t d_model() const { return w_1_.in_features(); }
  int64_t hidden() const { return w_1_.out_features(); }
  // Whether row blocks give the rows of one call exactly (kernels::LinearRowBlocksExact).
  bool RowBlocksExact(int64_t rows, int64_t blocks) const {
    return kernels::LinearRowBlocksExact(w_1_, rows, blocks) &&
           kernels::LinearRowBlocksExact(w_2_, rows, blocks);
  }

 private:
  kernels::LinearWeights w_1_;
  LayerNorm norm_;
  kernels::LinearWeights w_2_;
};

}  // namespace funasr::layers
