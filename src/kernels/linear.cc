// Dense layer y = x · Wᵀ + b (PyTorch nn.Linear layout), f32 and int8.
//
// f32: Gemm (trans_b) followed by a bias add.
// int8: weights are symmetric per-output-channel int8 (QuantizeLinearInt8); activations are
// quantised dynamically per row (symmetric, scale = max|x_row| / 127); products are
// accumulated exactly in int32 and rescaled by x_scale[row] * w_scale[out].
#include "kernels/linear.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/check.h"
#include "core/threading.h"
#include "kernels/elementwise.h"
#include "kernels/gemm.h"

namespace funasr::kernels {

namespace {

void CheckWeights(const LinearWeights& w) {
  FUNASR_CHECK(w.weight.defined() && w.weight.rank() == 2, ErrorCode::kInternal,
               "Linear: weight must be a 2-D tensor");
  const int64_t out = w.weight.dim(0);
  if (w.quantized()) {
    FUNASR_CHECK(w.scales.defined() && w.scales.dtype() == DType::kF32 &&
                     w.scales.numel() == out,
                 ErrorCode::kInternal, "Linear: int8 weight needs ", out, " f32 scales");
  } else {
    FUNASR_CHECK(w.weight.dtype() == DType::kF32, ErrorCode::kInternal,
                 "Linear: weight must be f32 or i8, got ", DTypeName(w.weight.dtype()));
  }
  if (w.bias.defined()) {
    FUNASR_CHECK(w.bias.dtype() == DType::kF32 && w.bias.numel() == out, ErrorCode::kInternal,
                 "Linear: bias must be f32 [", out, "]");
  }
}

// Symmetric per-row quantisation of x[m, k] to int8; returns the per-row scales.
void QuantizeRows(const float* x, int64_t m, int64_t k, int8_t* q, float* scales) {
  for (int64_t r = 0; r < m; ++r) {
    const float* row = x + r * k;
    float amax = 0.f;
    for (int64_t i = 0; i < k; ++i) amax = std::max(amax, std::fabs(row[i]));
    const float scale = amax > 0.f ? amax / 127.f : 1.f;
    const float inv = 1.f / scale;
    int8_t* qr = q + r * k;
    for (int64_t i = 0; i < k; ++i) {
      qr[i] = static_cast<int8_t>(std::lrintf(row[i] * inv));
    }
    scales[r] = scale;
  }
}

int32_t DotI8(const int8_t* a, const int8_t* b, int64_t k) {
  int32_t acc = 0;
  for (int64_t i = 0; i < k; ++i) acc += static_cast<int32_t>(a[i]) * static_cast<int32_t>(b[i]);
  return acc;
}

void LinearInt8(const float* x, int64_t m, const LinearWeights& w, float* y) {
  const int64_t out = w.out_features(), in = w.in_features();
  std::vector<int8_t> xq(static_cast<size_t>(m * in));
  std::vector<float> xs(static_cast<size_t>(m));
  QuantizeRows(x, m, in, xq.data(), xs.data());
  const int8_t* wq = w.weight.data<int8_t>();
  const float* ws = w.scales.data<float>();
  const float* bias = w.bias.defined() ? w.bias.data<float>() : nullptr;
  const int threads = (m * out * in < 64 * 64 * 64) ? 1 : GetNumThreads();
#pragma omp parallel for num_threads(threads) schedule(static)
  for (int64_t o = 0; o < out; ++o) {
    const int8_t* wr = wq + o * in;
    for (int64_t r = 0; r < m; ++r) {
      float v = static_cast<float>(DotI8(xq.data() + r * in, wr, in)) * (xs[r] * ws[o]);
      y[r * out + o] = bias ? v + bias[o] : v;
    }
  }
}

}  // namespace

void Linear(const float* x, int64_t m, const LinearWeights& w, float* y) {
  CheckWeights(w);
  FUNASR_CHECK(m >= 0, ErrorCode::kInternal, "Linear: negative row count");
  if (m == 0) return;
  const int64_t out = w.out_features(), in = w.in_features();
  if (w.quantized()) {
    LinearInt8(x, m, w, y);
    return;
  }
  Gemm(/*trans_b=*/true, m, out, in, 1.f, x, in, w.weight.data<float>(), in, 0.f, y, out);
  if (w.bias.defined()) AddBias(y, m, out, w.bias.data<float>());
}

LinearWeights QuantizeLinearInt8(const LinearWeights& w) {
  CheckWeights(w);
  FUNASR_CHECK(!w.quantized(), ErrorCode::kInternal, "QuantizeLinearInt8: already int8");
  const int64_t out = w.out_features(), in = w.in_features();
  LinearWeights q;
  q.weight = Tensor::Zeros(DType::kI8, {out, in});
  q.scales = Tensor::Zeros(DType::kF32, {out});
  q.bias = w.bias;
  const float* src = w.weight.data<float>();
  int8_t* dst = q.weight.mutable_data<int8_t>();
  float* scales = q.scales.mutable_data<float>();
  for (int64_t o = 0; o < out; ++o) {
    const float* row = src + o * in;
    float amax = 0.f;
    for (int64_t i = 0; i < in; ++i) amax = std::max(amax, std::fabs(row[i]));
    const float scale = amax > 0.f ? amax / 127.f : 1.f;
    const float inv = 1.f / scale;
    for (int64_t i = 0; i < in; ++i) {
      dst[o * in + i] = static_cast<int8_t>(std::clamp(std::lrintf(row[i] * inv), -127L, 127L));
    }
    scales[o] = scale;
  }
  return q;
}

void PrepareLinear(LinearWeights& w) { CheckWeights(w); }

}  // namespace funasr::kernels
