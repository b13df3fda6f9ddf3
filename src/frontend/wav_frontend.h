// WavFrontend: FunASR's offline feature pipeline, waveform -> fbank -> LFR -> CMVN
// (spec frontend-vad-punc.md §2, paraformer-pipeline.md §1).
//
// Input: float32 mono samples at `fs` in [-1, 1) as FunASR loads audio (int16 / 32768);
// they are multiplied by 32768 before the filterbank (`upsacle_samples`, FunASR's
// spelling). Output: [T_lfr, n_mels * lfr_m] float32 features, the encoder input.
//
// A WavFrontend is immutable after construction and shared by threads; the streaming
// counterpart with per-stream state is OnlineWavFrontend (online_frontend.h).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/tensor.h"
#include "frontend/fbank.h"
#include "frontend/fbank_options.h"
#include "frontend/lfr.h"
#include "io/model_files.h"

namespace funasr::frontend {

// frontend_conf of a FunASR config.yaml. Field names are FunASR's keys; defaults are the
// WavFrontend class defaults (a config normally sets every one of them).
struct WavFrontendOptions {
  int fs = 16000;                  // sample rate the features are computed at
  std::string window = "hamming";  // window_type of the fbank
  int n_mels = 80;                 // mel bins
  double frame_length = 25;        // ms
  double frame_shift = 10;         // ms
  int lfr_m = 1;                   // LFR stacking (Paraformer 7, FSMN-VAD 5)
  int lfr_n = 1;                   // LFR hop (Paraformer 6, FSMN-VAD 1)
  bool upsacle_samples = true;     // (sic) multiply samples by 32768 before the fbank
  bool snip_edges = true;          // must be true (FunASR never changes it)

  // Reads frontend_conf (e.g. ConfigReader(config, file).Section("frontend_conf")).
  // `dither` is read and type-checked but not applied: inference features are deterministic,
  // as in FunASR's C++ runtime (spec §2.1/§2.7; the Python class default 1.0 adds random
  // noise when a released config omits the key). Unknown keys (cmvn_file,
  // filter_length_min, ...) are ignored. Throws FormatError naming a bad key.
  static WavFrontendOptions FromConfig(const io::ConfigReader& frontend_conf);

  // The fbank options these keys stand for, with frame_length_ms = `frame_length_ms`.
  FbankOptions ToFbankOptions(double frame_length_ms) const;
  FbankOptions ToFbankOptions() const { return ToFbankOptions(frame_length); }
  LfrOptions ToLfrOptions() const { return LfrOptions{lfr_m, lfr_n}; }
};

class WavFrontend {
 public:
  // `cmvn` (from am.mvn) must have n_mels * lfr_m values; without it no CMVN is applied.
  // Throws InvalidArgument / FormatError / Unsupported for inconsistent options.
  WavFrontend(const WavFrontendOptions& opts, std::optional<io::Cmvn> cmvn);

  const WavFrontendOptions& options() const { return opts_; }
  const std::optional<io::Cmvn>& cmvn() const { return cmvn_; }
  const Fbank& fbank() const { return fbank_; }
  const LfrOptions& lfr() const { return lfr_; }
  // 32768 when upsacle_samples, else 1.
  float input_scale() const { return opts_.upsacle_samples ? 32768.f : 1.f; }
  int fbank_dim() const { return opts_.n_mels; }
  // n_mels * lfr_m.
  int output_dim() const { return opts_.n_mels * opts_.lfr_m; }

  // [T_fb, n_mels] log-mel fbank of a whole waveform. Like FunASR's WavFrontend.forward,
  // a waveform shorter than one frame gets a single frame with the window shrunk to the
  // waveform (frame_length = min(frame_length, duration)); fewer than 2 samples give
  // [0, n_mels].
  Tensor ComputeFbank(const float* samples, int64_t num_samples) const;

  // LFR then CMVN of fbank frames [T_fb, n_mels] -> [ceil(T_fb / lfr_n), output_dim()].
  Tensor LfrCmvn(const Tensor& fbank) const;

  // The whole pipeline: [T_lfr, output_dim()].
  Tensor Compute(const float* samples, int64_t num_samples) const;
  Tensor Compute(const std::vector<float>& samples) const {
    return Compute(samples.data(), static_cast<int64_t>(samples.size()));
  }

 private:
  WavFrontendOptions opts_;
  std::optional<io::Cmvn> cmvn_;
  Fbank fbank_;
  LfrOptions lfr_;
};

}  // namespace funasr::frontend
