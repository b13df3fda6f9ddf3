// funasr::AsrModel (include/funasr/asr.h): waveform -> WavFrontend -> ParaformerModel
// (or SeacoParaformerModel / ContextualParaformerModel with the request's hotwords) ->
// tokens -> FunASR's token timestamps and sentence_postprocess.
#include "funasr/asr.h"

#include <cmath>
#include <mutex>
#include <utility>

#include "core/check.h"
#include "core/heap.h"
#include "core/threading.h"
#include "frontend/wav_frontend.h"
#include "io/model_files.h"
#include "layers/packed_sequences.h"
#include "models/paraformer/contextual_paraformer_model.h"
#include "models/paraformer/paraformer_model.h"
#include "models/paraformer/seaco_paraformer_model.h"
#include "text/asr_text.h"
#include "text/hotword_list.h"
#include "text/token_list.h"
#include "text/utf8.h"

namespace funasr {

namespace {

// AsrModel::PrepareHotwords' result: the model-level list plus what the user may inspect.
// Names entry i of a hotword list in error messages.
std::string HotwordName(size_t i) { return "hotword " + std::to_string(i); }

class PreparedHotwordContext final : public HotwordContext {
 public:
  std::shared_ptr<const models::PreparedHotwords> prepared;
  std::vector<std::string> texts;
  std::vector<std::vector<std::string>> tokens;
  size_t all_unknown = 0;

  const std::vector<std::string>& hotwords() const override { return texts; }
  const std::vector<std::vector<std::string>>& hotword_tokens() const override { return tokens; }
  size_t num_all_unknown() const override { return all_unknown; }
  size_t memory_bytes() const override { return prepared ? prepared->bytes() : 0; }
};

class ParaformerAsr final : public AsrModel {
 public:
  // `seaco` / `contextual`: the hotword model when the class is one (then `model` is its
  // Paraformer core).
  ParaformerAsr(std::shared_ptr<const models::ParaformerModel> model,
                frontend::WavFrontend frontend, text::TokenList tokens,
                std::shared_ptr<const models::SeacoParaformerModel> seaco = nullptr,
                std::shared_ptr<const models::ContextualParaformerModel> contextual = nullptr)
      : model_(std::move(model)),
        frontend_(std::move(frontend)),
        tokens_(std::move(tokens)),
        seaco_(std::move(seaco)),
        contextual_(std::move(contextual)) {}

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
    std::shared_ptr<const HotwordContext> request_hotwords;
    const models::PreparedHotwords* hotwords = ResolveHotwords(options, &request_hotwords);
    models::ParaformerRequest request;
    request.timestamps = options.timestamps;
    const bool with_timestamps = options.timestamps && model_->has_timestamps();
    std::vector<models::ParaformerOutput> outs;
    {
      StatePool::Lease state(pool_);
      const layers::PackedSequences seqs(lengths);
      if (seaco_) {
        std::vector<models::SeacoOutput> seaco_outs =
            seaco_->Run(packed.data(), seqs, state.get(), request, hotwords);
        for (models::SeacoOutput& o : seaco_outs) {
          outs.push_back(std::move(static_cast<models::ParaformerOutput&>(o)));
        }
      } else if (contextual_) {
        outs = contextual_->Run(packed.data(), seqs, state.get(), request, hotwords);
      } else {
        outs = model_->Run(packed.data(), seqs, state.get(), request);
      }
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
  bool supports_hotwords() const override { return seaco_ || contextual_; }

  std::shared_ptr<const HotwordContext> PrepareHotwords(const std::vector<std::string>& hotwords,
                                                        int num_threads) const override {
    FUNASR_CHECK(supports_hotwords(), ErrorCode::kInvalidArgument, "model class '",
                 model_class(),
                 "' takes no hotwords (only SeacoParaformer and ContextualParaformer do)");
    std::unique_ptr<ScopedNumThreads> threads;
    if (num_threads > 0) threads = std::make_unique<ScopedNumThreads>(num_threads);
    std::vector<text::HotwordSpec> specs;
    specs.reserve(hotwords.size());
    for (size_t i = 0; i < hotwords.size(); ++i) {
      std::vector<std::string> words = text::PythonSplit(hotwords[i], HotwordName(i));
      if (!words.empty()) specs.push_back({std::move(words)});
    }
    const models::ParaformerConfig& c = model_->config();
    text::SpecialTokenIds special;
    special.blank = c.blank_id;
    special.sos = c.sos;
    special.eos = c.eos;
    text::HotwordLimits limits;
    limits.max_hotwords = kMaxHotwords;
    limits.max_tokens_per_hotword = kMaxHotwordTokens;
    const auto& seg_dict = model_->files().seg_dict();
    text::HotwordList list = text::BuildHotwordList(
        specs, tokens_, seg_dict.empty() ? nullptr : &seg_dict, special, limits);
    list.ids.pop_back();  // the no-bias [<s>] entry: the model appends it
    auto ctx = std::make_shared<PreparedHotwordContext>();
    ctx->prepared =
        seaco_ ? seaco_->PrepareHotwords(list.ids) : contextual_->PrepareHotwords(list.ids);
    ctx->tokens.reserve(list.ids.size());
    for (const auto& ids : list.ids) ctx->tokens.push_back(tokens_.IdsToTokens(ids));
    ctx->texts = std::move(list.texts);
    ctx->all_unknown = list.num_all_unknown;
    return ctx;
  }

 private:
  // The request's hotword list (null: none). `owned` keeps a list prepared for this request.
  const models::PreparedHotwords* ResolveHotwords(
      const AsrOptions& options, std::shared_ptr<const HotwordContext>* owned) const {
    bool any_words = false;
    for (size_t i = 0; i < options.hotwords.size(); ++i) {
      any_words = any_words || !text::PythonSplit(options.hotwords[i], HotwordName(i)).empty();
    }
    FUNASR_CHECK(!(any_words && options.hotword_context), ErrorCode::kInvalidArgument,
                 "AsrOptions: give hotwords or hotword_context, not both");
    if (!any_words && !options.hotword_context) return nullptr;
    FUNASR_CHECK(supports_hotwords(), ErrorCode::kInvalidArgument, "model class '",
                 model_class(),
                 "' takes no hotwords (only SeacoParaformer and ContextualParaformer do)");
    if (any_words) {
      *owned = PrepareHotwords(options.hotwords, 0);
    } else {
      *owned = options.hotword_context;
    }
    const auto* ctx = dynamic_cast<const PreparedHotwordContext*>(owned->get());
    FUNASR_CHECK(ctx != nullptr && ctx->prepared != nullptr, ErrorCode::kInvalidArgument,
                 "AsrOptions::hotword_context was not made by AsrModel::PrepareHotwords");
    return ctx->prepared.get();  // the model checks that it was prepared by itself
  }

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
  std::shared_ptr<const models::SeacoParaformerModel> seaco_;
  std::shared_ptr<const models::ContextualParaformerModel> contextual_;
  mutable StatePool pool_;
};

}  // namespace

namespace {

std::shared_ptr<const AsrModel> LoadAsrModel(const std::string& path,
                                             const LoadOptions& options) {
  std::shared_ptr<const io::ModelFiles> files = io::ModelFiles::Open(path);
  const std::string cls = files->model_class();
  if (cls != "Paraformer" && cls != "BiCifParaformer" && cls != "SeacoParaformer" &&
      cls != "ContextualParaformer") {
    Fail(ErrorCode::kUnsupported, files->config_path(), ": model class '", cls,
         "' is not an ASR model (AsrModel supports Paraformer, BiCifParaformer, "
         "SeacoParaformer and ContextualParaformer)");
  }
  FUNASR_CHECK(!files->tokens().empty(), ErrorCode::kFormatError, path,
               ": the ASR model has no token list (tokens.json)");
  models::ParaformerLoadOptions po;
  po.quantize_int8 = options.int8;
  std::shared_ptr<const models::ParaformerModel> model;
  std::shared_ptr<const models::SeacoParaformerModel> seaco;
  std::shared_ptr<const models::ContextualParaformerModel> contextual;
  if (cls == "SeacoParaformer") {
    seaco = models::SeacoParaformerModel::Load(files, po);
    model = std::shared_ptr<const models::ParaformerModel>(seaco, &seaco->core());
  } else if (cls == "ContextualParaformer") {
    contextual = models::ContextualParaformerModel::Load(files, po);
    model = std::shared_ptr<const models::ParaformerModel>(contextual, &contextual->core());
  } else {
    model = models::ParaformerModel::Load(files, po);
  }
  // Every Linear weight now lives in the model's own packed copy (f32) or int8 copy, read
  // from the files only to make it. In memory (model.pt) the source tensors are freed with
  // `files` on return; a mapped native file's pages are dropped here so that they do not
  // count against the process either (the small tensors still used in place, such as
  // biases and norms, fault back in from the file).
  files->DropResidentWeightPages();
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
                                         std::move(tokens), std::move(seaco),
                                         std::move(contextual));
}

}  // namespace

std::shared_ptr<const AsrModel> AsrModel::Load(const std::string& path,
                                               const LoadOptions& options) {
  std::shared_ptr<const AsrModel> model = LoadAsrModel(path, options);
  ReleaseFreeHeapMemory();  // the source tensors freed with the files (core/heap.h)
  return model;
}

std::shared_ptr<const HotwordContext> AsrModel::PrepareHotwords(
    const std::vector<std::string>& hotwords, int num_threads) const {
  (void)hotwords;
  (void)num_threads;
  Fail(ErrorCode::kInvalidArgument, "model class '", model_class(),
       "' takes no hotwords (only SeacoParaformer and ContextualParaformer do)");
}

std::vector<std::string> SplitHotwords(const std::string& text) {
  std::vector<std::string> out;
  for (text::HotwordSpec& h : text::ParseHotwordString(text)) out.push_back(std::move(h.words[0]));
  return out;
}

std::vector<std::string> ReadHotwordFile(const std::string& path) {
  std::vector<std::string> out;
  for (const text::HotwordSpec& h : text::ReadHotwordFile(path)) {
    std::string line;
    for (const std::string& w : h.words) line += (line.empty() ? "" : " ") + w;
    out.push_back(std::move(line));
  }
  return out;
}

std::vector<AsrResult> AsrModel::RecognizeBatch(const std::vector<std::vector<float>>& utterances,
                                                const AsrOptions& options) const {
  std::vector<AudioSamples> views;
  views.reserve(utterances.size());
  for (const std::vector<float>& u : utterances) views.push_back({u.data(), u.size()});
  return RecognizeBatch(views, options);
}

}  // namespace funasr
