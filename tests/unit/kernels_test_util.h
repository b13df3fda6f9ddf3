// Helpers shared by the kernel and layer unit tests: seeded random data and error measures.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace funasr_test {

inline std::vector<float> RandomVector(int64_t n, uint32_t seed, float lo = -1.f,
                                       float hi = 1.f) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<float> dist(lo, hi);
  std::vector<float> v(static_cast<size_t>(n));
  for (auto& x : v) x = dist(gen);
  return v;
}

// max |a - b| / max(1, |b|): absolute for small values, relative for large ones.
inline double MaxScaledError(const std::vector<float>& a, const std::vector<double>& b) {
  double e = 0;
  for (size_t i = 0; i < a.size(); ++i)
    e = std::max(e, std::fabs(a[i] - b[i]) / std::max(1.0, std::fabs(b[i])));
  return e;
}

// "" when a and b hold the same bits, else how many elements differ and by how much at most.
inline std::string BitDifference(const std::vector<float>& a, const std::vector<float>& b) {
  if (a.size() != b.size()) return "sizes differ";
  size_t n = 0;
  double worst = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::memcmp(&a[i], &b[i], sizeof(float)) != 0) {
      ++n;
      worst = std::max(worst, static_cast<double>(std::fabs(a[i] - b[i])));
    }
  }
  if (n == 0) return "";
  return std::to_string(n) + " of " + std::to_string(a.size()) + " differ, max " +
         std::to_string(worst);
}

}  // namespace funasr_test
