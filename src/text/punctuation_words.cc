#include "text/punctuation_words.h"

#include "core/check.h"

namespace funasr::text {
namespace {

// Decodes the code point starting at s[pos] and advances pos; throws on invalid UTF-8
// (overlong forms, surrogates and values above U+10FFFF included, as Python rejects them).
// TEMPORARY until src/text/utf8.h lands on main.
char32_t DecodeNext(std::string_view s, size_t& pos) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  const size_t start = pos;
  const unsigned char b0 = byte(pos);
  auto bad = [&]() -> char32_t {
    Fail(ErrorCode::kInvalidArgument, "punctuation input: invalid UTF-8 at byte offset ", start);
  };
  if (b0 < 0x80) {
    ++pos;
    return b0;
  }
  int n;
  char32_t cp;
  char32_t min;
  if ((b0 & 0xE0) == 0xC0) { n = 1; cp = b0 & 0x1F; min = 0x80; }
  else if ((b0 & 0xF0) == 0xE0) { n = 2; cp = b0 & 0x0F; min = 0x800; }
  else if ((b0 & 0xF8) == 0xF0) { n = 3; cp = b0 & 0x07; min = 0x10000; }
  else return bad();
  for (int i = 1; i <= n; ++i) {
    if (pos + i >= s.size()) return bad();
    const unsigned char b = byte(pos + i);
    if ((b & 0xC0) != 0x80) return bad();
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return bad();
  pos += n + 1;
  return cp;
}

}  // namespace

bool IsPythonWhitespace(char32_t cp) {
  if (cp <= 0x20) return cp == 0x20 || (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x1F);
  if (cp < 0x85) return false;
  return cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
         cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

std::vector<std::string> SplitPunctuationWords(std::string_view text) {
  std::vector<std::string> words;
  std::string ascii_run;  // the ASCII word being collected
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t begin = pos;
    const char32_t cp = DecodeNext(text, pos);
    if (IsPythonWhitespace(cp)) {
      if (!ascii_run.empty()) words.push_back(std::move(ascii_run));
      ascii_run.clear();
    } else if (cp < 0x80) {
      ascii_run.push_back(static_cast<char>(cp));
    } else {
      if (!ascii_run.empty()) words.push_back(std::move(ascii_run));
      ascii_run.clear();
      words.emplace_back(text.substr(begin, pos - begin));
    }
  }
  if (!ascii_run.empty()) words.push_back(std::move(ascii_run));
  return words;
}

}  // namespace funasr::text
