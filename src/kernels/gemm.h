// General matrix multiply on row-major float32 matrices.
#pragma once

#include <cstdint>

namespace funasr::kernels {

// C[m,n] = alpha * A[m,k] · op(B) + beta * C[m,n], all row-major with leading dimensions
// lda/ldb/ldc (elements between rows). op(B) is B[k,n] when trans_b is false, or the
// transpose of B[n,k] when trans_b is true (PyTorch Linear weight layout).
// Uses GetNumThreads() threads (1 inside an OpenMP parallel region); the result is
// bit-identical for any thread count. C is not read when beta == 0. m, n or k may be 0.
void Gemm(bool trans_b, int64_t m, int64_t n, int64_t k, float alpha, const float* a,
          int64_t lda, const float* b, int64_t ldb, float beta, float* c, int64_t ldc);

}  // namespace funasr::kernels
