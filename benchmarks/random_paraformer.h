// A random-weight Paraformer / BiCif-Paraformer built in memory, with the released
// paraformer-large structure by default (encoder 50 x 512, 4 heads, FFN 2048; decoder 16
// layers; vocab 8404; about 220 M parameters). Used by the benchmarks.
//
// Weights follow PyTorch's default initialisation scales (uniform +-1/sqrt(fan_in)); the CIF
// output bias is set so that alphas average ~0.27 (about one token per 3.7 frames, a
// realistic speech rate), so the decoder does realistic work.
#pragma once

#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/tensor.h"
#include "io/model_contents.h"

namespace bench {

struct RandomParaformerDims {
  int64_t d = 512;
  int64_t heads = 4;
  int64_t encoder_ffn = 2048;
  int64_t encoder_blocks = 50;
  int64_t decoder_ffn = 2048;
  int64_t decoder_blocks = 16;
  int64_t vocab = 8404;
  int64_t kernel = 11;
  int64_t input = 560;
  bool bicif = false;
};

class Rng {
 public:
  explicit Rng(uint64_t seed) : s_(seed * 0x9E3779B97F4A7C15ull + 1) {}
  // Uniform in [-1, 1).
  float Next() {
    s_ ^= s_ << 13;
    s_ ^= s_ >> 7;
    s_ ^= s_ << 17;
    return static_cast<float>(static_cast<int64_t>(s_ >> 40) - (1ll << 23)) / static_cast<float>(1 << 23);
  }

 private:
  uint64_t s_;
};

inline std::shared_ptr<const funasr::io::ModelFiles> MakeRandomParaformer(
    const RandomParaformerDims& dims, uint64_t seed = 1) {
  using funasr::DType;
  using funasr::Shape;
  using funasr::Tensor;
  funasr::io::ModelContents c;
  c.path = "<random paraformer>";
  c.config_path = "<random paraformer>/config.yaml";
  c.model_class = dims.bicif ? "BiCifParaformer" : "Paraformer";
  const std::string d = std::to_string(dims.d);
  c.config = YAML::Load(
      "model: " + c.model_class + "\n"
      "encoder: SANMEncoder\n"
      "encoder_conf: {output_size: " + d + ", attention_heads: " + std::to_string(dims.heads) +
      ", linear_units: " + std::to_string(dims.encoder_ffn) + ", num_blocks: " +
      std::to_string(dims.encoder_blocks) + ", input_layer: pe, normalize_before: true, "
      "kernel_size: " + std::to_string(dims.kernel) + ", sanm_shfit: 0, "
      "selfattention_layer_type: sanm}\n"
      "decoder: ParaformerSANMDecoder\n"
      "decoder_conf: {attention_heads: " + std::to_string(dims.heads) + ", linear_units: " +
      std::to_string(dims.decoder_ffn) + ", num_blocks: " + std::to_string(dims.decoder_blocks) +
      ", att_layer_num: " + std::to_string(dims.decoder_blocks) + ", kernel_size: " +
      std::to_string(dims.kernel) + ", sanm_shfit: 0}\n"
      "predictor: " + std::string(dims.bicif ? "CifPredictorV3" : "CifPredictorV2") + "\n"
      "predictor_conf: {idim: " + d + ", threshold: 1.0, l_order: 1, r_order: 1, "
      "tail_threshold: 0.45" +
      std::string(dims.bicif ? ", smooth_factor2: 0.25, noise_threshold2: 0.01, "
                               "upsample_times: 3, use_cif1_cnn: false, "
                               "upsample_type: cnn_blstm" : "") + "}\n"
      "frontend: WavFrontend\n"
      "frontend_conf: {fs: 16000, window: hamming, n_mels: 80, frame_length: 25, "
      "frame_shift: 10, lfr_m: 7, lfr_n: 6}\n");
  Rng rng(seed);
  auto uniform = [&](const std::string& name, const Shape& shape, float bound) {
    Tensor t = Tensor::Zeros(DType::kF32, shape);
    float* p = t.mutable_data<float>();
    for (int64_t i = 0; i < t.numel(); ++i) p[i] = bound * rng.Next();
    c.Add(name, {t, Tensor()});
  };
  auto constant = [&](const std::string& name, const Shape& shape, float v) {
    Tensor t = Tensor::Zeros(DType::kF32, shape);
    float* p = t.mutable_data<float>();
    for (int64_t i = 0; i < t.numel(); ++i) p[i] = v;
    c.Add(name, {t, Tensor()});
  };
  auto linear = [&](const std::string& p, int64_t out, int64_t in, bool bias = true) {
    const float b = 1.f / std::sqrt(static_cast<float>(in));
    uniform(p + ".weight", {out, in}, b);
    if (bias) uniform(p + ".bias", {out}, b);
  };
  auto norm = [&](const std::string& p, int64_t n) {
    constant(p + ".weight", {n}, 1.f);
    constant(p + ".bias", {n}, 0.f);
  };
  const int64_t D = dims.d;
  const float fsmn = 1.f / std::sqrt(static_cast<float>(dims.kernel));
  for (int64_t i = 0; i < dims.encoder_blocks; ++i) {
    const std::string p = i == 0 ? "encoder.encoders0.0" : "encoder.encoders." + std::to_string(i - 1);
    const int64_t in = i == 0 ? dims.input : D;
    linear(p + ".self_attn.linear_q_k_v", 3 * D, in);
    uniform(p + ".self_attn.fsmn_block.weight", {D, 1, dims.kernel}, fsmn);
    linear(p + ".self_attn.linear_out", D, D);
    linear(p + ".feed_forward.w_1", dims.encoder_ffn, D);
    linear(p + ".feed_forward.w_2", D, dims.encoder_ffn);
    norm(p + ".norm1", in);
    norm(p + ".norm2", D);
  }
  norm("encoder.after_norm", D);
  uniform("predictor.cif_conv1d.weight", {D, D, 3}, 1.f / std::sqrt(3.f * D));
  uniform("predictor.cif_conv1d.bias", {D}, 1.f / std::sqrt(3.f * D));
  uniform("predictor.cif_output.weight", {1, D}, 0.01f / std::sqrt(static_cast<float>(D)));
  constant("predictor.cif_output.bias", {1}, -0.995f);  // sigmoid -> ~0.27
  if (dims.bicif) {
    uniform("predictor.upsample_cnn.weight", {D, D, 3}, 1.f / std::sqrt(3.f * D));
    uniform("predictor.upsample_cnn.bias", {D}, 1.f / std::sqrt(3.f * D));
    const float lb = 1.f / std::sqrt(static_cast<float>(D));
    for (const std::string sfx : {"", "_reverse"}) {
      uniform("predictor.blstm.weight_ih_l0" + sfx, {4 * D, D}, lb);
      uniform("predictor.blstm.weight_hh_l0" + sfx, {4 * D, D}, lb);
      uniform("predictor.blstm.bias_ih_l0" + sfx, {4 * D}, lb);
      uniform("predictor.blstm.bias_hh_l0" + sfx, {4 * D}, lb);
    }
    linear("predictor.cif_output2", 1, 2 * D);
  }
  uniform("decoder.embed.0.weight", {dims.vocab, D}, 1.f);
  for (int64_t l = 0; l < dims.decoder_blocks; ++l) {
    const std::string p = "decoder.decoders." + std::to_string(l);
    uniform(p + ".self_attn.fsmn_block.weight", {D, 1, dims.kernel}, fsmn);
    linear(p + ".src_attn.linear_q", D, D);
    linear(p + ".src_attn.linear_k_v", 2 * D, D);
    linear(p + ".src_attn.linear_out", D, D);
    linear(p + ".feed_forward.w_1", dims.decoder_ffn, D);
    norm(p + ".feed_forward.norm", dims.decoder_ffn);
    linear(p + ".feed_forward.w_2", D, dims.decoder_ffn, false);
    norm(p + ".norm1", D);
    norm(p + ".norm2", D);
    norm(p + ".norm3", D);
  }
  linear("decoder.decoders3.0.feed_forward.w_1", dims.decoder_ffn, D);
  norm("decoder.decoders3.0.feed_forward.norm", dims.decoder_ffn);
  linear("decoder.decoders3.0.feed_forward.w_2", D, dims.decoder_ffn, false);
  norm("decoder.decoders3.0.norm1", D);
  norm("decoder.after_norm", D);
  linear("decoder.output_layer", dims.vocab, D);
  c.tokens.reserve(static_cast<size_t>(dims.vocab));
  c.tokens.push_back("<blank>");
  c.tokens.push_back("<s>");
  c.tokens.push_back("</s>");
  for (int64_t i = 3; i + 1 < dims.vocab; ++i) c.tokens.push_back("t" + std::to_string(i));
  c.tokens.push_back("<unk>");
  return funasr::io::MakeModelFiles(std::move(c));
}

// Parameter count of a ModelFiles (all tensors).
inline int64_t CountParameters(const funasr::io::ModelFiles& f) {
  int64_t n = 0;
  for (const std::string& name : f.TensorNames()) n += f.GetTensor(name).numel();
  return n;
}

}  // namespace bench
