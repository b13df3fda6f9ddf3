#include "layers/multi_head_attention.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <limits>
#include <memory>
#include <new>

#include "core/check.h"
#include "core/threading.h"
#include "kernels/elementwise.h"
#include "kernels/gemm.h"

namespace funasr::layers {

namespace {

// Query rows are processed in blocks so that the score scratch is kRowBlock x Tk, not
// Tq x Tk: memory stays linear in the sequence length (a 10-minute input would otherwise
// need a 400 MB score matrix per thread). Fixed block size: results do not depend on threads.
constexpr int64_t kRowBlock = 512;

void SolveHead(const AttentionProblem& p, int64_t h, int64_t d_k, float scale,
               float* scratch) {
  const int64_t tq = p.tq, tk = p.tk;
  if (tq == 0) return;
  if (tk == 0) {
    float* out = p.out + h * d_k;
    for (int64_t i = 0; i < tq; ++i) std::fill(out + i * p.ldo, out + i * p.ldo + d_k, 0.f);
    return;
  }
  for (int64_t r0 = 0; r0 < tq; r0 += kRowBlock) {
    const int64_t rows = std::min(kRowBlock, tq - r0);
    float* s = p.probs != nullptr ? p.probs + h * tq * tk + r0 * tk : scratch;
    kernels::Gemm(/*trans_b=*/true, rows, tk, d_k, scale, p.q + r0 * p.ldq + h * d_k, p.ldq,
                  p.k + h * d_k, p.ldk, 0.f, s, tk);
    if (p.mask != nullptr) {
      const uint8_t* mask = p.mask + r0 * tk;
      const float neg_inf = -std::numeric_limits<float>::infinity();
      for (int64_t i = 0; i < rows * tk; ++i) {
        if (mask[i] == 0) s[i] = neg_inf;
      }
      kernels::Softmax(s, rows, tk, s);
      for (int64_t i = 0; i < rows * tk; ++i) {
        if (mask[i] == 0) s[i] = 0.f;
      }
    } else {
      kernels::Softmax(s, rows, tk, s);
    }
    kernels::Gemm(/*trans_b=*/false, rows, d_k, tk, 1.f, s, tk, p.v + h * d_k, p.ldv, 0.f,
                  p.out + r0 * p.ldo + h * d_k, p.ldo);
  }
}

// The calling thread's score buffer of at least n floats (64-byte aligned), kept for the
// thread's next call unless it is larger than kMaxKeptScores.
class ThreadScores {
 public:
  explicit ThreadScores(int64_t n) {
    Buffer& b = Get();
    if (b.capacity < n) {
      b.data.reset(static_cast<float*>(std::aligned_alloc(64, RoundedBytes(n))));
      b.capacity = b.data ? n : 0;
      if (!b.data) throw std::bad_alloc();  // as the workspace does
    }
    data_ = b.data.get();
  }
  ~ThreadScores() {
    Buffer& b = Get();
    if (b.capacity > kMaxKeptScores) {
      b.data.reset();
      b.capacity = 0;
    }
  }
  ThreadScores(const ThreadScores&) = delete;
  ThreadScores& operator=(const ThreadScores&) = delete;
  float* data() const { return data_; }

 private:
  static constexpr int64_t kMaxKeptScores = int64_t{2} << 20;  // 8 MB
  struct Free {
    void operator()(float* p) const { std::free(p); }
  };
  struct Buffer {
    std::unique_ptr<float, Free> data;
    int64_t capacity = 0;
  };
  static Buffer& Get() {
    thread_local Buffer buffer;
    return buffer;
  }
  static size_t RoundedBytes(int64_t n) {  // aligned_alloc wants a multiple of the alignment
    return static_cast<size_t>((std::max<int64_t>(n, 1) + 15) / 16 * 16) * sizeof(float);
  }
  float* data_ = nullptr;
};

}  // namespace

void MultiHeadAttention(const std::vector<AttentionProblem>& problems, int64_t heads,
                        int64_t d_k, float scale, Workspace& ws) {
  const int64_t tasks = static_cast<int64_t>(problems.size()) * heads;
  if (tasks == 0) return;
  int64_t max_scores = 0;
  for (const AttentionProblem& p : problems) {
    FUNASR_ASSERT(p.tq >= 0 && p.tk >= 0);
    if (p.probs == nullptr) max_scores = std::max(max_scores, std::min(p.tq, kRowBlock) * p.tk);
  }
  const int threads = GetNumThreads();
  Workspace::Scope scope(ws);
  if (threads <= 1 || tasks < threads) {
    // Few tasks: one after another, each GEMM using all threads.
    float* scratch = ws.Floats(max_scores);
    for (int64_t task = 0; task < tasks; ++task) {
      SolveHead(problems[static_cast<size_t>(task / heads)], task % heads, d_k, scale, scratch);
    }
    return;
  }
  // One worker per thread claims heads in turn (uneven sequence lengths balance out). Each
  // worker's score scratch is its own thread's buffer, not a slot of the shared workspace:
  // workspace memory is written by the other thread in other steps (row blocks of other
  // matrices), and every first write to such a line moves it between the cores' caches.
  // That made each thread's first head per step ~40 % slower than its second (int8
  // paraformer-large, 20 s, two threads). Scratch is 64-byte aligned like the workspace:
  // vectorised row kernels (softmax) may sum in an alignment-dependent order, and results
  // must not depend on which thread ran a head.
  std::atomic<int64_t> next{0};
  ParallelFor(threads, threads, [&](int64_t) {
    ThreadScores scores(max_scores);
    for (int64_t task = next++; task < tasks; task = next++) {
      SolveHead(problems[static_cast<size_t>(task / heads)], task % heads, d_k, scale,
                scores.data());
    }
  });
}

void SolveAttentionHead(const AttentionProblem& p, int64_t head, int64_t d_k, float scale) {
  FUNASR_ASSERT(p.tq >= 0 && p.tk >= 0);
  ThreadScores scores(p.probs == nullptr ? std::min(p.tq, kRowBlock) * p.tk : 0);
  SolveHead(p, head, d_k, scale, scores.data());
}

}  // namespace funasr::layers
