// Writing a ModelFiles as a released FunASR directory (config.yaml, model.pt in PyTorch's
// zip format, am.mvn, tokens.json, seg_dict, configuration.json) that FunASR's AutoModel and
// ModelFiles::Open both read.
#pragma once

#include <string>

#include "io/model_files.h"

namespace funasr::io {

// Creates `dir` if needed and writes the files. int8 tensors are written dequantised (f32),
// f16 tensors as HalfStorage. `model_name_in_hub` goes to configuration.json.
void WriteModelDirectory(const ModelFiles& model, const std::string& dir,
                         const std::string& model_name_in_hub = "");

// The Kaldi nnet1 text of `cmvn` (values printed so that they parse back bit-exactly).
std::string FormatCmvn(const Cmvn& cmvn);

}  // namespace funasr::io
