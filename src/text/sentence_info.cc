#include "text/sentence_info.h"

#include "core/check.h"
#include "text/utf8.h"

namespace funasr::text {
namespace {

bool EndsWithAsciiLetter(const std::string& s) {
  return !s.empty() && IsAsciiLetter(static_cast<unsigned char>(s.back()));
}

bool StartsWithAsciiLetter(const std::string& s) {
  return !s.empty() && IsAsciiLetter(static_cast<unsigned char>(s.front()));
}

const char* PunctuationMark(int punc_id, bool english) {
  static const char* const kChinese[] = {"，", "。", "？", "、"};
  static const char* const kEnglish[] = {",", ".", "?", ","};
  FUNASR_CHECK(punc_id >= 2 && punc_id <= 5, ErrorCode::kInvalidArgument,
               "sentence split: punctuation id ", punc_id, " is out of range (0..5)");
  return english ? kEnglish[punc_id - 2] : kChinese[punc_id - 2];
}

}  // namespace

std::vector<SentenceInfo> SplitSentences(const std::vector<int>& punc_ids,
                                         const std::vector<TimeSpanMs>& timestamps,
                                         std::string_view text,
                                         const SentenceSplitOptions& options) {
  std::vector<SentenceInfo> out;
  if (timestamps.empty() || text.empty()) return out;
  const std::vector<std::string> words = PythonSplit(text, "sentence text");
  if (punc_ids.empty()) {
    SentenceInfo s;
    for (const auto& w : words) s.text += (s.text.empty() ? "" : " ") + w;
    s.start_ms = timestamps.front().start;
    s.end_ms = timestamps.back().end;
    s.timestamps = timestamps;
    out.push_back(std::move(s));
    return out;
  }
  FUNASR_CHECK(punc_ids.size() == timestamps.size(), ErrorCode::kInvalidArgument,
               "sentence split: ", punc_ids.size(), " punctuation ids but ", timestamps.size(),
               " timestamps");

  const bool english = options.english_punctuation;
  const size_t steps = std::max(punc_ids.size(), words.size());
  SentenceInfo current;
  int64_t start = timestamps.front().start;
  bool have_start = true;  // Python's sentence_start is None after a sentence was emitted
  int64_t end = timestamps.front().end;
  bool at_sentence_start = true;  // timestamp_sentence_en's is_sentence_start
  for (size_t i = 0; i < steps; ++i) {
    const bool has_stamp = i < timestamps.size();
    if (!english && !have_start && has_stamp) {
      start = timestamps[i].start;
      have_start = true;
    }
    if (i < words.size()) {
      const std::string& w = words[i];
      if (StartsWithAsciiLetter(w) || EndsWithAsciiLetter(current.text)) current.text += ' ';
      current.text += w;
    }
    if (has_stamp) current.timestamps.push_back(timestamps[i]);
    const int punc_id = i < punc_ids.size() ? punc_ids[i] : 1;
    if (has_stamp) end = timestamps[i].end;
    if (english) {
      // sentence_text[1:] if sentence_text[0] == ' '
      if (!current.text.empty() && current.text[0] == ' ') current.text.erase(0, 1);
      if (at_sentence_start) {
        if (has_stamp) {
          start = timestamps[i].start;
          have_start = true;
        }
        at_sentence_start = false;
      }
    }
    if (punc_id > 1) {
      current.text += PunctuationMark(punc_id, english);
      current.start_ms = have_start ? start : end;
      current.end_ms = end;
      out.push_back(std::move(current));
      current = SentenceInfo();
      if (english) {
        at_sentence_start = true;
      } else {
        have_start = false;
      }
    }
  }
  return out;
}

std::vector<SentenceInfo> VadSegmentSentences(const std::vector<TimeSpanMs>& vad_segments,
                                              const std::vector<SegmentAsrResult>& results) {
  FUNASR_CHECK(vad_segments.size() == results.size(), ErrorCode::kInvalidArgument,
               "VAD sentences: ", vad_segments.size(), " VAD segments but ", results.size(),
               " results");
  std::vector<SentenceInfo> out;
  for (size_t j = 0; j < results.size(); ++j) {
    SentenceInfo s;
    s.text = PythonStrip(RemoveRichTags(results[j].text), "ASR text");
    if (s.text.empty()) continue;
    const int64_t offset = vad_segments[j].start;
    for (const TimeSpanMs& t : results[j].timestamps)
      s.timestamps.push_back({t.start + offset, t.end + offset});
    s.start_ms = s.timestamps.empty() ? vad_segments[j].start : s.timestamps.front().start;
    s.end_ms = s.timestamps.empty() ? vad_segments[j].end : s.timestamps.back().end;
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<SentenceInfo> BuildSentenceInfo(const std::vector<TimeSpanMs>& vad_segments,
                                            const std::vector<SegmentAsrResult>& results,
                                            const MergedTranscript& merged,
                                            const PunctuationLabels* punctuation,
                                            const SentenceSplitOptions& options) {
  if (PythonStrip(merged.text, "ASR text").empty()) return {};
  if (punctuation == nullptr) {
    if (merged.timestamps.empty()) return VadSegmentSentences(vad_segments, results);
    return {};
  }
  if (punctuation->punc_ids.size() != merged.timestamps.size())
    return VadSegmentSentences(vad_segments, results);
  return SplitSentences(punctuation->punc_ids, merged.timestamps, punctuation->input_text, options);
}

}  // namespace funasr::text
