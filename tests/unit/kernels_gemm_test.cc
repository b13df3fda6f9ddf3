#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <tuple>

#include "core/threading.h"
#include "kernels/gemm.h"
#include "kernels_test_util.h"

namespace funasr::kernels {
namespace {

using funasr_test::MaxScaledError;
using funasr_test::RandomVector;

// C = alpha * A op(B) + beta * C in double precision.
std::vector<double> NaiveGemm(bool trans_b, int64_t m, int64_t n, int64_t k, float alpha,
                              const std::vector<float>& a, int64_t lda,
                              const std::vector<float>& b, int64_t ldb, float beta,
                              const std::vector<float>& c, int64_t ldc) {
  std::vector<double> out(c.begin(), c.end());
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) {
      double acc = 0;
      for (int64_t p = 0; p < k; ++p)
        acc += double(a[i * lda + p]) * (trans_b ? b[j * ldb + p] : b[p * ldb + j]);
      out[i * ldc + j] = alpha * acc + (beta == 0.f ? 0.0 : beta * double(c[i * ldc + j]));
    }
  return out;
}

struct GemmCase {
  bool trans_b;
  int64_t m, n, k, pad;  // pad: extra elements per row in lda/ldb/ldc
  float alpha, beta;
};

class GemmTest : public ::testing::TestWithParam<GemmCase> {};

TEST_P(GemmTest, MatchesNaive) {
  const GemmCase p = GetParam();
  const int64_t lda = p.k + p.pad, ldb = (p.trans_b ? p.k : p.n) + p.pad, ldc = p.n + p.pad;
  auto a = RandomVector(p.m * lda, 1);
  auto b = RandomVector((p.trans_b ? p.n : p.k) * ldb, 2);
  auto c = RandomVector(p.m * ldc, 3);
  auto want = NaiveGemm(p.trans_b, p.m, p.n, p.k, p.alpha, a, lda, b, ldb, p.beta, c, ldc);
  for (int threads : {1, 2}) {
    ScopedNumThreads scoped(threads);
    auto got = c;
    if (p.beta == 0.f) {  // C must not be read when beta == 0
      for (int64_t i = 0; i < p.m; ++i)
        for (int64_t j = 0; j < p.n; ++j) got[i * ldc + j] = NAN;
    }
    Gemm(p.trans_b, p.m, p.n, p.k, p.alpha, a.data(), lda, b.data(), ldb, p.beta, got.data(),
         ldc);
    // Padding columns of C must be untouched.
    for (int64_t i = 0; i < p.m; ++i)
      for (int64_t j = p.n; j < ldc; ++j) ASSERT_EQ(got[i * ldc + j], c[i * ldc + j]);
    const double err = MaxScaledError(got, want);
    std::printf("gemm trans_b=%d %ldx%ldx%ld threads=%d max err %.3g\n", p.trans_b, (long)p.m,
                (long)p.n, (long)p.k, threads, err);
    EXPECT_LT(err, 1e-5 * std::max<double>(1.0, std::sqrt(double(p.k))));
  }
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, GemmTest,
    ::testing::Values(GemmCase{false, 0, 5, 3, 0, 1, 0}, GemmCase{true, 4, 0, 3, 0, 1, 0},
                      GemmCase{false, 3, 4, 0, 0, 1, 0}, GemmCase{true, 3, 4, 0, 1, 1, 0.5f},
                      GemmCase{false, 1, 1, 1, 0, 1, 0}, GemmCase{true, 1, 1, 1, 0, 1, 0},
                      GemmCase{false, 1, 513, 77, 0, 1, 0}, GemmCase{true, 1, 513, 77, 0, 1, 0},
                      GemmCase{false, 7, 3, 5, 2, 2.f, 1.f},
                      GemmCase{true, 37, 301, 129, 3, 0.5f, -1.f},
                      GemmCase{false, 65, 517, 255, 1, 1.f, 0.f},
                      GemmCase{true, 65, 517, 255, 0, 1.f, 0.f},
                      GemmCase{true, 300, 1031, 512, 0, 1.f, 0.f},
                      GemmCase{false, 31, 17, 1000, 5, 1.f, 0.25f}));

// Same inputs, 1 vs 2 threads: bit-identical (the column blocking is fixed).
TEST(Gemm, DeterministicAcrossThreadCounts) {
  for (auto [trans_b, m, n, k] : {std::tuple{true, 300, 2048, 512}, std::tuple{false, 30, 8404, 512},
                                  std::tuple{true, 1, 1536, 512}, std::tuple{true, 17, 777, 333}}) {
    auto a = RandomVector(int64_t(m) * k, 4);
    auto b = RandomVector(int64_t(n) * k, 5);
    std::vector<float> c1(size_t(m) * n), c2(size_t(m) * n);
    {
      ScopedNumThreads one(1);
      Gemm(trans_b, m, n, k, 1.f, a.data(), k, b.data(), trans_b ? k : n, 0.f, c1.data(), n);
    }
    {
      ScopedNumThreads two(2);
      Gemm(trans_b, m, n, k, 1.f, a.data(), k, b.data(), trans_b ? k : n, 0.f, c2.data(), n);
    }
    EXPECT_EQ(0, std::memcmp(c1.data(), c2.data(), c1.size() * sizeof(float)))
        << m << "x" << n << "x" << k;
  }
}

}  // namespace
}  // namespace funasr::kernels
