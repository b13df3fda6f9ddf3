// Token timestamps from the CifPredictorV3 upsampled fires: FunASR's
// `ts_prediction_lfr6_standard` (funasr/utils/timestamp_tools.py, spec §6), used by
// BiCifParaformer and SeacoParaformer.
//
// Inputs are the timestamp head's upsampled alphas and fires (3 per 60 ms LFR frame, cut to
// 3 * encoder length) and the decoded tokens (after dropping blank/<s>/</s>). A fire at
// upsampled frame t marks the START of a token at (t - 1.5) * 20 ms. When the number of
// fires is not tokens + 1, the alphas are rescaled to sum to tokens + 1 and re-fired
// (float32, threshold 1 - 1e-4) exactly as FunASR does. Token durations are capped at 12
// frames (240 ms) with the rest labelled silence; leading/trailing silence longer than 5
// frames is split off. All times are computed in double with FunASR's operation order and
// truncated toward zero to integer ms.
//
// Deviations where the Python reference raises instead of returning (documented limits):
//  - no fire at all (only possible for degenerate alphas): every token gets [0, end of audio];
//  - more fires than tokens + 1 after rescaling: the surplus fires are ignored.
// When there are fewer fires than tokens + 1 (possible after rescaling), the result has
// fewer timestamps than tokens, exactly as in Python.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "funasr/result.h"

namespace funasr::text {

struct TokenTimestampOptions {
  // Offset added to every time, in ms (FunASR `vad_offset`/`begin_time`; the long-audio
  // pipeline leaves it 0 and shifts whole segments afterwards).
  double vad_offset_ms = 0.0;
  // Fire position shift in upsampled frames ("fires mark token starts").
  double force_time_shift = -1.5;
  // Upsampled frames per 60 ms LFR frame.
  int upsample_rate = 3;
};

// One entry of FunASR's intermediate list, silence included (times in seconds).
struct TimestampEntry {
  std::string label;  // the token, or "<sil>"
  double start_s = 0.0;
  double end_s = 0.0;
};

struct TokenTimestamps {
  std::vector<TimestampEntry> entries;  // tokens and <sil> entries in time order
  std::vector<TimeSpanMs> token_spans;  // per token (non-<sil> entries), integer ms
};

// `us_alphas` and `us_peaks` have `num_frames` values each.
TokenTimestamps PredictTokenTimestamps(const float* us_alphas, const float* us_peaks,
                                       size_t num_frames, const std::vector<std::string>& tokens,
                                       const TokenTimestampOptions& options = {});

// FunASR's `res_txt` debug string: "<label> <start> <end>;" per entry, each time formatted
// as Python's str(t + 0.0005)[:5].
std::string FormatTimestampEntries(const std::vector<TimestampEntry>& entries);

}  // namespace funasr::text
