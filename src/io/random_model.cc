#include "io/random_model.h"

#include <cmath>
#include <cstring>
#include <sstream>

#include "core/check.h"
#include "io/config_file.h"
#include "io/model_class.h"
#include "io/model_contents.h"

namespace funasr::io {

RandomModelKind ParseRandomModelKind(const std::string& s) {
  if (s == "paraformer") return RandomModelKind::kParaformer;
  if (s == "bicif") return RandomModelKind::kBiCif;
  if (s == "seaco") return RandomModelKind::kSeaco;
  if (s == "contextual") return RandomModelKind::kContextual;
  if (s == "ct-punc") return RandomModelKind::kCtPunc;
  if (s == "ct-punc-realtime") return RandomModelKind::kCtPuncRealtime;
  Fail(ErrorCode::kInvalidArgument, "unknown model kind '", s,
       "' (expected paraformer, bicif, seaco, contextual, ct-punc or ct-punc-realtime)");
}

namespace {
bool IsPunc(RandomModelKind k) {
  return k == RandomModelKind::kCtPunc || k == RandomModelKind::kCtPuncRealtime;
}
}  // namespace

void RandomModelOptions::UsePuncDefaults() {
  input_dim = 256;  // embed_unit
  d_model = 256;
  heads = 8;
  encoder_ffn = 1024;
  encoder_blocks = 4;
  kernel_size = 11;
  vocab = 272727;
  punc_classes = 6;
}

void RandomModelOptions::UseTinyReferenceDims() {
  if (IsPunc(kind)) {
    input_dim = 128;
    d_model = 128;
    heads = 4;
    encoder_ffn = 256;
    encoder_blocks = 2;
    vocab = 3254;
    return;
  }
  d_model = 128;
  encoder_ffn = 256;
  encoder_blocks = 4;
  decoder_ffn = 256;
  decoder_blocks = 2;
  inner_dim = 128;
  seaco_ffn = 256;
  seaco_blocks = 2;
}

namespace {

using Layout = std::vector<std::pair<std::string, Shape>>;

void Add(Layout& l, const std::string& name, Shape shape) { l.emplace_back(name, std::move(shape)); }
void AddLinear(Layout& l, const std::string& p, int64_t out, int64_t in, bool bias = true) {
  Add(l, p + ".weight", {out, in});
  if (bias) Add(l, p + ".bias", {out});
}
void AddNorm(Layout& l, const std::string& p, int64_t d) {
  Add(l, p + ".weight", {d});
  Add(l, p + ".bias", {d});
}

// SANM encoder layer (encoder.encoders0.0 reads `in` = input dim, the others d).
void EncoderLayer(Layout& l, const std::string& p, int64_t in, int64_t d, int64_t ffn, int64_t k) {
  AddLinear(l, p + ".self_attn.linear_out", d, d);
  AddLinear(l, p + ".self_attn.linear_q_k_v", 3 * d, in);
  Add(l, p + ".self_attn.fsmn_block.weight", {d, 1, k});
  AddLinear(l, p + ".feed_forward.w_1", ffn, d);
  AddLinear(l, p + ".feed_forward.w_2", d, ffn);
  AddNorm(l, p + ".norm1", in);
  AddNorm(l, p + ".norm2", d);
}

void Encoder(Layout& l, const std::string& p, int64_t in, int64_t d, int64_t ffn, int64_t blocks,
             int64_t k) {
  EncoderLayer(l, p + ".encoders0.0", in, d, ffn, k);
  for (int64_t i = 0; i + 1 < blocks; ++i)
    EncoderLayer(l, p + ".encoders." + std::to_string(i), d, d, ffn, k);
  AddNorm(l, p + ".after_norm", d);
}

// DecoderLayerSANM: FSMN self-memory, cross-attention, FFN with inner LayerNorm.
void DecoderLayer(Layout& l, const std::string& p, int64_t d, int64_t ffn, int64_t k) {
  Add(l, p + ".self_attn.fsmn_block.weight", {d, 1, k});
  AddLinear(l, p + ".src_attn.linear_q", d, d);
  AddLinear(l, p + ".src_attn.linear_k_v", 2 * d, d);
  AddLinear(l, p + ".src_attn.linear_out", d, d);
  AddLinear(l, p + ".feed_forward.w_1", ffn, d);
  AddLinear(l, p + ".feed_forward.w_2", d, ffn, false);
  AddNorm(l, p + ".feed_forward.norm", ffn);
  AddNorm(l, p + ".norm1", d);
  AddNorm(l, p + ".norm2", d);
  AddNorm(l, p + ".norm3", d);
}

void FfnOnlyLayer(Layout& l, const std::string& p, int64_t d, int64_t ffn) {
  AddLinear(l, p + ".feed_forward.w_1", ffn, d);
  AddLinear(l, p + ".feed_forward.w_2", d, ffn, false);
  AddNorm(l, p + ".feed_forward.norm", ffn);
  AddNorm(l, p + ".norm1", d);
}

void Lstm(Layout& l, const std::string& p, int64_t in, int64_t hidden, int layers, bool bidirectional) {
  for (int layer = 0; layer < layers; ++layer) {
    for (int dir = 0; dir < (bidirectional ? 2 : 1); ++dir) {
      std::string s = "_l" + std::to_string(layer) + (dir ? "_reverse" : "");
      int64_t input = layer == 0 ? in : hidden * (bidirectional ? 2 : 1);
      Add(l, p + ".weight_ih" + s, {4 * hidden, input});
      Add(l, p + ".weight_hh" + s, {4 * hidden, hidden});
      Add(l, p + ".bias_ih" + s, {4 * hidden});
      Add(l, p + ".bias_hh" + s, {4 * hidden});
    }
  }
}

// splitmix64: a tiny, fast, well-mixed generator; reproducible across platforms.
struct Rng {
  uint64_t s;
  uint64_t Next() {
    uint64_t z = (s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  // Uniform in [-a, a).
  float Uniform(float a) { return (static_cast<float>(Next() >> 40) * (1.0f / 16777216.0f) * 2.f - 1.f) * a; }
};

uint64_t HashName(const std::string& s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  return h;
}

bool EndsWith(const std::string& s, const char* suffix) {
  size_t n = std::strlen(suffix);
  return s.size() >= n && s.compare(s.size() - n, n, suffix) == 0;
}

Tensor RandomTensor(const std::string& name, const Shape& shape, uint64_t seed) {
  Tensor t = Tensor::Zeros(DType::kF32, shape);
  float* p = t.mutable_data<float>();
  int64_t n = t.numel();
  bool is_norm = name.find("norm") != std::string::npos &&
                 name.find("linear") == std::string::npos && shape.size() == 1;
  if (is_norm) {
    float v = EndsWith(name, ".weight") ? 1.f : 0.f;
    for (int64_t i = 0; i < n; ++i) p[i] = v;
    return t;
  }
  // CIF weight heads: sigmoid(bias) = 1/3 with a faint input dependence, so a token fires
  // about every third encoder frame as with trained weights.
  bool cif_head = name.find("predictor.cif_output") != std::string::npos;
  if (cif_head && EndsWith(name, ".bias")) {
    for (int64_t i = 0; i < n; ++i) p[i] = -0.6931472f;
    return t;
  }
  float bound;
  if (name.find("embed") != std::string::npos && shape.size() == 2) {
    bound = 1.7320508f;  // std 1, like nn.Embedding's N(0, 1)
  } else if (shape.size() == 3) {
    bound = 1.f / std::sqrt(static_cast<float>(shape[1] * shape[2]));  // conv fan-in
  } else if (shape.size() == 2) {
    bound = 1.f / std::sqrt(static_cast<float>(name.find("weight_hh") != std::string::npos ||
                                                       name.find("weight_ih") != std::string::npos
                                                   ? shape[0] / 4
                                                   : shape[1]));
  } else {
    bound = 0.05f;  // biases
  }
  if (cif_head) bound *= 0.01f;
  Rng rng{seed ^ HashName(name)};
  for (int64_t i = 0; i < n; ++i) p[i] = rng.Uniform(bound);
  return t;
}


}  // namespace

std::vector<std::pair<std::string, Shape>> RandomModelTensorLayout(const RandomModelOptions& o) {
  Layout l;
  const int64_t d = o.d_model, V = o.vocab, k = o.kernel_size;
  if (IsPunc(o.kind)) {
    Add(l, "embed.weight", {V, o.input_dim});
    AddLinear(l, "decoder", o.punc_classes, d);
    Encoder(l, "encoder", o.input_dim, d, o.encoder_ffn, o.encoder_blocks, k);
    return l;
  }
  Encoder(l, "encoder", o.input_dim, d, o.encoder_ffn, o.encoder_blocks, k);
  // Decoder: embed, after_norm, output_layer come first (module registration order).
  Add(l, "decoder.embed.0.weight", {V, d});
  AddNorm(l, "decoder.after_norm", d);
  AddLinear(l, "decoder.output_layer", V, d);
  bool contextual = o.kind == RandomModelKind::kContextual;
  int64_t plain_layers = contextual ? o.decoder_blocks - 1 : o.decoder_blocks;
  for (int64_t i = 0; i < plain_layers; ++i)
    DecoderLayer(l, "decoder.decoders." + std::to_string(i), d, o.decoder_ffn, k);
  FfnOnlyLayer(l, "decoder.decoders3.0", d, o.decoder_ffn);
  if (contextual) {
    AddLinear(l, "decoder.bias_decoder.src_attn.linear_q", d, d);
    AddLinear(l, "decoder.bias_decoder.src_attn.linear_k_v", 2 * d, d);
    AddLinear(l, "decoder.bias_decoder.src_attn.linear_out", d, d);
    AddNorm(l, "decoder.bias_decoder.norm3", d);
    Add(l, "decoder.bias_output.weight", {d, 2 * d, 1});
    DecoderLayer(l, "decoder.last_decoder", d, o.decoder_ffn, k);
  }
  // Predictor: CifPredictorV2, or V3 (BiCif / SeACo) with the upsampling timestamp head.
  Add(l, "predictor.cif_conv1d.weight", {d, d, 3});
  Add(l, "predictor.cif_conv1d.bias", {d});
  AddLinear(l, "predictor.cif_output", 1, d);
  if (o.kind == RandomModelKind::kBiCif || o.kind == RandomModelKind::kSeaco) {
    Add(l, "predictor.upsample_cnn.weight", {d, d, 3});
    Add(l, "predictor.upsample_cnn.bias", {d});
    Lstm(l, "predictor.blstm", d, d, 1, true);
    AddLinear(l, "predictor.cif_output2", 1, 2 * d);
  }
  if (o.kind == RandomModelKind::kSeaco) {
    Lstm(l, "bias_encoder", d, o.inner_dim, 2, false);
    AddNorm(l, "seaco_decoder.after_norm", d);
    for (int64_t i = 0; i < o.seaco_att_layers; ++i)
      DecoderLayer(l, "seaco_decoder.decoders." + std::to_string(i), d, o.seaco_ffn, o.seaco_kernel);
    FfnOnlyLayer(l, "seaco_decoder.decoders3.0", d, o.seaco_ffn);
    AddLinear(l, "hotword_output_layer", V, d);
  }
  if (contextual) {
    Lstm(l, "bias_encoder", d, o.inner_dim, 1, false);
    Add(l, "bias_embed.weight", {V, d});
  }
  return l;
}

std::string RandomModelConfigYaml(const RandomModelOptions& o) {
  std::ostringstream y;
  if (IsPunc(o.kind)) {
    bool rt = o.kind == RandomModelKind::kCtPuncRealtime;
    y << "# Random-weight model written by funasr-make-random-model (structure of "
      << (rt ? "punc_ct-transformer_zh-cn-common-vad_realtime-vocab272727"
             : "punc_ct-transformer_zh-cn-common-vocab272727-pytorch")
      << ")\n"
      << "model: " << (rt ? "CTTransformerStreaming" : "CTTransformer") << "\n"
      << "model_conf:\n  ignore_id: 0\n  embed_unit: " << o.input_dim << "\n  att_unit: " << o.d_model
      << "\n  dropout_rate: 0.1\n  punc_list:\n  - <unk>\n  - _\n  - ，\n  - 。\n  - ？\n  - 、\n"
      << "  punc_weight:\n  - 1.0\n  - 1.0\n  - 1.0\n  - 1.0\n  - 1.0\n  - 1.0\n  sentence_end_id: 3\n"
      << "encoder: " << (rt ? "SANMVadEncoder" : "SANMEncoder") << "\n"
      << "encoder_conf:\n  input_size: " << o.input_dim << "\n  output_size: " << o.d_model
      << "\n  attention_heads: " << o.heads << "\n  linear_units: " << o.encoder_ffn
      << "\n  num_blocks: " << o.encoder_blocks
      << "\n  dropout_rate: 0.1\n  positional_dropout_rate: 0.1\n  attention_dropout_rate: 0.0\n"
      << "  input_layer: pe\n  pos_enc_class: SinusoidalPositionEncoder\n  normalize_before: true\n"
      << "  kernel_size: " << o.kernel_size << "\n  sanm_shfit: " << (rt ? 5 : 0)
      << "\n  selfattention_layer_type: sanm\n  padding_idx: 0\n"
      << "tokenizer: CharTokenizer\ntokenizer_conf:\n  unk_symbol: <unk>\n";
    return y.str();
  }
  const char* model = "Paraformer";
  const char* decoder = "ParaformerSANMDecoder";
  bool v3 = false;
  switch (o.kind) {
    case RandomModelKind::kBiCif: model = "BiCifParaformer"; v3 = true; break;
    case RandomModelKind::kSeaco: model = "SeacoParaformer"; v3 = true; break;
    case RandomModelKind::kContextual:
      model = "ContextualParaformer";
      decoder = "ContextualParaformerDecoder";
      break;
    default: break;
  }
  y << "# Random-weight model written by funasr-make-random-model (structure of FunASR's "
    << model << " template)\n"
    << "model: " << model << "\n"
    << "model_conf:\n  ctc_weight: 0.0\n  lsm_weight: 0.1\n  length_normalized_loss: true\n"
    << "  predictor_weight: 1.0\n  predictor_bias: 1\n  sampling_ratio: 0.75\n";
  if (o.kind == RandomModelKind::kSeaco)
    y << "  inner_dim: " << o.inner_dim << "\n  bias_encoder_type: lstm\n  bias_encoder_bid: false\n"
      << "  seaco_lsm_weight: 0.1\n  seaco_length_normal: true\n  train_decoder: false\n  NO_BIAS: 8377\n";
  if (o.kind == RandomModelKind::kContextual) y << "  inner_dim: " << o.inner_dim << "\n";
  y << "encoder: SANMEncoder\nencoder_conf:\n  output_size: " << o.d_model
    << "\n  attention_heads: " << o.heads << "\n  linear_units: " << o.encoder_ffn
    << "\n  num_blocks: " << o.encoder_blocks
    << "\n  dropout_rate: 0.1\n  positional_dropout_rate: 0.1\n  attention_dropout_rate: 0.1\n"
    << "  input_layer: pe\n  pos_enc_class: SinusoidalPositionEncoder\n  normalize_before: true\n"
    << "  kernel_size: " << o.kernel_size << "\n  sanm_shfit: 0\n  selfattention_layer_type: sanm\n"
    << "decoder: " << decoder << "\ndecoder_conf:\n  attention_heads: " << o.heads
    << "\n  linear_units: " << o.decoder_ffn << "\n  num_blocks: " << o.decoder_blocks
    << "\n  dropout_rate: 0.1\n  positional_dropout_rate: 0.1\n  self_attention_dropout_rate: 0.1\n"
    << "  src_attention_dropout_rate: 0.1\n  att_layer_num: " << o.decoder_blocks
    << "\n  kernel_size: " << o.kernel_size << "\n  sanm_shfit: 0\n";
  if (o.kind == RandomModelKind::kSeaco)
    y << "seaco_decoder: ParaformerSANMDecoder\nseaco_decoder_conf:\n  attention_heads: " << o.heads
      << "\n  linear_units: " << o.seaco_ffn << "\n  num_blocks: " << o.seaco_blocks
      << "\n  dropout_rate: 0.1\n  positional_dropout_rate: 0.1\n  self_attention_dropout_rate: 0.1\n"
      << "  src_attention_dropout_rate: 0.1\n  kernel_size: " << o.seaco_kernel
      << "\n  sanm_shfit: 0\n  use_output_layer: false\n  wo_input_layer: true\n";
  y << "predictor: " << (v3 ? "CifPredictorV3" : "CifPredictorV2") << "\npredictor_conf:\n  idim: "
    << o.d_model << "\n  threshold: 1.0\n  l_order: 1\n  r_order: 1\n  tail_threshold: 0.45\n";
  if (v3)
    y << "  smooth_factor2: 0.25\n  noise_threshold2: 0.01\n  upsample_times: 3\n  use_cif1_cnn: false\n"
      << "  upsample_type: cnn_blstm\n";
  y << "frontend: WavFrontend\nfrontend_conf:\n  fs: 16000\n  window: hamming\n  n_mels: "
    << o.input_dim / 7 << "\n  frame_length: 25\n  frame_shift: 10\n  lfr_m: 7\n  lfr_n: 6\n  dither: 0.0\n"
    << "tokenizer: CharTokenizer\ntokenizer_conf:\n  unk_symbol: <unk>\n  split_with_space: true\n"
    << "ctc_conf:\n  dropout_rate: 0.0\n  ctc_type: builtin\n  reduce: true\n  ignore_nan_grad: true\n"
    << "normalize: null\n";
  return y.str();
}

std::shared_ptr<const ModelFiles> MakeRandomModel(const RandomModelOptions& o,
                                                  std::vector<std::string> tokens,
                                                  std::optional<Cmvn> cmvn) {
  ModelContents c;
  c.path = "random-model";
  c.config_path = "random-model:config.yaml";
  c.config = ParseConfigYaml(RandomModelConfigYaml(o), c.config_path);
  c.model_class = IdentifyModelClass(c.config);
  for (const auto& [name, shape] : RandomModelTensorLayout(o))
    c.Add(name, StoredTensor{RandomTensor(name, shape, o.seed), Tensor()});
  if (tokens.empty()) {
    tokens = {"<blank>", "<s>", "</s>"};
    tokens.reserve(static_cast<size_t>(o.vocab));
    for (int64_t i = 3; i + 1 < o.vocab; ++i) tokens.push_back("tok" + std::to_string(i));
    tokens.push_back("<unk>");
  }
  FUNASR_CHECK(static_cast<int64_t>(tokens.size()) == o.vocab, ErrorCode::kInvalidArgument,
               "token list has ", tokens.size(), " entries but the model vocabulary is ", o.vocab);
  c.tokens = std::move(tokens);
  if (!IsPunc(o.kind)) {
    if (!cmvn) {
      Cmvn unit;
      unit.shift.assign(static_cast<size_t>(o.input_dim), 0.f);
      unit.scale.assign(static_cast<size_t>(o.input_dim), 1.f);
      cmvn = unit;
    }
    FUNASR_CHECK(static_cast<int64_t>(cmvn->dim()) == o.input_dim, ErrorCode::kInvalidArgument,
                 "CMVN has dimension ", cmvn->dim(), " but the encoder input is ", o.input_dim);
    c.cmvn = std::move(cmvn);
  }
  return MakeModelFiles(std::move(c));
}

}  // namespace funasr::io
