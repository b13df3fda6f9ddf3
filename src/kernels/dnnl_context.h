// Internal glue between libfunasr's threading model and oneDNN (OpenMP runtime).
//
// oneDNN sizes its work split when a primitive is created from omp_get_max_threads() of the
// creating thread and expects the same count when executing; inside an OpenMP parallel
// region it runs single-threaded. Kernels therefore always set the calling thread's OpenMP
// thread count explicitly (ScopedOmpThreads) around primitive creation and execution: the
// setting is an OpenMP per-thread ICV, so concurrent requests on different threads do not
// interfere.
#pragma once

#include <oneapi/dnnl/dnnl.hpp>

namespace funasr::kernels::detail {

// The process-wide CPU engine (created on first use, thread-safe).
const dnnl::engine& CpuEngine();
// An in-order CPU stream owned by the calling thread.
dnnl::stream& ThreadStream();

// Sets omp_set_num_threads(n) on the calling thread and restores the previous value.
class ScopedOmpThreads {
 public:
  explicit ScopedOmpThreads(int n);
  ~ScopedOmpThreads();
  ScopedOmpThreads(const ScopedOmpThreads&) = delete;
  ScopedOmpThreads& operator=(const ScopedOmpThreads&) = delete;

 private:
  int saved_;
};

// Threads a kernel may use on this thread: GetNumThreads(), but 1 inside an OpenMP
// parallel region or on a ParallelFor helper (nesting would only oversubscribe).
int KernelThreads();

}  // namespace funasr::kernels::detail
