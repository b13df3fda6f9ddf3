// SanmEncoderLayer: FunASR's EncoderLayerSANM (funasr/models/sanm/encoder.py) with
// normalize_before = true, concat_after = false (paraformer-pipeline.md §2.3):
//   a = SanmAttention(LN1(x))
//   x = x + a   if in_features == d_model   else   x = a     (e.g. Paraformer's 560->512
//                                                               first layer: no residual)
//   x = x + FFN(LN2(x))
// LayerNorm eps 1e-12. Weights relative to the prefix (e.g. "encoder.encoders0.0"):
// norm1 [in_features], self_attn.* (see sanm_attention.h), norm2 [d_model],
// feed_forward.w_1/w_2 (see feed_forward.h).
#pragma once

#include <cstdint>
#include <string>

#include "io/model_files.h"
#include "layers/feed_forward.h"
#include "layers/layer_norm.h"
#include "layers/linear_loader.h"
#include "layers/packed_sequences.h"
#include "layers/sanm_attention.h"
#include "layers/workspace.h"

namespace funasr::layers {

struct SanmEncoderLayerConfig {
  SanmAttentionConfig attention;  // attention.in_features is the layer's input width
  int64_t linear_units = 2048;    // FFN hidden width
};

class SanmEncoderLayer {
 public:
  SanmEncoderLayer() = default;
  static SanmEncoderLayer Load(const io::ModelFiles& files, const std::string& prefix,
                               const SanmEncoderLayerConfig& config,
                               const WeightOptions& options);

  // x [rows, in_features] -> y [rows, d_model]. y may equal x when in_features == d_model
  // (in-place update); otherwise they must not overlap. `masks` as in sanm_attention.h.
  void Forward(const float* x, const PackedSequences& seqs, const AttentionMasks& masks,
               float* y, Workspace& ws) const;

  int64_t in_features() const { return config_.attention.in_features; }
  int64_t d_model() const { return config_.attention.d_model; }
  const SanmEncoderLayerConfig& config() const { return config_; }

 private:
  SanmEncoderLayerConfig config_;
  LayerNorm norm1_;
  MultiHeadedAttentionSanm self_attn_;
  LayerNorm norm2_;
  PositionwiseFeedForward feed_forward_;
};

}  // namespace funasr::layers
