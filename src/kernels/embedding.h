// Embedding lookup and sequence masks.
#pragma once

#include <cstdint>
#include <vector>

#include "core/tensor.h"

namespace funasr::kernels {

// out[i, :] = table[ids[i], :] for table [V, D] (f32 or f16). Throws InvalidArgument on an
// id outside [0, V).
void Embedding(const Tensor& table, const int64_t* ids, int64_t n, float* out);

// mask[b * max_len + t] = 1 if t < lengths[b] else 0; max_len < 0 means max(lengths).
std::vector<uint8_t> SequenceMask(const std::vector<int64_t>& lengths, int64_t max_len = -1);

}  // namespace funasr::kernels
