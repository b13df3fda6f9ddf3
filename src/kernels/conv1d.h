// 1-D convolutions over time on row-major [T, C] (time-major) activations.
#pragma once

#include <cstdint>
#include <vector>

namespace funasr::kernels {

// Depthwise convolution (groups == channels, no bias), the FSMN memory block:
//   y[t, c] = sum_k w[c, k] * x[t + k - left_pad, c], x taken as 0 outside [0, T).
// weight is [C, K] (PyTorch Conv1d weight [C, 1, K]); right_pad = K - 1 - left_pad so the
// output has T frames. x and y must not overlap.
void DepthwiseConv1d(const float* x, int64_t t, int64_t c, const float* weight, int64_t k,
                     int64_t left_pad, float* y);
// The same with the weights already tap-major, taps [K, C] (TapMajorWeights): for callers
// that convolve with one weight many times (the FSMN blocks, on every forward pass).
void DepthwiseConv1dTapMajor(const float* x, int64_t t, int64_t c, const float* taps,
                             int64_t k, int64_t left_pad, float* y);
// [C, K] -> [K, C], so that the inner loop of the convolution runs over contiguous channels.
std::vector<float> TapMajorWeights(const float* weight, int64_t c, int64_t k);

// Full convolution, stride 1: y[t, o] = b[o] + sum_{i,k} w[o, i, k] * x[t + k - pad_left, i],
// output length T + pad_left + pad_right - K + 1. weight [Cout, Cin, K], bias [Cout] or null.
void Conv1d(const float* x, int64_t t, int64_t cin, const float* weight, int64_t cout,
            int64_t k, const float* bias, int64_t pad_left, int64_t pad_right, float* y);
int64_t Conv1dOutputLength(int64_t t, int64_t k, int64_t pad_left, int64_t pad_right);

// Transposed convolution with stride == kernel size K (no overlap), no padding:
//   y[t*K + k, o] = b[o] + sum_i x[t, i] * w[i, o, k]; output [T*K, Cout].
// weight [Cin, Cout, K] (PyTorch ConvTranspose1d layout), bias [Cout] or null.
void ConvTranspose1dStrided(const float* x, int64_t t, int64_t cin, const float* weight,
                            int64_t cout, int64_t k, const float* bias, float* y);

}  // namespace funasr::kernels
