#include <cstdio>

#include "formats.h"

namespace funasr::cli {

namespace {
std::string SrtTime(int64_t ms) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%02lld:%02lld:%02lld,%03lld",
                static_cast<long long>(ms / 3600000), static_cast<long long>(ms / 60000 % 60),
                static_cast<long long>(ms / 1000 % 60), static_cast<long long>(ms % 1000));
  return buf;
}
}  // namespace

std::string FormatSrt(const std::vector<Cue>& cues) {
  std::string out;
  for (size_t i = 0; i < cues.size(); ++i) {
    out += std::to_string(i + 1) + "\n" + SrtTime(cues[i].start_ms) + " --> " +
           SrtTime(cues[i].end_ms) + "\n" + cues[i].text + "\n\n";
  }
  return out;
}

}  // namespace funasr::cli
