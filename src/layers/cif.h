// Continuous integrate-and-fire (CIF), paraformer-pipeline.md §3.3, reproducing FunASR's two
// implementations exactly (they differ in float rounding, which decides token boundaries):
//
// CifPrefixSum — `cif_v1` (CifPredictorV2): S_t = float32(float64 cumsum of alphas);
//   a token fires at t when floor(S_t) > floor(S_{t-1}); peaks[t] = ([fire] + S_t) -
//   floor(S_t); the embedding of fire k is built from float32(float64 cumsum of alpha*h).
// CifLoop — `cif` (CifPredictorV3): a float32 running sum that fires when it reaches the
//   threshold, subtracts 1, and carries the remainder of the firing frame over;
//   peaks[t] = the sum before the subtraction.
// CifPeaks — `cif_wo_hidden`: the loop without embeddings (threshold subtracted on firing);
//   the timestamp head uses it with threshold 1 - 1e-4.
//
// hidden has `hidden_rows` rows of width d; frames t >= hidden_rows count as zero vectors
// (the appended tail frame). Embeddings of the first `max_tokens` fires go to
// embeds [max_tokens, d]; rows without a fire stay zero. Both return the number of fires.
#pragma once

#include <cstdint>

namespace funasr::layers {

int64_t CifPrefixSum(const float* hidden, int64_t hidden_rows, int64_t d, const float* alphas,
                     int64_t t, int64_t max_tokens, float* embeds, float* peaks);

int64_t CifLoop(const float* hidden, int64_t hidden_rows, int64_t d, const float* alphas,
                int64_t t, float threshold, int64_t max_tokens, float* embeds, float* peaks);

void CifPeaks(const float* alphas, int64_t t, float threshold, float* peaks);

}  // namespace funasr::layers
