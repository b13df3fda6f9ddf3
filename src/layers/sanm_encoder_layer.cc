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

}  // namespace funasr::layers
