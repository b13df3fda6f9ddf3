#include "layers/linear_loader.h"

namespace funasr::layers {

kernels::LinearWeights LoadLinear(const io::ModelFiles& files, const std::string& prefix,
                                  int64_t out_features, int64_t in_features, bool has_bias,
                                  const WeightOptions& options, bool allow_int8) {
  kernels::LinearWeights w = files.GetLinear(prefix, out_features, in_features, has_bias);
  if (options.quantize_int8 && allow_int8 && !w.quantized()) {
    w = kernels::QuantizeLinearInt8(w);
  }
  kernels::PrepareLinear(w);
  return w;
}

}  // namespace funasr::layers
