// Loading the tensors of a PyTorch zip checkpoint (model.pt / legacy vad.pb).
//
// Layout (torch.save since 1.6): a zip with "<root>/data.pkl" (the pickled state dict, see
// torch_pickle.h), one member "<root>/data/<key>" per storage (raw little-endian elements)
// and optional "<root>/version" / "<root>/byteorder". The root folder name varies
// ("archive", "model", "vad_new", ...). Every tensor's storage offset, sizes and strides
// are checked against its storage and every storage against its zip member before use.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/tensor.h"
#include "io/zip_archive.h"

namespace funasr::io {

struct NamedTensor {
  std::string name;
  Tensor tensor;
};

// A checkpoint opened for reading tensors on demand: data.pkl is parsed and every tensor's
// geometry and storage member are checked when it is opened (the same errors as
// LoadTorchCheckpoint), but a tensor's data is read only when asked for. A loader that
// converts each weight as it goes (packing, int8 quantisation) then never holds the
// whole f32 checkpoint in memory. Immutable and thread-safe; the archive stays open.
class TorchCheckpoint {
 public:
  static std::shared_ptr<const TorchCheckpoint> Open(const std::string& path);
  ~TorchCheckpoint();

  // Tensor names in file order (as stored; no prefix handling).
  const std::vector<std::string>& names() const;
  // Tensor `index` of names(), read now. A storage shared by several tensors is read once
  // while any tensor made from it is alive (views borrow it, as in LoadTorchCheckpoint).
  // Throws FormatError / IoError naming the file on a corrupt or short read.
  Tensor Read(size_t index) const;

 private:
  struct State;
  explicit TorchCheckpoint(std::shared_ptr<State> state);
  std::shared_ptr<State> state_;
};

// All tensors of the checkpoint in file order. Float/Half/Long/Int/Char storages keep
// their type (f32/f16/i64/i32/i8); BFloat16/Double become f32, Short/Byte/Bool become i32.
// Non-contiguous tensors are gathered into contiguous copies.
std::vector<NamedTensor> LoadTorchCheckpoint(const std::string& path);
// Same, from an already opened archive (used by the fuzzers).
std::vector<NamedTensor> LoadTorchCheckpoint(const ZipArchive& zip);

}  // namespace funasr::io
