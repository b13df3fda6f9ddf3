#include "formats.h"

namespace funasr::cli {

namespace {
// WebVTT cue text is markup: '&', '<' and '>' must be escaped (this also keeps "-->" from
// reading as a timing line).
std::string CueText(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '&') out += "&amp;";
    else if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else out += c;
  }
  return out;
}
}  // namespace

std::string FormatVtt(const std::vector<Cue>& cues) {
  std::string out = "WEBVTT\n\n";
  for (const auto& c : cues) {
    out += CueClock(c.start_ms, '.') + " --> " + CueClock(c.end_ms, '.') + "\n" + CueText(c.text) + "\n\n";
  }
  return out;
}

}  // namespace funasr::cli
