// libfunasr: offline speech recognition with FunASR's Paraformer family.
//
//   auto asr = funasr::AsrModel::Load("paraformer-large-dir");   // released dir or native file
//   funasr::AsrResult r = asr->Recognize(samples, n);             // 16 kHz float PCM in [-1, 1)
//   std::cout << r.text;
//
// Supported `model:` classes of config.yaml: Paraformer (text), BiCifParaformer (text +
// per-token timestamps), SeacoParaformer (the `paraformer-zh` model: text + timestamps +
// hotwords) and ContextualParaformer (text + hotwords). Results equal FunASR's
// AutoModel.generate (v1.4.3) for one utterance: token ids, text and timestamps, with and
// without hotwords. Audio longer than about a minute should be split first (FunASR uses its
// VAD for that; see the pipeline API).
//
// Hotwords (SeacoParaformer, ContextualParaformer):
//   funasr::AsrOptions o;
//   o.hotwords = {"阿里巴巴", "达摩院"};                                    // per request
//   asr->Recognize(samples, n, o);
//   auto hw = asr->PrepareHotwords(funasr::SplitHotwords("阿里巴巴 达摩院"));  // once ...
//   funasr::AsrOptions r;
//   r.hotword_context = hw;                                                 // ... reused
//   asr->Recognize(samples, n, r);
// Each request may carry its own list; requests with different lists run concurrently on
// one model. A hotword is tokenised exactly as FunASR's generate_hotwords_list: each of its
// words is lower-cased and looked up in the model's seg_dict (English words -> their '@@'
// pieces), a word of CJK characters / digits not in seg_dict is split per character (an
// unknown character -> <unk>), any other unknown word is one <unk>; FunASR's no-bias entry
// is appended to every list. As in FunASR: duplicates are kept (each is its own entry) and
// hotwords made only of unknown tokens are kept as <unk> entries (counted by
// HotwordContext::num_all_unknown()). Limits: at most kMaxHotwords hotwords of at most
// kMaxHotwordTokens tokens each, valid UTF-8 — anything else is Error(kInvalidArgument)
// naming the hotword. No hotwords (an empty list) gives exactly the result without
// hotwords (for SeACo the plain BiCif decoding, FunASR's hotword=None; for the contextual
// model FunASR's default [<s>] list). (FunASR's SeACo given hotword="" instead runs its
// hotword branch with the no-bias entry alone, which may change some tokens; here an empty
// list always means no hotwords.) Hotwords given to a model without hotword support are
// Error(kInvalidArgument). Preparing a list costs about 50 us of CPU per hotword token on
// SeACo-large (bias LSTM + projections); a request with up to ~1,000 prepared hotwords costs
// about 3% more than one without (benchmarks/README.md).
//
// Thread safety: a loaded AsrModel is immutable and may be used from any number of threads
// at once; each call keeps its own working memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "funasr/load_options.h"
#include "funasr/result.h"

namespace funasr {

// Hotword limits (see the header comment): list length and tokens per hotword.
inline constexpr size_t kMaxHotwords = 20000;
inline constexpr size_t kMaxHotwordTokens = 64;

// A hotword list tokenised and encoded for one model (AsrModel::PrepareHotwords): the bias
// encoder output and the hotword attention's projections of it, computed once. Immutable;
// may be shared by any number of requests and threads, but only with the model instance
// that prepared it (another model gives Error(kInvalidArgument)).
class HotwordContext {
 public:
  virtual ~HotwordContext() = default;
  // The hotwords kept, in order (words joined by one space); FunASR's no-bias entry is not
  // included.
  virtual const std::vector<std::string>& hotwords() const = 0;
  // The tokens of each kept hotword (e.g. {"阿","里","巴","巴"} or {"hel@@","lo"}).
  virtual const std::vector<std::vector<std::string>>& hotword_tokens() const = 0;
  size_t size() const { return hotwords().size(); }
  // Kept hotwords whose tokens are all <unk> (they still bias towards <unk>, as in FunASR).
  virtual size_t num_all_unknown() const = 0;
  // Bytes held (bias vectors and cached projections).
  virtual size_t memory_bytes() const = 0;
};

// FunASR's `hotword="w1 w2 ..."` string form: every whitespace-separated word is one
// hotword. Error(kInvalidArgument) for invalid UTF-8.
std::vector<std::string> SplitHotwords(const std::string& text);
// FunASR's hotword .txt file: one hotword per non-blank line (the words of a line form one
// hotword). Error(kIoError) when it cannot be read, kInvalidArgument for invalid UTF-8.
std::vector<std::string> ReadHotwordFile(const std::string& path);

struct AsrOptions {
  // Threads this request may use; <= 0 uses the default (the number of physical cores).
  int num_threads = 0;
  // Compute timestamps when the model predicts them (BiCifParaformer). FunASR always does
  // for such models; switching it off saves the timestamp head's time and returns FunASR's
  // text without timestamps (Chinese characters not separated by spaces).
  bool timestamps = true;
  // Added to every timestamp (FunASR's `begin_time`/`vad_offset`), in milliseconds.
  int64_t time_offset_ms = 0;
  // Hotwords for this request (SeacoParaformer / ContextualParaformer; see the header
  // comment). One hotword per entry; an entry of several whitespace-separated words is one
  // hotword tokenised word after word (like a line of FunASR's hotword file). Blank entries
  // are ignored. They are prepared for every request: for a list used repeatedly, prepare it
  // once with AsrModel::PrepareHotwords and pass `hotword_context` instead.
  std::vector<std::string> hotwords;
  // A list from AsrModel::PrepareHotwords (not together with `hotwords`).
  std::shared_ptr<const HotwordContext> hotword_context;
};

struct AsrResult {
  // The transcript as FunASR returns it (sentence_postprocess): with timestamps every word
  // (and every Chinese character) is separated by a space, without them Chinese characters
  // are joined and English words separated by spaces. No punctuation (see punctuation.h).
  std::string text;
  // The words of `text` (English '@@' pieces merged, <unk> dropped) and, with timestamps,
  // one [start_ms, end_ms] per word (FunASR's result "timestamp").
  std::vector<std::string> words;
  std::vector<TimeSpanMs> timestamps;
  // The decoded tokens (vocabulary strings, blank/<s>/</s> removed) and their ids.
  std::vector<std::string> tokens;
  std::vector<int64_t> token_ids;
  // With timestamps: one span per token (before merging '@@' pieces into words).
  std::vector<TimeSpanMs> token_timestamps;
};

// A view of one utterance's samples (mono float PCM at sample_rate(), in [-1, 1)).
struct AudioSamples {
  const float* data = nullptr;
  size_t size = 0;
};

class AsrModel {
 public:
  // `path`: a released FunASR model directory (config.yaml, model.pt, am.mvn, tokens.json)
  // or a libfunasr native model file. The class is chosen from config.yaml's `model`.
  // Throws funasr::Error: kIoError / kFormatError for missing or invalid files, kUnsupported
  // for a model that is not a supported ASR model (e.g. a VAD or punctuation model).
  static std::shared_ptr<const AsrModel> Load(const std::string& path,
                                              const LoadOptions& options = {});

  virtual ~AsrModel() = default;

  // One utterance. An empty or silent input gives an empty result.
  virtual AsrResult Recognize(const float* samples, size_t n,
                              const AsrOptions& options = {}) const = 0;
  AsrResult Recognize(const std::vector<float>& samples, const AsrOptions& options = {}) const {
    return Recognize(samples.data(), samples.size(), options);
  }

  // Several utterances in one batched forward pass; results in input order, each equal to
  // Recognize() of that utterance alone.
  virtual std::vector<AsrResult> RecognizeBatch(const std::vector<AudioSamples>& utterances,
                                                const AsrOptions& options = {}) const = 0;
  std::vector<AsrResult> RecognizeBatch(const std::vector<std::vector<float>>& utterances,
                                        const AsrOptions& options = {}) const;

  // Input sample rate (frontend_conf.fs, 16000 for every released model).
  virtual int sample_rate() const = 0;
  // config.yaml `model` (e.g. "Paraformer", "BiCifParaformer").
  virtual const std::string& model_class() const = 0;
  // Whether results carry timestamps.
  virtual bool has_timestamps() const = 0;
  // Whether the model takes hotwords (SeacoParaformer, ContextualParaformer).
  virtual bool supports_hotwords() const { return false; }

  // Tokenises and encodes a hotword list once, for any number of later requests
  // (AsrOptions::hotword_context). Entries as AsrOptions::hotwords. Uses `num_threads`
  // threads (<= 0: the default). Error(kInvalidArgument) when the model takes no hotwords or
  // a hotword breaks the limits.
  virtual std::shared_ptr<const HotwordContext> PrepareHotwords(
      const std::vector<std::string>& hotwords, int num_threads = 0) const;
};

}  // namespace funasr
