// A safe, bounded reader for the pickle (data.pkl) of a PyTorch state-dict checkpoint.
//
// Only the subset of pickle that torch.save emits for tensors and (ordered) dicts is
// interpreted: protocol <= 4 framing, ints/floats/strings/bools/None, tuples, lists,
// dicts, MARK/SETITEMS/APPENDS, the BINPUT/BINGET memo, REDUCE/BUILD and persistent ids
// ('storage', torch.<T>Storage, key, location, numel). The only callables are
// torch._utils._rebuild_tensor_v2, torch._utils._rebuild_parameter and
// collections.OrderedDict; any other global or opcode is refused with an error naming it.
// Nothing is ever executed. Values form a tree of bounded depth (containers cannot be
// modified once nested, so reference cycles are impossible).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/tensor.h"

namespace funasr::io {

// Element type of a torch storage (torch.FloatStorage, ...).
enum class TorchStorageType : uint8_t {
  kFloat, kHalf, kBFloat16, kDouble, kLong, kInt, kShort, kChar, kByte, kBool
};
// Bytes per element.
size_t TorchStorageElementSize(TorchStorageType type);
// "FloatStorage", ...
const char* TorchStorageTypeName(TorchStorageType type);

// One tensor of the state dict: a strided view into storage `storage_key`
// (zip member "<root>/data/<storage_key>").
struct TorchTensorRecord {
  std::string name;
  std::string storage_key;
  TorchStorageType storage_type = TorchStorageType::kFloat;
  int64_t storage_numel = 0;
  int64_t storage_offset = 0;  // in elements
  Shape sizes;
  std::vector<int64_t> strides;  // in elements
};

// Parses `data` (the bytes of data.pkl). The top-level object must be a dict of name ->
// tensor, possibly wrapped as {"state_dict" | "model_state_dict" | "model": {...}} (FunASR's
// loader descends the same way); entries that are not tensors are skipped. `what` names
// the source in error messages (e.g. "dir/model.pt: model/data.pkl"). Throws FormatError
// naming the offending opcode / global / value and its byte offset.
std::vector<TorchTensorRecord> ParseTorchStateDictPickle(const void* data, size_t size,
                                                         const std::string& what);

}  // namespace funasr::io
