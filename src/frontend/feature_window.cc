#include "frontend/feature_window.h"

#include <cmath>

#include "core/check.h"

namespace funasr::frontend {

int FrameExtractionOptions::WindowShift() const {
  return static_cast<int>(samp_freq * frame_shift_ms * 0.001);
}

int FrameExtractionOptions::WindowSize() const {
  return static_cast<int>(samp_freq * frame_length_ms * 0.001);
}

int FrameExtractionOptions::PaddedWindowSize() const {
  const int size = WindowSize();
  if (!round_to_power_of_two) return size;
  int p = 1;
  while (p < size) p <<= 1;
  return p;
}

int64_t NumFrames(int64_t num_samples, int window_size, int window_shift) {
  if (num_samples < window_size) return 0;
  return 1 + (num_samples - window_size) / window_shift;
}

std::vector<double> WindowFunction(const FrameExtractionOptions& opts, int size) {
  FUNASR_CHECK(size >= 2, ErrorCode::kInvalidArgument, "frame window must have >= 2 samples, got ",
               size);
  const double kPi = 3.14159265358979323846;
  const double a = 2.0 * kPi / (size - 1);
  std::vector<double> w(size);
  const std::string& type = opts.window_type;
  for (int n = 0; n < size; ++n) {
    const double c = std::cos(a * n);
    if (type == "hamming") {
      w[n] = 0.54 - 0.46 * c;
    } else if (type == "hanning") {
      w[n] = 0.5 - 0.5 * c;
    } else if (type == "povey") {
      w[n] = std::pow(0.5 - 0.5 * c, 0.85);
    } else if (type == "rectangular") {
      w[n] = 1.0;
    } else if (type == "blackman") {
      w[n] = opts.blackman_coeff - 0.5 * c + (0.5 - opts.blackman_coeff) * std::cos(2.0 * a * n);
    } else {
      Fail(ErrorCode::kInvalidArgument, "unknown window type '", type,
           "' (expected hamming, hanning, povey, rectangular or blackman)");
    }
  }
  return w;
}

}  // namespace funasr::frontend
