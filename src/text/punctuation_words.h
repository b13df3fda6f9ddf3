// Word split of the CT-Transformer punctuation models (spec §4.4.1, FunASR `split_words`
// without a jieba dictionary, used by the vocab272727 offline and realtime models).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace funasr::text {

// Splits `text` (UTF-8) on Python whitespace (str.split(), text/utf8.h); inside each piece a run of ASCII code points
// is one word and every other code point is a word of its own:
//   "我的iPhone 12很好" -> 我 的 iPhone 12 很 好.
// Throws InvalidArgument naming the byte offset on invalid UTF-8.
std::vector<std::string> SplitPunctuationWords(std::string_view text);

// True when the first byte of `word` is ASCII (FunASR tests `len(word[0].encode()) == 1`).
inline bool StartsWithAscii(std::string_view word) {
  return !word.empty() && static_cast<unsigned char>(word.front()) < 0x80;
}
// True when the last byte of `word` is ASCII (a UTF-8 multi-byte sequence never ends in one).
inline bool EndsWithAscii(std::string_view word) {
  return !word.empty() && static_cast<unsigned char>(word.back()) < 0x80;
}

}  // namespace funasr::text
