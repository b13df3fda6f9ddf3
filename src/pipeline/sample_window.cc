#include "pipeline/sample_window.h"

#include <algorithm>

#include "core/check.h"

namespace funasr::pipeline {

void SampleWindow::Append(const float* samples, size_t n) {
  // Compact when the discarded prefix dominates, so appends stay amortised O(n).
  if (offset_ > 0 && static_cast<size_t>(offset_) >= buffer_.size() / 2) {
    buffer_.erase(buffer_.begin(), buffer_.begin() + offset_);
    offset_ = 0;
  }
  buffer_.insert(buffer_.end(), samples, samples + n);
}

void SampleWindow::DiscardBefore(int64_t index) {
  const int64_t drop = std::min(index, end()) - begin_;
  if (drop <= 0) return;
  offset_ += drop;
  begin_ += drop;
}

std::vector<float> SampleWindow::Copy(int64_t begin, int64_t end) const {
  end = std::min(end, this->end());
  if (end <= begin) return {};
  FUNASR_CHECK(begin >= begin_, ErrorCode::kInternal, "pipeline: samples [", begin, ", ", end,
               ") requested but the window starts at ", begin_);
  const auto first = buffer_.begin() + offset_ + (begin - begin_);
  return std::vector<float>(first, first + (end - begin));
}

}  // namespace funasr::pipeline
