// Segmentation without a VAD model: the whole audio is one utterance, as in AutoModel
// without vad_model, but audio longer than max_segment_ms is cut into pieces of at most
// that length so that memory and attention cost stay bounded. Each cut is placed at the
// quietest 10 ms frame (lowest energy) in the last quarter (at most 5 s) before the limit,
// so that it falls in a pause rather than inside a word whenever the audio has one.
#pragma once

#include <cstdint>
#include <vector>

#include "pipeline/stages.h"

namespace funasr::pipeline {

class QuietPointSegmenter : public VadSession {
 public:
  explicit QuietPointSegmenter(int max_segment_ms);

  std::vector<TimeSpanMs> Feed(const float* samples, size_t n, bool is_final) override;
  int64_t earliest_pending_ms() const override { return piece_start_ms_; }

 private:
  static constexpr int kFrameSamples = 160;  // 10 ms
  static constexpr int kFrameMs = 10;

  int64_t max_frames_;
  int64_t search_frames_;
  int64_t total_samples_ = 0;
  double partial_energy_ = 0;       // energy of the incomplete frame at the end
  int partial_count_ = 0;
  int64_t piece_start_ms_ = 0;
  int64_t first_frame_ = 0;         // frame index of energies_[0]
  std::vector<double> energies_;    // complete frames since the current piece started
};

}  // namespace funasr::pipeline
