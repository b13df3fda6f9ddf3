#include "layers/layer_norm.h"

#include "kernels/elementwise.h"
#include "layers/parallel_rows.h"

namespace funasr::layers {

LayerNorm LayerNorm::Load(const io::ModelFiles& files, const std::string& prefix, int64_t dim,
                          float eps) {
  LayerNorm ln;
  ln.gamma_ = files.GetF32(prefix + ".weight", Shape{dim});
  ln.beta_ = files.GetF32(prefix + ".bias", Shape{dim});
  ln.dim_ = dim;
  ln.eps_ = eps;
  return ln;
}

void LayerNorm::Forward(const float* x, int64_t rows, float* y) const {
  ParallelRows(rows, dim_, [&](int64_t r0, int64_t r1) {
    kernels::LayerNorm(x + r0 * dim_, r1 - r0, dim_, gamma_.data<float>(), beta_.data<float>(),
                       eps_, y + r0 * dim_);
  });
}

}  // namespace funasr::layers
