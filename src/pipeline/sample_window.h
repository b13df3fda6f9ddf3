// The recent part of a stream of samples: appended at the end, discarded at the front, read
// by absolute sample index. Keeps the pipeline's memory bounded on audio of any length.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace funasr::pipeline {

class SampleWindow {
 public:
  void Append(const float* samples, size_t n);
  // Forgets samples before absolute index `index` (no-op if already gone).
  void DiscardBefore(int64_t index);
  // Samples [begin, end) clipped to what was received; throws kInternal if part of the
  // range was already discarded.
  std::vector<float> Copy(int64_t begin, int64_t end) const;

  int64_t begin() const { return begin_; }  // absolute index of the first kept sample
  int64_t end() const { return begin_ + static_cast<int64_t>(buffer_.size()) - offset_; }
  size_t kept() const { return buffer_.size() - static_cast<size_t>(offset_); }

 private:
  std::vector<float> buffer_;
  int64_t offset_ = 0;  // buffer_[offset_] is sample begin_
  int64_t begin_ = 0;
};

}  // namespace funasr::pipeline
