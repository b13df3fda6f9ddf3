#include "io/model_class.h"

#include <algorithm>
#include <utility>

#include "core/check.h"
#include "io/config_file.h"
#include "io/model_files.h"

namespace funasr::io {

std::string IdentifyModelClass(const YAML::Node& config) {
  if (!config.IsMap()) return "";
  YAML::Node model = ConfigChild(config, "model");
  if (model.IsScalar()) {
    static const std::pair<const char*, const char*> kLegacy[] = {
        {"e2evad", "FsmnVADStreaming"},
        {"fsmn_vad", "FsmnVADStreaming"},
        {"paraformer", "Paraformer"},
        {"bicif_paraformer", "BiCifParaformer"},
        {"contextual_paraformer", "ContextualParaformer"},
        {"neatcontextual_paraformer", "ContextualParaformer"},
        {"seaco_paraformer", "SeacoParaformer"},
        {"paraformer_online", "ParaformerStreaming"},
    };
    std::string name = model.Scalar();
    while (!name.empty() && name.back() == ' ') name.pop_back();
    for (const auto& [legacy, modern] : kLegacy)
      if (name == legacy) return modern;
    return name;
  }
  YAML::Node punc = ConfigChild(config, "punctuation");
  if (punc.IsScalar()) {
    if (punc.Scalar() == "target_delay") return "CTTransformer";
    if (punc.Scalar() == "vad_realtime") return "CTTransformerStreaming";
    return punc.Scalar();
  }
  return "";
}

const std::vector<std::string>& KnownModelClasses() {
  static const std::vector<std::string> kKnown = {
      "FsmnVADStreaming", "Paraformer", "BiCifParaformer", "SeacoParaformer",
      "ContextualParaformer", "CTTransformer", "CTTransformerStreaming"};
  return kKnown;
}

bool IsKnownModelClass(const std::string& name) {
  const auto& k = KnownModelClasses();
  return std::find(k.begin(), k.end(), name) != k.end();
}

void CheckModelClass(const ModelFiles& files, const std::vector<std::string>& accepted) {
  const std::vector<std::string>& list = accepted.empty() ? KnownModelClasses() : accepted;
  std::string cls = files.model_class();
  if (std::find(list.begin(), list.end(), cls) != list.end()) return;
  std::string names;
  for (const auto& n : list) names += (names.empty() ? "" : ", ") + n;
  if (cls.empty())
    Fail(ErrorCode::kUnsupported, files.config_path(), ": model: no model class given (expected one of ",
         names, ")");
  Fail(ErrorCode::kUnsupported, files.config_path(), ": model: model class '", cls,
       "' is not supported here (expected one of ", names, ")");
}

}  // namespace funasr::io
