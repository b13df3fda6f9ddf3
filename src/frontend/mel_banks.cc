#include "frontend/mel_banks.h"

#include <algorithm>
#include <cmath>

#include "core/check.h"

namespace funasr::frontend {

MelBanks::MelBanks(const MelBanksOptions& opts, double samp_freq, int fft_size) {
  FUNASR_CHECK(opts.num_bins >= 1, ErrorCode::kInvalidArgument,
               "mel filterbank: num_bins must be >= 1, got ", opts.num_bins);
  FUNASR_CHECK(fft_size >= 2, ErrorCode::kInvalidArgument,
               "mel filterbank: FFT size must be >= 2, got ", fft_size);
  const double nyquist = 0.5 * samp_freq;
  const double low = opts.low_freq;
  const double high = opts.high_freq > 0 ? opts.high_freq : nyquist + opts.high_freq;
  FUNASR_CHECK(low >= 0 && low < nyquist && high > 0 && high <= nyquist && low < high,
               ErrorCode::kInvalidArgument, "mel filterbank: need 0 <= low_freq < high_freq <= ",
               nyquist, " Hz (Nyquist), got low_freq ", low, ", high_freq ", high);

  const int num_fft_bins = fft_size / 2;  // the Nyquist bin (index fft_size/2) gets weight 0
  const double bin_width = samp_freq / fft_size;
  const double mel_low = MelScale(low);
  const double mel_high = MelScale(high);
  const double delta = (mel_high - mel_low) / (opts.num_bins + 1);

  bins_.resize(opts.num_bins);
  for (int b = 0; b < opts.num_bins; ++b) {
    const double left = mel_low + b * delta;
    const double center = mel_low + (b + 1) * delta;
    const double right = mel_low + (b + 2) * delta;
    Bin& bin = bins_[b];
    bin.first = -1;
    for (int k = 0; k < num_fft_bins; ++k) {
      const double mel = MelScale(bin_width * k);
      const double up = (mel - left) / (center - left);
      const double down = (right - mel) / (right - center);
      const double w = std::max(0.0, std::min(up, down));
      if (w > 0) {
        if (bin.first < 0) bin.first = k;
        // Filters are convex in mel, hence contiguous in k: fill any gap (none occurs).
        bin.weights.resize(k - bin.first + 1, 0.0);
        bin.weights[k - bin.first] = w;
      }
    }
    if (bin.first < 0) bin.first = 0;  // empty filter (tiny FFTs): energy 0 -> log floor
  }
}

void MelBanks::Compute(const double* spectrum, double* out) const {
  for (size_t b = 0; b < bins_.size(); ++b) {
    const Bin& bin = bins_[b];
    const double* s = spectrum + bin.first;
    double sum = 0.0;
    for (size_t i = 0; i < bin.weights.size(); ++i) sum += bin.weights[i] * s[i];
    out[b] = sum;
  }
}

}  // namespace funasr::frontend
