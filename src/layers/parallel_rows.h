// ParallelRows: splits a row-wise operation (LayerNorm, element-wise add, log-softmax)
// into contiguous row blocks over GetNumThreads() threads (funasr::ParallelFor).
//
// These memory-bound steps are a few percent of a forward pass on one thread, but left
// serial they cap the two-thread speed-up (Amdahl). Each row is computed exactly as in one
// call over all rows, so results do not depend on the thread count.
#pragma once

#include <algorithm>
#include <cstdint>

#include "core/threading.h"
#include "kernels/elementwise.h"

namespace funasr::layers {

// fn(begin, end) for row blocks covering [0, rows). Below `min_elements` (rows * cols) one
// call on the calling thread does it all.
template <typename Fn>
void ParallelRows(int64_t rows, int64_t cols, Fn&& fn, int64_t min_elements = 1 << 14) {
  const int threads =
      static_cast<int>(std::min<int64_t>(GetNumThreads(), std::max<int64_t>(rows, 1)));
  if (threads <= 1 || rows * cols < min_elements) {
    if (rows > 0) fn(int64_t{0}, rows);
    return;
  }
  // One block per thread: fn sees the same [begin, end) split whichever thread runs it.
  ParallelFor(threads, threads, [&](int64_t i) {
    const int64_t begin = rows * i / threads;
    const int64_t end = rows * (i + 1) / threads;
    if (begin < end) fn(begin, end);
  });
}

// y = a + b over [rows, cols] (y may alias a or b).
inline void ParallelAdd(const float* a, const float* b, int64_t rows, int64_t cols, float* y) {
  ParallelRows(rows, cols, [&](int64_t r0, int64_t r1) {
    kernels::Add(a + r0 * cols, b + r0 * cols, (r1 - r0) * cols, y + r0 * cols);
  });
}

}  // namespace funasr::layers
