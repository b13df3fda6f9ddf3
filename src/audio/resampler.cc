#include "audio/resampler.h"

#include <soxr.h>

#include <algorithm>
#include <cstdint>

#include "core/check.h"

namespace funasr::audio {

int64_t Resampler::OutputLength(int64_t n, int in_rate, int out_rate) {
  // 128-bit product: n may be a length claimed by a file header, close to INT64_MAX.
  const __int128 out = (static_cast<__int128>(n) * out_rate + in_rate - 1) / in_rate;
  return out > INT64_MAX ? INT64_MAX : static_cast<int64_t>(out);
}

Resampler::Resampler(int in_rate, int out_rate) : in_rate_(in_rate), out_rate_(out_rate) {
  FUNASR_CHECK(in_rate > 0 && out_rate > 0, ErrorCode::kInvalidArgument,
               "resampler: sample rates must be > 0, got ", in_rate, " -> ", out_rate);
  soxr_error_t err = nullptr;
  const soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I);
  const soxr_quality_spec_t quality = soxr_quality_spec(SOXR_HQ, 0);
  soxr_ = soxr_create(in_rate, out_rate, 1, &err, &io, &quality, nullptr);
  FUNASR_CHECK(soxr_ != nullptr && err == nullptr, ErrorCode::kInternal,
               "resampler: soxr_create(", in_rate, " -> ", out_rate, ") failed: ",
               soxr_strerror(err));
}

Resampler::~Resampler() {
  if (soxr_) soxr_delete(soxr_);
}

void Resampler::Drain(const float* in, size_t n, std::vector<float>* out) {
  // Output room: the rate ratio plus slack for the filter's buffered samples.
  const size_t room = static_cast<size_t>(static_cast<double>(n) * out_rate_ / in_rate_) + 1024;
  size_t consumed = 0;
  for (;;) {
    const size_t old = out->size();
    out->resize(old + room);
    size_t idone = 0, odone = 0;
    soxr_error_t err = soxr_process(soxr_, in ? in + consumed : nullptr, in ? n - consumed : 0,
                                    &idone, out->data() + old, room, &odone);
    out->resize(old + odone);
    FUNASR_CHECK(err == nullptr, ErrorCode::kInternal, "resampler: soxr_process failed: ",
                 soxr_strerror(err));
    out_count_ += static_cast<int64_t>(odone);
    consumed += idone;
    if (in ? (consumed == n && odone < room) : odone == 0) break;
  }
}

void Resampler::Push(const float* in, size_t n, std::vector<float>* out) {
  FUNASR_CHECK(!finished_, ErrorCode::kInvalidArgument, "resampler: Push after Finish");
  if (n == 0) return;
  in_count_ += static_cast<int64_t>(n);
  Drain(in, n, out);
}

void Resampler::Finish(std::vector<float>* out) {
  FUNASR_CHECK(!finished_, ErrorCode::kInvalidArgument, "resampler: Finish called twice");
  finished_ = true;
  const int64_t produced_before = out_count_;
  Drain(nullptr, 0, out);
  // Fix the total to ceil(n * out / in); only the flushed tail can be trimmed (the
  // resampler's running output always lags the final length).
  const int64_t target = OutputLength(in_count_, in_rate_, out_rate_);
  if (out_count_ > target) {
    const int64_t excess = std::min<int64_t>(out_count_ - target, out_count_ - produced_before);
    out->resize(out->size() - excess);
    out_count_ -= excess;
  }
  if (out_count_ < target) {
    out->resize(out->size() + (target - out_count_), 0.f);
    out_count_ = target;
  }
}

}  // namespace funasr::audio
