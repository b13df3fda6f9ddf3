// Writing a ModelFiles (released directory or native file) as a native model file.
#pragma once

#include <string>

#include "io/model_files.h"

namespace funasr::io {

enum class NativeDType { kF32, kF16, kInt8 };

// Parses "f32" | "f16" | "int8" (InvalidArgument otherwise).
NativeDType ParseNativeDType(const std::string& s);

// Whether `name` / `shape` is stored int8 under --dtype int8: 2-D "*.weight" tensors of
// Linear layers. Embedding tables (a name component containing "embed"), the CIF head
// (predictor.cif_output*), norms, convs, LSTM weights (weight_ih_l0 ...) and biases stay
// float.
bool QuantizeAsLinearWeight(const std::string& name, const Shape& shape);

struct NativeWriteStats {
  int64_t tensors = 0;
  int64_t int8_tensors = 0;
  int64_t f16_tensors = 0;
  int64_t parameters = 0;
  uint64_t file_bytes = 0;
};

// Writes `model` to `path` (through a temporary file renamed into place). With kF32 every
// tensor is copied bit-exactly; kF16 stores float tensors as IEEE half; kInt8 stores
// Linear weights as symmetric per-output-channel int8 (kernels::QuantizeLinearInt8) with
// f32 scales and keeps the rest f32. Integer tensors keep their type.
NativeWriteStats WriteNativeModel(const ModelFiles& model, const std::string& path,
                                  NativeDType dtype);

}  // namespace funasr::io
