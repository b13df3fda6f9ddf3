// Global CMVN after LFR (spec frontend-vad-punc.md §2.5): y[k] = (x[k] + shift[k]) * scale[k]
// with shift = -mean and scale = 1/stddev from am.mvn (io::Cmvn), in float32 like FunASR.
#pragma once

#include <cstdint>

#include "core/tensor.h"
#include "io/model_files.h"

namespace funasr::frontend {

// Throws FormatError when the CMVN dimension differs from `dim` (e.g. a VAD am.mvn with 400
// values given to a 560-dim Paraformer frontend) or shift/scale sizes differ.
void CheckCmvnDim(const io::Cmvn& cmvn, int64_t dim);

// In place on rows x [num_rows, dim].
void ApplyCmvn(const io::Cmvn& cmvn, float* x, int64_t num_rows, int64_t dim);
// In place on a [T, dim] f32 tensor this code owns.
void ApplyCmvn(const io::Cmvn& cmvn, Tensor* x);

}  // namespace funasr::frontend
