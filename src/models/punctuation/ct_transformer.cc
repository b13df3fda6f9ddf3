#include "models/punctuation/ct_transformer.h"

#include <cmath>
#include <cstring>

#include "core/check.h"
#include "kernels/embedding.h"
#include "kernels/linear.h"
#include "layers/packed_sequences.h"
#include "layers/positional_encoding.h"

namespace funasr::models {

std::vector<uint8_t> CausalMask(int64_t n) {
  std::vector<uint8_t> m(static_cast<size_t>(n * n), 0);
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j <= i; ++j) m[static_cast<size_t>(i * n + j)] = 1;
  return m;
}

std::vector<uint8_t> VadMask(int64_t n, int64_t vad_index) {
  std::vector<uint8_t> m(static_cast<size_t>(n * n), 1);
  if (vad_index <= 0 || vad_index >= n) return m;
  for (int64_t i = 0; i < vad_index - 1; ++i)
    for (int64_t j = vad_index; j < n; ++j) m[static_cast<size_t>(i * n + j)] = 0;
  return m;
}

std::shared_ptr<const CtTransformer> CtTransformer::Load(const io::ModelFiles& files,
                                                         const layers::WeightOptions& options) {
  const std::string& cfg_file = files.config_path();
  const std::string model_class = files.model_class();
  FUNASR_CHECK(model_class == "CTTransformer" || model_class == "CTTransformerStreaming",
               ErrorCode::kUnsupported, cfg_file, ": model '", model_class,
               "' is not a CT-Transformer punctuation model (CTTransformer or "
               "CTTransformerStreaming)");
  io::ConfigReader root(files.config(), cfg_file);
  const io::ConfigReader model_conf = root.Section("model_conf");
  const io::ConfigReader enc = root.Section("encoder_conf");

  auto model = std::make_shared<CtTransformer>();
  CtTransformerConfig& c = model->config_;
  c.realtime = model_class == "CTTransformerStreaming";
  const std::string encoder = root.GetString("encoder", "");
  const std::string want_encoder = c.realtime ? "SANMVadEncoder" : "SANMEncoder";
  if (encoder != want_encoder)
    root.Fail("encoder", "'" + encoder + "' is not supported for " + model_class +
                             " (expected " + want_encoder + ")");
  // FunASR defaults: CTTransformer(embed_unit=128, att_unit=256), SANM encoders
  // (output_size=256, attention_heads=4, linear_units=2048, num_blocks=6, kernel_size=11,
  // sanm_shfit=0, input_layer="conv2d", normalize_before=True).
  c.embed_unit = model_conf.GetInt("embed_unit", 128);
  c.d_model = enc.GetInt("output_size", 256);
  const int64_t att_unit = model_conf.GetInt("att_unit", 256);
  if (att_unit != c.d_model)
    model_conf.Fail("att_unit", "must equal encoder_conf.output_size (" +
                                    std::to_string(c.d_model) + "), got " +
                                    std::to_string(att_unit));
  const int64_t input_size = enc.GetInt("input_size", c.embed_unit);
  if (input_size != c.embed_unit)
    enc.Fail("input_size", "must equal model_conf.embed_unit (" + std::to_string(c.embed_unit) +
                               "), got " + std::to_string(input_size));
  c.num_heads = enc.GetInt("attention_heads", 4);
  c.linear_units = enc.GetInt("linear_units", 2048);
  c.num_blocks = enc.GetInt("num_blocks", 6);
  c.kernel_size = enc.GetInt("kernel_size", 11);
  c.sanm_shift = enc.GetInt("sanm_shfit", 0);
  if (enc.GetString("input_layer", "conv2d") != "pe")
    enc.Fail("input_layer", "only 'pe' (SinusoidalPositionEncoder) is supported");
  if (!enc.GetBool("normalize_before", true))
    enc.Fail("normalize_before", "only true is supported");
  if (enc.GetBool("concat_after", false)) enc.Fail("concat_after", "only false is supported");
  if (enc.GetString("selfattention_layer_type", "sanm") != "sanm")
    enc.Fail("selfattention_layer_type", "only 'sanm' is supported");
  if (c.num_blocks < 1) enc.Fail("num_blocks", "must be >= 1");
  if (c.kernel_size < 1 || c.sanm_shift < 0 || (c.kernel_size - 1) / 2 + c.sanm_shift > c.kernel_size - 1)
    enc.Fail("sanm_shfit", "kernel_size " + std::to_string(c.kernel_size) + " / sanm_shfit " +
                               std::to_string(c.sanm_shift) + " give a negative right padding");
  if (c.embed_unit % 2 != 0 || c.embed_unit < 4)
    model_conf.Fail("embed_unit", "must be even and >= 4 for the sinusoidal position encoding");
  const std::vector<std::string> punc_list = model_conf.GetStringList("punc_list", {});
  if (punc_list.empty()) model_conf.Fail("punc_list", "missing or empty");
  c.num_classes = static_cast<int64_t>(punc_list.size());

  // Embedding: one row per token.
  model->embedding_ = files.GetTensor("embed.weight");
  if (model->embedding_.dtype() != DType::kF32 && model->embedding_.dtype() != DType::kF16)
    model->embedding_ = model->embedding_.ToF32();
  FUNASR_CHECK(model->embedding_.rank() == 2 && model->embedding_.dim(1) == c.embed_unit,
               ErrorCode::kFormatError, files.path(), ": tensor embed.weight has shape ",
               ShapeToString(model->embedding_.shape()), ", expected [vocab, ", c.embed_unit, "]");
  c.vocab_size = model->embedding_.dim(0);
  if (!files.tokens().empty())
    FUNASR_CHECK(static_cast<int64_t>(files.tokens().size()) == c.vocab_size,
                 ErrorCode::kFormatError, files.path(), ": the token list has ",
                 files.tokens().size(), " entries but embed.weight has ", c.vocab_size, " rows");

  for (int64_t l = 0; l < c.num_blocks; ++l) {
    layers::SanmEncoderLayerConfig lc;
    lc.attention.in_features = l == 0 ? c.embed_unit : c.d_model;
    lc.attention.d_model = c.d_model;
    lc.attention.num_heads = c.num_heads;
    lc.attention.kernel_size = c.kernel_size;
    lc.attention.sanm_shift = c.sanm_shift;
    lc.linear_units = c.linear_units;
    const std::string prefix =
        l == 0 ? std::string("encoder.encoders0.0") : "encoder.encoders." + std::to_string(l - 1);
    model->layers_.push_back(layers::SanmEncoderLayer::Load(files, prefix, lc, options));
  }
  model->after_norm_ = layers::LayerNorm::Load(files, "encoder.after_norm", c.d_model);
  // The 6-way classifier is tiny; keep it in float32 so that decisions are not perturbed.
  model->decoder_ = layers::LoadLinear(files, "decoder", c.num_classes, c.d_model, true, options,
                                       /*allow_int8=*/false);

  const int64_t d = c.d_model, f = c.linear_units;
  const int64_t per_layer = 3 * d * d + 3 * d + d * d + d + d * c.kernel_size + 2 * d * f + f +
                            d + 4 * d;
  model->weight_bytes_ = model->embedding_.nbytes() +
                         static_cast<size_t>(per_layer * c.num_blocks + 2 * d +
                                             c.num_classes * (d + 1)) *
                             sizeof(float);
  return model;
}

void CtTransformer::Logits(const int32_t* ids, int64_t n, int64_t vad_index, float* logits,
                           layers::Workspace& ws) const {
  if (n == 0) return;
  const CtTransformerConfig& c = config_;
  layers::Workspace::Scope scope(ws);
  const int64_t width = std::max(c.embed_unit, c.d_model);
  float* x = ws.Floats(n * width);
  float* y = ws.Floats(n * width);

  std::vector<int64_t> ids64(ids, ids + n);
  kernels::Embedding(embedding_, ids64.data(), n, x);
  // SANM encoders scale by output_size ** 0.5 (a Python float applied to float32 data)
  // before the position encoding.
  layers::ScaleAndAddPositionEncoding(
      x, n, c.embed_unit, static_cast<float>(std::sqrt(static_cast<double>(c.d_model))));

  const layers::PackedSequences seqs = layers::PackedSequences::Single(n);
  std::vector<uint8_t> causal, vad;
  if (c.realtime) {
    causal = CausalMask(n);
    if (c.num_blocks >= 2) vad = VadMask(n, vad_index);
  }
  for (int64_t l = 0; l < c.num_blocks; ++l) {
    layers::AttentionMasks masks;
    if (c.realtime) masks.push_back(l == c.num_blocks - 1 && l > 0 ? vad.data() : causal.data());
    layers_[static_cast<size_t>(l)].Forward(x, seqs, masks, y, ws);
    std::swap(x, y);
  }
  after_norm_.Forward(x, n, x);
  kernels::Linear(x, n, decoder_, logits);
}

std::vector<int> CtTransformer::Classify(const std::vector<int32_t>& ids, int64_t vad_index,
                                         layers::Workspace& ws) const {
  const int64_t n = static_cast<int64_t>(ids.size());
  const int64_t k = config_.num_classes;
  std::vector<float> logits(static_cast<size_t>(n * k));
  Logits(ids.data(), n, vad_index, logits.data(), ws);
  std::vector<int> out(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) {
    const float* row = logits.data() + i * k;
    int best = 0;
    for (int64_t j = 1; j < k; ++j)
      if (row[j] > row[best]) best = static_cast<int>(j);
    out[static_cast<size_t>(i)] = best;
  }
  return out;
}

}  // namespace funasr::models
