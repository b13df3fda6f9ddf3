#include "io/token_list.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "core/check.h"

namespace funasr::io {

std::string ReadFileToString(const std::string& path) {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) Fail(ErrorCode::kIoError, path, ": cannot open (", std::strerror(errno), ")");
  std::string out;
  if (std::fseek(f, 0, SEEK_END) == 0) {
    long size = std::ftell(f);
    if (size > 0) out.reserve(static_cast<size_t>(size));
    std::fseek(f, 0, SEEK_SET);
  }
  char buf[1 << 16];
  size_t got;
  while ((got = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, got);
  bool error = std::ferror(f) != 0;
  std::fclose(f);
  FUNASR_CHECK(!error, ErrorCode::kIoError, path, ": read error");
  return out;
}

namespace {

std::string_view SkipBom(std::string_view s) {
  if (s.size() >= 3 && static_cast<unsigned char>(s[0]) == 0xEF &&
      static_cast<unsigned char>(s[1]) == 0xBB && static_cast<unsigned char>(s[2]) == 0xBF)
    s.remove_prefix(3);
  return s;
}

void AppendUtf8(uint32_t cp, std::string& out) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// A minimal JSON reader for exactly one shape, an array of strings: tokens.json of the
// punctuation model has 272,727 entries and a general DOM parser spends most of its time
// allocating nodes we would throw away.
class JsonStringArrayParser {
 public:
  JsonStringArrayParser(std::string_view text, const std::string& file)
      : s_(text), file_(file) {}

  std::vector<std::string> Parse() {
    std::vector<std::string> out;
    SkipSpace();
    if (!Consume('[')) Bad("expected '[' (a JSON array of token strings)");
    SkipSpace();
    if (Consume(']')) {
      End();
      return out;
    }
    // Rough pre-size: one token per ~8 bytes.
    out.reserve(s_.size() / 8 + 1);
    while (true) {
      SkipSpace();
      if (pos_ >= s_.size() || s_[pos_] != '"')
        Bad("token ", out.size(), " is not a string");
      out.emplace_back();
      String(out.back());
      SkipSpace();
      if (Consume(',')) continue;
      if (Consume(']')) break;
      Bad("expected ',' or ']'");
    }
    End();
    return out;
  }

 private:
  template <typename... Args>
  [[noreturn]] void Bad(Args&&... args) const {
    Fail(ErrorCode::kFormatError, file_, ": invalid JSON token list at byte ", pos_, ": ",
         std::forward<Args>(args)...);
  }
  void SkipSpace() {
    while (pos_ < s_.size() &&
           (s_[pos_] == ' ' || s_[pos_] == '\n' || s_[pos_] == '\r' || s_[pos_] == '\t'))
      ++pos_;
  }
  bool Consume(char c) {
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  void End() {
    SkipSpace();
    if (pos_ != s_.size()) Bad("unexpected content after the array");
  }
  uint32_t Hex4() {
    if (s_.size() - pos_ < 4) Bad("truncated \\u escape");
    uint32_t v = 0;
    for (int k = 0; k < 4; ++k) {
      char c = s_[pos_++];
      v <<= 4;
      if (c >= '0' && c <= '9') v |= c - '0';
      else if (c >= 'a' && c <= 'f') v |= c - 'a' + 10;
      else if (c >= 'A' && c <= 'F') v |= c - 'A' + 10;
      else Bad("bad \\u escape");
    }
    return v;
  }
  void String(std::string& out) {
    ++pos_;  // opening quote
    while (true) {
      size_t start = pos_;
      while (pos_ < s_.size() && s_[pos_] != '"' && s_[pos_] != '\\' &&
             static_cast<unsigned char>(s_[pos_]) >= 0x20)
        ++pos_;
      out.append(s_.data() + start, pos_ - start);
      if (pos_ >= s_.size()) Bad("unterminated string");
      char c = s_[pos_];
      if (c == '"') {
        ++pos_;
        return;
      }
      if (c != '\\') Bad("control character in string");
      ++pos_;
      if (pos_ >= s_.size()) Bad("unterminated escape");
      char e = s_[pos_++];
      switch (e) {
        case '"': out.push_back('"'); break;
        case '\\': out.push_back('\\'); break;
        case '/': out.push_back('/'); break;
        case 'b': out.push_back('\b'); break;
        case 'f': out.push_back('\f'); break;
        case 'n': out.push_back('\n'); break;
        case 'r': out.push_back('\r'); break;
        case 't': out.push_back('\t'); break;
        case 'u': {
          uint32_t cp = Hex4();
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (s_.size() - pos_ < 2 || s_[pos_] != '\\' || s_[pos_ + 1] != 'u')
              Bad("unpaired surrogate");
            pos_ += 2;
            uint32_t lo = Hex4();
            if (lo < 0xDC00 || lo > 0xDFFF) Bad("unpaired surrogate");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            Bad("unpaired surrogate");
          }
          AppendUtf8(cp, out);
          break;
        }
        default:
          Bad("bad escape");
      }
    }
  }

  std::string_view s_;
  const std::string& file_;
  size_t pos_ = 0;
};

}  // namespace

std::vector<std::string> ParseTokensJson(std::string_view text, const std::string& file) {
  std::vector<std::string> tokens = JsonStringArrayParser(SkipBom(text), file).Parse();
  FUNASR_CHECK(!tokens.empty(), ErrorCode::kFormatError, file, ": empty token list");
  return tokens;
}

std::vector<std::string> ParseTokensTxt(std::string_view text, const std::string& file) {
  text = SkipBom(text);
  std::vector<std::string> tokens;
  tokens.reserve(text.size() / 8 + 1);
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    size_t end = nl;
    while (end > pos && (text[end - 1] == ' ' || text[end - 1] == '\t' || text[end - 1] == '\r' ||
                         text[end - 1] == '\v' || text[end - 1] == '\f'))
      --end;
    tokens.emplace_back(text.data() + pos, end - pos);
    pos = nl + 1;
  }
  FUNASR_CHECK(!tokens.empty(), ErrorCode::kFormatError, file, ": empty token list");
  return tokens;
}

std::vector<std::string> LoadTokenList(const std::string& path) {
  std::string text = ReadFileToString(path);
  bool txt = path.size() >= 4 && path.compare(path.size() - 4, 4, ".txt") == 0;
  return txt ? ParseTokensTxt(text, path) : ParseTokensJson(text, path);
}

}  // namespace funasr::io
