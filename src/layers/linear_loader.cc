#include "layers/linear_loader.h"

namespace funasr::layers {

kernels::LinearWeights LoadLinear(const io::ModelFiles& files, const std::string& prefix,
                                  int64_t out_features, int64_t in_features, bool has_bias,
                                  const WeightOptions& options, bool allow_int8) {
  kernels::LinearWeights w = files.GetLinear(prefix, out_features, in_features, has_bias);
  const void* source = w.weight.raw_data();
  if (options.quantize_int8 && allow_int8 && !w.quantized()) {
    w = kernels::QuantizeLinearInt8(w);
  } else if (!allow_int8 && w.quantized()) {
    // A layer that must compute in float (e.g. the CIF heads, which decide the token count)
    // stored int8 in a native file: use the dequantised weights.
    Tensor f = Tensor::Zeros(DType::kF32, {out_features, in_features});
    const int8_t* q = w.weight.data<int8_t>();
    const float* s = w.scales.data<float>();
    float* d = f.mutable_data<float>();
    for (int64_t o = 0; o < out_features; ++o) {
      for (int64_t i = 0; i < in_features; ++i) {
        d[o * in_features + i] = s[o] * static_cast<float>(q[o * in_features + i]);
      }
    }
    w.weight = f;
    w.scales = Tensor();
  }
  kernels::PrepareLinear(w);
  // The layer has its own copy now (int8, or the packed f32 that replaced the plain
  // weights): a mapped file's pages of the source need not stay resident while the rest
  // of the model loads.
  if (!w.weight.defined() || w.weight.raw_data() != source) {
    files.DropResidentTensorPages(prefix + ".weight");
  }
  return w;
}

}  // namespace funasr::layers
