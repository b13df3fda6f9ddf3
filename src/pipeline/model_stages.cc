// Adapters from the pipeline's stage interfaces to the models.
//
// The VAD, ASR and punctuation models are being landed by their owners; until a model's
// public header is on main its loader reports kUnsupported naming what is missing.
#include "core/check.h"
#include "pipeline/pipeline_impl.h"

namespace funasr::pipeline {

std::shared_ptr<const VadStage> LoadVadStage(const std::string& path) {
  Fail(ErrorCode::kUnsupported, "VAD model ", path,
       ": this build has no FSMN-VAD support yet (include/funasr/vad.h not landed)");
}

std::shared_ptr<const AsrStage> LoadAsrStage(const std::string& path, const std::string& dtype) {
  Fail(ErrorCode::kUnsupported, "ASR model ", path,
       ": this build has no Paraformer support yet (include/funasr/asr.h not landed)");
}

std::shared_ptr<const PuncStage> LoadPuncStage(const std::string& path) {
  Fail(ErrorCode::kUnsupported, "punctuation model ", path,
       ": this build has no CT-Transformer support yet (include/funasr/punctuation.h not landed)");
}

}  // namespace funasr::pipeline
