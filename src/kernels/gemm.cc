// fp32 GEMM. See gemm.h for the contract.
//
// Backend: Eigen (single-threaded per call, EIGEN_DONT_PARALLELIZE) with our own OpenMP
// split over fixed-width column blocks of C. The column blocking does not depend on the
// thread count, so every element of C is computed by the same Eigen call (same K blocking,
// same tail handling) whether 1 or N threads run: results are bit-identical across thread
// counts. Concurrent callers on different threads do not share any global state.
// GCC 12 reports false "maybe-uninitialized" positives inside Eigen's AVX-512 packet code.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#define EIGEN_DONT_PARALLELIZE
#include "kernels/gemm.h"

#include <omp.h>

#include <Eigen/Core>
#include <algorithm>

#include "core/check.h"
#include "core/threading.h"

namespace funasr::kernels {

namespace {

using RowMajor = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using ConstMap = Eigen::Map<const RowMajor, 0, Eigen::OuterStride<>>;
using Map = Eigen::Map<RowMajor, 0, Eigen::OuterStride<>>;

// Width of the column blocks handed to threads. Large enough that re-packing A per block
// costs little (A is m×k, the block's work is m×k×kColumnBlock).
constexpr int64_t kColumnBlock = 256;

// C[:, n0:n1] = alpha * A · op(B)[:, n0:n1] + beta * C[:, n0:n1] on one thread.
void GemmBlock(bool trans_b, int64_t m, int64_t n0, int64_t n1, int64_t k, float alpha,
               const float* a, int64_t lda, const float* b, int64_t ldb, float beta, float* c,
               int64_t ldc) {
  const int64_t nb = n1 - n0;
  Map cm(c + n0, m, nb, Eigen::OuterStride<>(ldc));
  if (k == 0) {
    if (beta == 0.f) cm.setZero(); else cm *= beta;
    return;
  }
  ConstMap am(a, m, k, Eigen::OuterStride<>(lda));
  if (trans_b) {
    ConstMap bm(b + n0 * ldb, nb, k, Eigen::OuterStride<>(ldb));
    if (beta == 0.f) {
      cm.noalias() = alpha * (am * bm.transpose());
    } else {
      if (beta != 1.f) cm *= beta;
      cm.noalias() += alpha * (am * bm.transpose());
    }
  } else {
    ConstMap bm(b + n0, k, nb, Eigen::OuterStride<>(ldb));
    if (beta == 0.f) {
      cm.noalias() = alpha * (am * bm);
    } else {
      if (beta != 1.f) cm *= beta;
      cm.noalias() += alpha * (am * bm);
    }
  }
}

}  // namespace

void Gemm(bool trans_b, int64_t m, int64_t n, int64_t k, float alpha, const float* a,
          int64_t lda, const float* b, int64_t ldb, float beta, float* c, int64_t ldc) {
  FUNASR_CHECK(m >= 0 && n >= 0 && k >= 0, ErrorCode::kInternal, "Gemm: negative size ", m,
               "x", n, "x", k);
  if (m == 0 || n == 0) return;
  FUNASR_CHECK(lda >= k && ldc >= n && ldb >= (trans_b ? k : n), ErrorCode::kInternal,
               "Gemm: leading dimension too small");
  const int64_t blocks = (n + kColumnBlock - 1) / kColumnBlock;
  int threads = static_cast<int>(std::min<int64_t>(GetNumThreads(), blocks));
  // Tiny products are not worth waking a thread team.
  if (m * n * k < 64 * 64 * 64) threads = 1;
  if (threads <= 1) {
    for (int64_t bi = 0; bi < blocks; ++bi) {
      GemmBlock(trans_b, m, bi * kColumnBlock, std::min(n, (bi + 1) * kColumnBlock), k, alpha,
                a, lda, b, ldb, beta, c, ldc);
    }
    return;
  }
#pragma omp parallel for num_threads(threads) schedule(static)
  for (int64_t bi = 0; bi < blocks; ++bi) {
    GemmBlock(trans_b, m, bi * kColumnBlock, std::min(n, (bi + 1) * kColumnBlock), k, alpha, a,
              lda, b, ldb, beta, c, ldc);
  }
}

}  // namespace funasr::kernels
