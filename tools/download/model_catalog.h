// The released FunASR models funasr-download knows by name (FunASR's AutoModel aliases) and
// the files each needs.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace funasr::download {

struct ModelSpec {
  std::string name;             // local directory name in the cache (the alias)
  std::string modelscope_id;    // e.g. "iic/speech_fsmn_vad_zh-cn-16k-common-pytorch"
  std::string huggingface_id;   // "" when the model has no Hugging Face repository
  std::vector<std::string> required;  // files that must arrive
  std::vector<std::string> optional;  // fetched when the hub has them
  std::string description;
};

const std::vector<ModelSpec>& Catalog();

// A catalog name, or a hub id "owner/name" (fetched from the same id on every source, with
// the file list of a released FunASR model directory).
std::optional<ModelSpec> FindModel(const std::string& name_or_id);

}  // namespace funasr::download
