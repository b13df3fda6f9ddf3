// Per-thread compute parallelism. A request sets how many threads its kernels may use
// (ScopedNumThreads); kernels read it with GetNumThreads(). It is thread-local so that
// concurrent requests on one shared model never interfere.
#pragma once

#include <cstdint>
#include <functional>

namespace funasr {

// Number of physical cores (the default thread count), at least 1.
int DefaultNumThreads();
// Threads kernels may use on the calling thread (DefaultNumThreads() unless set).
int GetNumThreads();
// n <= 0 restores the default.
void SetNumThreads(int n);

class ScopedNumThreads {
 public:
  explicit ScopedNumThreads(int n);
  ~ScopedNumThreads();
  ScopedNumThreads(const ScopedNumThreads&) = delete;
  ScopedNumThreads& operator=(const ScopedNumThreads&) = delete;

 private:
  int saved_;
};

// Runs fn(i) for every i in [0, n) using up to `threads` threads: the calling thread plus
// helpers from a process-wide pool. The caller always works too, so progress never depends
// on free helpers: concurrent requests share the pool and degrade gracefully when the
// machine is oversubscribed (OpenMP teams, whose members busy-wait for each other, were
// measured to slow down many times there). Idle helpers, and a caller waiting for its
// helpers, poll for a short window (FUNASR_SPIN_US, default 200 microseconds) before they
// block: a forward pass is hundreds of parallel steps a few microseconds apart, and waking
// a blocked thread every time cost most of the second core's gain. Which thread runs an
// index is unspecified; fn must make each index's result independent of that. Inside fn,
// GetNumThreads() is 1. The first exception thrown by fn is rethrown here after all
// indices have finished or been skipped.
void ParallelFor(int64_t n, int threads, const std::function<void(int64_t)>& fn);

// True on a ParallelFor helper thread or inside an OpenMP parallel region (a caller's own):
// nested parallelism would only oversubscribe the cores.
bool InParallelRegion();

}  // namespace funasr
