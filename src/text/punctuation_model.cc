// PunctuationModel / PunctuationStream (include/funasr/punctuation.h): the CT-Transformer
// network (models/punctuation/ct_transformer.h) with FunASR's word split, vocabulary
// lookup and windowed decoding (text/punctuation_decoding.h).
#include "text/punctuation_model.h"

#include <filesystem>
#include <fstream>
#include <iterator>

#include "core/check.h"
#include "core/heap.h"
#include "core/threading.h"
#include "layers/workspace.h"
#include "models/punctuation/ct_transformer.h"
#include "text/punctuation_decoding.h"
#include "text/punctuation_words.h"
#include "text/token_index.h"

namespace funasr::text {
namespace {

class CtPunctuationModel final : public PunctuationModel,
                                 public std::enable_shared_from_this<CtPunctuationModel> {
 public:
  CtPunctuationModel(const io::ModelFiles& files, const PunctuationOptions& options);

  PunctuationResult Punctuate(std::string_view text) const override;
  std::unique_ptr<PunctuationStream> CreateStream() const override;
  bool realtime() const override { return network_->config().realtime; }
  const std::vector<std::string>& punctuation_list() const override {
    return classes_.symbols();
  }
  int64_t vocabulary_size() const override { return vocab_.size(); }
  size_t memory_bytes() const override {
    return network_->WeightBytes() + vocab_.MemoryBytes();
  }

  // One CTTransformerStreaming call (spec §4.7): "".join(pre_text) + " " + text is split,
  // looked up and decoded; pre_text is updated only when the call succeeds.
  PunctuationResult StreamStep(std::vector<std::string>& pre_text, std::string_view text) const;

 private:
  std::vector<int32_t> Ids(const std::vector<std::string>& words) const;
  WindowClassifier Classifier(layers::Workspace& ws) const {
    return [this, &ws](const std::vector<int32_t>& ids, int64_t vad_index) {
      return network_->Classify(ids, vad_index, ws);
    };
  }

  PunctuationOptions options_;
  std::shared_ptr<const models::CtTransformer> network_;
  TokenIndex vocab_;
  int32_t unk_id_ = 0;
  PunctuationClasses classes_;
  PunctuationDecodingOptions decoding_;
};

class CtPunctuationStream final : public PunctuationStream {
 public:
  explicit CtPunctuationStream(std::shared_ptr<const CtPunctuationModel> model)
      : model_(std::move(model)) {}
  PunctuationResult Punctuate(std::string_view text) override {
    return model_->StreamStep(pre_text_, text);
  }
  void Reset() override { pre_text_.clear(); }
  const std::vector<std::string>& pending_words() const override { return pre_text_; }

 private:
  std::shared_ptr<const CtPunctuationModel> model_;
  std::vector<std::string> pre_text_;
};

CtPunctuationModel::CtPunctuationModel(const io::ModelFiles& files,
                                       const PunctuationOptions& options)
    : options_(options) {
  FUNASR_CHECK(options.num_threads >= 0, ErrorCode::kInvalidArgument,
               "PunctuationOptions.num_threads must be >= 0, got ", options.num_threads);
  FUNASR_CHECK(options.split_size > 1, ErrorCode::kInvalidArgument,
               "PunctuationOptions.split_size must be > 1, got ", options.split_size);
  FUNASR_CHECK(options.max_window_tokens == 0 || options.max_window_tokens > options.split_size,
               ErrorCode::kInvalidArgument, "PunctuationOptions.max_window_tokens (",
               options.max_window_tokens, ") must be 0 or larger than split_size (",
               options.split_size, ")");
  decoding_.split_size = options.split_size;
  decoding_.max_window_tokens = options.max_window_tokens;

  layers::WeightOptions weights;
  weights.quantize_int8 = options.quantize_int8;
  network_ = models::CtTransformer::Load(files, weights);

  io::ConfigReader root(files.config(), files.config_path());
  const io::ConfigReader model_conf = root.Section("model_conf");
  classes_ = PunctuationClasses(model_conf.GetStringList("punc_list", {}),
                                static_cast<int>(model_conf.GetInt("sentence_end_id", 3)),
                                files.config_path());

  const std::vector<std::string>& tokens = files.tokens();
  FUNASR_CHECK(!tokens.empty(), ErrorCode::kFormatError, files.path(),
               ": the punctuation model has no token list (tokens.json)");
  vocab_ = TokenIndex::Build(tokens, files.path() + " (token list)");
  const std::string unk = root.Section("tokenizer_conf").GetString("unk_symbol", "<unk>");
  const int64_t unk_id = vocab_.Find(unk);
  FUNASR_CHECK(unk_id >= 0, ErrorCode::kFormatError, files.path(),
               ": the token list has no unknown-word symbol '", unk, "'");
  unk_id_ = static_cast<int32_t>(unk_id);
}

std::vector<int32_t> CtPunctuationModel::Ids(const std::vector<std::string>& words) const {
  std::vector<int32_t> ids;
  ids.reserve(words.size());
  std::string lowered;
  for (const std::string& w : words) {
    int64_t id;
    if (options_.lowercase_lookup && StartsWithAscii(w)) {
      lowered = w;
      for (char& c : lowered)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      id = vocab_.Find(lowered);
    } else {
      id = vocab_.Find(w);
    }
    ids.push_back(id < 0 ? unk_id_ : static_cast<int32_t>(id));
  }
  return ids;
}

PunctuationResult CtPunctuationModel::Punctuate(std::string_view text) const {
  if (realtime()) {
    std::vector<std::string> pre_text;
    return StreamStep(pre_text, text);
  }
  const std::vector<std::string> words = SplitPunctuationWords(text);
  layers::Workspace ws;
  ScopedNumThreads threads(options_.num_threads);
  DecodedPunctuation d = DecodeOffline(words, Ids(words), classes_, decoding_, Classifier(ws));
  return PunctuationResult{std::move(d.text), std::move(d.words), std::move(d.punc_ids)};
}

PunctuationResult CtPunctuationModel::StreamStep(std::vector<std::string>& pre_text,
                                                 std::string_view text) const {
  // Validate the new piece on its own first so that errors point into the caller's text.
  const std::vector<std::string> piece = SplitPunctuationWords(text);
  if (piece.empty()) return PunctuationResult{};
  std::string joined;
  for (const std::string& w : pre_text) joined += w;
  joined += ' ';
  joined += text;
  const std::vector<std::string> words = SplitPunctuationWords(joined);
  layers::Workspace ws;
  ScopedNumThreads threads(options_.num_threads);
  std::vector<std::string> next = pre_text;
  DecodedPunctuation d =
      DecodeStreamingStep(next, words, Ids(words), classes_, decoding_, Classifier(ws));
  pre_text.swap(next);
  return PunctuationResult{std::move(d.text), std::move(d.words), std::move(d.punc_ids)};
}

std::unique_ptr<PunctuationStream> CtPunctuationModel::CreateStream() const {
  FUNASR_CHECK(realtime(), ErrorCode::kInvalidArgument,
               "punctuation streams need a realtime model (CTTransformerStreaming); this is "
               "an offline CTTransformer model: use Punctuate() on whole texts");
  return std::make_unique<CtPunctuationStream>(shared_from_this());
}

// FunASR applies jieba word segmentation when the model directory provides a
// jieba_usr_dict (the large cn-en model's ModelScope release); that path is not
// implemented, and silently splitting per character would give different results.
void RejectJiebaModel(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(path, ec)) return;
  const fs::path dict = fs::path(path) / "jieba_usr_dict";
  if (!fs::exists(dict, ec)) return;
  const fs::path meta = fs::path(path) / "configuration.json";
  // With a configuration.json FunASR only uses the files its file_path_metas list.
  if (fs::exists(meta, ec)) {
    std::ifstream in(meta);
    const std::string content{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (content.find("jieba_usr_dict") == std::string::npos) return;
  }
  Fail(ErrorCode::kUnsupported, dict.string(),
       ": jieba word segmentation (word-level punctuation models) is not supported");
}

}  // namespace

std::shared_ptr<const PunctuationModel> MakePunctuationModel(const io::ModelFiles& files,
                                                             const PunctuationOptions& options) {
  return std::make_shared<CtPunctuationModel>(files, options);
}

}  // namespace funasr::text

namespace funasr {

std::shared_ptr<const PunctuationModel> PunctuationModel::Load(const std::string& path,
                                                               const PunctuationOptions& options) {
  std::shared_ptr<const io::ModelFiles> files = io::ModelFiles::Open(path);
  const std::string model_class = files->model_class();
  FUNASR_CHECK(model_class == "CTTransformer" || model_class == "CTTransformerStreaming",
               ErrorCode::kUnsupported, path, ": model '", model_class,
               "' is not a punctuation model (expected CTTransformer or "
               "CTTransformerStreaming)");
  text::RejectJiebaModel(path);
  std::shared_ptr<const PunctuationModel> model = text::MakePunctuationModel(*files, options);
  files.reset();
  ReleaseFreeHeapMemory();  // the source tensors freed with the files (core/heap.h)
  return model;
}

}  // namespace funasr
