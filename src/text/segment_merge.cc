#include "text/segment_merge.h"

#include "core/check.h"
#include "text/utf8.h"

namespace funasr::text {

MergedTranscript MergeSegmentTranscripts(
    const std::vector<TimeSpanMs>& vad_segments,
    const std::vector<std::optional<SegmentAsrResult>>& results) {
  FUNASR_CHECK(vad_segments.size() == results.size(), ErrorCode::kInvalidArgument,
               "segment merge: ", vad_segments.size(), " VAD segments but ", results.size(),
               " results");
  MergedTranscript out;
  if (vad_segments.empty()) {
    out.status = MergeStatus::kNoSegments;
    out.has_timestamps = true;
    return out;
  }
  for (const auto& r : results) {
    if (!r) {
      out.status = MergeStatus::kMissingResult;
      out.has_timestamps = true;
      return out;
    }
  }
  for (size_t j = 0; j < results.size(); ++j) {
    const SegmentAsrResult& r = *results[j];
    if (j) out.text += ' ';
    out.text += r.text;
    if (r.has_timestamps) {
      out.has_timestamps = true;
      const int64_t offset = vad_segments[j].start;
      for (const TimeSpanMs& t : r.timestamps)
        out.timestamps.push_back({t.start + offset, t.end + offset});
    }
  }
  if (PythonStrip(out.text, "ASR text").empty()) out.status = MergeStatus::kBlank;
  return out;
}

std::string RemoveRichTags(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    if (text.compare(i, 2, "<|") == 0) {
      // [^|]* cannot cross a '|', so the only possible end is the first '|' after "<|".
      const size_t bar = text.find('|', i + 2);
      if (bar != std::string_view::npos && bar + 1 < text.size() && text[bar + 1] == '>') {
        i = bar + 2;
        continue;
      }
    }
    out.push_back(text[i]);
    ++i;
  }
  return out;
}

std::string JoinVadTexts(const std::vector<std::string>& segment_texts) {
  auto is_cjk = [](char32_t c) { return c >= 0x3400 && c <= 0x9FFF; };
  std::u32string joined;
  bool first = true;
  for (const auto& raw : segment_texts) {
    const std::u32string cleaned =
        std::u32string(PythonStrip(DecodeUtf8(RemoveRichTags(raw), "ASR text")));
    if (cleaned.empty()) continue;
    if (!first && !(is_cjk(joined.back()) && is_cjk(cleaned.front()))) joined += U' ';
    joined += cleaned;
    first = false;
  }
  return EncodeUtf8(joined);
}

}  // namespace funasr::text
