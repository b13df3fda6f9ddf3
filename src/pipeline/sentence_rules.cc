#include "pipeline/sentence_rules.h"

#include "text/segment_merge.h"
#include "text/sentence_info.h"
#include "text/utf8.h"

namespace funasr::pipeline {

// The rules live in text/ (segment_merge, sentence_info, utf8), where they are tested
// against FunASR's own functions on the golden data and on synthetic edge cases (Unicode
// whitespace, rich tags, glued CJK boundaries); the pipeline keeps these entry points.

std::string JoinVadTexts(const std::vector<std::string>& texts) {
  return text::JoinVadTexts(texts);
}

std::vector<SentenceInfo> TimestampSentences(const std::vector<int>& punc_ids,
                                             const std::vector<TimeSpanMs>& timestamps,
                                             const std::string& text) {
  return text::SplitSentences(punc_ids, timestamps, text);
}

std::vector<SentenceInfo> SegmentSentences(const std::vector<SegmentTranscript>& segments) {
  std::vector<SentenceInfo> out;
  for (const auto& seg : segments) {
    std::string cleaned = text::PythonStrip(text::RemoveRichTags(seg.text), "ASR text");
    if (cleaned.empty()) continue;
    SentenceInfo s;
    s.text = std::move(cleaned);
    s.start_ms = seg.timestamps.empty() ? seg.span.start : seg.timestamps.front().start;
    s.end_ms = seg.timestamps.empty() ? seg.span.end : seg.timestamps.back().end;
    s.timestamps = seg.timestamps;
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace funasr::pipeline
