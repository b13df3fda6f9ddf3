#include "io/seg_dict.h"

#include <cctype>

#include "core/check.h"
#include "io/token_list.h"

namespace funasr::io {

SegDict ParseSegDict(std::string_view text, const std::string& file) {
  SegDict dict;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    std::vector<std::string> words;
    size_t i = 0;
    while (i < line.size()) {
      while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i]))) ++i;
      size_t start = i;
      while (i < line.size() && !std::isspace(static_cast<unsigned char>(line[i]))) ++i;
      if (i > start) words.emplace_back(line.substr(start, i - start));
    }
    if (words.empty()) continue;
    std::string key = std::move(words.front());
    words.erase(words.begin());
    dict.insert_or_assign(std::move(key), std::move(words));
  }
  return dict;
}

SegDict LoadSegDict(const std::string& path) { return ParseSegDict(ReadFileToString(path), path); }

}  // namespace funasr::io
