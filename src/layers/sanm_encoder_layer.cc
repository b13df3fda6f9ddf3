#include "layers/sanm_encoder_layer.h"

#include <algorithm>

namespace funasr::layers {

SanmEncoderLayer SanmEncoderLayer::Load(const io::ModelFiles& files, const std::string& prefix,
                                        const SanmEncoderLayerConfig& config,
                                        const WeightOptions& options) {
  SanmEncoderLayer l;
  l.config_ = config;
  const int64_t in = config.attention.in_features;
  const int64_t d = config.attention.d_model;
  l.norm1_ = LayerNorm::Load(files, prefix + ".norm1", in);
  l.self_attn_ =
      MultiHeadedAttentionSanm::Load(files, prefix + ".self_attn", config.attention, options);
  l.norm2_ = LayerNorm::Load(files, prefix + ".norm2", d);
  l.feed_forward_ = PositionwiseFeedForward::Load(files, prefix + ".feed_forward", d,
                                                  config.linear_units, options);
  return l;
}

void SanmEncoderLayer::Forward(const float* x, const PackedSequences& seqs,
                               const AttentionMasks& masks, float* y, Workspace& ws) const {
  const int64_t rows = seqs.total_rows();
  const int64_t in = in_features();
  const int64_t d = d_model();
  if (rows == 0) return;
  Workspace::Scope scope(ws);
  float* h = ws.Floats(rows * std::max(in, d));
  norm1_.Forward(x, rows, h);
  // y = x + attention(h); no residual across the width change (the first layer).
  self_attn_.Forward(h, seqs, masks, y, ws, in == d ? x : nullptr);
  norm2_.Forward(y, rows, h);
  feed_forward_.ForwardAccumulate(h, rows, y, ws);
}

void SanmEncoderLayer::ProjectRows(const float* x, int64_t r0, int64_t r1,
                                   const RowBuffers& b) const {
  const int64_t in = in_features();
  norm1_.Forward(x + r0 * in, r1 - r0, b.h + r0 * in);
  self_attn_.ProjectRows(b.h, r0, r1, b.qkv, b.v);
}

void SanmEncoderLayer::FinishRows(const float* x, int64_t r0, int64_t r1, const RowBuffers& b,
                                  float* y) const {
  const int64_t d = d_model();
  self_attn_.OutputRows(b.context, b.memory, in_features() == d ? x : nullptr, r0, r1, y);
  norm2_.Forward(y + r0 * d, r1 - r0, b.h + r0 * d);
  feed_forward_.ForwardAccumulate(b.h + r0 * d, r1 - r0, y + r0 * d,
                                  b.hidden + r0 * feed_forward_.hidden());
}

}  // namespace funasr::layers
