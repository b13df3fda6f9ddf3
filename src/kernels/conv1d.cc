// 1-D convolutions on time-major [T, C] activations.
// GCC 12 reports false "maybe-uninitialized" positives inside Eigen's AVX-512 packet code.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#define EIGEN_DONT_PARALLELIZE
#include "kernels/conv1d.h"

#include <Eigen/Core>
#include <algorithm>
#include <vector>

#include "core/check.h"
#include "kernels/elementwise.h"
#include "kernels/gemm.h"

namespace funasr::kernels {

namespace {
using ArrC = Eigen::Map<const Eigen::ArrayXf>;
using Arr = Eigen::Map<Eigen::ArrayXf>;

void CheckDepthwiseSizes(int64_t t, int64_t c, int64_t k, int64_t left_pad) {
  FUNASR_CHECK(t >= 0 && c >= 0 && k >= 1 && left_pad >= 0 && left_pad <= k - 1,
               ErrorCode::kInternal, "DepthwiseConv1d: bad sizes T=", t, " C=", c, " K=", k,
               " left_pad=", left_pad);
}
}  // namespace

std::vector<float> TapMajorWeights(const float* weight, int64_t c, int64_t k) {
  std::vector<float> taps(static_cast<size_t>(k * c));
  for (int64_t ch = 0; ch < c; ++ch)
    for (int64_t j = 0; j < k; ++j) taps[j * c + ch] = weight[ch * k + j];
  return taps;
}

void DepthwiseConv1dTapMajor(const float* x, int64_t t, int64_t c, const float* taps,
                             int64_t k, int64_t left_pad, float* y) {
  CheckDepthwiseSizes(t, c, k, left_pad);
  if (t == 0 || c == 0) return;
  for (int64_t ti = 0; ti < t; ++ti) {
    Arr yr(y + ti * c, c);
    yr.setZero();
    // Taps whose input frame ti + j - left_pad lies inside [0, T).
    const int64_t j0 = std::max<int64_t>(0, left_pad - ti);
    const int64_t j1 = std::min<int64_t>(k, t + left_pad - ti);
    for (int64_t j = j0; j < j1; ++j) {
      yr += ArrC(taps + j * c, c) * ArrC(x + (ti + j - left_pad) * c, c);
    }
  }
}

void DepthwiseConv1d(const float* x, int64_t t, int64_t c, const float* weight, int64_t k,
                     int64_t left_pad, float* y) {
  CheckDepthwiseSizes(t, c, k, left_pad);
  if (t == 0 || c == 0) return;
  const std::vector<float> taps = TapMajorWeights(weight, c, k);
  DepthwiseConv1dTapMajor(x, t, c, taps.data(), k, left_pad, y);
}

int64_t Conv1dOutputLength(int64_t t, int64_t k, int64_t pad_left, int64_t pad_right) {
  return std::max<int64_t>(0, t + pad_left + pad_right - k + 1);
}

void Conv1d(const float* x, int64_t t, int64_t cin, const float* weight, int64_t cout,
            int64_t k, const float* bias, int64_t pad_left, int64_t pad_right, float* y) {
  FUNASR_CHECK(t >= 0 && cin >= 0 && cout >= 0 && k >= 1 && pad_left >= 0 && pad_right >= 0,
               ErrorCode::kInternal, "Conv1d: bad sizes");
  const int64_t tout = Conv1dOutputLength(t, k, pad_left, pad_right);
  if (tout == 0 || cout == 0) return;
  // im2col in PyTorch's weight order: col[to, i*K + j] = x[to + j - pad_left, i] (0 outside),
  // so that the weight [Cout, Cin, K] is used as the row-major [Cout, Cin*K] matrix it is.
  const int64_t kc = k * cin;
  std::vector<float> col(static_cast<size_t>(tout * kc), 0.f);
  for (int64_t to = 0; to < tout; ++to) {
    float* dst = col.data() + to * kc;
    for (int64_t j = 0; j < k; ++j) {
      const int64_t src = to + j - pad_left;
      if (src < 0 || src >= t) continue;
      const float* xr = x + src * cin;
      for (int64_t i = 0; i < cin; ++i) dst[i * k + j] = xr[i];
    }
  }
  Gemm(/*trans_b=*/true, tout, cout, kc, 1.f, col.data(), kc, weight, kc, 0.f, y, cout);
  if (bias) AddBias(y, tout, cout, bias);
}

void ConvTranspose1dStrided(const float* x, int64_t t, int64_t cin, const float* weight,
                            int64_t cout, int64_t k, const float* bias, float* y) {
  FUNASR_CHECK(t >= 0 && cin >= 0 && cout >= 0 && k >= 1, ErrorCode::kInternal,
               "ConvTranspose1dStrided: bad sizes");
  if (t == 0 || cout == 0) return;
  // z[t, o*K + j] = sum_i x[t, i] * w[i, o, j]: weight viewed as [Cin, Cout*K].
  std::vector<float> z(static_cast<size_t>(t * cout * k));
  Gemm(/*trans_b=*/false, t, cout * k, cin, 1.f, x, cin, weight, cout * k, 0.f, z.data(),
       cout * k);
  for (int64_t ti = 0; ti < t; ++ti) {
    const float* zr = z.data() + ti * cout * k;
    for (int64_t j = 0; j < k; ++j) {
      float* yr = y + (ti * k + j) * cout;
      for (int64_t o = 0; o < cout; ++o) yr[o] = zr[o * k + j] + (bias ? bias[o] : 0.f);
    }
  }
}

}  // namespace funasr::kernels
