#include "formats.h"

namespace funasr::cli {

std::string FormatSrt(const std::vector<Cue>& cues) {
  std::string out;
  for (size_t i = 0; i < cues.size(); ++i) {
    out += std::to_string(i + 1) + "\n" + CueClock(cues[i].start_ms, ',') + " --> " +
           CueClock(cues[i].end_ms, ',') + "\n" + cues[i].text + "\n\n";
  }
  return out;
}

}  // namespace funasr::cli
