// A one-line progress bar on stderr for terminals (disabled otherwise).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace funasr::cli {

class ProgressBar {
 public:
  explicit ProgressBar(bool enabled) : enabled_(enabled) {}
  bool enabled() const { return enabled_; }
  // Begins the bar for input `index` of `count`.
  void Start(const std::string& key, size_t index, size_t count);
  // Redraws when the shown percentage changes.
  void Update(double fraction, int64_t segments_decoded);
  // Clears the line (no-op when nothing is drawn).
  void Finish();

  // The bar text for a fraction (exposed for tests): "[#####.....]  50%".
  static std::string Render(double fraction, int width);

 private:
  bool enabled_;
  bool drawn_ = false;
  int last_percent_ = -1;
  std::string label_;
};

}  // namespace funasr::cli
