#include "pipeline/quiet_point_segmenter.h"

#include <algorithm>

#include "core/check.h"

namespace funasr::pipeline {

QuietPointSegmenter::QuietPointSegmenter(int max_segment_ms) {
  FUNASR_CHECK(max_segment_ms >= 1000, ErrorCode::kInvalidArgument,
               "max_segment_ms must be at least 1000 ms, got ", max_segment_ms);
  max_frames_ = max_segment_ms / kFrameMs;
  search_frames_ = std::min<int64_t>(max_frames_ / 4, 500);
}

std::vector<TimeSpanMs> QuietPointSegmenter::Feed(const float* samples, size_t n,
                                                  bool is_final) {
  std::vector<TimeSpanMs> pieces;
  for (size_t i = 0; i < n; ++i) {
    partial_energy_ += static_cast<double>(samples[i]) * samples[i];
    if (++partial_count_ == kFrameSamples) {
      energies_.push_back(partial_energy_);
      partial_energy_ = 0;
      partial_count_ = 0;
    }
    // A piece may start in the middle of frame first_frame_ - 1 (see the cut below); the
    // frames counted for it start at first_frame_.
    if (static_cast<int64_t>(energies_.size()) >= max_frames_ - 1) {
      // Quietest frame of the search window (the latest one on ties: longer pieces).
      const int64_t lo = static_cast<int64_t>(energies_.size()) - search_frames_;
      int64_t best = lo;
      for (int64_t f = lo; f < static_cast<int64_t>(energies_.size()); ++f) {
        if (energies_[static_cast<size_t>(f)] <= energies_[static_cast<size_t>(best)]) best = f;
      }
      // Cut in the middle of the quiet frame.
      const int64_t cut_ms = (first_frame_ + best) * kFrameMs + kFrameMs / 2;
      pieces.push_back({piece_start_ms_, cut_ms});
      piece_start_ms_ = cut_ms;
      energies_.erase(energies_.begin(), energies_.begin() + best + 1);
      first_frame_ += best + 1;
    }
  }
  total_samples_ += static_cast<int64_t>(n);
  if (is_final) {
    const int64_t end_ms = (total_samples_ + kSamplesPerMs - 1) / kSamplesPerMs;
    if (end_ms > piece_start_ms_) pieces.push_back({piece_start_ms_, end_ms});
    piece_start_ms_ = end_ms;
  }
  return pieces;
}

}  // namespace funasr::pipeline
