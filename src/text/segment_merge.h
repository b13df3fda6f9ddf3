// Merging the per-VAD-segment ASR results of a long input into one transcript: step 3 of
// FunASR's AutoModel.inference_with_vad (funasr/auto/auto_model.py, spec §11.4) and the
// text it hands to the punctuation model (`_join_vad_texts`, §11.5).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "funasr/result.h"

namespace funasr::text {

// One VAD segment's ASR output as the model returned it; timestamps are relative to the
// segment start (the pipeline decodes each segment with begin_time unset).
struct SegmentAsrResult {
  std::string text;
  // BiCif/SeACo results carry a "timestamp" list; Paraformer/Contextual results do not, nor
  // does the {"text": ""} record FunASR makes for a segment with no tokens.
  bool has_timestamps = false;
  std::vector<TimeSpanMs> timestamps;
};

enum class MergeStatus {
  kOk,             // merged text is not blank
  kNoSegments,     // the VAD found no speech: FunASR returns {"text": "", "timestamp": []}
  kMissingResult,  // a segment produced no result record (SeACo with < 1 token returns
                   // ([],)): FunASR returns {"text": "", "timestamp": []} for the whole input
  kBlank,          // merged text is blank: FunASR drops the input from its result list
};

struct MergedTranscript {
  MergeStatus status = MergeStatus::kOk;
  // Segment texts in chronological order joined by single spaces (FunASR result["text"]
  // before punctuation; also its raw_text).
  std::string text;
  bool has_timestamps = false;         // some segment had timestamps
  std::vector<TimeSpanMs> timestamps;  // absolute: each [s, e] + int(segment start ms)
};

// `results[i]` is the result for `vad_segments[i]` (chronological order, restored from the
// duration-sorted decoding order); std::nullopt marks a segment without a result record.
MergedTranscript MergeSegmentTranscripts(
    const std::vector<TimeSpanMs>& vad_segments,
    const std::vector<std::optional<SegmentAsrResult>>& results);

// FunASR's `_join_vad_texts` (HEAD): removes "<|...|>" tags, strips, drops empty texts and
// joins the rest with "" when the characters on both sides of a boundary are CJK
// (U+3400..U+9FFF), else with " ". This is the text given to the punctuation model and,
// split on whitespace, the word list of the sentence splitter.
std::string JoinVadTexts(const std::vector<std::string>& segment_texts);

// re.sub(r"<\|[^|]*\|>", "", text): removes rich-transcription tags such as "<|zh|>".
std::string RemoveRichTags(std::string_view text);

}  // namespace funasr::text
