#include "progress_bar.h"

#include <algorithm>
#include <cstdio>

namespace funasr::cli {

std::string ProgressBar::Render(double fraction, int width) {
  fraction = std::clamp(fraction, 0.0, 1.0);
  const int filled = static_cast<int>(fraction * width + 1e-9);
  char pct[16];
  std::snprintf(pct, sizeof(pct), "%4d%%", static_cast<int>(fraction * 100 + 1e-9));
  return "[" + std::string(static_cast<size_t>(filled), '#') +
         std::string(static_cast<size_t>(width - filled), '.') + "]" + pct;
}

void ProgressBar::Start(const std::string& key, size_t index, size_t count) {
  if (!enabled_) return;
  label_ = count > 1 ? "[" + std::to_string(index) + "/" + std::to_string(count) + "] " + key : key;
  last_percent_ = -1;
}

void ProgressBar::Update(double fraction, int64_t segments_decoded) {
  if (!enabled_) return;
  const int percent = static_cast<int>(std::clamp(fraction, 0.0, 1.0) * 100);
  if (percent == last_percent_) return;
  last_percent_ = percent;
  std::fprintf(stderr, "\r\033[K%s %s %lld segments", label_.c_str(), Render(fraction, 30).c_str(),
               static_cast<long long>(segments_decoded));
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressBar::Finish() {
  if (!enabled_ || !drawn_) return;
  std::fprintf(stderr, "\r\033[K");
  std::fflush(stderr);
  drawn_ = false;
}

}  // namespace funasr::cli
