// SentenceInfo splitting of a long-audio transcript after punctuation: FunASR's
// `timestamp_sentence` / `timestamp_sentence_en` (funasr/utils/timestamp_tools.py) and the
// `sentence_info` decision logic of AutoModel.inference_with_vad (spec §11.6), i.e. what
// `generate(..., sentence_timestamp=True)` returns as result["sentence_info"].
//
// Interface with the punctuation model: it is given JoinVadTexts(segment texts) and returns
// one punctuation class id per punctuation token (CT-Transformer punc_list order:
// 0 <unk>, 1 "_" (none), 2 "，", 3 "。", 4 "？", 5 "、"). Ids > 1 close a sentence.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "funasr/result.h"
#include "text/segment_merge.h"

namespace funasr::text {

struct SentenceSplitOptions {
  // timestamp_sentence_en (AutoModel `en_post_proc=True`): ASCII marks , . ? , and no
  // leading space on sentences.
  bool english_punctuation = false;
};

// timestamp_sentence(punc_ids, timestamps, text): walks punctuation ids, timestamps and the
// whitespace-separated words of `text` in parallel (zip_longest); a word starting with an
// ASCII letter, or following a sentence text that ends in one, is preceded by a space
// (so a sentence can start with " "); id > 1 appends its mark and closes the sentence with
// start = its first timestamp's start, end = its last timestamp's end. Words after the last
// mark are not emitted (CT-Transformer always ends with a sentence-final mark).
// Requires punc_ids.size() == timestamps.size() (the pipeline guarantees it, else it uses
// VadSegmentSentences); an id > 5 is Error(kInvalidArgument). Empty text or timestamps give
// no sentences; empty punc_ids give one sentence with the words joined by spaces (Python
// returns the word list there).
std::vector<SentenceInfo> SplitSentences(const std::vector<int>& punc_ids,
                                         const std::vector<TimeSpanMs>& timestamps,
                                         std::string_view text,
                                         const SentenceSplitOptions& options = {});

// `_vad_segment_sentences`: one sentence per VAD segment with a non-blank text (tags removed,
// stripped; no punctuation), spanning its first to last timestamp (absolute) or, without
// timestamps, the VAD segment itself. Used when punctuation and timestamps cannot be aligned
// or there is neither a punctuation model nor timestamps.
std::vector<SentenceInfo> VadSegmentSentences(const std::vector<TimeSpanMs>& vad_segments,
                                              const std::vector<SegmentAsrResult>& results);

// What the punctuation model saw and returned.
struct PunctuationLabels {
  std::string input_text;     // JoinVadTexts(segment texts)
  std::vector<int> punc_ids;  // one class id per punctuation token
};

// The sentence_info of inference_with_vad with sentence_timestamp=True (no speaker model):
//  - no punctuation model and no timestamps -> VadSegmentSentences;
//  - no punctuation model but timestamps -> no sentences (FunASR warns);
//  - punc_ids.size() != merged.timestamps.size() (e.g. Paraformer without timestamps) ->
//    VadSegmentSentences;
//  - otherwise SplitSentences(punc_ids, merged.timestamps, input_text).
// `results[i]` belongs to `vad_segments[i]`; `merged` = MergeSegmentTranscripts of them.
std::vector<SentenceInfo> BuildSentenceInfo(const std::vector<TimeSpanMs>& vad_segments,
                                            const std::vector<SegmentAsrResult>& results,
                                            const MergedTranscript& merged,
                                            const PunctuationLabels* punctuation,
                                            const SentenceSplitOptions& options = {});

}  // namespace funasr::text
