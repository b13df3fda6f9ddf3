// libfunasr: plain result types shared by the ASR and pipeline APIs (timestamps, sentences).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace funasr {

// A time interval in milliseconds from the start of the input audio. Values are FunASR's:
// seconds * 1000 truncated toward zero, so a token that fires on the very first frame can
// start slightly before 0 (e.g. -30).
struct TimeSpan {
  int64_t start_ms = 0;
  int64_t end_ms = 0;

  friend bool operator==(const TimeSpan& a, const TimeSpan& b) {
    return a.start_ms == b.start_ms && a.end_ms == b.end_ms;
  }
  friend bool operator!=(const TimeSpan& a, const TimeSpan& b) { return !(a == b); }
};

// One sentence of a transcript, cut after each punctuation mark the punctuation model
// predicted (FunASR's `sentence_info` entries).
struct Sentence {
  std::string text;                  // the sentence including its closing punctuation mark
  int64_t start_ms = 0;              // start of the sentence's first word
  int64_t end_ms = 0;                // end of the sentence's last word
  std::vector<TimeSpan> timestamps;  // one per word (per character for Chinese)
};

}  // namespace funasr
