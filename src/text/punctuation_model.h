// Internal entry points of the punctuation model (public API: include/funasr/punctuation.h).
#pragma once

#include <memory>

#include "funasr/punctuation.h"
#include "io/model_files.h"

namespace funasr::text {

// Builds a punctuation model from already opened model files (PunctuationModel::Load opens
// the path and calls this; benchmarks pass in-memory models). Throws like Load.
std::shared_ptr<const PunctuationModel> MakePunctuationModel(
    const io::ModelFiles& files, const PunctuationOptions& options = {});

}  // namespace funasr::text
