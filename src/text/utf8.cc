#include "text/utf8.h"

#include <algorithm>
#include <cstdint>

#include "core/check.h"
#include "text/unicode_tables.h"

namespace funasr::text {
namespace {

// Decodes one code point starting at s[i]. Returns the sequence length (1..4) or 0 when the
// bytes there are not well-formed UTF-8 (RFC 3629: no overlongs, no surrogates, <= U+10FFFF);
// `reason` then says why.
size_t DecodeOne(std::string_view s, size_t i, char32_t* cp, const char** reason) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    *cp = b0;
    return 1;
  }
  size_t len;
  char32_t value;
  char32_t min_value;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2, value = b0 & 0x1F, min_value = 0x80;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3, value = b0 & 0x0F, min_value = 0x800;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4, value = b0 & 0x07, min_value = 0x10000;
  } else {
    *reason = (b0 >= 0x80 && b0 <= 0xBF) ? "unexpected continuation byte" : "invalid lead byte";
    return 0;
  }
  if (i + len > s.size()) {
    *reason = "truncated sequence";
    return 0;
  }
  for (size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) {
      *reason = "truncated sequence";
      return 0;
    }
    value = (value << 6) | (b & 0x3F);
  }
  if (value < min_value) {
    *reason = "overlong encoding";
    return 0;
  }
  if (value >= 0xD800 && value <= 0xDFFF) {
    *reason = "encoded surrogate";
    return 0;
  }
  if (value > 0x10FFFF) {
    *reason = "code point above U+10FFFF";
    return 0;
  }
  *cp = value;
  return len;
}

[[noreturn]] void FailUtf8(std::string_view s, size_t i, const char* reason,
                           std::string_view what) {
  static const char kHex[] = "0123456789abcdef";
  const auto b = static_cast<unsigned char>(s[i]);
  std::string byte_hex = {'0', 'x', kHex[b >> 4], kHex[b & 15]};
  Fail(ErrorCode::kInvalidArgument, what, ": invalid UTF-8 at byte ", i, " (", reason, ", byte ",
       byte_hex, ")");
}

// Visits every code point of s; throws on malformed input.
template <typename F>
void ForEachCodePoint(std::string_view s, std::string_view what, F&& visit) {
  size_t i = 0;
  while (i < s.size()) {
    char32_t cp = 0;
    const char* reason = "";
    const size_t len = DecodeOne(s, i, &cp, &reason);
    if (len == 0) FailUtf8(s, i, reason, what);
    visit(cp, i, len);
    i += len;
  }
}

}  // namespace

bool IsValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    char32_t cp;
    const char* reason;
    const size_t len = DecodeOne(s, i, &cp, &reason);
    if (len == 0) return false;
    i += len;
  }
  return true;
}

void CheckUtf8(std::string_view s, std::string_view what) {
  ForEachCodePoint(s, what, [](char32_t, size_t, size_t) {});
}

std::u32string DecodeUtf8(std::string_view s, std::string_view what) {
  std::u32string out;
  out.reserve(s.size());
  ForEachCodePoint(s, what, [&](char32_t cp, size_t, size_t) { out.push_back(cp); });
  return out;
}

void AppendUtf8(char32_t cp, std::string* out) {
  FUNASR_CHECK(cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF), ErrorCode::kInvalidArgument,
               "cannot encode code point ", static_cast<uint32_t>(cp), " as UTF-8");
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

std::string EncodeUtf8(char32_t cp) {
  std::string out;
  AppendUtf8(cp, &out);
  return out;
}

std::string EncodeUtf8(std::u32string_view cps) {
  std::string out;
  out.reserve(cps.size());
  for (char32_t cp : cps) AppendUtf8(cp, &out);
  return out;
}

std::vector<std::string> SplitUtf8Chars(std::string_view s, std::string_view what) {
  std::vector<std::string> out;
  ForEachCodePoint(s, what,
                   [&](char32_t, size_t pos, size_t len) { out.emplace_back(s.substr(pos, len)); });
  return out;
}

size_t CodePointCount(std::string_view s, std::string_view what) {
  size_t n = 0;
  ForEachCodePoint(s, what, [&](char32_t, size_t, size_t) { ++n; });
  return n;
}

bool IsPythonSpace(char32_t c) {
  // CPython's _Py_ascii_whitespace plus the non-ASCII code points with bidirectional type
  // WS/B/S or category Zs (Unicode 14).
  switch (c) {
    case 0x09:
    case 0x0A:
    case 0x0B:
    case 0x0C:
    case 0x0D:
    case 0x1C:
    case 0x1D:
    case 0x1E:
    case 0x1F:
    case 0x20:
    case 0x85:
    case 0xA0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
      return true;
    default:
      return c >= 0x2000 && c <= 0x200A;
  }
}

bool IsPythonAlpha(char32_t c) {
  using unicode_tables::kAlphaRangeCount;
  using unicode_tables::kAlphaRanges;
  if (c < 0x80) return IsAsciiLetter(c);
  const auto* end = kAlphaRanges + kAlphaRangeCount;
  // First range whose last >= c.
  const auto* it = std::lower_bound(
      kAlphaRanges, end, c,
      [](const unicode_tables::CodePointRange& r, char32_t v) { return r.last < v; });
  return it != end && it->first <= c;
}

bool IsPythonAlpha(std::u32string_view s) {
  if (s.empty()) return false;
  for (char32_t c : s)
    if (!IsPythonAlpha(c)) return false;
  return true;
}

std::u32string PythonLower(std::u32string_view s) {
  using unicode_tables::kLowerRunCount;
  using unicode_tables::kLowerRuns;
  std::u32string out;
  out.reserve(s.size());
  const auto* end = kLowerRuns + kLowerRunCount;
  for (char32_t c : s) {
    if (c < 0x80) {
      out.push_back((c >= 'A' && c <= 'Z') ? c + 32 : c);
      continue;
    }
    if (c == 0x130) {  // LATIN CAPITAL LETTER I WITH DOT ABOVE -> "i" + COMBINING DOT ABOVE
      out.push_back(U'i');
      out.push_back(0x307);
      continue;
    }
    const auto* it =
        std::lower_bound(kLowerRuns, end, c,
                         [](const unicode_tables::LowerRun& r, char32_t v) { return r.last < v; });
    if (it != end && it->first <= c && (c - it->first) % static_cast<char32_t>(it->stride) == 0) {
      out.push_back(static_cast<char32_t>(static_cast<int64_t>(c) + it->delta));
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string PythonLower(std::string_view utf8, std::string_view what) {
  return EncodeUtf8(PythonLower(DecodeUtf8(utf8, what)));
}

std::vector<std::u32string> PythonSplit(std::u32string_view s) {
  std::vector<std::u32string> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && IsPythonSpace(s[i])) ++i;
    if (i == s.size()) break;
    size_t j = i;
    while (j < s.size() && !IsPythonSpace(s[j])) ++j;
    out.emplace_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

std::vector<std::string> PythonSplit(std::string_view utf8, std::string_view what) {
  std::vector<std::string> out;
  for (const auto& word : PythonSplit(DecodeUtf8(utf8, what))) out.push_back(EncodeUtf8(word));
  return out;
}

std::u32string_view PythonStrip(std::u32string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && IsPythonSpace(s[b])) ++b;
  while (e > b && IsPythonSpace(s[e - 1])) --e;
  return s.substr(b, e - b);
}

std::string PythonStrip(std::string_view utf8, std::string_view what) {
  return EncodeUtf8(PythonStrip(DecodeUtf8(utf8, what)));
}

std::string ReplaceAll(std::string_view s, std::string_view old_part, std::string_view new_part) {
  FUNASR_ASSERT(!old_part.empty());
  std::string out;
  out.reserve(s.size());
  size_t pos = 0;
  while (true) {
    const size_t hit = s.find(old_part, pos);
    if (hit == std::string_view::npos) break;
    out.append(s.substr(pos, hit - pos));
    out.append(new_part);
    pos = hit + old_part.size();
  }
  out.append(s.substr(pos));
  return out;
}

}  // namespace funasr::text
