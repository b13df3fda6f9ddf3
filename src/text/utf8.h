// UTF-8 and Python-str helpers shared by all text code (ASR post-processing, hotwords,
// CT-Transformer punctuation tokenisation).
//
// FunASR's text logic is Python str code: lengths and indices count code points,
// str.split()/strip() use Unicode whitespace, str.isalpha() and str.lower() use the Unicode
// database. The functions here reproduce exactly those semantics on UTF-8 std::strings
// (tables: Unicode 14.0.0, the database of the Python 3.11 that produced the golden data).
//
// Notes for users of this header (e.g. the punctuation tokeniser):
//  - Everything that decodes throws funasr::Error(kInvalidArgument) with a one-line message
//    "<what>: invalid UTF-8 at byte N (...)" on malformed input (overlongs, surrogates,
//    truncated sequences, > U+10FFFF); `what` names the input for the user.
//  - "ASCII char" in FunASR's split_words is `len(c.encode()) == 1`, i.e. cp < 0x80.
//  - IsCjkUnified() is FunASR's isChinese range U+4E00..U+9FFF (without the digit/'@' extras).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace funasr::text {

// ---- decoding / encoding -------------------------------------------------------------

// True when `s` is well-formed UTF-8.
bool IsValidUtf8(std::string_view s);
// Throws Error(kInvalidArgument, "<what>: invalid UTF-8 at byte N (...)") unless valid.
void CheckUtf8(std::string_view s, std::string_view what = "text");
// The code points of `s` (Python `list(s)` as integers). Throws like CheckUtf8.
std::u32string DecodeUtf8(std::string_view s, std::string_view what = "text");
// Appends the UTF-8 encoding of one code point (must be <= U+10FFFF, not a surrogate).
void AppendUtf8(char32_t cp, std::string* out);
std::string EncodeUtf8(char32_t cp);
std::string EncodeUtf8(std::u32string_view cps);
// Each code point of `s` as its own UTF-8 string. Throws like CheckUtf8.
std::vector<std::string> SplitUtf8Chars(std::string_view s, std::string_view what = "text");
// Python len(s). Throws like CheckUtf8.
size_t CodePointCount(std::string_view s, std::string_view what = "text");

// ---- character classes ---------------------------------------------------------------

inline bool IsAsciiLetter(char32_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
inline bool IsAsciiDigit(char32_t c) { return c >= '0' && c <= '9'; }
// CJK Unified Ideographs block U+4E00..U+9FFF.
inline bool IsCjkUnified(char32_t c) { return c >= 0x4E00 && c <= 0x9FFF; }
// Python str.isspace() for one code point (what str.split()/strip() treat as whitespace).
bool IsPythonSpace(char32_t c);
// Python str.isalpha() for one code point (Unicode categories Lu, Ll, Lt, Lm, Lo).
bool IsPythonAlpha(char32_t c);
// Python str.isalpha() for a whole string: non-empty and every code point alphabetic.
bool IsPythonAlpha(std::u32string_view s);

// ---- Python str methods on code points / UTF-8 ---------------------------------------

// Python str.lower() (full mapping incl. U+0130 -> "i\u0307"; the context-dependent
// Greek final-sigma rule is not applied: capital sigma always becomes U+03C3).
std::u32string PythonLower(std::u32string_view s);
std::string PythonLower(std::string_view utf8, std::string_view what = "text");
// Python str.split() with no arguments: runs of Unicode whitespace separate words,
// no empty words.
std::vector<std::string> PythonSplit(std::string_view utf8, std::string_view what = "text");
std::vector<std::u32string> PythonSplit(std::u32string_view s);
// Python str.strip() with no arguments (Unicode whitespace at both ends).
std::string PythonStrip(std::string_view utf8, std::string_view what = "text");
std::u32string_view PythonStrip(std::u32string_view s);

// Python str.replace(old, new) (all non-overlapping occurrences, left to right; old non-empty).
std::string ReplaceAll(std::string_view s, std::string_view old_part, std::string_view new_part);

}  // namespace funasr::text
