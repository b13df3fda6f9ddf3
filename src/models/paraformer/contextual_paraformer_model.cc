#include "models/paraformer/contextual_paraformer_model.h"

#include "core/threading.h"
#include "kernels/elementwise.h"

namespace funasr::models {

std::shared_ptr<const ContextualParaformerModel> ContextualParaformerModel::Load(
    std::shared_ptr<const io::ModelFiles> files, const ParaformerLoadOptions& options) {
  FUNASR_CHECK(files != nullptr, ErrorCode::kInvalidArgument,
               "ContextualParaformerModel::Load: no files");
  FUNASR_CHECK(files->model_class() == "ContextualParaformer", ErrorCode::kUnsupported,
               files->config_path(), ": model class '", files->model_class(),
               "' is not ContextualParaformer");
  ParaformerLoadOptions core_options = options;
  core_options.allow_hotword_classes = true;
  std::shared_ptr<ContextualParaformerModel> m(new ContextualParaformerModel());
  m->core_ = ParaformerModel::Load(files, core_options);
  m->instance_id_ = NewModelInstanceId();
  const ParaformerConfig& cc = m->core_->config();
  ContextualConfig& c = m->config_;
  c.decoder = cc.decoder;
  io::ConfigReader root(files->config(), files->config_path());
  const io::ConfigReader model_conf = root.Section("model_conf");
  c.inner_dim = model_conf.GetInt("inner_dim", 256);
  c.use_decoder_embedding = model_conf.GetBool("use_decoder_embedding", false);
  const std::string type = model_conf.GetString("bias_encoder_type", "lstm");
  if (type != "lstm") {
    Fail(ErrorCode::kUnsupported, files->config_path(), ": model_conf.bias_encoder_type '", type,
         "' is not supported (lstm)");
  }
  if (c.inner_dim != cc.decoder.d_model) {
    model_conf.Fail("inner_dim", std::to_string(c.inner_dim) + " differs from the decoder width " +
                                     std::to_string(cc.decoder.d_model) +
                                     " (the bias attention reads the hotword vectors)");
  }
  const std::string table_name =
      c.use_decoder_embedding ? "decoder.embed.0.weight" : "bias_embed.weight";
  const Tensor table = files->GetTensor(table_name);
  FUNASR_CHECK(table.rank() == 2 && table.dim(0) == cc.vocab_size && table.dim(1) == c.inner_dim,
               ErrorCode::kFormatError, files->path(), ": ", table_name, " has shape ",
               ShapeToString(table.shape()), ", expected [", cc.vocab_size, ", ", c.inner_dim, "]");
  m->bias_encoder_ = layers::HotwordBiasEncoder::Load(*files, table, "bias_encoder", 1);
  layers::WeightOptions w;
  w.quantize_int8 = options.quantize_int8;
  m->decoder_ = layers::ContextualParaformerDecoder::Load(*files, "decoder", c.decoder, w);
  m->default_hotwords_ = m->PrepareHotwords({});
  return m;
}

std::shared_ptr<const PreparedHotwords> ContextualParaformerModel::PrepareHotwords(
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
  if (static_cast<size_t>(count * 2 * d) * sizeof(float) <= max_cached_bytes) {
    p->layer_kv.resize(1);
    p->layer_kv[0].resize(static_cast<size_t>(count * 2 * d));
    decoder_.ProjectBias(p->embeddings.data(), count, p->layer_kv[0].data());
  }
  return p;
}

std::vector<ParaformerOutput> ContextualParaformerModel::Run(
    const float* features, const layers::PackedSequences& seqs, ParaformerState& state,
    const ParaformerRequest& request, const PreparedHotwords* hotwords) const {
  if (hotwords != nullptr) {
    FUNASR_CHECK(hotwords->model_id == instance_id_, ErrorCode::kInvalidArgument,
                 "the hotwords were prepared for another model instance");
  }
  const PreparedHotwords& hw = hotwords != nullptr ? *hotwords : *default_hotwords_;
  std::unique_ptr<ScopedNumThreads> threads;
  if (request.num_threads > 0) threads = std::make_unique<ScopedNumThreads>(request.num_threads);
  const ParaformerConfig& cc = core_->config();
  const int64_t count = seqs.count();
  const int64_t d = cc.encoder.output_size;
  const int64_t vocab = cc.vocab_size;
  std::vector<ParaformerOutput> outputs(static_cast<size_t>(count));
  layers::Workspace& ws = state.workspace;
  layers::Workspace::Scope scope(ws);

  ParaformerModel::AcousticPass pass = core_->EncodeAndPredict(features, seqs, state);
  const layers::PackedSequences& tokens = pass.tokens;
  const int64_t rows = tokens.total_rows();
  float* hidden = pass.embeds;  // the decoder runs in place on the acoustic embeddings
  float* log_probs = ws.Floats(rows * vocab);
  if (rows > 0) {
    const float* bias_kv = nullptr;
    if (!hw.layer_kv.empty()) {
      bias_kv = hw.layer_kv[0].data();
    } else {
      float* kv = ws.Floats(hw.count() * 2 * d);
      decoder_.ProjectBias(hw.embeddings.data(), hw.count(), kv);
      bias_kv = kv;
    }
    decoder_.ForwardHidden(hidden, tokens, pass.encoder_out, seqs, bias_kv, hw.count(),
                           config_.clas_scale, hidden, ws);
    decoder_.OutputLayer(hidden, rows, log_probs);
    kernels::LogSoftmax(log_probs, rows, vocab, log_probs);
  }
  for (int64_t s = 0; s < count; ++s) {
    core_->FillOutput(pass, seqs, s, log_probs + tokens.offset(s) * vocab, request,
                      /*timestamps=*/false, state, outputs[static_cast<size_t>(s)]);
  }
  return outputs;
}

ParaformerOutput ContextualParaformerModel::RunOne(const float* features, int64_t frames,
                                                   ParaformerState& state,
                                                   const ParaformerRequest& request,
                                                   const PreparedHotwords* hotwords) const {
  return std::move(
      Run(features, layers::PackedSequences::Single(frames), state, request, hotwords)[0]);
}

}  // namespace funasr::models
