// Writing a state dict in PyTorch's zip checkpoint format (what torch.save produces for
// an OrderedDict of contiguous float tensors, pickle protocol 2), readable by both
// LoadTorchCheckpoint and torch.load. Used by the random-model maker and by tests.
#pragma once

#include <string>
#include <vector>

#include "io/torch_checkpoint.h"
#include "io/torch_pickle.h"

namespace funasr::io {

// data.pkl bytes for `records` (storage keys, types, sizes, strides as given).
std::string BuildStateDictPickle(const std::vector<TorchTensorRecord>& records);

// Saves f32 / f16 / i64 / i32 tensors, one storage each, as "<root>/data.pkl",
// "<root>/data/<i>", "<root>/version".
void SaveTorchCheckpoint(const std::string& path, const std::vector<NamedTensor>& tensors,
                         const std::string& root = "archive");

}  // namespace funasr::io
