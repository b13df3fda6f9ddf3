#include "frontend/lfr.h"

#include <algorithm>
#include <cstring>

#include "core/check.h"

namespace funasr::frontend {

int64_t LfrOptions::NumOutputFrames(int64_t num_frames) const {
  return (num_frames + lfr_n - 1) / lfr_n;
}

void LfrOptions::Validate() const {
  FUNASR_CHECK(lfr_m >= 1 && lfr_n >= 1, ErrorCode::kInvalidArgument,
               "LFR: lfr_m and lfr_n must be >= 1, got lfr_m ", lfr_m, ", lfr_n ", lfr_n);
}

void ApplyLfr(const float* x, int64_t num_frames, int dim, const LfrOptions& opts, float* out) {
  opts.Validate();
  const int64_t rows = opts.NumOutputFrames(num_frames);
  const int64_t left = opts.left_padding();
  for (int64_t i = 0; i < rows; ++i) {
    for (int j = 0; j < opts.lfr_m; ++j) {
      const int64_t src = std::clamp<int64_t>(i * opts.lfr_n + j - left, 0, num_frames - 1);
      std::memcpy(out + (i * opts.lfr_m + j) * dim, x + src * dim, sizeof(float) * dim);
    }
  }
}

Tensor ApplyLfr(const Tensor& x, const LfrOptions& opts) {
  FUNASR_CHECK(x.rank() == 2, ErrorCode::kInvalidArgument, "LFR: expected [T, dim] features, got ",
               ShapeToString(x.shape()));
  const int64_t frames = x.dim(0);
  const int dim = static_cast<int>(x.dim(1));
  opts.Validate();
  Tensor out = Tensor::Zeros(DType::kF32, {opts.NumOutputFrames(frames), int64_t{opts.lfr_m} * dim});
  if (frames > 0) ApplyLfr(x.data<float>(), frames, dim, opts, out.mutable_data<float>());
  return out;
}

}  // namespace funasr::frontend
