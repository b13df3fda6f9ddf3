// funasr::AsrModel (include/funasr/asr.h): waveform -> WavFrontend -> ParaformerModel ->
// tokens -> FunASR's token timestamps and sentence_postprocess.
#include "funasr/asr.h"

#include <cmath>
#include <mutex>
#include <utility>

#include "core/check.h"
#include "core/threading.h"
#include "frontend/wav_frontend.h"
#include "io/model_files.h"
#include "layers/packed_sequences.h"
#include "models/paraformer/paraformer_model.h"
#include "text/asr_text.h"
#include "text/token_list.h"

namespace funasr {

namespace {

class ParaformerAsr final : public AsrModel {
 public:
  ParaformerAsr(std::shared_ptr<const models::ParaformerModel> model,
                frontend::WavFrontend frontend, text::TokenList tokens)
      : model_(std::move(model)), frontend_(std::move(frontend)), tokens_(std::move(tokens)) {}

  AsrResult Recognize(const float* samples, size_t n, const AsrOptions& options) const override {
    return std::move(RecognizeBatch({AudioSamples{samples, n}}, options)[0]);
  }

  std::vector<AsrResult> RecognizeBatch(const std::vector<AudioSamples>& utterances,
                                        const AsrOptions& options) const override {
    std::unique_ptr<ScopedNumThreads> threads;
    if (options.num_threads > 0) threads = std::make_unique<ScopedNumThreads>(options.num_threads);
    const int64_t dim = model_->config().input_size;
    std::vector<float> packed;
    std::vector<int64_t> lengths;
    for (const AudioSamples& u : utterances) {
      FUNASR_CHECK(u.data != nullptr || u.size == 0, ErrorCode::kInvalidArgument,
                   "AsrModel::Recognize: null samples with size ", u.size);
      for (size_t i = 0; i < u.size; ++i) {
        FUNASR_CHECK(std::isfinite(u.data[i]), ErrorCode::kInvalidArgument,
                     "AsrModel::Recognize: sample ", i, " of utterance ", lengths.size(),
                     " is not a finite number");
      }
      const Tensor feats = frontend_.Compute(u.data, static_cast<int64_t>(u.size));
      const int64_t frames = feats.numel() == 0 ? 0 : feats.dim(0);
      if (frames > 0) {
        FUNASR_CHECK(feats.dim(1) == dim, ErrorCode::kFormatError, model_->files().config_path(),
                     ": frontend gives ", feats.dim(1), " features, the encoder expects ", dim);
        const float* f = feats.data<float>();
        packed.insert(packed.end(), f, f + frames * dim);
      }
      lengths.push_back(frames);
    }
    models::ParaformerRequest request;
    request.timestamps = options.timestamps;
    const bool with_timestamps = options.timestamps && model_->has_timestamps();
    std::vector<models::ParaformerOutput> outs;
    {
      StatePool::Lease state(pool_);
      outs = model_->Run(packed.data(), layers::PackedSequences(lengths), state.get(), request);
    }
    std::vector<AsrResult> results(outs.size());
    for (size_t i = 0; i < outs.size(); ++i) {
      const models::ParaformerOutput& o = outs[i];
      AsrResult& r = results[i];
      r.token_ids = o.token_ids;
      if (o.token_num < 1) continue;  // FunASR returns no result at all
      text::AsrText t;
      if (with_timestamps) {
        text::TokenTimestampOptions to;
        to.vad_offset_ms = static_cast<double>(options.time_offset_ms);
        t = text::DecodeAsrText(tokens_, o.token_ids, o.us_alphas.data(), o.us_peaks.data(),
                                o.us_peaks.size(), to);
      } else {
        t = text::DecodeAsrText(tokens_, o.token_ids);
      }
      r.tokens = std::move(t.tokens);
      r.text = std::move(t.text);
      r.words = std::move(t.words);
      r.timestamps = std::move(t.timestamps);
      r.token_timestamps = std::move(t.token_timestamps);
    }
    return results;
  }

  int sample_rate() const override { return frontend_.options().fs; }
  const std::string& model_class() const override { return model_->config().model_class; }
  bool has_timestamps() const override { return model_->has_timestamps(); }

 private:
  // Idle per-request states, reused so that repeated requests do not re-allocate their
  // working memory. The model itself stays immutable; the pool is internally locked.
  class StatePool {
   public:
    class Lease {
     public:
      explicit Lease(StatePool& pool) : pool_(pool), state_(pool.Acquire()) {}
      ~Lease() { pool_.Release(std::move(state_)); }
      models::ParaformerState& get() { return *state_; }

     private:
      StatePool& pool_;
      std::unique_ptr<models::ParaformerState> state_;
    };

   private:
    static constexpr size_t kMaxIdle = 4;
    std::unique_ptr<models::ParaformerState> Acquire() {
      std::lock_guard<std::mutex> lock(mutex_);
      if (idle_.empty()) return std::make_unique<models::ParaformerState>();
      std::unique_ptr<models::ParaformerState> s = std::move(idle_.back());
      idle_.pop_back();
      return s;
    }
    void Release(std::unique_ptr<models::ParaformerState> s) {
      std::lock_guard<std::mutex> lock(mutex_);
      if (idle_.size() < kMaxIdle) idle_.push_back(std::move(s));
    }
    std::mutex mutex_;
    std::vector<std::unique_ptr<models::ParaformerState>> idle_;
  };

  std::shared_ptr<const models::ParaformerModel> model_;
  frontend::WavFrontend frontend_;
  text::TokenList tokens_;
  mutable StatePool pool_;
};

}  // namespace

std::shared_ptr<const AsrModel> AsrModel::Load(const std::string& path,
                                               const LoadOptions& options) {
  std::shared_ptr<const io::ModelFiles> files = io::ModelFiles::Open(path);
  const std::string cls = files->model_class();
  if (cls == "SeacoParaformer" || cls == "ContextualParaformer") {
    Fail(ErrorCode::kUnsupported, files->config_path(), ": model class '", cls,
         "' (hotword ASR) is not supported yet by AsrModel");
  }
  if (cls != "Paraformer" && cls != "BiCifParaformer") {
    Fail(ErrorCode::kUnsupported, files->config_path(), ": model class '", cls,
         "' is not an ASR model (AsrModel supports Paraformer and BiCifParaformer)");
  }
  FUNASR_CHECK(!files->tokens().empty(), ErrorCode::kFormatError, path,
               ": the ASR model has no token list (tokens.json)");
  models::ParaformerLoadOptions po;
  po.quantize_int8 = options.int8;
  std::shared_ptr<const models::ParaformerModel> model = models::ParaformerModel::Load(files, po);
  const io::ConfigReader root(files->config(), files->config_path());
  frontend::WavFrontend frontend(
      frontend::WavFrontendOptions::FromConfig(root.Section("frontend_conf")), files->cmvn());
  FUNASR_CHECK(frontend.output_dim() == model->config().input_size, ErrorCode::kFormatError,
               files->config_path(), ": frontend_conf gives ", frontend.output_dim(),
               " features, the encoder expects ", model->config().input_size);
  const std::string unk = root.Section("tokenizer_conf").GetString("unk_symbol", "<unk>");
  text::TokenList tokens(files->tokens(), path + " tokens", unk);
  FUNASR_CHECK(static_cast<int64_t>(tokens.size()) == model->config().vocab_size,
               ErrorCode::kFormatError, path, ": ", tokens.size(),
               " tokens but the decoder output layer has ", model->config().vocab_size);
  return std::make_shared<ParaformerAsr>(std::move(model), std::move(frontend),
                                         std::move(tokens));
}

std::vector<AsrResult> AsrModel::RecognizeBatch(const std::vector<std::vector<float>>& utterances,
                                                const AsrOptions& options) const {
  std::vector<AudioSamples> views;
  views.reserve(utterances.size());
  for (const std::vector<float>& u : utterances) views.push_back({u.data(), u.size()});
  return RecognizeBatch(views, options);
}

}  // namespace funasr
