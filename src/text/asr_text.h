// The text end of Paraformer inference (spec §5 step 6 – §7): decoded token ids -> token
// strings -> per-token timestamps (BiCif/SeACo) -> FunASR's sentence_postprocess. This is
// what Paraformer/BiCif/SeACo/Contextual `inference()` put into the result dict
// ({"text"[, "timestamp"]}); models call it with their greedy output.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "funasr/result.h"
#include "text/token_list.h"
#include "text/token_timestamps.h"

namespace funasr::text {

struct AsrText {
  std::vector<std::string> tokens;  // token strings of the ids (incl. <unk>)
  std::string text;                 // FunASR result "text"
  std::vector<std::string> words;   // the words of `text`
  bool has_timestamps = false;
  std::vector<TimeSpanMs> timestamps;        // FunASR result "timestamp": one per word
  std::vector<TimeSpanMs> token_timestamps;  // per token, before "@@" merging (ts_prediction)
};

// Without timestamps (Paraformer, Contextual). `token_ids` come from greedy decoding with
// blank/<s>/</s> already removed (DropSpecialIds). Throws Error(kInvalidArgument) for an id
// outside the vocabulary.
AsrText DecodeAsrText(const TokenList& vocabulary, const std::vector<int64_t>& token_ids);

// With timestamps (BiCif, SeACo): `us_alphas`/`us_peaks` are the timestamp head's upsampled
// alphas and fires cut to 3 * encoder frames (`num_upsampled_frames` values each).
AsrText DecodeAsrText(const TokenList& vocabulary, const std::vector<int64_t>& token_ids,
                      const float* us_alphas, const float* us_peaks, size_t num_upsampled_frames,
                      const TokenTimestampOptions& options = {});

}  // namespace funasr::text
