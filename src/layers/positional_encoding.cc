#include "layers/positional_encoding.h"

#include <cmath>
#include <vector>

#include "core/check.h"

namespace funasr::layers {

namespace {

std::vector<float> InverseTimescales(int64_t depth) {
  FUNASR_CHECK(depth >= 4 && depth % 2 == 0, ErrorCode::kInvalidArgument,
               "sinusoidal position encoding needs an even depth >= 4, got ", depth);
  const int64_t half = depth / 2;
  // torch: log(tensor(10000, f32)) / (depth/2 - 1) -> f32; arange(half) * -inc -> f32; exp.
  const float log_inc = std::log(10000.0f) / static_cast<float>(half - 1);
  std::vector<float> inv(static_cast<size_t>(half));
  for (int64_t j = 0; j < half; ++j) {
    inv[static_cast<size_t>(j)] = std::exp(static_cast<float>(j) * -log_inc);
  }
  return inv;
}

}  // namespace

void AddSinusoidalPositionEncoding(float* x, int64_t t, int64_t depth, int64_t first_position) {
  const std::vector<float> inv = InverseTimescales(depth);
  const int64_t half = depth / 2;
  for (int64_t i = 0; i < t; ++i) {
    const float p = static_cast<float>(first_position + i);
    float* row = x + i * depth;
    for (int64_t j = 0; j < half; ++j) {
      const float a = p * inv[static_cast<size_t>(j)];
      row[j] += std::sin(a);
      row[half + j] += std::cos(a);
    }
  }
}

void ScaleAndAddPositionEncoding(float* x, int64_t t, int64_t depth, float scale,
                                 int64_t first_position) {
  const std::vector<float> inv = InverseTimescales(depth);
  const int64_t half = depth / 2;
  for (int64_t i = 0; i < t; ++i) {
    const float p = static_cast<float>(first_position + i);
    float* row = x + i * depth;
    for (int64_t j = 0; j < depth; ++j) row[j] *= scale;
    for (int64_t j = 0; j < half; ++j) {
      const float a = p * inv[static_cast<size_t>(j)];
      row[j] += std::sin(a);
      row[half + j] += std::cos(a);
    }
  }
}

}  // namespace funasr::layers
