// fp32 GEMM. See gemm.h for the contract.
//
// Backend, chosen by measurement (benchmarks/gemm_bench.cc, table in benchmarks/README.md;
// 2-vCPU Xeon with AVX-512 + AMX, one thread, GFLOP/s):
//
//   shape M×K·K×N       Eigen 3.4   OpenBLAS 0.3.21   oneDNN sgemm   oneDNN matmul (packed)
//   300×512·512×2048      132          148               154            172
//   300×2048·2048×512     144          151               159            175
//   30×512·512×8404        83           63                89            112
//   300×64·64×300         136          131               172            183
//   1×512·512×2048         14.1          5.0              13.6           12.6
//
// Gemm (operands not prepacked) uses oneDNN's sgemm; a single row (GEMV) uses Eigen, which
// is faster there. Linear with prepacked weights uses oneDNN matmul (linear.cc).
//
// Threading and determinism: C is split into fixed 256-column blocks whose layout does not
// depend on the thread count; each block is one single-threaded GEMM call, and the blocks
// are spread over GetNumThreads() threads with ParallelFor (blocking helper threads, robust
// when the machine is oversubscribed). Every element of C is therefore computed by the same
// call with the same K blocking whether 1 or N threads run: results are bit-identical
// across thread counts. No global state is touched (see dnnl_context.h).
// GCC 12 reports false "maybe-uninitialized" positives inside Eigen's AVX-512 packet code.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#define EIGEN_DONT_PARALLELIZE
#include "kernels/gemm.h"

#include <Eigen/Core>
#include <algorithm>
#include <atomic>

#include "core/check.h"
#include "core/threading.h"
#include "kernels/dnnl_context.h"

namespace funasr::kernels {

namespace {

using RowMajor = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using ConstMap = Eigen::Map<const RowMajor, 0, Eigen::OuterStride<>>;
using Map = Eigen::Map<RowMajor, 0, Eigen::OuterStride<>>;

// Width of the column blocks handed to threads (fixed: see the determinism note above).
constexpr int64_t kColumnBlock = 256;
// Below this many flops a second thread costs more than it saves.
constexpr double kMinParallelFlops = 8e6;

// Row vector times matrix with Eigen (GEMV): c[0, :nb] = alpha * a · op(B) + beta * c.
void GemvBlock(bool trans_b, int64_t nb, int64_t k, float alpha, const float* a,
               const float* b, int64_t ldb, float beta, float* c) {
  Eigen::Map<Eigen::RowVectorXf> cv(c, nb);
  Eigen::Map<const Eigen::RowVectorXf> av(a, k);
  if (beta == 0.f) {
    if (trans_b) {
      cv.noalias() = alpha * (av * ConstMap(b, nb, k, Eigen::OuterStride<>(ldb)).transpose());
    } else {
      cv.noalias() = alpha * (av * ConstMap(b, k, nb, Eigen::OuterStride<>(ldb)));
    }
  } else {
    if (beta != 1.f) cv *= beta;
    if (trans_b) {
      cv.noalias() += alpha * (av * ConstMap(b, nb, k, Eigen::OuterStride<>(ldb)).transpose());
    } else {
      cv.noalias() += alpha * (av * ConstMap(b, k, nb, Eigen::OuterStride<>(ldb)));
    }
  }
}

// Columns [n0, n0 + nb) of C on the calling thread (OpenMP thread count already 1).
bool GemmBlock(bool trans_b, int64_t m, int64_t n0, int64_t nb, int64_t k, float alpha,
               const float* a, int64_t lda, const float* b, int64_t ldb, float beta, float* c,
               int64_t ldc) {
  const float* bb = trans_b ? b + n0 * ldb : b + n0;
  if (m == 1) {
    GemvBlock(trans_b, nb, k, alpha, a, bb, ldb, beta, c + n0);
    return true;
  }
  return dnnl_sgemm('N', trans_b ? 'T' : 'N', m, nb, k, alpha, a, lda, bb, ldb, beta, c + n0,
                    ldc) == dnnl_success;
}

}  // namespace

void Gemm(bool trans_b, int64_t m, int64_t n, int64_t k, float alpha, const float* a,
          int64_t lda, const float* b, int64_t ldb, float beta, float* c, int64_t ldc) {
  FUNASR_CHECK(m >= 0 && n >= 0 && k >= 0, ErrorCode::kInternal, "Gemm: negative size ", m,
               "x", n, "x", k);
  if (m == 0 || n == 0) return;
  FUNASR_CHECK(lda >= k && ldc >= n && ldb >= (trans_b ? k : n), ErrorCode::kInternal,
               "Gemm: leading dimension too small");
  if (k == 0) {  // C = beta * C (C is not read when beta == 0)
    for (int64_t i = 0; i < m; ++i) {
      Eigen::Map<Eigen::ArrayXf> row(c + i * ldc, n);
      if (beta == 0.f) row.setZero(); else row *= beta;
    }
    return;
  }
  const int64_t blocks = (n + kColumnBlock - 1) / kColumnBlock;
  int threads = static_cast<int>(std::min<int64_t>(detail::KernelThreads(), blocks));
  if (2.0 * m * n * k < kMinParallelFlops) threads = 1;
  std::atomic<bool> ok{true};
  detail::ScopedOmpThreads serial(1);  // each block is one single-threaded call
  ParallelFor(blocks, threads, [&](int64_t bi) {
    const int64_t n0 = bi * kColumnBlock;
    if (!GemmBlock(trans_b, m, n0, std::min(kColumnBlock, n - n0), k, alpha, a, lda, b, ldb,
                   beta, c, ldc)) {
      ok = false;
    }
  });
  FUNASR_CHECK(ok.load(), ErrorCode::kInternal, "Gemm: oneDNN sgemm failed for ", m, "x", n,
               "x", k);
}

}  // namespace funasr::kernels
