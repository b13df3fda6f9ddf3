#include "layers/feed_forward.h"

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
  kernels::LinearEpilogue relu;
  relu.relu = true;
  kernels::Linear(x, rows, w_1_, h, relu);
  kernels::Linear(h, rows, w_2_, y);
}

void PositionwiseFeedForward::ForwardAccumulate(const float* x, int64_t rows, float* y,
                                                Workspace& ws) const {
  if (rows == 0) return;
  Workspace::Scope scope(ws);
  ForwardAccumulate(x, rows, y, ws.Floats(rows * hidden()));
}

void PositionwiseFeedForward::ForwardAccumulate(const float* x, int64_t rows, float* y,
                                                float* h) const {
  if (rows == 0) return;
  kernels::LinearEpilogue relu;
  relu.relu = true;
  kernels::Linear(x, rows, w_1_, h, relu);
  kernels::LinearEpilogue accumulate;  // y = y + w_2(h), added as the output is produced
  accumulate.residual = y;
  kernels::Linear(h, rows, w_2_, y, accumulate);
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
  Forward(x, rows, y, ws.Floats(rows * hidden()));
}

void PositionwiseFeedForwardDecoderSanm::Forward(const float* x, int64_t rows, float* y,
                                                 float* h) const {
  if (rows == 0) return;
  kernels::LinearEpilogue relu;
  relu.relu = true;
  kernels::Linear(x, rows, w_1_, h, relu);
  norm_.Forward(h, rows, h);
  kernels::Linear(h, rows, w_2_, y);
}

}  // namespace funasr::layers
