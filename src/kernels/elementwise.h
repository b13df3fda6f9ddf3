// Row-wise and element-wise float32 kernels. All accept in-place use (x == y) and n == 0.
#pragma once

#include <cstdint>

namespace funasr::kernels {

// x[r, c] += bias[c]
void AddBias(float* x, int64_t rows, int64_t cols, const float* bias);
// y = x + z
void Add(const float* x, const float* z, int64_t n, float* y);
void Relu(const float* x, int64_t n, float* y);
void Sigmoid(const float* x, int64_t n, float* y);
void Tanh(const float* x, int64_t n, float* y);
// Scales n values by s.
void Scale(const float* x, int64_t n, float s, float* y);

// Numerically stable softmax / log-softmax over each row of x[rows, cols].
void Softmax(const float* x, int64_t rows, int64_t cols, float* y);
void LogSoftmax(const float* x, int64_t rows, int64_t cols, float* y);

// LayerNorm over the last dimension: y = (x - mean) / sqrt(var + eps) * gamma + beta,
// biased variance as torch.nn.LayerNorm. FunASR's SAN-M layers use eps = 1e-12.
// gamma / beta may be null (no affine scale / shift).
void LayerNorm(const float* x, int64_t rows, int64_t dim, const float* gamma,
               const float* beta, float eps, float* y);

}  // namespace funasr::kernels
