#include "layers/feed_forward.h"

#include "kernels/elementwise.h"
#include "layers/parallel_rows.h"

namespace funasr::layers {

PositionwiseFeedForward PositionwiseFeedForward::Load(const io::ModelFiles& files,
                                                      const std::string& prefix,
                                                      int64_t d_model, int64_t hidden,
                                                      const WeightOptions& options) {
  PositionwiseFeedForward f;
  f.w_1_ = LoadLinear(files, prefix + ".w_1", hidden, d_model, true, options);
  f.w_2_ = LoadLinear(files, prefix + ".w_2", d_model, hidden, true, options);
  return f;
}

void PositionwiseFeedForward::Forward(const float* x, int64_t rows, float* y,
                                      Workspace& ws) const {
  if (rows == 0) return;
  Workspace::Scope scope(ws);
  float* h = ws.Floats(rows * hidden());
  kernels::Linear(x, rows, w_1_, h);
  ParallelRelu(h, rows, hidden());
  kernels::Linear(h, rows, w_2_, y);
}

void PositionwiseFeedForward::ForwardAccumulate(const float* x, int64_t rows, float* y,
                                                Workspace& ws) const {
  if (rows == 0) return;
  Workspace::Scope scope(ws);
  float* f = ws.Floats(rows * d_model());
  Forward(x, rows, f, ws);
  ParallelAdd(y, f, rows, d_model(), y);
}

PositionwiseFeedForwardDecoderSanm PositionwiseFeedForwardDecoderSanm::Load(
    const io::ModelFiles& files, const std::string& prefix, int64_t d_model, int64_t hidden,
    const WeightOptions& options) {
  PositionwiseFeedForwardDecoderSanm f;
  f.w_1_ = LoadLinear(files, prefix + ".w_1", hidden, d_model, true, options);
  f.norm_ = LayerNorm::Load(files, prefix + ".norm", hidden);
  f.w_2_ = LoadLinear(files, prefix + ".w_2", d_model, hidden, false, options);
  return f;
}

void PositionwiseFeedForwardDecoderSanm::Forward(const float* x, int64_t rows, float* y,
                                                 Workspace& ws) const {
  if (rows == 0) return;
  Workspace::Scope scope(ws);
  float* h = ws.Floats(rows * hidden());
  kernels::Linear(x, rows, w_1_, h);
  ParallelRelu(h, rows, hidden());
  norm_.Forward(h, rows, h);
  kernels::Linear(h, rows, w_2_, y);
}

}  // namespace funasr::layers
