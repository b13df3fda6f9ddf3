#include "layers/contextual_decoder.h"

#include <cstring>

#include "core/check.h"
#include "kernels/elementwise.h"

namespace funasr::layers {

ContextualParaformerDecoder ContextualParaformerDecoder::Load(const io::ModelFiles& files,
                                                              const std::string& prefix,
                                                              const ParaformerDecoderConfig& config,
                                                              const WeightOptions& options) {
  FUNASR_CHECK(config.att_layer_num >= 1, ErrorCode::kFormatError, files.config_path(),
               ": decoder_conf: att_layer_num must be at least 1 for ContextualParaformerDecoder");
  FUNASR_CHECK(config.use_output_layer, ErrorCode::kFormatError, files.config_path(),
               ": decoder_conf: use_output_layer false is not supported for ASR");
  ContextualParaformerDecoder dec;
  dec.config_ = config;
  const int64_t d = config.d_model;
  DecoderLayerSanmConfig lc;
  lc.d_model = d;
  lc.linear_units = config.linear_units;
  lc.num_heads = config.attention_heads;
  lc.kernel_size = config.kernel_size;
  lc.memory_features = config.memory_features;
  lc.sanm_shift = config.sanm_shift;
  for (int64_t l = 0; l + 1 < config.att_layer_num; ++l) {
    dec.decoders_.push_back(
        DecoderLayerSanm::Load(files, prefix + ".decoders." + std::to_string(l), lc, options));
  }
  dec.last_decoder_ = DecoderLayerSanm::Load(files, prefix + ".last_decoder", lc, options);
  dec.bias_norm3_ = LayerNorm::Load(files, prefix + ".bias_decoder.norm3", d);
  CrossAttentionConfig cc;
  cc.d_model = d;
  cc.memory_features = d;
  cc.num_heads = config.attention_heads;
  dec.bias_attn_ =
      MultiHeadedAttentionCrossAtt::Load(files, prefix + ".bias_decoder.src_attn", cc, options);
  // Conv1d(2d -> d, kernel 1, no bias) is a Linear over the 2d channels of each position.
  dec.bias_output_.weight =
      files.GetF32(prefix + ".bias_output.weight", Shape{d, 2 * d, 1}).Reshape(Shape{d, 2 * d});
  if (options.quantize_int8) dec.bias_output_ = kernels::QuantizeLinearInt8(dec.bias_output_);
  kernels::PrepareLinear(dec.bias_output_);
  lc.has_src_attn = false;
  lc.sanm_shift = 0;  // FunASR builds decoders2 with sanm_shfit=0
  for (int64_t l = 0; l < config.num_blocks - config.att_layer_num; ++l) {
    dec.tail_.push_back(
        DecoderLayerSanm::Load(files, prefix + ".decoders2." + std::to_string(l), lc, options));
  }
  lc.has_self_attn = false;
  dec.tail_.push_back(DecoderLayerSanm::Load(files, prefix + ".decoders3.0", lc, options));
  dec.after_norm_ = LayerNorm::Load(files, prefix + ".after_norm", d);
  dec.output_layer_ =
      LoadLinear(files, prefix + ".output_layer", config.vocab_size, d, true, options);
  return dec;
}

void ContextualParaformerDecoder::ProjectBias(const float* bias, int64_t rows,
                                              float* bias_kv) const {
  bias_attn_.ProjectMemory(bias, rows, bias_kv);
}

void ContextualParaformerDecoder::ForwardHidden(const float* embeds, const PackedSequences& tokens,
                                                const float* memory, const PackedSequences& frames,
                                                const float* bias_kv, int64_t bias_rows,
                                                float clas_scale, float* hidden,
                                                Workspace& ws) const {
  const int64_t rows = tokens.total_rows();
  const int64_t d = config_.d_model;
  if (rows == 0) return;
  Workspace::Scope scope(ws);
  float* x = hidden;
  if (x != embeds) std::memcpy(x, embeds, static_cast<size_t>(rows * d) * sizeof(float));
  float* kv = ws.Floats(frames.total_rows() * 2 * d);
  for (const DecoderLayerSanm& layer : decoders_) {
    layer.src_attn().ProjectMemory(memory, frames.total_rows(), kv);
    layer.Forward(x, tokens, kv, frames, ws);
  }
  // last_decoder: x becomes x_self; x_src and cx go side by side into `both` [rows, 2d].
  last_decoder_.ForwardFeedForwardAndSelfAttention(x, tokens, ws);
  float* normed = ws.Floats(rows * d);
  float* src = ws.Floats(rows * d);
  float* cx = ws.Floats(rows * d);
  last_decoder_.norm3().Forward(x, rows, normed);
  last_decoder_.src_attn().ProjectMemory(memory, frames.total_rows(), kv);
  last_decoder_.src_attn().Forward(normed, tokens, kv, frames, src, ws);
  bias_norm3_.Forward(x, rows, normed);
  bias_attn_.Forward(normed, tokens, bias_kv, PackedSequences::Single(bias_rows), cx, ws);
  float* both = ws.Floats(rows * 2 * d);
  for (int64_t r = 0; r < rows; ++r) {
    std::memcpy(both + r * 2 * d, src + r * d, static_cast<size_t>(d) * sizeof(float));
    float* c = both + r * 2 * d + d;
    const float* cr = cx + r * d;
    for (int64_t j = 0; j < d; ++j) c[j] = cr[j] * clas_scale;
  }
  kernels::Linear(both, rows, bias_output_, src);
  kernels::Add(x, src, rows * d, x);
  for (const DecoderLayerSanm& layer : tail_) layer.Forward(x, tokens, nullptr, frames, ws);
  after_norm_.Forward(x, rows, x);
}

void ContextualParaformerDecoder::OutputLayer(const float* hidden, int64_t rows,
                                              float* logits) const {
  kernels::Linear(hidden, rows, output_layer_, logits);
}

}  // namespace funasr::layers
