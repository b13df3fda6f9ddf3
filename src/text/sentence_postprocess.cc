#include "text/sentence_postprocess.h"

#include <algorithm>
#include <optional>

#include "core/check.h"
#include "text/utf8.h"

namespace funasr::text {
namespace {

// ---- FunASR's character-class predicates (postprocess_utils.py), Python semantics ----

// Python `lo <= s <= hi` for one-code-point strings lo, hi (lexicographic comparison).
bool PyStrBetween(std::u32string_view s, char32_t lo, char32_t hi) {
  if (s.empty() || s[0] < lo) return false;  // "" < lo; otherwise compare first code points
  return s[0] < hi || (s[0] == hi && s.size() == 1);
}

// isChinese(ch) applied to a whole string (the list form of isAllChinese passes tokens).
bool PyIsChinese(std::u32string_view s) {
  return PyStrBetween(s, 0x4E00, 0x9FFF) || PyStrBetween(s, U'0', U'9') ||
         (s.size() == 1 && s[0] == U'@');
}

// The per-element cleanup of isAllChinese / isAllAlpha (sequential str.replace calls).
std::u32string WashForCheck(const std::string& token) {
  std::string cur = ReplaceAll(token, " ", "");
  cur = ReplaceAll(cur, "</s>", "");
  cur = ReplaceAll(cur, "<s>", "");
  cur = ReplaceAll(cur, "<unk>", "");
  cur = ReplaceAll(cur, "<OOV>", "");
  return DecodeUtf8(cur, "token");
}

// isAllChinese(list_of_tokens)
bool IsAllChineseTokens(const std::vector<std::string>& tokens) {
  if (tokens.empty()) return false;
  for (const auto& t : tokens)
    if (!PyIsChinese(WashForCheck(t))) return false;
  return true;
}

// isAllAlpha(list_of_tokens)
bool IsAllAlphaTokens(const std::vector<std::string>& tokens) {
  if (tokens.empty()) return false;
  for (const auto& t : tokens) {
    const std::u32string cur = WashForCheck(t);
    const bool alpha = IsPythonAlpha(std::u32string_view(cur));
    if (!alpha && cur != U"'") return false;
    if (alpha && PyIsChinese(cur)) return false;
  }
  return true;
}

// isAllChinese(token) on a str: iterates code points; a space becomes "" (not Chinese).
bool IsAllChineseChars(std::u32string_view token) {
  if (token.empty()) return false;
  for (char32_t c : token)
    if (!(IsCjkUnified(c) || IsAsciiDigit(c) || c == U'@')) return false;
  return true;
}

// isAllAlpha(token) on a str: every code point alphabetic and not CJK, or an apostrophe.
bool IsAllAlphaChars(std::u32string_view token) {
  if (token.empty()) return false;
  for (char32_t c : token) {
    if (c == U' ') return false;  // becomes "", which is neither alpha nor "'"
    const bool alpha = IsPythonAlpha(c);
    if (!alpha && c != U'\'') return false;
    if (alpha && IsCjkUnified(c)) return false;  // the only alphabetic isChinese characters
  }
  return true;
}

bool IsSingleAsciiLetter(const std::string& w) {
  return w.size() == 1 && IsAsciiLetter(static_cast<unsigned char>(w[0]));
}

// bytes.isalpha(): non-empty and only ASCII letters.
bool IsAsciiLetters(const std::string& w) {
  if (w.empty()) return false;
  for (unsigned char c : w)
    if (!IsAsciiLetter(c)) return false;
  return true;
}

std::string AsciiUpper(std::string w) {
  for (char& c : w)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return w;
}

// Timestamp lookup with the documented fallback where Python raises IndexError.
class TimestampReader {
 public:
  explicit TimestampReader(const std::vector<TimeSpanMs>* ts) : ts_(ts) {}
  bool present() const { return ts_ != nullptr; }
  TimeSpanMs At(size_t i) const {
    if (i < ts_->size()) return (*ts_)[i];
    if (ts_->empty()) return {0, 0};
    return {ts_->back().end, ts_->back().end};
  }

 private:
  const std::vector<TimeSpanMs>* ts_;
};

// abbr_dispose(words, time_stamp): joins "a", " ", "b", " ", "c" into "ABC".
void AbbrDispose(const std::vector<std::string>& words, const std::vector<TimeSpanMs>* timestamps,
                 std::vector<std::string>* out_words, std::vector<TimeSpanMs>* out_ts) {
  const size_t n = words.size();
  std::vector<size_t> abbr_begin, abbr_end;
  long long last_num = -1;
  for (size_t start = 0; start < n; ++start) {
    if (static_cast<long long>(start) <= last_num) continue;
    size_t num = start;
    if (!IsSingleAsciiLetter(words[num])) continue;
    if (num + 1 < n && words[num + 1] == " " && num + 2 < n &&
        IsSingleAsciiLetter(words[num + 2])) {
      abbr_begin.push_back(num);
      num += 2;
      abbr_end.push_back(num);
      while (true) {
        num += 1;
        if (num < n && words[num] == " ") {
          num += 1;
          if (num < n && IsSingleAsciiLetter(words[num])) {
            abbr_end.back() = num;
            last_num = static_cast<long long>(num);
          } else {
            break;
          }
        } else {
          break;
        }
      }
    }
  }

  // ts_nums[k]: index of word k's timestamp = number of non-separator words before it.
  std::vector<size_t> ts_nums(n);
  size_t ts_index = 0;
  for (size_t k = 0; k < n; ++k) {
    ts_nums[k] = ts_index;
    if (words[k] != " ") ++ts_index;
  }
  auto contains = [](const std::vector<size_t>& v, size_t x) {
    return std::find(v.begin(), v.end(), x) != v.end();
  };
  const size_t ts_size = timestamps ? timestamps->size() : 0;

  last_num = -1;
  for (size_t start = 0; start < n; ++start) {
    if (static_cast<long long>(start) <= last_num) continue;
    size_t num = start;
    if (contains(abbr_begin, num)) {
      // Python reads the begin without a bound check (IndexError); we skip the span instead.
      std::optional<int64_t> begin;
      if (timestamps && ts_nums[num] < ts_size) begin = (*timestamps)[ts_nums[num]].start;
      std::string abbr_word = AsciiUpper(words[num]);
      num += 1;
      while (num < n) {
        if (contains(abbr_end, num)) {
          abbr_word += AsciiUpper(words[num]);
          last_num = static_cast<long long>(num);
          break;
        }
        if (IsAsciiLetters(words[num])) abbr_word += AsciiUpper(words[num]);
        num += 1;
      }
      out_words->push_back(abbr_word);
      if (timestamps && begin && ts_nums[num] < ts_size)
        out_ts->push_back({*begin, (*timestamps)[ts_nums[num]].end});
    } else {
      out_words->push_back(words[num]);
      if (timestamps && ts_nums[num] < ts_size && words[num] != " ")
        out_ts->push_back((*timestamps)[ts_nums[num]]);
    }
  }
}

PostprocessedText Postprocess(const std::vector<std::string>& tokens,
                              const std::vector<TimeSpanMs>* time_stamp) {
  // Wash: drop the special symbols (timestamps keep their positions).
  std::vector<std::string> middle;
  middle.reserve(tokens.size());
  for (const auto& t : tokens) {
    CheckUtf8(t, "token");
    if (t == "<s>" || t == "</s>" || t == "<unk>" || t == "<OOV>") continue;
    middle.push_back(t);
  }

  const TimestampReader ts(time_stamp);
  std::vector<std::string> word_lists;
  std::vector<TimeSpanMs> ts_lists;
  std::string word_item;

  if (IsAllChineseTokens(middle)) {
    for (const auto& ch : middle) word_lists.push_back(ReplaceAll(ch, " ", ""));
    if (time_stamp) ts_lists = *time_stamp;
  } else if (IsAllAlphaTokens(middle)) {
    bool ts_flag = true;
    int64_t begin = 0, end = 0;
    for (size_t i = 0; i < middle.size(); ++i) {
      const std::string& ch = middle[i];
      if (ts_flag && ts.present()) {
        begin = ts.At(i).start;
        end = ts.At(i).end;
      }
      if (ch.find("@@") != std::string::npos) {
        word_item += ReplaceAll(ch, "@@", "");
        if (ts.present()) {
          ts_flag = false;
          end = ts.At(i).end;
        }
      } else {
        word_item += ch;
        word_lists.push_back(word_item);
        word_lists.push_back(" ");
        word_item.clear();
        if (ts.present()) {
          ts_flag = true;
          end = ts.At(i).end;
          ts_lists.push_back({begin, end});
          begin = end;
        }
      }
    }
  } else {
    bool alpha_blank = false;
    bool ts_flag = true;
    int64_t begin = -1, end = -1;
    for (size_t i = 0; i < middle.size(); ++i) {
      const std::string& ch = middle[i];
      if (ts_flag && ts.present()) {
        begin = ts.At(i).start;
        end = ts.At(i).end;
      }
      const std::u32string chars = DecodeUtf8(ch, "token");
      if (IsAllChineseChars(chars)) {
        if (alpha_blank)
          word_lists.pop_back();  // the " " after an English word (or whatever came last)
        word_lists.push_back(ch);
        alpha_blank = false;
        if (ts.present()) {
          ts_flag = true;
          ts_lists.push_back({begin, end});
          begin = end;
        }
      } else if (ch.find("@@") != std::string::npos) {
        word_item += ReplaceAll(ch, "@@", "");
        alpha_blank = false;
        if (ts.present()) {
          ts_flag = false;
          end = ts.At(i).end;
        }
      } else if (IsAllAlphaChars(chars)) {
        word_item += ch;
        word_lists.push_back(word_item);
        word_lists.push_back(" ");
        word_item.clear();
        alpha_blank = true;
        if (ts.present()) {
          ts_flag = true;
          end = ts.At(i).end;
          ts_lists.push_back({begin, end});
          begin = end;
        }
      } else {
        word_lists.push_back(ch);
      }
    }
  }

  PostprocessedText out;
  std::vector<std::string> words;
  if (time_stamp) {
    AbbrDispose(word_lists, &ts_lists, &words, &out.timestamps);
  } else {
    AbbrDispose(word_lists, nullptr, &words, nullptr);
  }
  std::string joined;
  for (const auto& w : words) {
    if (w != " ") out.words.push_back(w);
  }
  if (time_stamp) {
    for (size_t k = 0; k < out.words.size(); ++k) {
      if (k) joined += ' ';
      joined += out.words[k];
    }
  } else {
    for (const auto& w : words) joined += w;
  }
  out.text = PythonStrip(joined, "text");
  return out;
}

}  // namespace

PostprocessedText SentencePostprocess(const std::vector<std::string>& tokens) {
  return Postprocess(tokens, nullptr);
}

PostprocessedText SentencePostprocess(const std::vector<std::string>& tokens,
                                      const std::vector<TimeSpanMs>& token_timestamps) {
  return Postprocess(tokens, &token_timestamps);
}

}  // namespace funasr::text
