#include "text/punctuation_decoding.h"

#include <algorithm>

#include "core/check.h"
#include "text/punctuation_words.h"

namespace funasr::text {
namespace {

// Number of bytes of the last UTF-8 code point of a (valid) non-empty string.
size_t LastCodePointBytes(std::string_view s) {
  size_t n = 1;
  while (n < s.size() && (static_cast<unsigned char>(s[s.size() - n]) & 0xC0) == 0x80) ++n;
  return n;
}

std::string_view LastCodePoint(std::string_view s) {
  return s.substr(s.size() - LastCodePointBytes(s));
}

// Windows [0, n) of `split_size` words: [0:s], [s:2s], ..., remainder (FunASR
// split_to_mini_sentence); one (possibly empty) window when n <= split_size.
std::vector<std::pair<size_t, size_t>> MiniSentences(size_t n, size_t split_size) {
  std::vector<std::pair<size_t, size_t>> out;
  if (n <= split_size) {
    out.emplace_back(0, n);
    return out;
  }
  for (size_t b = 0; b < n; b += split_size) out.emplace_back(b, std::min(n, b + split_size));
  return out;
}

// The windowed loop shared by the offline and realtime models: for every window the
// carried words plus the next mini-sentence are classified; all but the last window keep
// only the words up to the last sentence end (scanning len-2 .. 2) and carry the rest.
// `emit(words, ids, preds, is_last)` receives each emitted part.
template <typename Emit>
void RunWindows(const std::vector<std::string>& words, const std::vector<int32_t>& ids,
                const PunctuationClasses& classes, const PunctuationDecodingOptions& options,
                int64_t vad_index, const WindowClassifier& classify, Emit&& emit) {
  FUNASR_CHECK(options.split_size > 1, ErrorCode::kInvalidArgument,
               "punctuation split_size must be > 1, got ", options.split_size);
  FUNASR_CHECK(options.max_window_tokens == 0 || options.max_window_tokens > options.split_size,
               ErrorCode::kInvalidArgument, "punctuation max_window_tokens (",
               options.max_window_tokens, ") must be 0 or larger than split_size (",
               options.split_size, ")");
  FUNASR_ASSERT(words.size() == ids.size());
  const auto windows = MiniSentences(words.size(), static_cast<size_t>(options.split_size));
  std::vector<std::string> win_words;
  std::vector<int32_t> win_ids;
  for (size_t k = 0; k < windows.size(); ++k) {
    const bool is_last = k + 1 == windows.size();
    win_words.insert(win_words.end(), words.begin() + windows[k].first,
                     words.begin() + windows[k].second);
    win_ids.insert(win_ids.end(), ids.begin() + windows[k].first, ids.begin() + windows[k].second);
    std::vector<int> pred = classify(win_ids, vad_index);
    FUNASR_CHECK(pred.size() == win_ids.size(), ErrorCode::kInternal,
                 "punctuation classifier returned ", pred.size(), " labels for ",
                 win_ids.size(), " words");
    for (int p : pred)
      FUNASR_CHECK(p >= 0 && p < classes.size(), ErrorCode::kInternal,
                   "punctuation class ", p, " out of range");
    const int64_t len = static_cast<int64_t>(pred.size());
    int64_t keep = len;  // words emitted now
    if (!is_last) {
      int64_t end = -1, comma = -1;
      for (int64_t i = len - 2; i > 1; --i) {
        if (classes.EndsSentence(pred[i])) {
          end = i;
          break;
        }
        if (comma < 0 && classes.IsComma(pred[i])) comma = i;
      }
      if (end < 0 && len > options.comma_cut_tokens && comma >= 0) {
        end = comma;  // too long without a sentence end: the comma becomes one
        pred[end] = classes.sentence_end_id();
      }
      if (end < 0 && options.max_window_tokens > 0 && len > options.max_window_tokens) {
        end = len - 1 - options.split_size;  // libfunasr bound, see max_window_tokens
      }
      keep = end + 1;
    }
    std::vector<std::string> out_words(std::make_move_iterator(win_words.begin()),
                                       std::make_move_iterator(win_words.begin() + keep));
    std::vector<int32_t> out_ids(win_ids.begin(), win_ids.begin() + keep);
    win_words.erase(win_words.begin(), win_words.begin() + keep);
    win_ids.erase(win_ids.begin(), win_ids.begin() + keep);
    pred.resize(keep);
    emit(std::move(out_words), std::move(out_ids), std::move(pred), is_last);
  }
}

}  // namespace

PunctuationClasses::PunctuationClasses(std::vector<std::string> punc_list, int sentence_end_id,
                                       const std::string& source)
    : symbols_(std::move(punc_list)), sentence_end_id_(sentence_end_id) {
  FUNASR_CHECK(!symbols_.empty(), ErrorCode::kFormatError, source,
               ": model_conf.punc_list is empty");
  FUNASR_CHECK(sentence_end_id >= 0 && sentence_end_id < size(), ErrorCode::kFormatError, source,
               ": model_conf.sentence_end_id ", sentence_end_id, " is not an index of punc_list (",
               size(), " entries)");
  for (std::string& s : symbols_) {
    if (s == ",") s = "，";
    if (s == "?") s = "？";
  }
}

bool PunctuationClasses::IsSymbolCharacter(std::string_view cp) const {
  return std::find(symbols_.begin(), symbols_.end(), cp) != symbols_.end();
}

std::string CapitalizeAscii(std::string_view word) {
  std::string out(word);
  for (size_t i = 0; i < out.size(); ++i) {
    char& c = out[i];
    if (i == 0) {
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    } else if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return out;
}

DecodedPunctuation DecodeOffline(const std::vector<std::string>& words,
                                 const std::vector<int32_t>& ids,
                                 const PunctuationClasses& classes,
                                 const PunctuationDecodingOptions& options,
                                 const WindowClassifier& classify) {
  DecodedPunctuation result;
  if (words.empty()) return result;
  result.words = words;
  std::string& text = result.text;
  RunWindows(words, ids, classes, options, 0, classify,
             [&](std::vector<std::string> w, std::vector<int32_t>, std::vector<int> pred,
                 bool is_last) {
               // §4.6 rendering of the emitted words of this window.
               for (size_t i = 0; i < w.size(); ++i) {
                 const bool ascii = StartsWithAscii(w[i]);
                 if (ascii && (i == 0 || classes.EndsSentence(pred[i - 1])))
                   w[i] = CapitalizeAscii(w[i]);
                 if (ascii && (i == 0 || StartsWithAscii(w[i - 1]))) text.push_back(' ');
                 text += w[i];
                 if (!classes.IsNone(pred[i])) {
                   const std::string& sym = classes.symbol(pred[i]);
                   if (ascii && sym == "，") text += ',';
                   else if (ascii && sym == "。") text += '.';
                   else if (ascii && sym == "？") text += '?';
                   else text += sym;
                 }
               }
               result.punc_ids.insert(result.punc_ids.end(), pred.begin(), pred.end());
               if (!is_last) return;
               // End of text: the output always ends with a sentence-final mark.
               const std::string_view last = LastCodePoint(text);
               bool changed = true;
               if (last == "，" || last == "、") {
                 text.resize(text.size() - last.size());
                 text += "。";
               } else if (last == ",") {
                 text.back() = '.';
               } else if (last.size() > 1 && last != "。" && last != "？") {
                 text += "。";
               } else if (last.size() == 1 && last != "." && last != "?") {
                 text += '.';
               } else {
                 changed = false;
               }
               if (changed) result.punc_ids.back() = classes.sentence_end_id();
             });
  return result;
}

DecodedPunctuation DecodeStreamingStep(std::vector<std::string>& pre_text,
                                       const std::vector<std::string>& words,
                                       const std::vector<int32_t>& ids,
                                       const PunctuationClasses& classes,
                                       const PunctuationDecodingOptions& options,
                                       const WindowClassifier& classify) {
  DecodedPunctuation result;
  const size_t cached = pre_text.size();
  FUNASR_ASSERT(words.size() >= cached);
  if (words.size() == cached) return result;  // nothing new: output and cache unchanged

  std::vector<std::string> all_words;
  std::vector<int> all_preds;
  all_words.reserve(words.size());
  all_preds.reserve(words.size());
  RunWindows(words, ids, classes, options, static_cast<int64_t>(cached), classify,
             [&](std::vector<std::string> w, std::vector<int32_t>, std::vector<int> pred,
                 bool is_last) {
               if (is_last) {
                 result.words = w;
                 result.punc_ids = pred;
               }
               all_words.insert(all_words.end(), std::make_move_iterator(w.begin()),
                                std::make_move_iterator(w.end()));
               all_preds.insert(all_preds.end(), pred.begin(), pred.end());
             });

  // §4.7 rendering: a space before an English word that follows an ASCII character (stored
  // into the word, as FunASR mutates its list); cached words are not re-emitted, but the
  // punctuation after the last cached word is.
  std::string& text = result.text;
  for (size_t i = 0; i < all_words.size(); ++i) {
    if (i > 0 && StartsWithAscii(all_words[i]) && EndsWithAscii(all_words[i - 1]))
      all_words[i].insert(all_words[i].begin(), ' ');
    if (i >= cached) text += all_words[i];
    if (i + 1 >= cached && !classes.IsNone(all_preds[i])) text += classes.symbol(all_preds[i]);
  }

  // New cache: the words after the last sentence end found scanning len-2 .. 2.
  int64_t end = -1;
  for (int64_t i = static_cast<int64_t>(all_preds.size()) - 2; i > 1; --i) {
    if (classes.EndsSentence(all_preds[i])) {
      end = i;
      break;
    }
  }
  pre_text.assign(std::make_move_iterator(all_words.begin() + (end + 1)),
                  std::make_move_iterator(all_words.end()));
  if (options.max_window_tokens > 0 &&
      pre_text.size() > static_cast<size_t>(options.max_window_tokens)) {
    // libfunasr bound (see max_window_tokens): forget the oldest, already emitted words.
    pre_text.erase(pre_text.begin(),
                   pre_text.end() - static_cast<std::ptrdiff_t>(options.max_window_tokens));
  }
  // A trailing punctuation is withheld: it is predicted again, with more right context,
  // and emitted at the front of the next call.
  if (!text.empty() && classes.IsSymbolCharacter(LastCodePoint(text)))
    text.resize(text.size() - LastCodePointBytes(text));
  return result;
}

}  // namespace funasr::text
