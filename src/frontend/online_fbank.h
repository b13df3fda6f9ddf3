// OnlineFbank: the Kaldi fbank over a stream fed in chunks of any size.
//
// Each fbank frame depends only on its own window of samples (dither is 0), so computing
// every frame that fits completely as samples arrive gives exactly the frames of the whole
// waveform (snip_edges; spec frontend-vad-punc.md §2.6, §2.7 item 4). Only the samples not
// yet covered by a complete frame are kept (< window + chunk).
#pragma once

#include <cstdint>
#include <vector>

#include "frontend/fbank.h"

namespace funasr::frontend {

class OnlineFbank {
 public:
  // `fbank` must outlive this object; `input_scale` multiplies every sample (32768 for
  // FunASR's [-1, 1) audio).
  OnlineFbank(const Fbank& fbank, float input_scale);

  // Appends `n` samples and appends the rows of every frame that became complete to
  // `frames` ([new, dim] row-major). Returns the number of new frames.
  int64_t AcceptWaveform(const float* samples, int64_t n, std::vector<float>* frames);

  // Forgets the stream (a new one starts at sample 0).
  void Reset();

  int64_t num_samples() const { return num_samples_; }
  int64_t num_frames() const { return num_frames_; }
  int dim() const { return fbank_->dim(); }

 private:
  const Fbank* fbank_;
  float input_scale_;
  std::vector<float> pending_;  // samples from the first sample of frame num_frames_ on
  int64_t skip_ = 0;            // samples still to drop before frame num_frames_ starts
  int64_t num_samples_ = 0;
  int64_t num_frames_ = 0;
  Fbank::Workspace work_;
};

}  // namespace funasr::frontend
