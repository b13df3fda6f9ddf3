#include "frontend/online_fbank.h"

#include <algorithm>

#include "core/check.h"

namespace funasr::frontend {

OnlineFbank::OnlineFbank(const Fbank& fbank, float input_scale)
    : fbank_(&fbank), input_scale_(input_scale) {}

int64_t OnlineFbank::AcceptWaveform(const float* samples, int64_t n, std::vector<float>* frames) {
  FUNASR_CHECK(n >= 0 && (samples != nullptr || n == 0), ErrorCode::kInvalidArgument,
               "OnlineFbank: invalid chunk of ", n, " samples");
  num_samples_ += n;
  // With a hop longer than the window, samples between two frames belong to none.
  const int64_t skipped = std::min(skip_, n);
  skip_ -= skipped;
  pending_.insert(pending_.end(), samples + skipped, samples + n);
  const int64_t count = fbank_->NumFrames(static_cast<int64_t>(pending_.size()));
  if (count == 0) return 0;
  const size_t old = frames->size();
  frames->resize(old + static_cast<size_t>(count) * dim());
  const int shift = fbank_->window_shift();
  for (int64_t t = 0; t < count; ++t)
    fbank_->ComputeFrame(pending_.data() + t * shift, input_scale_, &work_,
                         frames->data() + old + t * dim());
  const int64_t consumed = count * shift;
  if (consumed >= static_cast<int64_t>(pending_.size())) {
    skip_ = consumed - static_cast<int64_t>(pending_.size());
    pending_.clear();
  } else {
    pending_.erase(pending_.begin(), pending_.begin() + consumed);
  }
  num_frames_ += count;
  return count;
}

void OnlineFbank::Reset() {
  pending_.clear();
  skip_ = 0;
  num_samples_ = 0;
  num_frames_ = 0;
}

}  // namespace funasr::frontend
