// FunASR's SinusoidalPositionEncoder (funasr/models/transformer/embedding.py), the "pe"
// input layer of SANMEncoder (paraformer-pipeline.md §2.1).
//
// For a sequence of T frames of depth D (the *input* depth, e.g. 560 for Paraformer):
//   inc     = ln(10000) / (D/2 - 1)
//   freq_j  = exp(-j * inc),                       j = 0 .. D/2-1
//   PE[p]   = [sin(p * freq_0..), cos(p * freq_0..)]   (halves, not interleaved)
// with 1-based positions p = first_position, first_position+1, ... All in float32 as
// FunASR computes it.
#pragma once

#include <cstdint>

namespace funasr::layers {

// x[t, :] += PE[first_position + t] for t in [0, T); x is [T, depth] row-major. depth must be
// even and >= 4.
void AddSinusoidalPositionEncoding(float* x, int64_t t, int64_t depth,
                                   int64_t first_position = 1);

// The SAN-M "pe" input layer: x = x * scale + PE (FunASR scales by sqrt(encoder output
// size) *before* adding the encoding, §2.1). Operates in place on [T, depth].
void ScaleAndAddPositionEncoding(float* x, int64_t t, int64_t depth, float scale,
                                 int64_t first_position = 1);

}  // namespace funasr::layers
