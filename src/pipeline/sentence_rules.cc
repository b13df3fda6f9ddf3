#include "pipeline/sentence_rules.h"

#include <cstdint>
#include <sstream>

#include "core/check.h"

namespace funasr::pipeline {
namespace {

// Python's str.strip() for the ASCII whitespace that ASR / punctuation text contains.
std::string Strip(const std::string& s) {
  const char* ws = " \t\n\r\f\v";
  const size_t b = s.find_first_not_of(ws);
  if (b == std::string::npos) return "";
  const size_t e = s.find_last_not_of(ws);
  return s.substr(b, e - b + 1);
}

// re.sub(r"<\|[^|]*\|>", "", s)
std::string RemoveTags(const std::string& s) {
  std::string out;
  size_t i = 0;
  while (i < s.size()) {
    if (s.compare(i, 2, "<|") == 0) {
      size_t j = i + 2;
      while (j < s.size() && s[j] != '|') ++j;
      if (j + 1 < s.size() && s[j] == '|' && s[j + 1] == '>') {
        i = j + 2;
        continue;
      }
    }
    out += s[i++];
  }
  return out;
}

// Code point of the UTF-8 character starting at s[i] (invalid bytes read as themselves).
char32_t DecodeAt(const std::string& s, size_t i) {
  const auto b = static_cast<unsigned char>(s[i]);
  int len = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 1;
  if (i + static_cast<size_t>(len) > s.size()) len = 1;
  if (len == 1) return b;
  char32_t cp = b & (0x7F >> len);
  for (int k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  return cp;
}

char32_t FirstChar(const std::string& s) { return DecodeAt(s, 0); }

char32_t LastChar(const std::string& s) {
  size_t i = s.size() - 1;
  while (i > 0 && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) --i;
  return DecodeAt(s, i);
}

bool IsCjk(char32_t c) { return c >= 0x3400 && c <= 0x9FFF; }
bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

}  // namespace

std::string JoinVadTexts(const std::vector<std::string>& texts) {
  std::string joined;
  for (const auto& t : texts) {
    std::string cleaned = Strip(RemoveTags(t));
    if (cleaned.empty()) continue;
    if (!joined.empty() && !(IsCjk(LastChar(joined)) && IsCjk(FirstChar(cleaned)))) joined += ' ';
    joined += cleaned;
  }
  return joined;
}

std::vector<SentenceInfo> TimestampSentences(const std::vector<int>& punc_ids,
                                             const std::vector<TimeSpanMs>& timestamps,
                                             const std::string& text) {
  static const char* const kPunc[] = {"，", "。", "？", "、"};
  std::vector<SentenceInfo> out;
  if (timestamps.empty() || text.empty()) return out;
  if (punc_ids.empty()) {
    // FunASR returns the word list as "text" here; the pipeline never calls it this way
    // (punctuation of non-blank text always yields ids), so keep the joined words instead.
    SentenceInfo s;
    s.text = text;
    s.start_ms = timestamps.front().start;
    s.end_ms = timestamps.back().end;
    s.timestamps = timestamps;
    out.push_back(std::move(s));
    return out;
  }
  std::vector<std::string> words;
  {
    std::istringstream in(text);
    std::string w;
    while (in >> w) words.push_back(w);
  }
  const size_t n = std::max({punc_ids.size(), timestamps.size(), words.size()});
  std::string sentence;
  std::vector<TimeSpanMs> ts_list;
  bool have_start = true;
  int64_t start = timestamps[0].start;
  int64_t end = timestamps[0].end;
  for (size_t i = 0; i < n; ++i) {
    const TimeSpanMs* ts = i < timestamps.size() ? &timestamps[i] : nullptr;
    if (!have_start && ts) {
      start = ts->start;
      have_start = true;
    }
    if (i < words.size()) {
      const std::string& w = words[i];
      if (IsAsciiLetter(w[0]) || (!sentence.empty() && IsAsciiLetter(sentence.back()))) {
        sentence += ' ';
      }
      sentence += w;
    }
    // FunASR appends None here when timestamps run out; such entries never reach a
    // closed sentence when ids and timestamps have equal length (the pipeline checks).
    if (ts) ts_list.push_back(*ts);
    const int id = i < punc_ids.size() ? punc_ids[i] : 1;
    if (ts) end = ts->end;
    if (id > 1) {
      FUNASR_CHECK(id <= 5, ErrorCode::kInternal, "timestamp_sentence: punctuation id ", id,
                   " out of range");
      sentence += kPunc[id - 2];
      SentenceInfo s;
      s.text = std::move(sentence);
      s.start_ms = start;
      s.end_ms = end;
      s.timestamps = std::move(ts_list);
      out.push_back(std::move(s));
      sentence.clear();
      ts_list.clear();
      have_start = false;
    }
  }
  return out;
}

std::vector<SentenceInfo> SegmentSentences(const std::vector<SegmentTranscript>& segments) {
  std::vector<SentenceInfo> out;
  for (const auto& seg : segments) {
    std::string text = Strip(RemoveTags(seg.text));
    if (text.empty()) continue;
    SentenceInfo s;
    s.text = std::move(text);
    s.start_ms = seg.timestamps.empty() ? seg.span.start : seg.timestamps.front().start;
    s.end_ms = seg.timestamps.empty() ? seg.span.end : seg.timestamps.back().end;
    s.timestamps = seg.timestamps;
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace funasr::pipeline
