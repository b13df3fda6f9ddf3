#include "frontend/wav_frontend.h"

#include <algorithm>

#include "core/check.h"
#include "frontend/cmvn.h"

namespace funasr::frontend {

FbankOptions WavFrontendOptions::ToFbankOptions(double frame_length_ms) const {
  FbankOptions o;
  o.frame_opts.samp_freq = fs;
  o.frame_opts.frame_length_ms = frame_length_ms;
  o.frame_opts.frame_shift_ms = frame_shift;
  o.frame_opts.window_type = window;
  o.frame_opts.snip_edges = snip_edges;
  o.frame_opts.dither = 0.f;
  o.mel_opts.num_bins = n_mels;
  o.energy_floor = 0.f;
  return o;
}

namespace {

const WavFrontendOptions& Validated(const WavFrontendOptions& opts) {
  FUNASR_CHECK(opts.fs > 0, ErrorCode::kInvalidArgument, "frontend: fs must be > 0, got ", opts.fs);
  FUNASR_CHECK(opts.n_mels >= 1, ErrorCode::kInvalidArgument, "frontend: n_mels must be >= 1, got ",
               opts.n_mels);
  opts.ToLfrOptions().Validate();
  return opts;
}

}  // namespace

WavFrontend::WavFrontend(const WavFrontendOptions& opts, std::optional<io::Cmvn> cmvn)
    : opts_(Validated(opts)),
      cmvn_(std::move(cmvn)),
      fbank_(opts.ToFbankOptions()),
      lfr_(opts.ToLfrOptions()) {
  if (cmvn_) CheckCmvnDim(*cmvn_, output_dim());
}

Tensor WavFrontend::ComputeFbank(const float* samples, int64_t num_samples) const {
  FUNASR_CHECK(num_samples >= 0 && (samples != nullptr || num_samples == 0),
               ErrorCode::kInvalidArgument, "frontend: invalid waveform (", num_samples,
               " samples)");
  if (num_samples >= fbank_.window_size()) {
    Tensor out = Tensor::Zeros(DType::kF32, {fbank_.NumFrames(num_samples), fbank_dim()});
    fbank_.Compute(samples, num_samples, input_scale(), out.mutable_data<float>());
    return out;
  }
  // FunASR passes frame_length = min(frame_length, len / fs * 1000) ms; the double
  // arithmetic is kept as Python's so the window rounds to the same sample count.
  const double duration_ms = static_cast<double>(num_samples) / opts_.fs * 1000.0;
  FbankOptions short_opts = opts_.ToFbankOptions(std::min(opts_.frame_length, duration_ms));
  if (short_opts.frame_opts.WindowSize() < 2 || num_samples < 2)
    return Tensor::Zeros(DType::kF32, {0, fbank_dim()});
  const Fbank short_fbank(short_opts);
  Tensor out = Tensor::Zeros(DType::kF32, {short_fbank.NumFrames(num_samples), fbank_dim()});
  short_fbank.Compute(samples, num_samples, input_scale(), out.mutable_data<float>());
  return out;
}

Tensor WavFrontend::LfrCmvn(const Tensor& fbank) const {
  FUNASR_CHECK(fbank.rank() == 2 && fbank.dim(1) == fbank_dim(), ErrorCode::kInvalidArgument,
               "frontend: expected fbank [T, ", fbank_dim(), "], got ", ShapeToString(fbank.shape()));
  Tensor out = ApplyLfr(fbank, lfr_);
  if (cmvn_ && out.dim(0) > 0) ApplyCmvn(*cmvn_, &out);
  return out;
}

Tensor WavFrontend::Compute(const float* samples, int64_t num_samples) const {
  return LfrCmvn(ComputeFbank(samples, num_samples));
}

}  // namespace funasr::frontend
