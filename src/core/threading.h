// Per-thread compute parallelism. A request sets how many threads its kernels may use
// (ScopedNumThreads); kernels read it with GetNumThreads(). It is thread-local so that
// concurrent requests on one shared model never interfere.
#pragma once

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

}  // namespace funasr
