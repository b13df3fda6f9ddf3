// FunASR's text rules of the long-audio merge (funasr/auto/auto_model.py and
// funasr/utils/timestamp_tools.py at v1.4.3), reproduced exactly, quirks included.
#pragma once

#include <string>
#include <vector>

#include "funasr/pipeline.h"

namespace funasr::pipeline {

// `_join_vad_texts`: removes `<|...|>` tags, strips, drops empty texts, and joins with ""
// when the characters on both sides are CJK (U+3400..U+9FFF), else with " ".
std::string JoinVadTexts(const std::vector<std::string>& texts);

// `timestamp_sentence(punc_ids, timestamps, text)`: walks punctuation ids, timestamps and
// the whitespace-separated words of `text` in step (zip_longest) and closes a sentence at
// every id > 1 with "，" "。" "？" "、". When the three lists differ in length the pairing
// shifts exactly as in FunASR. Requires punc_ids.size() == timestamps.size() (the assembly
// checks it; Error(kInvalidArgument) otherwise).
std::vector<SentenceInfo> TimestampSentences(const std::vector<int>& punc_ids,
                                             const std::vector<TimeSpanMs>& timestamps,
                                             const std::string& text);

// `_vad_segment_sentences`: one sentence per segment with non-empty text; start/end from
// its first/last timestamp, else the segment bounds. Timestamps are absolute.
std::vector<SentenceInfo> SegmentSentences(const std::vector<SegmentTranscript>& segments);

}  // namespace funasr::pipeline
