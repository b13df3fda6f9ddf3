#include "kernels/dnnl_context.h"

#include <omp.h>

#include "core/threading.h"

namespace funasr::kernels::detail {

const dnnl::engine& CpuEngine() {
  static const dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  return engine;
}

dnnl::stream& ThreadStream() {
  thread_local dnnl::stream stream(CpuEngine());
  return stream;
}

ScopedOmpThreads::ScopedOmpThreads(int n) : saved_(omp_get_max_threads()) {
  if (n != saved_) omp_set_num_threads(n);
}

ScopedOmpThreads::~ScopedOmpThreads() {
  if (omp_get_max_threads() != saved_) omp_set_num_threads(saved_);
}

int KernelThreads() { return InParallelRegion() ? 1 : GetNumThreads(); }

}  // namespace funasr::kernels::detail
