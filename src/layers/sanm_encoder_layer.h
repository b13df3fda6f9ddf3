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

  // Forward split at the points where rows mix, for SanmEncoder's row-block schedule (see
  // sanm_encoder.h). Buffers span all rows; each call runs on the calling thread and
  // computes exactly what Forward does for its rows.
  struct RowBuffers {
    float* h = nullptr;        // [rows, max(in_features, d_model)]
    float* qkv = nullptr;      // [rows, 3 * d_model]
    float* v = nullptr;        // [rows, d_model]
    float* memory = nullptr;   // [rows, d_model]
    float* context = nullptr;  // [rows, d_model]
    float* hidden = nullptr;   // [rows, linear_units]
  };
  // Rows [r0, r1) of x [rows, in_features]: the attention's input projections.
  void ProjectRows(const float* x, int64_t r0, int64_t r1, const RowBuffers& b) const;
  // Then, once every row is projected: self_attn().MemoryRows over row blocks and
  // SolveAttentionHead over (sequence, head) pairs, in any order. Then rows [r0, r1) of the
  // output (y may be x): skip connection, linear_out, FFN.
  void FinishRows(const float* x, int64_t r0, int64_t r1, const RowBuffers& b, float* y) const;
  const MultiHeadedAttentionSanm& self_attn() const { return self_attn_; }
  // Whether every projection gives the same rows when its rows are split into `blocks`
  // blocks (int8: integer sums, per-row activation scales; f32: the packed kernel, whose sum
  // order does not depend on the row count). Then the row-block schedule equals the
  // per-operation one bit for bit.
  bool RowBlocksExact(int64_t rows, int64_t blocks) const {
    return self_attn_.RowBlocksExact(rows, blocks) && feed_forward_.RowBlocksExact(rows, blocks);
  }

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
