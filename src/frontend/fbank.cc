#include "frontend/fbank.h"

#include <algorithm>
#include <cfloat>
#include <cmath>

#include "core/check.h"
#include "frontend/feature_window.h"

namespace funasr::frontend {

namespace {

// Checks the options before any member is built from them.
const FbankOptions& Validated(const FbankOptions& opts) {
  const FrameExtractionOptions& f = opts.frame_opts;
  FUNASR_CHECK(f.samp_freq > 0, ErrorCode::kInvalidArgument, "fbank: samp_freq must be > 0, got ",
               f.samp_freq);
  FUNASR_CHECK(f.WindowShift() >= 1, ErrorCode::kInvalidArgument,
               "fbank: frame_shift_ms ", f.frame_shift_ms, " gives a hop of ", f.WindowShift(),
               " samples at ", f.samp_freq, " Hz (need >= 1)");
  FUNASR_CHECK(f.WindowSize() >= 2, ErrorCode::kInvalidArgument,
               "fbank: frame_length_ms ", f.frame_length_ms, " gives a window of ", f.WindowSize(),
               " samples at ", f.samp_freq, " Hz (need >= 2)");
  // FunASR's C++ runtime never dithers and its Python reference data use dither 0; random
  // noise in the features would make results irreproducible (spec §2.1, §2.7).
  FUNASR_CHECK(f.dither == 0.f, ErrorCode::kUnsupported,
               "fbank: dither must be 0 at inference, got ", f.dither);
  FUNASR_CHECK(f.snip_edges, ErrorCode::kUnsupported, "fbank: snip_edges = false is not supported");
  FUNASR_CHECK(f.round_to_power_of_two, ErrorCode::kUnsupported,
               "fbank: round_to_power_of_two = false is not supported (radix-2 FFT)");
  FUNASR_CHECK(!opts.use_energy, ErrorCode::kUnsupported, "fbank: use_energy is not supported");
  return opts;
}

}  // namespace

Fbank::Fbank(const FbankOptions& opts)
    : opts_(Validated(opts)),
      window_size_(opts.frame_opts.WindowSize()),
      window_shift_(opts.frame_opts.WindowShift()),
      fft_size_(opts.frame_opts.PaddedWindowSize()),
      window_(WindowFunction(opts.frame_opts, window_size_)),
      fft_(fft_size_),
      mel_banks_(opts.mel_opts, opts.frame_opts.samp_freq, fft_size_) {}

int64_t Fbank::NumFrames(int64_t num_samples) const {
  return frontend::NumFrames(num_samples, window_size_, window_shift_);
}

void Fbank::ComputeFrame(const float* frame, float input_scale, Workspace* work,
                         float* out) const {
  const int n = window_size_;
  work->frame.assign(fft_size_, 0.0);
  work->spectrum.resize(fft_size_ / 2 + 1);
  work->power.resize(fft_size_ / 2 + 1);
  work->mel.resize(dim());
  double* x = work->frame.data();
  // The scale is applied in float first, as FunASR multiplies the float32 waveform before
  // calling fbank (exact anyway for the power-of-two 32768).
  for (int i = 0; i < n; ++i) x[i] = static_cast<double>(frame[i] * input_scale);

  const FrameExtractionOptions& f = opts_.frame_opts;
  if (f.remove_dc_offset) {
    double sum = 0.0;
    for (int i = 0; i < n; ++i) sum += x[i];
    const double mean = sum / n;
    for (int i = 0; i < n; ++i) x[i] -= mean;
  }
  if (f.preemph_coeff != 0.f) {
    // Right to left so that x[i-1] is still the un-emphasised value; x[0] uses itself
    // (torchaudio replicate-pads, Kaldi does x[0] -= c x[0]).
    const double c = f.preemph_coeff;
    for (int i = n - 1; i > 0; --i) x[i] -= c * x[i - 1];
    x[0] -= c * x[0];
  }
  for (int i = 0; i < n; ++i) x[i] *= window_[i];

  fft_.Forward(x, work->spectrum.data());
  for (size_t k = 0; k < work->spectrum.size(); ++k) {
    const double p = std::norm(work->spectrum[k]);
    work->power[k] = opts_.use_power ? p : std::sqrt(p);
  }
  mel_banks_.Compute(work->power.data(), work->mel.data());
  for (int b = 0; b < dim(); ++b) {
    const float e = static_cast<float>(work->mel[b]);
    out[b] = opts_.use_log_fbank ? std::log(std::max(e, FLT_EPSILON)) : e;
  }
}

void Fbank::Compute(const float* samples, int64_t num_samples, float input_scale,
                    float* out) const {
  const int64_t frames = NumFrames(num_samples);
  Workspace work;
  for (int64_t t = 0; t < frames; ++t)
    ComputeFrame(samples + t * window_shift_, input_scale, &work, out + t * dim());
}

std::vector<float> Fbank::Compute(const float* samples, int64_t num_samples,
                                  float input_scale) const {
  std::vector<float> out(static_cast<size_t>(NumFrames(num_samples)) * dim());
  Compute(samples, num_samples, input_scale, out.data());
  return out;
}

}  // namespace funasr::frontend
