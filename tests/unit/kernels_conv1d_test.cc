#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstring>

#include "core/threading.h"
#include "funasr/error.h"
#include "kernels/conv1d.h"
#include "kernels_test_util.h"

namespace funasr::kernels {
namespace {

using funasr_test::RandomVector;

double MaxErr(const std::vector<float>& got, const std::vector<double>& want) {
  EXPECT_EQ(got.size(), want.size());
  double e = 0;
  for (size_t i = 0; i < got.size(); ++i) e = std::max(e, std::fabs(got[i] - want[i]));
  return e;
}

TEST(Conv1d, DepthwiseMatchesNaive) {
  struct Case { int64_t t, c, k, left; };
  // FSMN memory block: K = 11 with left_pad 5 (symmetric) or 10 (causal), plus edge cases.
  for (Case p : {Case{0, 4, 3, 1}, Case{1, 1, 1, 0}, Case{1, 5, 11, 5}, Case{3, 7, 11, 10},
                 Case{3, 7, 11, 0}, Case{50, 33, 11, 5}, Case{300, 512, 11, 5},
                 Case{20, 16, 4, 2}, Case{5, 3, 15, 7}}) {
    auto x = RandomVector(p.t * p.c, 1);
    auto w = RandomVector(p.c * p.k, 2);
    std::vector<double> want(size_t(p.t * p.c), 0.0);
    for (int64_t t = 0; t < p.t; ++t)
      for (int64_t c = 0; c < p.c; ++c) {
        double acc = 0;
        for (int64_t k = 0; k < p.k; ++k) {
          const int64_t src = t + k - p.left;
          if (src >= 0 && src < p.t) acc += double(w[c * p.k + k]) * x[src * p.c + c];
        }
        want[t * p.c + c] = acc;
      }
    std::vector<float> y(size_t(p.t * p.c), NAN);
    DepthwiseConv1d(x.data(), p.t, p.c, w.data(), p.k, p.left, y.data());
    const double err = MaxErr(y, want);
    std::printf("depthwise T=%ld C=%ld K=%ld left=%ld max err %.3g\n", (long)p.t, (long)p.c,
                (long)p.k, (long)p.left, err);
    EXPECT_LT(err, 1e-5);
    // The tap-major entry point (weights transposed once, by the caller) is the same
    // computation.
    const std::vector<float> taps = TapMajorWeights(w.data(), p.c, p.k);
    for (int64_t k = 0; k < p.k; ++k)
      for (int64_t c = 0; c < p.c; ++c) ASSERT_EQ(taps[k * p.c + c], w[c * p.k + k]);
    std::vector<float> y2(size_t(p.t * p.c), NAN);
    DepthwiseConv1dTapMajor(x.data(), p.t, p.c, taps.data(), p.k, p.left, y2.data());
    EXPECT_TRUE(y.empty() || std::memcmp(y.data(), y2.data(), y.size() * sizeof(float)) == 0);
  }
  std::vector<float> x(4), w(4), y(4);
  EXPECT_THROW(DepthwiseConv1d(x.data(), 2, 2, w.data(), 2, 2, y.data()), Error);
  EXPECT_THROW(DepthwiseConv1dTapMajor(x.data(), 2, 2, w.data(), 2, 2, y.data()), Error);
}

TEST(Conv1d, FullMatchesNaive) {
  struct Case { int64_t t, cin, cout, k, pl, pr; bool bias; };
  for (Case p : {Case{0, 3, 4, 3, 1, 1, true}, Case{1, 1, 1, 1, 0, 0, true},
                 Case{1, 3, 2, 3, 1, 1, false}, Case{2, 3, 2, 5, 0, 0, true},  // empty output
                 Case{17, 5, 9, 3, 1, 1, true}, Case{40, 64, 48, 3, 2, 0, true},
                 Case{33, 7, 3, 4, 0, 3, false}, Case{100, 512, 512, 3, 1, 1, true}}) {
    auto x = RandomVector(p.t * p.cin, 3);
    auto w = RandomVector(p.cout * p.cin * p.k, 4, -0.2f, 0.2f);
    auto b = RandomVector(p.cout, 5);
    const int64_t tout = Conv1dOutputLength(p.t, p.k, p.pl, p.pr);
    EXPECT_EQ(tout, std::max<int64_t>(0, p.t + p.pl + p.pr - p.k + 1));
    std::vector<double> want(size_t(tout * p.cout));
    for (int64_t t = 0; t < tout; ++t)
      for (int64_t o = 0; o < p.cout; ++o) {
        double acc = p.bias ? b[o] : 0.0;
        for (int64_t i = 0; i < p.cin; ++i)
          for (int64_t k = 0; k < p.k; ++k) {
            const int64_t src = t + k - p.pl;
            if (src >= 0 && src < p.t) acc += double(w[(o * p.cin + i) * p.k + k]) * x[src * p.cin + i];
          }
        want[t * p.cout + o] = acc;
      }
    std::vector<float> y(size_t(tout * p.cout), NAN);
    Conv1d(x.data(), p.t, p.cin, w.data(), p.cout, p.k, p.bias ? b.data() : nullptr, p.pl, p.pr,
           y.data());
    const double err = MaxErr(y, want);
    std::printf("conv1d T=%ld Cin=%ld Cout=%ld K=%ld pad=(%ld,%ld) max err %.3g\n", (long)p.t,
                (long)p.cin, (long)p.cout, (long)p.k, (long)p.pl, (long)p.pr, err);
    EXPECT_LT(err, 2e-5);
  }
}

TEST(Conv1d, TransposedStridedMatchesNaive) {
  struct Case { int64_t t, cin, cout, k; bool bias; };
  for (Case p : {Case{0, 3, 4, 2, true}, Case{1, 1, 1, 1, true}, Case{1, 4, 3, 3, false},
                 Case{13, 7, 5, 2, true}, Case{30, 64, 32, 4, true}, Case{9, 3, 17, 3, false}}) {
    auto x = RandomVector(p.t * p.cin, 6);
    auto w = RandomVector(p.cin * p.cout * p.k, 7);
    auto b = RandomVector(p.cout, 8);
    // PyTorch ConvTranspose1d, stride = K, padding 0: y[t*stride + k, o] += x[t, i] w[i, o, k].
    const int64_t tout = p.t * p.k;
    std::vector<double> want(size_t(tout * p.cout), 0.0);
    for (int64_t to = 0; to < tout; ++to)
      for (int64_t o = 0; o < p.cout; ++o) want[to * p.cout + o] = p.bias ? b[o] : 0.0;
    for (int64_t t = 0; t < p.t; ++t)
      for (int64_t i = 0; i < p.cin; ++i)
        for (int64_t o = 0; o < p.cout; ++o)
          for (int64_t k = 0; k < p.k; ++k)
            want[(t * p.k + k) * p.cout + o] += double(x[t * p.cin + i]) * w[(i * p.cout + o) * p.k + k];
    std::vector<float> y(size_t(tout * p.cout), NAN);
    ConvTranspose1dStrided(x.data(), p.t, p.cin, w.data(), p.cout, p.k,
                           p.bias ? b.data() : nullptr, y.data());
    const double err = MaxErr(y, want);
    std::printf("conv-transpose T=%ld Cin=%ld Cout=%ld K=%ld max err %.3g\n", (long)p.t,
                (long)p.cin, (long)p.cout, (long)p.k, err);
    EXPECT_LT(err, 1e-5);
  }
}

}  // namespace
}  // namespace funasr::kernels
