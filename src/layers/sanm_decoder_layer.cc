#include "layers/sanm_decoder_layer.h"

#include <cstring>

#include "kernels/elementwise.h"
#include "layers/parallel_rows.h"

namespace funasr::layers {

DecoderLayerSanm DecoderLayerSanm::Load(const io::ModelFiles& files, const std::string& prefix,
                                        const DecoderLayerSanmConfig& config,
                                        const WeightOptions& options) {
  DecoderLayerSanm l;
  l.config_ = config;
  const int64_t d = config.d_model;
  l.norm1_ = LayerNorm::Load(files, prefix + ".norm1", d);
  l.feed_forward_ = PositionwiseFeedForwardDecoderSanm::Load(files, prefix + ".feed_forward", d,
                                                             config.linear_units, options);
  if (config.has_self_attn) {
    l.norm2_ = LayerNorm::Load(files, prefix + ".norm2", d);
    l.self_attn_ = FsmnMemoryBlock::Load(files, prefix + ".self_attn.fsmn_block.weight", d,
                                         config.kernel_size, config.sanm_shift);
  }
  if (config.has_src_attn) {
    l.norm3_ = LayerNorm::Load(files, prefix + ".norm3", d);
    CrossAttentionConfig cc;
    cc.d_model = d;
    cc.memory_features = config.memory_features;
    cc.num_heads = config.num_heads;
    l.src_attn_ = MultiHeadedAttentionCrossAtt::Load(files, prefix + ".src_attn", cc, options);
  }
  return l;
}

void DecoderLayerSanm::ForwardFeedForwardAndSelfAttention(float* x,
                                                          const PackedSequences& tokens,
                                                          Workspace& ws) const {
  const int64_t rows = tokens.total_rows();
  const int64_t d = config_.d_model;
  if (rows == 0) return;
  Workspace::Scope scope(ws);
  float* h = ws.Floats(rows * d);
  norm1_.Forward(x, rows, h);
  if (!config_.has_self_attn) {
    feed_forward_.Forward(h, rows, x, ws);  // decoders3: output replaces x, no residual
    return;
  }
  float* t = ws.Floats(rows * d);
  feed_forward_.Forward(h, rows, t, ws);
  norm2_.Forward(t, rows, t);
  self_attn_.Forward(t, tokens, h, &ws);
  ParallelAdd(x, h, rows, d, x);
}

void DecoderLayerSanm::ForwardSourceAttention(float* x, const PackedSequences& tokens,
                                              const float* memory_kv,
                                              const PackedSequences& frames, Workspace& ws,
                                              float* probs) const {
  const int64_t rows = tokens.total_rows();
  const int64_t d = config_.d_model;
  if (rows == 0) return;
  FUNASR_ASSERT(config_.has_src_attn);
  Workspace::Scope scope(ws);
  float* h = ws.Floats(rows * d);
  norm3_.Forward(x, rows, h);
  // x = x + src_attn(h), the skip connection added as the output rows are produced.
  src_attn_.Forward(h, tokens, memory_kv, frames, x, ws, probs, /*residual=*/x);
}

void DecoderLayerSanm::Forward(float* x, const PackedSequences& tokens, const float* memory_kv,
                               const PackedSequences& frames, Workspace& ws) const {
  ForwardFeedForwardAndSelfAttention(x, tokens, ws);
  if (config_.has_src_attn) ForwardSourceAttention(x, tokens, memory_kv, frames, ws);
}

void DecoderLayerSanm::FeedForwardRows(float* x, int64_t r0, int64_t r1,
                                       const RowBuffers& b) const {
  const int64_t d = config_.d_model;
  const int64_t n = r1 - r0;
  norm1_.Forward(x + r0 * d, n, b.h + r0 * d);
  float* hidden = b.hidden + r0 * feed_forward_.hidden();
  if (!config_.has_self_attn) {
    feed_forward_.Forward(b.h + r0 * d, n, x + r0 * d, hidden);  // decoders3: no residual
    return;
  }
  feed_forward_.Forward(b.h + r0 * d, n, b.t + r0 * d, hidden);
  norm2_.Forward(b.t + r0 * d, n, b.t + r0 * d);
}

void DecoderLayerSanm::SelfAttentionRows(float* x, const PackedSequences& tokens, int64_t r0,
                                         int64_t r1, const RowBuffers& b,
                                         float* scratch) const {
  const int64_t d = config_.d_model;
  if (config_.has_self_attn) {
    self_attn_.ForwardRows(b.t, tokens, r0, r1, b.h, scratch);
    kernels::Add(x + r0 * d, b.h + r0 * d, (r1 - r0) * d, x + r0 * d);
  }
  if (config_.has_src_attn) {
    norm3_.Forward(x + r0 * d, r1 - r0, b.h + r0 * d);
    src_attn_.QueryRows(b.h, r0, r1, b.q);
  }
}

void DecoderLayerSanm::SourceOutputRows(float* x, int64_t r0, int64_t r1,
                                        const RowBuffers& b) const {
  src_attn_.OutputRows(b.context, x, r0, r1, x);
}

}  // namespace funasr::layers
