#include "pipeline/transcript_assembly.h"

#include "core/check.h"
#include "text/sentence_info.h"

namespace funasr::pipeline {

void AssembleTranscript(const std::vector<TimeSpanMs>& spans,
                        std::vector<AsrSegmentOutput> outputs, const PuncStage* punc,
                        const AssemblyOptions& options, TranscriptionResult& result) {
  FUNASR_ASSERT(spans.size() == outputs.size());
  result.has_asr = true;
  result.has_timestamps = options.has_timestamps;
  result.segments.clear();
  result.sentences.clear();

  // §11.4: texts joined by one space, timestamps shifted by the integer segment start.
  // Every segment has an output here (FunASR loses the whole input when a SeACo segment
  // yields no result record; an empty segment is just empty text in libfunasr).
  std::vector<std::optional<text::SegmentAsrResult>> records(outputs.begin(), outputs.end());
  const text::MergedTranscript merged = text::MergeSegmentTranscripts(spans, records);
  std::vector<std::string> texts;
  for (size_t j = 0; j < spans.size(); ++j) {
    SegmentTranscript seg;
    seg.span = spans[j];
    seg.text = outputs[j].text;
    for (const auto& t : outputs[j].timestamps) {
      seg.timestamps.push_back({t.start + spans[j].start, t.end + spans[j].start});
    }
    texts.push_back(seg.text);
    result.segments.push_back(std::move(seg));
  }
  result.raw_text = merged.text;
  result.text = merged.text;
  result.timestamps = options.has_timestamps ? merged.timestamps : std::vector<TimeSpanMs>{};
  result.punctuated = false;
  // No speech, or only blank text: AutoModel returns {"text": "", "timestamp": []} (or drops
  // the input); the C++ result stays, empty.
  if (merged.status != text::MergeStatus::kOk) {
    result.text.clear();
    result.raw_text.clear();
    result.timestamps.clear();
    return;
  }

  // §11.5: punctuation over the segment texts joined without spaces between CJK chunks.
  text::PunctuationLabels punctuation;
  if (punc) {
    punctuation.input_text = text::JoinVadTexts(texts);
    PunctuationOutput p = punc->Punctuate(punctuation.input_text);
    punctuation.punc_ids = std::move(p.punc_ids);
    result.text = std::move(p.text);
    result.punctuated = true;
  }
  if (!options.sentence_info) return;

  // §11.6: sentences from punctuation + timestamps when their counts agree, else one per
  // segment (AutoModel's fallbacks). Without a punctuation model but with timestamps
  // AutoModel returns no sentences; segment sentences serve subtitles better.
  if (punc) {
    result.sentences = text::BuildSentenceInfo(spans, outputs, merged, &punctuation);
  } else {
    result.sentences = text::VadSegmentSentences(spans, outputs);
  }
}

}  // namespace funasr::pipeline
