// kernels::LstmForwardPacked (many sequences, one GEMM per step) against LstmDirection run
// on each sequence alone.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include "core/threading.h"
#include "kernels/lstm.h"
#include "kernels_test_util.h"

namespace funasr::kernels {
namespace {

using funasr_test::RandomVector;

LstmDirectionWeights MakeLstm(int64_t in, int64_t h, uint32_t seed) {
  LstmDirectionWeights w;
  w.weight_ih = Tensor::FromVector({4 * h, in}, RandomVector(4 * h * in, seed, -0.5f, 0.5f));
  w.weight_hh = Tensor::FromVector({4 * h, h}, RandomVector(4 * h * h, seed + 1, -0.5f, 0.5f));
  w.bias_ih = Tensor::FromVector({4 * h}, RandomVector(4 * h, seed + 2));
  w.bias_hh = Tensor::FromVector({4 * h}, RandomVector(4 * h, seed + 3));
  return w;
}

float CompareWithSingle(const std::vector<int64_t>& lengths, int64_t in, int64_t h) {
  const LstmDirectionWeights w = MakeLstm(in, h, 7);
  int64_t total = 0;
  for (int64_t n : lengths) total += n;
  const std::vector<float> x = RandomVector(total * in, 11);
  std::vector<float> y(static_cast<size_t>(total * h), -7.f);
  LstmForwardPacked(x.data(), lengths.data(), static_cast<int64_t>(lengths.size()), w, y.data());
  float err = 0.f;
  int64_t off = 0;
  for (int64_t n : lengths) {
    std::vector<float> ys(static_cast<size_t>(n * h));
    LstmDirection(x.data() + off * in, n, w, false, ys.data(), nullptr, nullptr);
    for (int64_t i = 0; i < n * h; ++i) {
      err = std::max(err,
                     std::fabs(ys[static_cast<size_t>(i)] - y[static_cast<size_t>(off * h + i)]));
    }
    off += n;
  }
  return err;
}

TEST(LstmForwardPacked, EqualsEachSequenceAlone) {
  const float err = CompareWithSingle({3, 1, 7, 7, 2, 5, 1, 4}, 24, 16);
  std::printf("packed vs single: max abs err %.3g\n", err);
  EXPECT_LE(err, 1e-5f);
}

TEST(LstmForwardPacked, ZeroLengthsAndSingleSequence) {
  EXPECT_LE(CompareWithSingle({0, 4, 0}, 8, 8), 1e-5f);
  EXPECT_LE(CompareWithSingle({6}, 8, 8), 1e-5f);
  EXPECT_LE(CompareWithSingle({0, 0}, 8, 8), 0.f);
  LstmForwardPacked(nullptr, nullptr, 0, MakeLstm(8, 8, 1), nullptr);  // nothing to do
}

TEST(LstmForwardPacked, ManySequencesAndThreads) {
  std::vector<int64_t> lengths;
  for (int i = 0; i < 300; ++i) lengths.push_back(1 + (i * 7) % 9);
  ScopedNumThreads threads(2);
  const float err = CompareWithSingle(lengths, 32, 32);
  std::printf("300 sequences, 2 threads: max abs err %.3g\n", err);
  EXPECT_LE(err, 1e-5f);
}

}  // namespace
}  // namespace funasr::kernels
