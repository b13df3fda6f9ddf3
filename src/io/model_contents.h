// ModelContents: the parsed parts of a model held in memory (tensors may borrow from a
// checkpoint buffer or a memory-mapped native file), and the ModelFiles view over them.
// Both the released-directory loader and the native-file loader produce one.
#pragma once

#include <yaml-cpp/yaml.h>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/tensor.h"
#include "io/mapped_file.h"
#include "io/model_files.h"

namespace funasr::io {

struct StoredTensor {
  Tensor data;    // f32 / f16 / i64 / i32 / i8 as stored
  Tensor scales;  // [rows] f32 for int8 per-output-channel weights, else undefined
  // When `data` is undefined: reads it on demand (a released checkpoint, io::TorchCheckpoint;
  // nothing is kept, so a weight a model has converted is not held twice).
  std::function<Tensor()> read;
};

struct ModelContents {
  std::string path;
  std::string config_path;
  YAML::Node config;
  std::string model_class;
  std::vector<std::string> tensor_names;  // file order
  std::unordered_map<std::string, StoredTensor> tensors;
  std::vector<std::string> tokens;
  std::optional<Cmvn> cmvn;
  std::map<std::string, std::vector<std::string>> seg_dict;
  // The file mapping the tensors borrow from, when there is one (DropResidentWeightPages).
  std::shared_ptr<const MappedFile> mapping;
  // Adds a tensor; a duplicate name is a FormatError naming `path`.
  void Add(const std::string& name, StoredTensor t);
};

std::shared_ptr<const ModelFiles> MakeModelFiles(ModelContents contents);

}  // namespace funasr::io
