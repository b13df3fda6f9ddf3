#include "models/paraformer/paraformer_model.h"

#include <algorithm>
#include <cstring>

#include "core/threading.h"
#include "kernels/elementwise.h"
#include "layers/parallel_rows.h"

namespace funasr::models {

ParaformerConfig ParaformerConfig::FromModelFiles(const io::ModelFiles& files,
                                                  bool allow_hotword_classes) {
  ParaformerConfig c;
  const std::string& file = files.config_path();
  c.model_class = files.model_class();
  if (c.model_class == "Paraformer") {
    c.kind = ParaformerKind::kParaformer;
  } else if (c.model_class == "BiCifParaformer" ||
             (allow_hotword_classes && c.model_class == "SeacoParaformer")) {
    c.kind = ParaformerKind::kBiCif;
  } else if (allow_hotword_classes && c.model_class == "ContextualParaformer") {
    c.kind = ParaformerKind::kParaformer;
  } else {
    Fail(ErrorCode::kUnsupported, file, ": model class '", c.model_class,
         "' is not a Paraformer or BiCifParaformer model");
  }
  io::ConfigReader root(files.config(), file);
  const io::ConfigReader frontend = root.Section("frontend_conf");
  c.input_size = frontend.GetInt("n_mels", 80) * frontend.GetInt("lfr_m", 1);
  if (c.input_size <= 0) root.Fail("frontend_conf", "n_mels * lfr_m must be positive");

  const io::ConfigReader model_conf = root.Section("model_conf");
  c.blank_id = model_conf.GetInt("blank_id", 0);
  c.sos = model_conf.GetInt("sos", 1);
  c.eos = model_conf.GetInt("eos", 2);

  const std::string encoder = root.GetString("encoder", "SANMEncoder");
  if (encoder != "SANMEncoder") root.Fail("encoder", "'" + encoder + "' is not supported");
  c.encoder = layers::SanmEncoderConfig::FromConfig(root.Section("encoder_conf"), c.input_size);

  const std::string predictor = root.GetString("predictor", "");
  const std::string want = c.kind == ParaformerKind::kBiCif ? "CifPredictorV3" : "CifPredictorV2";
  if (predictor != want) {
    root.Fail("predictor", "'" + predictor + "' (a " + c.model_class + " needs " + want + ")");
  }
  c.predictor = layers::CifPredictorConfig::FromConfig(root.Section("predictor_conf"));
  if (c.predictor.idim != c.encoder.output_size) {
    root.Fail("predictor_conf", "idim " + std::to_string(c.predictor.idim) +
                                    " differs from the encoder output size " +
                                    std::to_string(c.encoder.output_size));
  }

  const std::string decoder = root.GetString("decoder", "");
  const std::string want_decoder = c.model_class == "ContextualParaformer"
                                       ? "ContextualParaformerDecoder"
                                       : "ParaformerSANMDecoder";
  if (decoder != want_decoder) {
    root.Fail("decoder", "'" + decoder + "' is not supported (a " + c.model_class + " needs " +
                             want_decoder + ")");
  }
  c.decoder_class = decoder;
  c.vocab_size = static_cast<int64_t>(files.tokens().size());
  if (c.vocab_size == 0) {
    // No token list (e.g. a model used only for ids): the output layer says the size.
    const Tensor out = files.GetTensor("decoder.output_layer.weight");
    FUNASR_CHECK(out.rank() == 2, ErrorCode::kFormatError, files.path(),
                 ": decoder.output_layer.weight must be 2-D, got ", ShapeToString(out.shape()));
    c.vocab_size = out.dim(0);
  }
  c.decoder = layers::ParaformerDecoderConfig::FromConfig(root.Section("decoder_conf"),
                                                          c.vocab_size, c.encoder.output_size);
  c.decoder.load_embedding = files.HasTensor("decoder.embed.0.weight");
  if (!c.decoder.use_output_layer) {
    root.Fail("decoder_conf", "use_output_layer false is not supported for ASR");
  }
  return c;
}

std::shared_ptr<const ParaformerModel> ParaformerModel::Load(
    std::shared_ptr<const io::ModelFiles> files, const ParaformerLoadOptions& options) {
  FUNASR_CHECK(files != nullptr, ErrorCode::kInvalidArgument, "ParaformerModel::Load: no files");
  std::shared_ptr<ParaformerModel> m(new ParaformerModel());
  m->files_ = files->WithoutWeights();
  m->config_ = ParaformerConfig::FromModelFiles(*files, options.allow_hotword_classes);
  layers::WeightOptions w;
  w.quantize_int8 = options.quantize_int8;
  m->quantized_ = options.quantize_int8;
  m->encoder_ = layers::SanmEncoder::Load(*files, "encoder", m->config_.encoder, w);
  if (m->config_.kind == ParaformerKind::kBiCif) {
    m->predictor_v3_ = layers::CifPredictorV3::Load(*files, "predictor", m->config_.predictor);
  } else {
    m->predictor_v2_ = layers::CifPredictorV2::Load(*files, "predictor", m->config_.predictor);
  }
  if (m->config_.has_plain_decoder()) {
    m->decoder_ = layers::ParaformerSanmDecoder::Load(*files, "decoder", m->config_.decoder, w);
  }
  return m;
}

void ParaformerModel::Encode(const float* features, const layers::PackedSequences& seqs,
                             float* encoder_out, ParaformerState& state) const {
  encoder_.Forward(features, seqs, encoder_out, state.workspace);
}

layers::CifPrediction ParaformerModel::Predict(const float* encoder_out, int64_t frames,
                                               ParaformerState& state) const {
  return predictor_v2().Predict(encoder_out, frames, state.workspace);
}

void ParaformerModel::DecodeLogProbs(const float* embeds, const layers::PackedSequences& tokens,
                                     const float* encoder_out,
                                     const layers::PackedSequences& frames, float* log_probs,
                                     ParaformerState& state, float* hidden) const {
  FUNASR_CHECK(config_.has_plain_decoder(), ErrorCode::kInternal, files_->config_path(),
               ": ", config_.decoder_class, " is not run by ParaformerModel");
  const int64_t rows = tokens.total_rows();
  if (rows == 0) return;
  layers::Workspace& ws = state.workspace;
  layers::Workspace::Scope scope(ws);
  float* h = hidden != nullptr ? hidden : ws.Floats(rows * config_.encoder.output_size);
  decoder_.ForwardHidden(embeds, tokens, encoder_out, frames, h, ws);
  decoder_.OutputLayer(h, rows, log_probs);
  const int64_t v = config_.vocab_size;
  layers::ParallelRows(rows, v, [&](int64_t r0, int64_t r1) {
    kernels::LogSoftmax(log_probs + r0 * v, r1 - r0, v, log_probs + r0 * v);
  });
}

std::vector<int64_t> ParaformerModel::Greedy(const float* log_probs, int64_t n,
                                             std::vector<int64_t>* argmax_ids) const {
  const int64_t v = config_.vocab_size;
  std::vector<int64_t> best(static_cast<size_t>(n));
  layers::ParallelRows(n, v, [&](int64_t r0, int64_t r1) {
    for (int64_t i = r0; i < r1; ++i) {
      const float* row = log_probs + i * v;
      // First maximum on ties, as torch.argmax on CPU and FunASR's C++ FindMax.
      best[static_cast<size_t>(i)] = std::max_element(row, row + v) - row;
    }
  });
  std::vector<int64_t> ids;
  for (int64_t id : best) {
    if (id != config_.blank_id && id != config_.sos && id != config_.eos) ids.push_back(id);
  }
  if (argmax_ids != nullptr) *argmax_ids = std::move(best);
  return ids;
}

std::vector<ParaformerOutput> ParaformerModel::Run(const float* features,
                                                   const layers::PackedSequences& seqs,
                                                   ParaformerState& state,
                                                   const ParaformerRequest& request) const {
  std::unique_ptr<ScopedNumThreads> threads;
  if (request.num_threads > 0) threads = std::make_unique<ScopedNumThreads>(request.num_threads);
  const int64_t count = seqs.count();
  const int64_t vocab = config_.vocab_size;
  std::vector<ParaformerOutput> outputs(static_cast<size_t>(count));
  layers::Workspace& ws = state.workspace;
  layers::Workspace::Scope scope(ws);

  AcousticPass pass = EncodeAndPredict(features, seqs, state);
  const layers::PackedSequences& tokens = pass.tokens;
  float* log_probs = ws.Floats(tokens.total_rows() * vocab);
  DecodeLogProbs(pass.embeds, tokens, pass.encoder_out, seqs, log_probs, state);
  for (int64_t s = 0; s < count; ++s) {
    FillOutput(pass, seqs, s, log_probs + tokens.offset(s) * vocab, request,
               has_timestamps() && request.timestamps, state, outputs[static_cast<size_t>(s)]);
  }
  return outputs;
}

ParaformerModel::AcousticPass ParaformerModel::EncodeAndPredict(
    const float* features, const layers::PackedSequences& seqs, ParaformerState& state) const {
  const int64_t count = seqs.count();
  const int64_t d = config_.encoder.output_size;
  layers::Workspace& ws = state.workspace;
  AcousticPass pass;
  pass.encoder_out = ws.Floats(seqs.total_rows() * d);
  Encode(features, seqs, pass.encoder_out, state);
  pass.predictions.resize(static_cast<size_t>(count));
  std::vector<int64_t> token_counts(static_cast<size_t>(count));
  for (int64_t s = 0; s < count; ++s) {
    pass.predictions[static_cast<size_t>(s)] =
        Predict(pass.encoder_out + seqs.offset(s) * d, seqs.length(s), state);
    token_counts[static_cast<size_t>(s)] = pass.predictions[static_cast<size_t>(s)].token_num;
  }
  pass.tokens = layers::PackedSequences(std::move(token_counts));
  pass.embeds = ws.Floats(pass.tokens.total_rows() * d);
  for (int64_t s = 0; s < count; ++s) {
    const std::vector<float>& e = pass.predictions[static_cast<size_t>(s)].embeds;
    if (!e.empty()) {
      std::memcpy(pass.embeds + pass.tokens.offset(s) * d, e.data(), e.size() * sizeof(float));
    }
  }
  return pass;
}

void ParaformerModel::FillOutput(AcousticPass& pass, const layers::PackedSequences& seqs,
                                 int64_t s, const float* lp, const ParaformerRequest& request,
                                 bool timestamps, ParaformerState& state,
                                 ParaformerOutput& out) const {
  const int64_t d = config_.encoder.output_size;
  const int64_t vocab = config_.vocab_size;
  layers::CifPrediction& pred = pass.predictions[static_cast<size_t>(s)];
  const int64_t t = seqs.length(s);
  const int64_t n = pass.tokens.length(s);
  const float* enc = pass.encoder_out + seqs.offset(s) * d;
  out.num_frames = t;
  out.token_num = n;
  out.alpha_sum = pred.alpha_sum;
  out.token_ids = Greedy(lp, n, &out.argmax_ids);
  // FunASR returns nothing (no timestamps either) when no token was predicted.
  if (timestamps && n >= 1) {
    layers::CifTimestampAlphas ts = predictor_v3_.UpsampledAlphas(enc, t, n, state.workspace);
    out.us_alphas = std::move(ts.us_alphas);
    out.us_peaks = std::move(ts.us_peaks);
    if (request.keep_intermediates) {
      out.ds_alphas = std::move(ts.ds_alphas);
      out.ds_peaks = std::move(ts.ds_peaks);
    }
  }
  if (request.keep_intermediates) {
    out.encoder_out.assign(enc, enc + t * d);
    out.alphas = std::move(pred.alphas);
    out.peaks = std::move(pred.peaks);
    out.acoustic_embeds = std::move(pred.embeds);
  }
  if (request.keep_log_probs) out.log_probs.assign(lp, lp + n * vocab);
}

ParaformerOutput ParaformerModel::RunOne(const float* features, int64_t frames,
                                         ParaformerState& state,
                                         const ParaformerRequest& request) const {
  return std::move(Run(features, layers::PackedSequences::Single(frames), state, request)[0]);
}

}  // namespace funasr::models
