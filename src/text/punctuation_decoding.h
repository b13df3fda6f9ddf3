// CT-Transformer punctuation: everything around the network (spec §4.5-4.7).
//
// The network is abstracted as a WindowClassifier (ids of one mini-sentence -> one class
// id per word), so the windowing, carry-over, rendering and streaming cache here can be
// tested against FunASR's recorded per-window argmax sequences alone.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace funasr::text {

// The classes of a punctuation model (config `model_conf.punc_list`, `sentence_end_id`).
// FunASR decides by symbol, not by index: "。"/"？" end a sentence, "，" is the fallback
// cut, "_" means no punctuation. Configs written with ASCII "," and "?" (the repository
// template and old-format configs) are normalised to "，" and "？" as FunASR's ONNX runtime
// does; otherwise FunASR's PyTorch code would never recognise a sentence end.
class PunctuationClasses {
 public:
  PunctuationClasses() = default;
  // Throws FormatError naming `source` when the list is empty or sentence_end_id is not
  // an index of it.
  PunctuationClasses(std::vector<std::string> punc_list, int sentence_end_id,
                     const std::string& source);

  int size() const { return static_cast<int>(symbols_.size()); }
  const std::string& symbol(int id) const { return symbols_.at(id); }
  const std::vector<std::string>& symbols() const { return symbols_; }
  int sentence_end_id() const { return sentence_end_id_; }

  bool EndsSentence(int id) const { return symbol(id) == "。" || symbol(id) == "？"; }
  bool IsComma(int id) const { return symbol(id) == "，"; }
  bool IsNone(int id) const { return symbol(id) == "_"; }
  // True when the single code point `cp` (UTF-8) equals one of the symbols; the realtime
  // model drops such a trailing character (FunASR: `sentence_out[-1] in punc_list`).
  bool IsSymbolCharacter(std::string_view cp) const;

 private:
  std::vector<std::string> symbols_;
  int sentence_end_id_ = 0;
};

// Settings of the windowed decoding.
struct PunctuationDecodingOptions {
  // Words per mini-sentence (FunASR `split_size`); must be > 1.
  int split_size = 20;
  // A window that still has no 。/？ is cut at its last "，" once longer than this (FunASR's
  // cache_pop_trigger_limit).
  int comma_cut_tokens = 200;
  // Hard bound on a window: FunASR has none, so a text in which the model predicts neither
  // a sentence end nor a comma is carried forward whole (quadratic time, unbounded memory).
  // Past this many words the window is cut before its last split_size words without a
  // forced punctuation. 0 = no bound (FunASR's behaviour).
  int max_window_tokens = 1000;
};

// Runs the network on one window and returns its arg-max class per word.
// `vad_index` is the realtime model's mask position (number of cached words); the offline
// model ignores it.
using WindowClassifier =
    std::function<std::vector<int>(const std::vector<int32_t>& ids, int64_t vad_index)>;

struct DecodedPunctuation {
  std::string text;
  // Offline: FunASR's punc_array (one class id per word, last one fixed up by the end rule).
  // Realtime: the class ids of the last window (FunASR returns those as punc_array).
  std::vector<int> punc_ids;
  // The words punc_ids refer to (offline: all words; realtime: the last window's words).
  std::vector<std::string> words;
};

// Offline CTTransformer.inference (§4.5, §4.6) on split words and their ids.
// Empty `words` give an empty result.
DecodedPunctuation DecodeOffline(const std::vector<std::string>& words,
                                 const std::vector<int32_t>& ids,
                                 const PunctuationClasses& classes,
                                 const PunctuationDecodingOptions& options,
                                 const WindowClassifier& classify);

// One CTTransformerStreaming.inference call (§4.7). `words`/`ids` are the split of
// "".join(pre_text) + " " + new_text, so their first pre_text.size() entries are the cached
// words. Updates `pre_text` (FunASR's cache["pre_text"], entries may carry the leading space
// the renderer put in front of an English word, exactly as FunASR stores them).
DecodedPunctuation DecodeStreamingStep(std::vector<std::string>& pre_text,
                                       const std::vector<std::string>& words,
                                       const std::vector<int32_t>& ids,
                                       const PunctuationClasses& classes,
                                       const PunctuationDecodingOptions& options,
                                       const WindowClassifier& classify);

// Python str.capitalize() for an ASCII word: first letter upper-case, the rest lower-case.
std::string CapitalizeAscii(std::string_view word);

}  // namespace funasr::text
