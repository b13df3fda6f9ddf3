// Which FunASR model class a config describes.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

namespace funasr::io {

class ModelFiles;

// config["model"] as FunASR 1.x names it. Legacy configs are mapped: `model: e2evad` ->
// FsmnVADStreaming, `paraformer` -> Paraformer, `bicif_paraformer` -> BiCifParaformer,
// `contextual_paraformer` -> ContextualParaformer, `seaco_paraformer` -> SeacoParaformer,
// `paraformer_online` -> ParaformerStreaming; a config without `model` but with
// `punctuation: target_delay` / `vad_realtime` -> CTTransformer / CTTransformerStreaming.
// Unrecognised names are returned unchanged; "" when there is nothing to go on.
std::string IdentifyModelClass(const YAML::Node& config);

// The model classes libfunasr can construct.
const std::vector<std::string>& KnownModelClasses();
bool IsKnownModelClass(const std::string& name);

// Throws Unsupported "<config file>: model class 'X' is not supported here (expected one of
// A, B)" unless files.model_class() is one of `accepted` (all known classes when empty).
void CheckModelClass(const ModelFiles& files, const std::vector<std::string>& accepted = {});

}  // namespace funasr::io
