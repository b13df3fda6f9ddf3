// Low frame rate (LFR) stacking, FunASR's apply_lfr (spec frontend-vad-punc.md §2.4,
// paraformer-pipeline.md §1.3).
//
// With L = (m - 1) / 2 and T input frames, the output has ceil(T / n) rows; row i is the
// concatenation over j = 0..m-1 of frame clamp(i*n + j - L, 0, T - 1). That is: L copies of
// frame 0 padded in front, the last frame repeated at the end (FunASR's strided formulation
// and this closed form were verified equal for T = 1..399).
#pragma once

#include <cstdint>

#include "core/tensor.h"

namespace funasr::frontend {

struct LfrOptions {
  int lfr_m = 1;  // frames stacked per output row (Paraformer 7, FSMN-VAD 5)
  int lfr_n = 1;  // hop in input frames (Paraformer 6, FSMN-VAD 1)

  int left_padding() const { return (lfr_m - 1) / 2; }
  // ceil(num_frames / lfr_n).
  int64_t NumOutputFrames(int64_t num_frames) const;
  // Throws InvalidArgument unless lfr_m >= 1 and lfr_n >= 1.
  void Validate() const;
};

// x: [T, dim] f32 -> [ceil(T / n), m * dim] f32. T = 0 gives [0, m * dim].
Tensor ApplyLfr(const Tensor& x, const LfrOptions& opts);
// Raw-pointer form: writes NumOutputFrames(num_frames) * m * dim floats.
void ApplyLfr(const float* x, int64_t num_frames, int dim, const LfrOptions& opts, float* out);

}  // namespace funasr::frontend
