// libfunasr: plain result types shared by the ASR, punctuation and pipeline APIs
// (timestamps and sentences). Values follow FunASR's AutoModel output exactly.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace funasr {

// [start, end) in milliseconds from the beginning of the audio (FunASR's [beg_ms, end_ms]).
// Token times are FunASR's seconds * 1000 truncated toward zero, so a token that fires on
// the very first frame can start slightly before 0 (e.g. -30).
struct TimeSpanMs {
  int64_t start = 0;
  int64_t end = 0;
  bool operator==(const TimeSpanMs& o) const { return start == o.start && end == o.end; }
  bool operator!=(const TimeSpanMs& o) const { return !(*this == o); }
};

// One entry of AutoModel's `sentence_info`: the transcript cut after every punctuation mark.
struct SentenceInfo {
  std::string text;                    // sentence text with its closing punctuation, exactly as
                                       // FunASR builds it (may begin with a space before English)
  int64_t start_ms = 0;                // first token's start
  int64_t end_ms = 0;                  // last token's end
  std::vector<TimeSpanMs> timestamps;  // the sentence's token timestamps (absolute)
};

}  // namespace funasr
