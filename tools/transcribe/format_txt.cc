#include <string>

#include "formats.h"

namespace funasr::cli {

std::optional<OutputFormat> ParseFormat(const std::string& name) {
  if (name == "txt") return OutputFormat::kTxt;
  if (name == "json") return OutputFormat::kJson;
  if (name == "jsonl") return OutputFormat::kJsonl;
  if (name == "srt") return OutputFormat::kSrt;
  if (name == "vtt") return OutputFormat::kVtt;
  return std::nullopt;
}

const char* FormatExtension(OutputFormat format) {
  switch (format) {
    case OutputFormat::kTxt: return "txt";
    case OutputFormat::kJson: return "json";
    case OutputFormat::kJsonl: return "jsonl";
    case OutputFormat::kSrt: return "srt";
    case OutputFormat::kVtt: return "vtt";
  }
  return "txt";
}

std::string FormatTxt(const TranscriptionResult& result, bool key_prefix) {
  const std::string prefix = key_prefix ? result.key + "\t" : "";
  std::string out;
  if (!result.has_asr) {
    for (const auto& s : result.vad_segments) {
      out += prefix + std::to_string(s.start) + "\t" + std::to_string(s.end) + "\n";
    }
    return out;
  }
  std::string text = result.text;
  // A text is one line: newlines inside it (none from the models) would break the format.
  for (char& c : text) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return prefix + text + "\n";
}

}  // namespace funasr::cli
