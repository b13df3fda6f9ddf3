#include "models/paraformer/seaco_paraformer_model.h"

#include <algorithm>
#include <cstring>
#include <numeric>

#include "core/threading.h"
#include "kernels/elementwise.h"

namespace funasr::models {

namespace {

SeacoConfig ReadSeacoConfig(const io::ModelFiles& files, const ParaformerConfig& core) {
  SeacoConfig c;
  io::ConfigReader root(files.config(), files.config_path());
  const io::ConfigReader model_conf = root.Section("model_conf");
  c.inner_dim = model_conf.GetInt("inner_dim", 256);
  const std::string type = model_conf.GetString("bias_encoder_type", "lstm");
  if (type != "lstm") {
    Fail(ErrorCode::kUnsupported, files.config_path(), ": model_conf.bias_encoder_type '", type,
         "' is not supported (lstm)");
  }
  if (model_conf.GetBool("bias_encoder_bid", false)) {
    Fail(ErrorCode::kUnsupported, files.config_path(),
         ": model_conf.bias_encoder_bid true is not supported");
  }
  c.no_bias = model_conf.GetInt("NO_BIAS", 8377);
  if (c.no_bias < 0 || c.no_bias >= core.vocab_size) {
    model_conf.Fail("NO_BIAS", std::to_string(c.no_bias) + " is outside the vocabulary of " +
                                   std::to_string(core.vocab_size) + " tokens");
  }
  if (c.inner_dim != core.encoder.output_size) {
    model_conf.Fail("inner_dim", std::to_string(c.inner_dim) + " differs from the decoder width " +
                                     std::to_string(core.encoder.output_size) +
                                     " (the hotword decoder runs on the decoder's states)");
  }
  const std::string seaco = root.GetString("seaco_decoder", "");
  if (seaco != "ParaformerSANMDecoder") {
    root.Fail("seaco_decoder", "'" + seaco + "' is not supported (ParaformerSANMDecoder)");
  }
  c.seaco_decoder = layers::ParaformerDecoderConfig::FromConfig(root.Section("seaco_decoder_conf"),
                                                                core.vocab_size, c.inner_dim);
  return c;
}

}  // namespace

std::shared_ptr<const SeacoParaformerModel> SeacoParaformerModel::Load(
    std::shared_ptr<const io::ModelFiles> files, const ParaformerLoadOptions& options) {
  FUNASR_CHECK(files != nullptr, ErrorCode::kInvalidArgument,
               "SeacoParaformerModel::Load: no files");
  FUNASR_CHECK(files->model_class() == "SeacoParaformer", ErrorCode::kUnsupported,
               files->config_path(), ": model class '", files->model_class(),
               "' is not SeacoParaformer");
  ParaformerLoadOptions core_options = options;
  core_options.allow_hotword_classes = true;
  std::shared_ptr<SeacoParaformerModel> m(new SeacoParaformerModel());
  m->core_ = ParaformerModel::Load(files, core_options);
  m->config_ = ReadSeacoConfig(*files, m->core_->config());
  m->instance_id_ = NewModelInstanceId();
  const Tensor& table = m->core_->decoder().embedding();
  FUNASR_CHECK(table.defined(), ErrorCode::kFormatError, files->path(),
               ": SeACo needs decoder.embed.0.weight (the hotword embedding table)");
  m->bias_encoder_ = layers::HotwordBiasEncoder::Load(*files, table, "bias_encoder", 2);
  FUNASR_CHECK(m->bias_encoder_.dim() == m->config_.inner_dim, ErrorCode::kFormatError,
               files->path(), ": decoder.embed.0.weight has ", m->bias_encoder_.dim(),
               " columns, model_conf.inner_dim is ", m->config_.inner_dim);
  layers::WeightOptions w;
  w.quantize_int8 = options.quantize_int8;
  m->seaco_decoder_ =
      layers::SeacoDecoder::Load(*files, "seaco_decoder", m->config_.seaco_decoder, w);
  m->hotword_output_layer_ = layers::LoadLinear(
      *files, "hotword_output_layer", m->core_->config().vocab_size, m->config_.inner_dim, true, w);
  return m;
}

std::shared_ptr<const PreparedHotwords> SeacoParaformerModel::PrepareHotwords(
    const std::vector<std::vector<int64_t>>& hotwords, size_t max_cached_bytes) const {
  auto p = std::make_shared<PreparedHotwords>();
  p->model_id = instance_id_;
  p->ids.reserve(hotwords.size() + 1);
  p->ids = hotwords;
  p->ids.push_back({core_->config().sos});
  const int64_t count = p->count();
  const int64_t d = config_.inner_dim;
  p->dim = d;
  p->embeddings.resize(static_cast<size_t>(count * d));
  bias_encoder_.Encode(p->ids, p->embeddings.data());
  const int64_t layers = seaco_decoder_.num_attention_layers();
  const size_t kv_bytes = static_cast<size_t>(count * layers * 2 * d) * sizeof(float);
  if (kv_bytes <= max_cached_bytes) {
    p->layer_kv.resize(static_cast<size_t>(layers));
    for (int64_t l = 0; l < layers; ++l) {
      std::vector<float>& kv = p->layer_kv[static_cast<size_t>(l)];
      kv.resize(static_cast<size_t>(count * 2 * d));
      seaco_decoder_.ProjectMemory(l, p->embeddings.data(), count, kv.data());
    }
  }
  return p;
}

void SeacoParaformerModel::HotwordLogProbs(const float* embeds, const float* hidden,
                                           const layers::PackedSequences& tokens,
                                           const PreparedHotwords& hw,
                                           const std::vector<int64_t>* kept, float* dha,
                                           ParaformerState& state) const {
  const int64_t rows = tokens.total_rows();
  if (rows == 0) return;
  const int64_t d = config_.inner_dim;
  const int64_t vocab = core_->config().vocab_size;
  layers::Workspace& ws = state.workspace;
  layers::Workspace::Scope scope(ws);
  const bool cached = !hw.layer_kv.empty();
  const int64_t m = kept != nullptr ? static_cast<int64_t>(kept->size()) : hw.count();
  // The kept entries' bias vectors (only needed when their projections are not cached).
  const float* memory = hw.embeddings.data();
  if (kept != nullptr && !cached) {
    float* sub = ws.Floats(m * d);
    for (int64_t j = 0; j < m; ++j) {
      std::memcpy(sub + j * d, hw.embeddings.data() + (*kept)[static_cast<size_t>(j)] * d,
                  static_cast<size_t>(d) * sizeof(float));
    }
    memory = sub;
  }
  float* kv = (kept == nullptr && cached) ? nullptr : ws.Floats(m * 2 * d);
  const layers::ProjectedMemory provider = [&](int64_t layer) -> const float* {
    if (cached) {
      const float* all = hw.layer_kv[static_cast<size_t>(layer)].data();
      if (kept == nullptr) return all;
      for (int64_t j = 0; j < m; ++j) {
        std::memcpy(kv + j * 2 * d, all + (*kept)[static_cast<size_t>(j)] * 2 * d,
                    static_cast<size_t>(2 * d) * sizeof(float));
      }
      return kv;
    }
    seaco_decoder_.ProjectMemory(layer, memory, m, kv);
    return kv;
  };
  // Both passes (on the CIF embeddings and on the decoder states) as one packed batch.
  std::vector<int64_t> lengths = tokens.lengths();
  lengths.insert(lengths.end(), tokens.lengths().begin(), tokens.lengths().end());
  float* x = ws.Floats(2 * rows * d);
  std::memcpy(x, embeds, static_cast<size_t>(rows * d) * sizeof(float));
  std::memcpy(x + rows * d, hidden, static_cast<size_t>(rows * d) * sizeof(float));
  seaco_decoder_.Forward(x, layers::PackedSequences(lengths), provider, m, x, ws);
  // merged = cif_attended + dec_attended
  kernels::Add(x, x + rows * d, rows * d, x);
  kernels::Linear(x, rows, hotword_output_layer_, dha);
  kernels::LogSoftmax(dha, rows, vocab, dha);
}

std::vector<SeacoOutput> SeacoParaformerModel::Run(const float* features,
                                                   const layers::PackedSequences& seqs,
                                                   ParaformerState& state,
                                                   const ParaformerRequest& request,
                                                   const PreparedHotwords* hotwords) const {
  if (hotwords != nullptr) {
    FUNASR_CHECK(hotwords->model_id == instance_id_, ErrorCode::kInvalidArgument,
                 "the hotwords were prepared for another model instance");
  }
  std::unique_ptr<ScopedNumThreads> threads;
  if (request.num_threads > 0) threads = std::make_unique<ScopedNumThreads>(request.num_threads);
  const bool use_hotwords = hotwords != nullptr && hotwords->num_user_hotwords() > 0;
  const ParaformerConfig& cc = core_->config();
  const int64_t count = seqs.count();
  const int64_t d = cc.encoder.output_size;
  const int64_t vocab = cc.vocab_size;
  std::vector<SeacoOutput> outputs(static_cast<size_t>(count));
  layers::Workspace& ws = state.workspace;
  layers::Workspace::Scope scope(ws);

  ParaformerModel::AcousticPass pass = core_->EncodeAndPredict(features, seqs, state);
  const layers::PackedSequences& tokens = pass.tokens;
  const int64_t rows = tokens.total_rows();
  const float* embeds = pass.embeds;
  float* log_probs = ws.Floats(rows * vocab);
  float* hidden = use_hotwords ? ws.Floats(rows * d) : nullptr;
  core_->DecodeLogProbs(embeds, tokens, pass.encoder_out, seqs, log_probs, state, hidden);

  if (use_hotwords && rows > 0) {
    const PreparedHotwords& hw = *hotwords;
    const int64_t entries = hw.count();
    float* dha = ws.Floats(rows * vocab);
    const int64_t top_k = config_.asf_top_k;
    if (top_k > 0 && top_k < entries) {
      // ASF: per utterance, keep the entries its decoder states attend to most.
      float* all_kv = hw.layer_kv.empty() ? ws.Floats(entries * 2 * d) : nullptr;
      const layers::ProjectedMemory all = [&](int64_t layer) -> const float* {
        if (!hw.layer_kv.empty()) return hw.layer_kv[static_cast<size_t>(layer)].data();
        seaco_decoder_.ProjectMemory(layer, hw.embeddings.data(), entries, all_kv);
        return all_kv;
      };
      std::vector<float> scores(static_cast<size_t>(entries));
      for (int64_t s = 0; s < count; ++s) {
        const int64_t n = tokens.length(s);
        if (n == 0) continue;
        const int64_t off = tokens.offset(s);
        seaco_decoder_.AttentionScores(hidden + off * d, n, all, entries, scores.data(), ws);
        // torch.topk(scores, min(nfilter, entries - 1)), descending, then the no-bias entry
        // (which may then appear twice, as in FunASR).
        std::vector<int64_t> order(static_cast<size_t>(entries));
        std::iota(order.begin(), order.end(), 0);
        const int64_t k = std::min(top_k, entries - 1);
        std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
          return scores[static_cast<size_t>(a)] > scores[static_cast<size_t>(b)];
        });
        std::vector<int64_t> kept(order.begin(), order.begin() + k);
        kept.push_back(entries - 1);
        HotwordLogProbs(embeds + off * d, hidden + off * d, layers::PackedSequences::Single(n), hw,
                        &kept, dha + off * vocab, state);
        SeacoOutput& out = outputs[static_cast<size_t>(s)];
        if (request.keep_intermediates) out.asf_scores = scores;
        out.asf_kept = std::move(kept);
      }
    } else {
      HotwordLogProbs(embeds, hidden, tokens, hw, nullptr, dha, state);
    }
    for (int64_t s = 0; s < count; ++s) {
      SeacoOutput& out = outputs[static_cast<size_t>(s)];
      const int64_t n = tokens.length(s);
      const int64_t off = tokens.offset(s);
      out.hotwords_applied = true;
      if (request.keep_log_probs) {
        out.asr_log_probs.assign(log_probs + off * vocab, log_probs + (off + n) * vocab);
        out.dha_log_probs.assign(dha + off * vocab, dha + (off + n) * vocab);
      }
      // _merge_res with seaco_weight 1: a position whose hotword head predicts NO_BIAS keeps
      // the decoder's log-probs, every other position takes the hotword head's.
      for (int64_t i = off; i < off + n; ++i) {
        const float* row = dha + i * vocab;
        const int64_t best = std::max_element(row, row + vocab) - row;
        out.dha_argmax_ids.push_back(best);
        if (best != config_.no_bias) {
          std::memcpy(log_probs + i * vocab, row, static_cast<size_t>(vocab) * sizeof(float));
          ++out.dha_positions;
        }
      }
    }
  }

  for (int64_t s = 0; s < count; ++s) {
    core_->FillOutput(pass, seqs, s, log_probs + tokens.offset(s) * vocab, request,
                      request.timestamps, state, outputs[static_cast<size_t>(s)]);
  }
  return outputs;
}

SeacoOutput SeacoParaformerModel::RunOne(const float* features, int64_t frames,
                                         ParaformerState& state, const ParaformerRequest& request,
                                         const PreparedHotwords* hotwords) const {
  return std::move(
      Run(features, layers::PackedSequences::Single(frames), state, request, hotwords)[0]);
}

}  // namespace funasr::models
