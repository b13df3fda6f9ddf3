#include "layers/paraformer_decoder.h"

#include <cstring>

namespace funasr::layers {

ParaformerDecoderConfig ParaformerDecoderConfig::FromConfig(const io::ConfigReader& conf,
                                                            int64_t vocab_size,
                                                            int64_t encoder_output_size) {
  ParaformerDecoderConfig c;
  c.vocab_size = vocab_size;
  c.d_model = encoder_output_size;
  c.memory_features = encoder_output_size;
  c.attention_heads = conf.GetInt("attention_heads", 4);
  c.linear_units = conf.GetInt("linear_units", 2048);
  c.num_blocks = conf.GetInt("num_blocks", 6);
  c.att_layer_num = conf.GetInt("att_layer_num", 6);
  c.kernel_size = conf.GetInt("kernel_size", 21);
  // FunASR: sanm_shfit None means (K-1)//2.
  if (conf.Has("sanm_shfit") && conf.node()["sanm_shfit"].IsNull()) {
    c.sanm_shift = (c.kernel_size - 1) / 2;
  } else {
    c.sanm_shift = conf.GetInt("sanm_shfit", 0);
  }
  c.use_output_layer = conf.GetBool("use_output_layer", true);
  if (!conf.GetBool("normalize_before", true)) {
    conf.Fail("normalize_before", "false is not supported");
  }
  if (conf.GetBool("concat_after", false)) conf.Fail("concat_after", "true is not supported");
  if (c.attention_heads <= 0 || c.d_model % c.attention_heads != 0) {
    conf.Fail("attention_heads", "encoder output size " + std::to_string(c.d_model) +
                                     " is not a multiple of attention_heads");
  }
  if (c.att_layer_num < 0) conf.Fail("att_layer_num", "must not be negative");
  if (c.kernel_size < 1) conf.Fail("kernel_size", "must be at least 1");
  if (c.sanm_shift < 0 || (c.kernel_size - 1) / 2 + c.sanm_shift > c.kernel_size - 1) {
    conf.Fail("sanm_shfit", "out of range for the kernel size");
  }
  return c;
}

ParaformerSanmDecoder ParaformerSanmDecoder::Load(const io::ModelFiles& files,
                                                  const std::string& prefix,
                                                  const ParaformerDecoderConfig& config,
                                                  const WeightOptions& options) {
  ParaformerSanmDecoder dec;
  dec.config_ = config;
  DecoderLayerSanmConfig lc;
  lc.d_model = config.d_model;
  lc.linear_units = config.linear_units;
  lc.num_heads = config.attention_heads;
  lc.kernel_size = config.kernel_size;
  lc.memory_features = config.memory_features;
  lc.sanm_shift = config.sanm_shift;
  for (int64_t l = 0; l < config.att_layer_num; ++l) {
    dec.layers_.push_back(DecoderLayerSanm::Load(
        files, prefix + ".decoders." + std::to_string(l), lc, options));
  }
  lc.has_src_attn = false;
  lc.sanm_shift = 0;  // FunASR builds decoders2 with sanm_shfit=0
  for (int64_t l = 0; l < config.num_blocks - config.att_layer_num; ++l) {
    dec.layers_.push_back(DecoderLayerSanm::Load(
        files, prefix + ".decoders2." + std::to_string(l), lc, options));
  }
  lc.has_self_attn = false;
  dec.layers_.push_back(DecoderLayerSanm::Load(files, prefix + ".decoders3.0", lc, options));
  dec.after_norm_ = LayerNorm::Load(files, prefix + ".after_norm", config.d_model);
  if (config.use_output_layer) {
    dec.output_layer_ = LoadLinear(files, prefix + ".output_layer", config.vocab_size,
                                   config.d_model, true, options);
  }
  if (config.load_embedding) {
    dec.embedding_ =
        files.GetF32(prefix + ".embed.0.weight", Shape{config.vocab_size, config.d_model});
  }
  return dec;
}

void ParaformerSanmDecoder::ForwardHidden(const float* embeds, const PackedSequences& tokens,
                                          const float* memory, const PackedSequences& frames,
                                          float* hidden, Workspace& ws) const {
  const int64_t rows = tokens.total_rows();
  const int64_t d = config_.d_model;
  if (rows == 0) return;
  Workspace::Scope scope(ws);
  if (hidden != embeds) {
    std::memcpy(hidden, embeds, static_cast<size_t>(rows * d) * sizeof(float));
  }
  float* kv = ws.Floats(frames.total_rows() * 2 * d);
  for (const DecoderLayerSanm& layer : layers_) {
    if (layer.has_src_attn()) {
      layer.src_attn().ProjectMemory(memory, frames.total_rows(), kv);
    }
    layer.Forward(hidden, tokens, kv, frames, ws);
  }
  after_norm_.Forward(hidden, rows, hidden);
}

void ParaformerSanmDecoder::OutputLayer(const float* hidden, int64_t rows, float* logits) const {
  FUNASR_CHECK(config_.use_output_layer, ErrorCode::kInternal,
               "decoder built without an output layer");
  kernels::Linear(hidden, rows, output_layer_, logits);
}

}  // namespace funasr::layers
