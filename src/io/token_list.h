// Token lists: tokens.json (JSON array of strings, id = index) and legacy tokens.txt (one
// token per line).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace funasr::io {

// Parses a JSON array of strings (full JSON string escapes incl. \u surrogate pairs; a
// leading UTF-8 BOM is skipped). Throws FormatError "<file>: ..." naming the byte offset of
// the problem, or "<file>: empty token list".
std::vector<std::string> ParseTokensJson(std::string_view text, const std::string& file);
// One token per line; trailing whitespace (incl. '\r') is stripped as FunASR's
// line.rstrip() does, a leading UTF-8 BOM is skipped. Empty list is an error.
std::vector<std::string> ParseTokensTxt(std::string_view text, const std::string& file);
// Reads `path` and dispatches on its extension (.txt -> ParseTokensTxt, else JSON).
std::vector<std::string> LoadTokenList(const std::string& path);

// Whole file as a string; IoError naming the path when it cannot be read.
std::string ReadFileToString(const std::string& path);

}  // namespace funasr::io
