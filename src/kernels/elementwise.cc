// Element-wise and row-wise kernels as Eigen array expressions (vectorised with the
// build's SIMD; Eigen's exp/tanh/logistic are its vectorised polynomial versions, accurate
// to a few ulp).
// GCC 12 reports false "maybe-uninitialized" positives inside Eigen's AVX-512 packet code.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#define EIGEN_DONT_PARALLELIZE
#include "kernels/elementwise.h"

#include <Eigen/Core>
#include <cmath>
#include <limits>

namespace funasr::kernels {

namespace {
using ArrC = Eigen::Map<const Eigen::ArrayXf>;
using Arr = Eigen::Map<Eigen::ArrayXf>;
using RowsC = Eigen::Map<const Eigen::Array<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>;
using Rows = Eigen::Map<Eigen::Array<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>;
}  // namespace

void AddBias(float* x, int64_t rows, int64_t cols, const float* bias) {
  if (rows == 0 || cols == 0) return;
  Rows xm(x, rows, cols);
  ArrC b(bias, cols);
  xm.rowwise() += b.transpose();
}

void Add(const float* x, const float* z, int64_t n, float* y) {
  if (n == 0) return;
  Arr(y, n) = ArrC(x, n) + ArrC(z, n);
}

void Relu(const float* x, int64_t n, float* y) {
  if (n == 0) return;
  Arr(y, n) = ArrC(x, n).max(0.f);
}

void Sigmoid(const float* x, int64_t n, float* y) {
  if (n == 0) return;
  Arr(y, n) = ArrC(x, n).logistic();
}

void Tanh(const float* x, int64_t n, float* y) {
  if (n == 0) return;
  Arr(y, n) = ArrC(x, n).tanh();
}

void Scale(const float* x, int64_t n, float s, float* y) {
  if (n == 0) return;
  Arr(y, n) = ArrC(x, n) * s;
}

void Softmax(const float* x, int64_t rows, int64_t cols, float* y) {
  if (cols == 0) return;
  for (int64_t r = 0; r < rows; ++r) {
    ArrC xr(x + r * cols, cols);
    Arr yr(y + r * cols, cols);
    const float mx = xr.maxCoeff();
    if (mx == -std::numeric_limits<float>::infinity()) {  // fully masked row
      yr.setZero();
      continue;
    }
    yr = (xr - mx).exp();
    yr *= 1.f / yr.sum();
  }
}

void LogSoftmax(const float* x, int64_t rows, int64_t cols, float* y) {
  if (cols == 0) return;
  for (int64_t r = 0; r < rows; ++r) {
    ArrC xr(x + r * cols, cols);
    Arr yr(y + r * cols, cols);
    const float mx = xr.maxCoeff();
    if (mx == -std::numeric_limits<float>::infinity()) {
      yr.setConstant(-std::numeric_limits<float>::infinity());
      continue;
    }
    const float lse = mx + std::log((xr - mx).exp().sum());
    yr = xr - lse;
  }
}

void LayerNorm(const float* x, int64_t rows, int64_t dim, const float* gamma,
               const float* beta, float eps, float* y) {
  if (dim == 0) return;
  for (int64_t r = 0; r < rows; ++r) {
    ArrC xr(x + r * dim, dim);
    Arr yr(y + r * dim, dim);
    const float mean = xr.sum() / static_cast<float>(dim);
    const float var = (xr - mean).square().sum() / static_cast<float>(dim);
    const float inv = 1.f / std::sqrt(var + eps);
    yr = (xr - mean) * inv;
    if (gamma) yr *= ArrC(gamma, dim);
    if (beta) yr += ArrC(beta, dim);
  }
}

}  // namespace funasr::kernels
