#include "text/hotword_list.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/check.h"
#include "text/utf8.h"

namespace funasr::text {
namespace {

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// re.match(r"^[\u4E00-\u9FA50-9]+$", word)
bool IsCjkOrDigitWord(std::u32string_view word) {
  if (word.empty()) return false;
  for (char32_t c : word)
    if (!((c >= 0x4E00 && c <= 0x9FA5) || IsAsciiDigit(c))) return false;
  return true;
}

void AppendPieces(const SegDict& seg_dict, const std::string& key, bool* found,
                  std::vector<std::string>* out) {
  auto it = seg_dict.find(key);
  *found = it != seg_dict.end();
  if (*found) out->insert(out->end(), it->second.begin(), it->second.end());
}

}  // namespace

std::vector<HotwordSpec> ParseHotwordString(std::string_view hotwords) {
  std::vector<HotwordSpec> out;
  for (auto& word : PythonSplit(hotwords, "hotwords")) out.push_back({{std::move(word)}});
  return out;
}

std::vector<HotwordSpec> ParseHotwordLines(std::string_view content, std::string_view source) {
  if (content.substr(0, 3) == "\xEF\xBB\xBF") content.remove_prefix(3);
  CheckUtf8(content, source);
  std::vector<HotwordSpec> out;
  // Python text-mode readlines(): lines end at "\n", "\r\n" or "\r".
  size_t pos = 0;
  while (pos < content.size()) {
    size_t end = content.find_first_of("\r\n", pos);
    if (end == std::string_view::npos) end = content.size();
    std::vector<std::string> words = PythonSplit(content.substr(pos, end - pos), source);
    if (!words.empty()) out.push_back({std::move(words)});
    if (end < content.size() && content[end] == '\r' && end + 1 < content.size() &&
        content[end + 1] == '\n')
      ++end;
    pos = end + 1;
  }
  return out;
}

std::vector<HotwordSpec> ReadHotwordFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  FUNASR_CHECK(in.good(), ErrorCode::kIoError, "cannot open hotword file ", path);
  std::ostringstream ss;
  ss << in.rdbuf();
  FUNASR_CHECK(!in.bad(), ErrorCode::kIoError, "cannot read hotword file ", path);
  return ParseHotwordLines(ss.str(), path);
}

std::vector<HotwordSpec> ParseHotwordArgument(const std::string& argument) {
  if (EndsWith(argument, ".txt")) {
    std::error_code ec;
    FUNASR_CHECK(std::filesystem::is_regular_file(argument, ec), ErrorCode::kIoError,
                 "hotword file ", argument, " does not exist");
    return ReadHotwordFile(argument);
  }
  FUNASR_CHECK(argument.compare(0, 4, "http") != 0, ErrorCode::kUnsupported,
               "hotword URLs are not supported (", argument,
               "); download the file and pass its path");
  return ParseHotwordString(argument);
}

std::vector<std::string> TokenizeHotword(const std::vector<std::string>& words,
                                         const SegDict* seg_dict) {
  if (seg_dict == nullptr) {
    for (const auto& w : words) CheckUtf8(w, "hotword");
    return words;
  }
  std::vector<std::string> out;
  for (const auto& raw : words) {
    const std::u32string word = PythonLower(DecodeUtf8(raw, "hotword"));
    bool found = false;
    AppendPieces(*seg_dict, EncodeUtf8(word), &found, &out);
    if (found) continue;
    if (IsCjkOrDigitWord(word)) {
      for (char32_t c : word) {
        AppendPieces(*seg_dict, EncodeUtf8(c), &found, &out);
        if (!found) out.push_back("<unk>");
      }
    } else {
      out.push_back("<unk>");
    }
  }
  return out;
}

HotwordList BuildHotwordList(const std::vector<HotwordSpec>& hotwords, const TokenList& tokens,
                             const SegDict* seg_dict, const SpecialTokenIds& special,
                             const HotwordLimits& limits) {
  FUNASR_CHECK(hotwords.size() <= limits.max_hotwords, ErrorCode::kInvalidArgument, "got ",
               hotwords.size(), " hotwords, more than the limit of ", limits.max_hotwords);
  HotwordList out;
  out.ids.reserve(hotwords.size() + 1);
  for (const auto& hw : hotwords) {
    std::string text;
    for (const auto& w : hw.words) text += (text.empty() ? "" : " ") + w;
    const std::vector<std::string> pieces = TokenizeHotword(hw.words, seg_dict);
    if (pieces.empty()) {  // Python keeps [], which its LSTM packing then rejects
      ++out.num_without_tokens;
      continue;
    }
    FUNASR_CHECK(pieces.size() <= limits.max_tokens_per_hotword, ErrorCode::kInvalidArgument,
                 "hotword \"", text.substr(0, 64), text.size() > 64 ? "..." : "", "\" has ",
                 pieces.size(), " tokens, more than the limit of ", limits.max_tokens_per_hotword);
    std::vector<int64_t> ids = tokens.TokensToIds(pieces);
    bool all_unknown = true;
    for (int64_t id : ids) all_unknown = all_unknown && id == tokens.unk_id();
    if (all_unknown) ++out.num_all_unknown;
    out.ids.push_back(std::move(ids));
    out.texts.push_back(std::move(text));
  }
  out.ids.push_back({special.sos});
  return out;
}

}  // namespace funasr::text
