// Frame geometry and window functions of the Kaldi feature pipeline (spec §2.3 steps 1-7).
#pragma once

#include <cstdint>
#include <vector>

#include "frontend/fbank_options.h"

namespace funasr::frontend {

// Number of complete frames in `num_samples` samples with snip_edges:
// 0 if num_samples < window_size, else 1 + (num_samples - window_size) / window_shift.
int64_t NumFrames(int64_t num_samples, int window_size, int window_shift);

// The window of `opts.window_type` over `size` samples (size >= 2), symmetric as
// torch's *_window(periodic=False): hamming 0.54 - 0.46 cos(2 pi n / (size - 1)),
// hanning 0.5 - 0.5 cos(.), povey hanning^0.85, rectangular 1, blackman
// c - 0.5 cos(.) + (0.5 - c) cos(2 .). Throws InvalidArgument for an unknown type.
std::vector<double> WindowFunction(const FrameExtractionOptions& opts, int size);

}  // namespace funasr::frontend
