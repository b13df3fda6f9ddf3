// LayerNorm weights of one FunASR `LayerNorm` (torch.nn.LayerNorm, eps 1e-12 by default).
#pragma once

#include <cstdint>
#include <string>

#include "core/tensor.h"
#include "io/model_files.h"

namespace funasr::layers {

class LayerNorm {
 public:
  LayerNorm() = default;
  // Reads "<prefix>.weight" and "<prefix>.bias", both [dim].
  static LayerNorm Load(const io::ModelFiles& files, const std::string& prefix, int64_t dim,
                        float eps = 1e-12f);

  // y[r, :] = LN(x[r, :]) for `rows` rows of `dim()` values; y may equal x.
  void Forward(const float* x, int64_t rows, float* y) const;

  int64_t dim() const { return dim_; }

 private:
  Tensor gamma_;
  Tensor beta_;
  int64_t dim_ = 0;
  float eps_ = 1e-12f;
};

}  // namespace funasr::layers
