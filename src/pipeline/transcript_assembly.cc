#include "pipeline/transcript_assembly.h"

#include "core/check.h"
#include "pipeline/sentence_rules.h"

namespace funasr::pipeline {
namespace {

bool IsBlank(const std::string& s) {
  return s.find_first_not_of(" \t\n\r\f\v") == std::string::npos;
}

}  // namespace

void AssembleTranscript(const std::vector<TimeSpanMs>& spans,
                        std::vector<AsrSegmentOutput> outputs, const PuncStage* punc,
                        const AssemblyOptions& options, TranscriptionResult& result) {
  FUNASR_ASSERT(spans.size() == outputs.size());
  result.has_asr = true;
  result.has_timestamps = options.has_timestamps;
  result.segments.clear();
  result.timestamps.clear();
  result.sentences.clear();

  // §11.4: texts joined by one space (empty ones included, as `result[k] += " " + v`),
  // timestamps shifted by the integer segment start and concatenated.
  std::vector<std::string> texts;
  std::string raw;
  for (size_t j = 0; j < spans.size(); ++j) {
    SegmentTranscript seg;
    seg.span = spans[j];
    seg.text = std::move(outputs[j].text);
    for (const auto& t : outputs[j].timestamps) {
      seg.timestamps.push_back({t.start + spans[j].start, t.end + spans[j].start});
    }
    if (j > 0) raw += ' ';
    raw += seg.text;
    texts.push_back(seg.text);
    if (options.has_timestamps) {
      result.timestamps.insert(result.timestamps.end(), seg.timestamps.begin(),
                               seg.timestamps.end());
    }
    result.segments.push_back(std::move(seg));
  }
  result.raw_text = raw;
  result.text = raw;
  result.punctuated = false;
  // AutoModel drops an input whose merged text is blank; the C++ result stays, empty.
  if (IsBlank(raw)) {
    result.text.clear();
    result.timestamps.clear();
    return;
  }

  // §11.5: punctuation over the VAD texts joined without spaces between CJK chunks.
  std::string punc_input;
  PunctuationOutput punctuated;
  if (punc) {
    punc_input = JoinVadTexts(texts);
    punctuated = punc->Punctuate(punc_input);
    result.text = punctuated.text;
    result.punctuated = true;
  }
  if (!options.sentence_info) return;

  // §11.6 with AutoModel's fallbacks: sentences from punctuation + timestamps when their
  // counts agree, else one sentence per segment. (Without a punctuation model but with
  // timestamps AutoModel returns no sentences; segment sentences are more useful.)
  if (punc && punctuated.punc_ids.size() == result.timestamps.size()) {
    result.sentences = TimestampSentences(punctuated.punc_ids, result.timestamps, punc_input);
  } else {
    result.sentences = SegmentSentences(result.segments);
  }
}

}  // namespace funasr::pipeline
