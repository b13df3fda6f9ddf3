// Loading the tensors of a PyTorch zip checkpoint (model.pt / legacy vad.pb).
//
// Layout (torch.save since 1.6): a zip with "<root>/data.pkl" (the pickled state dict, see
// torch_pickle.h), one member "<root>/data/<key>" per storage (raw little-endian elements)
// and optional "<root>/version" / "<root>/byteorder". The root folder name varies
// ("archive", "model", "vad_new", ...). Every tensor's storage offset, sizes and strides
// are checked against its storage and every storage against its zip member before use.
#pragma once

#include <string>
#include <vector>

#include "core/tensor.h"
#include "io/zip_archive.h"

namespace funasr::io {

struct NamedTensor {
  std::string name;
  Tensor tensor;
};

// All tensors of the checkpoint in file order. Float/Half/Long/Int/Char storages keep
// their type (f32/f16/i64/i32/i8); BFloat16/Double become f32, Short/Byte/Bool become i32.
// Non-contiguous tensors are gathered into contiguous copies.
std::vector<NamedTensor> LoadTorchCheckpoint(const std::string& path);
// Same, from an already opened archive (used by the fuzzers).
std::vector<NamedTensor> LoadTorchCheckpoint(const ZipArchive& zip);

}  // namespace funasr::io
