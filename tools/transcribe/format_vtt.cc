#include <cstdio>

#include "formats.h"

namespace funasr::cli {

namespace {
std::string VttTime(int64_t ms) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%02lld:%02lld:%02lld.%03lld",
                static_cast<long long>(ms / 3600000), static_cast<long long>(ms / 60000 % 60),
                static_cast<long long>(ms / 1000 % 60), static_cast<long long>(ms % 1000));
  return buf;
}

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
    out += VttTime(c.start_ms) + " --> " + VttTime(c.end_ms) + "\n" + CueText(c.text) + "\n\n";
  }
  return out;
}

}  // namespace funasr::cli
