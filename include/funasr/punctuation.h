// libfunasr: CT-Transformer punctuation restoration (FunASR `ct-punc-c`,
// `punc_ct-transformer_zh-cn-common-vocab272727-pytorch`, and the realtime
// `punc_ct-transformer_zh-cn-common-vad_realtime-vocab272727`).
//
// Text in, text out, as FunASR's Python `AutoModel(model=...).generate(input=text)`:
//
//   auto punc = funasr::PunctuationModel::Load("ct-punc-dir");
//   funasr::PunctuationResult r = punc->Punctuate("今天天气很好我们去公园散步吧");
//   // r.text: the punctuated text, e.g. "今天天气很好，我们去公园散步吧。"
//
// A realtime model punctuates text arriving piece by piece (e.g. a streaming recognizer's
// output) through a PunctuationStream, which carries FunASR's cache between calls:
//
//   auto stream = realtime_model->CreateStream();
//   for (const std::string& piece : pieces) std::cout << stream->Punctuate(piece).text;
//
// A loaded model is immutable and may be used by any number of threads at once; a stream
// belongs to one caller at a time. Every failure throws funasr::Error.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "funasr/error.h"

namespace funasr {

struct PunctuationOptions {
  // Words per mini-sentence given to the network (FunASR `split_size`); must be > 1.
  int split_size = 20;
  // Upper bound on the words of one network window. FunASR has none: when the model predicts
  // neither a sentence end nor a comma, it carries the whole text forward (quadratic time,
  // unbounded memory). Past this bound the window is cut before its last split_size words.
  // Real text never gets near it; 0 = unbounded, exactly as FunASR.
  int max_window_tokens = 1000;
  // Look words up in the vocabulary lower-cased (ASCII), as FunASR's C++ runtime does.
  // FunASR's Python code, the reference, looks words up as written (English words with
  // capitals become <unk> there), hence false by default.
  bool lowercase_lookup = false;
  // Quantise the encoder's linear layers to int8 at load time (faster, not bit-exact).
  bool quantize_int8 = false;
  // Kernel threads one call may use; 0 = the number of physical cores. Default 1: a
  // network window holds only ~20-40 words, too little work to share between cores (a
  // second thread gained ~10 % in benchmarks/punc_bench, and costs far more when the
  // machine is busy); punctuate several texts concurrently on one model instead.
  int num_threads = 1;
};

struct PunctuationResult {
  // The punctuated text (FunASR's `text`).
  std::string text;
  // The words the text was split into (Chinese characters one by one, runs of ASCII
  // characters as one word) ...
  std::vector<std::string> words;
  // ... and the punctuation class predicted after each (FunASR's `punc_array`): an index
  // into PunctuationModel::punctuation_list(), e.g. 1 "_" (none), 2 "，", 3 "。", 4 "？",
  // 5 "、". Offline: every word of the text, the last one fixed up by the end-of-text rule.
  // Stream: the words and classes of the last window the network saw (as FunASR returns).
  std::vector<int> punctuation_ids;
};

// Per-caller state of a realtime model: the words after the last sentence end, which are
// re-punctuated with each new piece (FunASR's cache["pre_text"]). Not thread-safe (one
// caller at a time); many streams may share one model, and a stream keeps its model alive.
class PunctuationStream {
 public:
  virtual ~PunctuationStream() = default;

  // Punctuates the next piece of text (UTF-8) and returns only the newly emitted text: the
  // punctuation after the previous piece's last word (now that it has right context), then
  // the piece with its punctuation, without a trailing punctuation mark (it comes with the
  // next call). Concatenating the returned texts gives the punctuated stream. An empty or
  // whitespace-only piece returns "" and leaves the state unchanged, as does a call that
  // throws (e.g. invalid UTF-8).
  virtual PunctuationResult Punctuate(std::string_view text) = 0;

  // Forgets the cached words (start of a new, unrelated stream).
  virtual void Reset() = 0;
  // The cached words (FunASR's pre_text; English words may carry a leading space).
  virtual const std::vector<std::string>& pending_words() const = 0;
};

// The loaded model: immutable, shareable by any number of threads.
class PunctuationModel {
 public:
  // Loads a FunASR punctuation model: a released model directory (config.yaml with
  // `model: CTTransformer` or `CTTransformerStreaming`, model.pt, tokens.json) or a
  // libfunasr native model file. Throws Error: kUnsupported for another kind of model,
  // kIoError / kFormatError naming the file, key or tensor that is missing or invalid.
  static std::shared_ptr<const PunctuationModel> Load(const std::string& path,
                                                      const PunctuationOptions& options = {});

  virtual ~PunctuationModel() = default;

  // Punctuates a whole text (UTF-8). Empty or whitespace-only text gives an empty result;
  // invalid UTF-8 throws kInvalidArgument. On a realtime model this is one stream call with
  // a fresh cache (FunASR's generate() without a cache): the last punctuation is withheld
  // and no final period is added.
  virtual PunctuationResult Punctuate(std::string_view text) const = 0;

  // A new stream over this model. Realtime (CTTransformerStreaming) models only; throws
  // kInvalidArgument for an offline model.
  virtual std::unique_ptr<PunctuationStream> CreateStream() const = 0;

  // True for a realtime (CTTransformerStreaming) model.
  virtual bool realtime() const = 0;
  // The model's classes (config model_conf.punc_list, ASCII "," and "?" shown full-width).
  virtual const std::vector<std::string>& punctuation_list() const = 0;
  // Number of words in the vocabulary.
  virtual int64_t vocabulary_size() const = 0;
  // Approximate bytes held by the model (weights and vocabulary index).
  virtual size_t memory_bytes() const = 0;
};

}  // namespace funasr
