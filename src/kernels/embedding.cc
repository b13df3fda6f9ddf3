// Embedding lookup and sequence masks.
#include "kernels/embedding.h"

#include <algorithm>
#include <cstring>

#include "core/check.h"

namespace funasr::kernels {

void Embedding(const Tensor& table, const int64_t* ids, int64_t n, float* out) {
  FUNASR_CHECK(table.defined() && table.rank() == 2, ErrorCode::kInternal,
               "Embedding: table must be 2-D, got ", ShapeToString(table.shape()));
  const int64_t v = table.dim(0), d = table.dim(1);
  for (int64_t r = 0; r < n; ++r) {
    FUNASR_CHECK(ids[r] >= 0 && ids[r] < v, ErrorCode::kInvalidArgument, "embedding id ",
                 ids[r], " at position ", r, " is outside the vocabulary [0, ", v, ")");
  }
  if (table.dtype() == DType::kF32) {
    const float* t = table.data<float>();
    for (int64_t r = 0; r < n; ++r)
      std::memcpy(out + r * d, t + ids[r] * d, static_cast<size_t>(d) * sizeof(float));
  } else if (table.dtype() == DType::kF16) {
    const uint16_t* t = table.data<uint16_t>();
    for (int64_t r = 0; r < n; ++r) {
      const uint16_t* row = t + ids[r] * d;
      float* o = out + r * d;
      for (int64_t i = 0; i < d; ++i) o[i] = HalfToFloat(row[i]);
    }
  } else {
    Fail(ErrorCode::kUnsupported, "Embedding: table dtype ", DTypeName(table.dtype()),
         " is not supported (f32 or f16)");
  }
}

std::vector<uint8_t> SequenceMask(const std::vector<int64_t>& lengths, int64_t max_len) {
  if (max_len < 0) {
    max_len = 0;
    for (int64_t l : lengths) max_len = std::max(max_len, l);
  }
  std::vector<uint8_t> mask(lengths.size() * static_cast<size_t>(max_len), 0);
  for (size_t b = 0; b < lengths.size(); ++b) {
    const int64_t l = std::clamp<int64_t>(lengths[b], 0, max_len);
    std::fill_n(mask.begin() + static_cast<int64_t>(b) * max_len, l, uint8_t{1});
  }
  return mask;
}

}  // namespace funasr::kernels
