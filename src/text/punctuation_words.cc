#include "text/punctuation_words.h"

#include "text/utf8.h"

namespace funasr::text {

std::vector<std::string> SplitPunctuationWords(std::string_view text) {
  const std::u32string cps = DecodeUtf8(text, "punctuation input");
  std::vector<std::string> words;
  std::string ascii_run;  // the ASCII word being collected
  auto flush = [&] {
    if (!ascii_run.empty()) words.push_back(std::move(ascii_run));
    ascii_run.clear();
  };
  for (const char32_t cp : cps) {
    if (IsPythonSpace(cp)) {
      flush();
    } else if (cp < 0x80) {
      ascii_run.push_back(static_cast<char>(cp));
    } else {
      flush();
      words.push_back(EncodeUtf8(cp));
    }
  }
  flush();
  return words;
}

}  // namespace funasr::text
