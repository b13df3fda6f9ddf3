// libfunasr: options that apply when a model is loaded.
#pragma once

namespace funasr {

struct LoadOptions {
  // Quantise the Linear weights of the network to int8 at load time (symmetric, one scale
  // per output channel): about 4x less weight memory and faster matrix products, at a small
  // accuracy cost. Layer norms, softmax, FSMN memories and the CIF predictor stay float32.
  // Native files converted with --dtype int8 are int8 regardless of this flag.
  bool int8 = false;
};

}  // namespace funasr
