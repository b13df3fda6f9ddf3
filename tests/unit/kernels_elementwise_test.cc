#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <limits>

#include "kernels/elementwise.h"
#include "kernels_test_util.h"

namespace funasr::kernels {
namespace {

using funasr_test::RandomVector;

double MaxErr(const std::vector<float>& got, const std::vector<double>& want) {
  double e = 0;
  for (size_t i = 0; i < got.size(); ++i) e = std::max(e, std::fabs(got[i] - want[i]));
  return e;
}

const int64_t kSizes[] = {0, 1, 3, 17, 64, 1001};

TEST(Elementwise, UnaryOpsMatchNaiveInPlaceAndOutOfPlace) {
  for (int64_t n : kSizes) {
    auto x = RandomVector(n, 1, -8.f, 8.f);
    std::vector<double> relu(n), sig(n), th(n), sc(n), add(n);
    auto z = RandomVector(n, 2);
    for (int64_t i = 0; i < n; ++i) {
      relu[i] = std::max(0.f, x[i]);
      sig[i] = 1.0 / (1.0 + std::exp(-double(x[i])));
      th[i] = std::tanh(double(x[i]));
      sc[i] = double(x[i]) * 0.37f;
      add[i] = double(x[i]) + z[i];
    }
    std::vector<float> y(n);
    Relu(x.data(), n, y.data());
    EXPECT_EQ(MaxErr(y, relu), 0.0);
    Sigmoid(x.data(), n, y.data());
    const double e_sig = MaxErr(y, sig);
    Tanh(x.data(), n, y.data());
    const double e_tanh = MaxErr(y, th);
    Scale(x.data(), n, 0.37f, y.data());
    EXPECT_LT(MaxErr(y, sc), 1e-6);
    Add(x.data(), z.data(), n, y.data());
    EXPECT_LT(MaxErr(y, add), 1e-6);
    std::printf("n=%ld sigmoid max err %.3g tanh max err %.3g\n", (long)n, e_sig, e_tanh);
    EXPECT_LT(e_sig, 1e-6);
    EXPECT_LT(e_tanh, 1e-6);
    // In place.
    auto inplace = x;
    Tanh(inplace.data(), n, inplace.data());
    EXPECT_LT(MaxErr(inplace, th), 1e-6);
    inplace = x;
    Relu(inplace.data(), n, inplace.data());
    EXPECT_EQ(MaxErr(inplace, relu), 0.0);
  }
}

TEST(Elementwise, SigmoidAndTanhSaturate) {
  std::vector<float> x = {-100.f, -30.f, 30.f, 100.f, 0.f}, y(5);
  Sigmoid(x.data(), 5, y.data());
  EXPECT_NEAR(y[0], 0.f, 1e-30);
  EXPECT_FLOAT_EQ(y[3], 1.f);
  EXPECT_FLOAT_EQ(y[4], 0.5f);
  Tanh(x.data(), 5, y.data());
  EXPECT_FLOAT_EQ(y[0], -1.f);
  EXPECT_FLOAT_EQ(y[3], 1.f);
  for (float v : y) EXPECT_FALSE(std::isnan(v));
}

TEST(Elementwise, AddBias) {
  for (auto [rows, cols] : {std::pair{0, 3}, std::pair{3, 0}, std::pair{1, 1}, std::pair{7, 33}}) {
    auto x = RandomVector(rows * cols, 3);
    auto b = RandomVector(cols, 4);
    auto y = x;
    AddBias(y.data(), rows, cols, b.data());
    for (int r = 0; r < rows; ++r)
      for (int c = 0; c < cols; ++c) EXPECT_FLOAT_EQ(y[r * cols + c], x[r * cols + c] + b[c]);
  }
}

TEST(Elementwise, SoftmaxAndLogSoftmaxMatchNaive) {
  for (auto [rows, cols] : {std::pair{0, 5}, std::pair{2, 0}, std::pair{1, 1}, std::pair{3, 7},
                            std::pair{5, 8404}, std::pair{4, 33}}) {
    auto x = RandomVector(rows * cols, 5, -20.f, 20.f);
    std::vector<double> sm(x.size()), lsm(x.size());
    for (int r = 0; r < rows; ++r) {
      double mx = -1e300, sum = 0;
      for (int c = 0; c < cols; ++c) mx = std::max(mx, double(x[r * cols + c]));
      for (int c = 0; c < cols; ++c) sum += std::exp(x[r * cols + c] - mx);
      for (int c = 0; c < cols; ++c) {
        sm[r * cols + c] = std::exp(x[r * cols + c] - mx) / sum;
        lsm[r * cols + c] = x[r * cols + c] - mx - std::log(sum);
      }
    }
    std::vector<float> y(x.size());
    Softmax(x.data(), rows, cols, y.data());
    const double e1 = MaxErr(y, sm);
    LogSoftmax(x.data(), rows, cols, y.data());
    const double e2 = MaxErr(y, lsm);
    std::printf("softmax %dx%d max err %.3g, log-softmax %.3g\n", rows, cols, e1, e2);
    EXPECT_LT(e1, 1e-6);
    EXPECT_LT(e2, 1e-5);
    auto inplace = x;
    Softmax(inplace.data(), rows, cols, inplace.data());
    EXPECT_LT(MaxErr(inplace, sm), 1e-6);
  }
}

TEST(Elementwise, SoftmaxHandlesInfinity) {
  const float inf = std::numeric_limits<float>::infinity();
  std::vector<float> x = {0.f, -inf, 1.f, -inf, -inf, -inf}, y(6);
  Softmax(x.data(), 2, 3, y.data());
  EXPECT_EQ(y[1], 0.f);
  EXPECT_NEAR(y[0] + y[2], 1.f, 1e-6);
  // A fully masked row gives zeros (not NaN).
  EXPECT_EQ(y[3], 0.f);
  EXPECT_EQ(y[5], 0.f);
  LogSoftmax(x.data(), 2, 3, y.data());
  EXPECT_EQ(y[1], -inf);
  EXPECT_NEAR(std::exp(y[0]) + std::exp(y[2]), 1.f, 1e-6);
  EXPECT_EQ(y[3], -inf);
}

TEST(Elementwise, LayerNormMatchesNaive) {
  for (auto [rows, dim] : {std::pair{0, 4}, std::pair{3, 0}, std::pair{1, 1}, std::pair{2, 3},
                           std::pair{7, 512}, std::pair{5, 321}}) {
    auto x = RandomVector(rows * dim, 6, -3.f, 5.f);
    auto g = RandomVector(dim, 7);
    auto b = RandomVector(dim, 8);
    for (float eps : {1e-12f, 1e-5f}) {
      std::vector<double> want(x.size()), want_plain(x.size());
      for (int r = 0; r < rows; ++r) {
        double mean = 0, var = 0;
        for (int c = 0; c < dim; ++c) mean += x[r * dim + c];
        mean /= dim;
        for (int c = 0; c < dim; ++c) var += (x[r * dim + c] - mean) * (x[r * dim + c] - mean);
        var /= dim;
        for (int c = 0; c < dim; ++c) {
          want_plain[r * dim + c] = (x[r * dim + c] - mean) / std::sqrt(var + eps);
          want[r * dim + c] = want_plain[r * dim + c] * g[c] + b[c];
        }
      }
      std::vector<float> y(x.size());
      LayerNorm(x.data(), rows, dim, g.data(), b.data(), eps, y.data());
      const double err = MaxErr(y, want);
      std::printf("layernorm %dx%d eps=%g max err %.3g\n", rows, dim, eps, err);
      EXPECT_LT(err, 1e-5);
      LayerNorm(x.data(), rows, dim, nullptr, nullptr, eps, y.data());
      EXPECT_LT(MaxErr(y, want_plain), 1e-5);
      auto inplace = x;
      LayerNorm(inplace.data(), rows, dim, g.data(), b.data(), eps, inplace.data());
      EXPECT_LT(MaxErr(inplace, want), 1e-5);
    }
  }
  // eps matters for a constant row: (x - mean) = 0 exactly, output = beta.
  std::vector<float> x(4, 2.5f), y(4), g(4, 1.f), b = {1, 2, 3, 4};
  LayerNorm(x.data(), 1, 4, g.data(), b.data(), 1e-12f, y.data());
  for (int i = 0; i < 4; ++i) EXPECT_EQ(y[i], b[i]);
}

}  // namespace
}  // namespace funasr::kernels
