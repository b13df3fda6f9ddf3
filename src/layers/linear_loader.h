// Loading nn.Linear weights for inference, optionally quantised to int8.
#pragma once

#include <cstdint>
#include <string>

#include "io/model_files.h"
#include "kernels/linear.h"

namespace funasr::layers {

// How a model's weights are prepared at load time.
struct WeightOptions {
  // Quantise the weights of the Linear layers that opt in to int8 (symmetric per output
  // channel, kernels::QuantizeLinearInt8). Weights already stored as int8 stay int8.
  bool quantize_int8 = false;
};

// "<prefix>.weight" [out, in] (+ "<prefix>.bias" [out] when has_bias), shape-checked,
// quantised when options.quantize_int8 && allow_int8, then prepacked for the backend. With
// allow_int8 false, weights stored int8 (native --dtype int8 files) are dequantised.
kernels::LinearWeights LoadLinear(const io::ModelFiles& files, const std::string& prefix,
                                  int64_t out_features, int64_t in_features, bool has_bias,
                                  const WeightOptions& options, bool allow_int8 = true);

}  // namespace funasr::layers
