// Steps 3-5 of AutoModel.inference_with_vad (spec paraformer-pipeline.md §11.4-11.6): the
// per-segment ASR outputs, in time order, become one result — texts joined, timestamps
// shifted by their segment start, punctuation over the whole text, sentence_info.
#pragma once

#include <vector>

#include "funasr/pipeline.h"
#include "pipeline/stages.h"

namespace funasr::pipeline {

struct AssemblyOptions {
  bool has_timestamps = false;  // the ASR model produces timestamps (BiCif / SeACo)
  bool sentence_info = true;    // build sentence_info
};

// `spans[j]` and `outputs[j]` belong to segment j (chronological); output timestamps are
// relative to the segment start. `punc` may be null. Fills the ASR fields of `result`.
void AssembleTranscript(const std::vector<TimeSpanMs>& spans,
                        std::vector<AsrSegmentOutput> outputs, const PuncStage* punc,
                        const AssemblyOptions& options, TranscriptionResult& result);

}  // namespace funasr::pipeline
