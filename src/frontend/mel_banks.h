// Kaldi's triangular mel filterbank (mel(f) = 1127 ln(1 + f/700)), spec frontend-vad-punc.md
// §2.3 step 10: filter b spans mel_low + b*delta .. mel_low + (b+2)*delta with its peak at
// mel_low + (b+1)*delta, delta = (mel_high - mel_low) / (num_bins + 1). FFT bin k has
// frequency k * samp_freq / fft_size; the Nyquist bin always has weight 0.
#pragma once

#include <cmath>
#include <vector>

#include "frontend/fbank_options.h"

namespace funasr::frontend {

class MelBanks {
 public:
  // Throws InvalidArgument for inconsistent frequencies (low >= high, high > Nyquist...).
  MelBanks(const MelBanksOptions& opts, double samp_freq, int fft_size);

  static double MelScale(double freq) { return 1127.0 * std::log(1.0 + freq / 700.0); }
  static double InverseMelScale(double mel) { return 700.0 * (std::exp(mel / 1127.0) - 1.0); }

  int num_bins() const { return static_cast<int>(bins_.size()); }

  // out[b] = sum_k W[b, k] * spectrum[k] for the fft_size/2 + 1 spectrum values.
  void Compute(const double* spectrum, double* out) const;

  // Filter b: weights of FFT bins first .. first + weights.size() - 1 (all others are 0).
  struct Bin {
    int first = 0;
    std::vector<double> weights;
  };
  const Bin& bin(int b) const { return bins_[b]; }

 private:
  std::vector<Bin> bins_;
};

}  // namespace funasr::frontend
