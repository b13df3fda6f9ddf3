// Kaldi log-mel filterbank, as torchaudio.compliance.kaldi.fbank computes it
// (spec frontend-vad-punc.md §2.3, paraformer-pipeline.md §1.2).
//
// Per frame of WindowSize() samples (hop WindowShift(), snip_edges): remove the DC offset,
// pre-emphasise, window, zero-pad to the FFT size, power spectrum, mel filterbank, then
// ln(max(E, FLT_EPSILON)). Computed in double and rounded to float at the end, so the
// result is within float rounding of torchaudio's float32 computation.
//
// An Fbank is immutable after construction and may be shared by threads.
#pragma once

#include <cstdint>
#include <vector>

#include "frontend/fbank_options.h"
#include "frontend/mel_banks.h"
#include "frontend/real_fft.h"

namespace funasr::frontend {

class Fbank {
 public:
  // Throws InvalidArgument / Unsupported for options it cannot honour (dither != 0,
  // use_energy, snip_edges = false, non-power-of-two FFT, window shorter than 2 samples).
  explicit Fbank(const FbankOptions& opts);

  const FbankOptions& options() const { return opts_; }
  int dim() const { return opts_.mel_opts.num_bins; }
  int window_size() const { return window_size_; }
  int window_shift() const { return window_shift_; }

  // Number of frames `num_samples` samples give (snip_edges).
  int64_t NumFrames(int64_t num_samples) const;

  // Features of all NumFrames(num_samples) frames of `samples`, each multiplied by
  // `input_scale` first (FunASR scales [-1, 1) audio by 32768). Writes
  // NumFrames(num_samples) * dim() floats to `out`.
  void Compute(const float* samples, int64_t num_samples, float input_scale, float* out) const;
  // Same, returned as a [frames * dim] row-major vector.
  std::vector<float> Compute(const float* samples, int64_t num_samples,
                             float input_scale = 1.f) const;

  // One frame: `frame` holds window_size() samples. `work` is caller-owned scratch so that
  // concurrent callers do not share state.
  struct Workspace {
    std::vector<double> frame;
    std::vector<std::complex<double>> spectrum;
    std::vector<double> power;
    std::vector<double> mel;
  };
  void ComputeFrame(const float* frame, float input_scale, Workspace* work, float* out) const;

 private:
  FbankOptions opts_;
  int window_size_ = 0;
  int window_shift_ = 0;
  int fft_size_ = 0;
  std::vector<double> window_;
  RealFft fft_;
  MelBanks mel_banks_;
};

}  // namespace funasr::frontend
