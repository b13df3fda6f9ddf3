// ModelFiles: everything a model reads from disk, whichever form the model came in.
//
// A model is either a released FunASR directory (config.yaml, model.pt, am.mvn,
// tokens.json, seg_dict, configuration.json; legacy names vad.yaml / vad.pb / vad.mvn /
// tokens.txt) or one libfunasr native file (see models/README.md). Both present the same
// view: the parsed config, named weight tensors, the token list, CMVN and seg_dict.
// A ModelFiles is immutable after Open() and may be shared by threads.
#pragma once

#include <yaml-cpp/yaml.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/tensor.h"
#include "kernels/linear.h"

namespace funasr::io {

// Global CMVN from am.mvn: features are normalised as (x + shift) * scale (Kaldi nnet1
// <AddShift> holds -mean, <Rescale> holds 1/stddev).
struct Cmvn {
  std::vector<float> shift;
  std::vector<float> scale;
  size_t dim() const { return shift.size(); }
};

class ModelFiles {
 public:
  // Opens a released directory or a native model file. Throws funasr::Error naming the
  // missing/invalid file.
  static std::shared_ptr<const ModelFiles> Open(const std::string& path);

  virtual ~ModelFiles() = default;

  // The path given to Open().
  virtual const std::string& path() const = 0;
  // Human-readable name of the file the config came from, for error messages.
  virtual const std::string& config_path() const = 0;
  // The parsed config.yaml. Legacy configs are returned as written plus the FunASR 1.x
  // aliases of renamed sections (vad.yaml's vad_post_conf is also model_conf; see
  // io/config_file.h); an inline legacy `token_list` is moved to tokens().
  virtual const YAML::Node& config() const = 0;
  // config["model"] (e.g. "Paraformer", "BiCifParaformer", "SeacoParaformer",
  // "ContextualParaformer", "FsmnVADStreaming", "CTTransformer", "CTTransformerStreaming");
  // legacy configs without a `model` key are identified from their content.
  virtual std::string model_class() const = 0;

  // Weight tensors by their state-dict name, with the released-file key variants already
  // normalised (e.g. FSMN-VAD keys always carry the "encoder." prefix).
  virtual bool HasTensor(const std::string& name) const = 0;
  virtual std::vector<std::string> TensorNames() const = 0;
  // The tensor as stored (f32 or f16; int64 for integer buffers; int8 weights of a native
  // file are returned dequantised to f32). Throws FormatError naming the tensor when it is
  // missing.
  virtual Tensor GetTensor(const std::string& name) const = 0;
  // When `name` is stored as int8 with per-row scales (native files converted with
  // --dtype int8): sets the i8 [rows, ...] weight and the f32 [rows] scales, returns true.
  virtual bool GetInt8(const std::string& name, Tensor* weight, Tensor* scales) const {
    return false;
  }
  // GetTensor converted to f32 when needed, with its shape checked when `shape` is given.
  Tensor GetF32(const std::string& name, const std::optional<Shape>& shape = std::nullopt) const;
  // A Linear layer "<prefix>.weight" [out, in] / "<prefix>.bias" [out] (the bias is read
  // only when `has_bias`); int8 weights of a native file come with their scales, f16
  // weights are converted to f32. Missing or mis-shaped tensors throw FormatError naming
  // them.
  kernels::LinearWeights GetLinear(const std::string& prefix, int64_t out_features,
                                   int64_t in_features, bool has_bias = true) const;

  // tokens.json / tokens.txt / a legacy inline token_list (empty when the model has none).
  virtual const std::vector<std::string>& tokens() const = 0;
  // am.mvn (nullopt when the model has none).
  virtual const std::optional<Cmvn>& cmvn() const = 0;
  // seg_dict: word -> pieces (empty when absent).
  virtual const std::map<std::string, std::vector<std::string>>& seg_dict() const = 0;

  // A copy of everything but the weights (path, config, model class, tokens, CMVN,
  // seg_dict; no tensors): what a loaded model keeps, so that the weights it copied
  // (packed fp32, int8) are freed once the caller drops this object.
  std::shared_ptr<const ModelFiles> WithoutWeights() const;
  // Tells the OS that the weight bytes need not stay resident in this process: a
  // memory-mapped native file drops its pages (they are read back from the file if
  // touched again); weights held in memory are unaffected. For a loader that has made its
  // own copies (packed fp32, int8), so the file pages it read do not count against the
  // process.
  virtual void DropResidentWeightPages() const {}
  // The same for the pages lying wholly inside tensor `name` (no-op when absent or not
  // mapped): for a loader as soon as it has its own copy of that tensor, so that loading
  // never holds a weight twice.
  virtual void DropResidentTensorPages(const std::string& name) const {}
};

// Reads typed values from a YAML config with FunASR's defaults for absent keys.
// A present key of the wrong type throws FormatError naming the key path and the file.
class ConfigReader {
 public:
  ConfigReader(const YAML::Node& node, std::string file, std::string path_prefix = "");

  bool Has(const std::string& key) const;
  // Sub-section (e.g. "encoder_conf"); an absent section reads as empty (all defaults).
  ConfigReader Section(const std::string& key) const;

  int64_t GetInt(const std::string& key, int64_t default_value) const;
  double GetDouble(const std::string& key, double default_value) const;
  bool GetBool(const std::string& key, bool default_value) const;
  std::string GetString(const std::string& key, const std::string& default_value) const;
  std::vector<int64_t> GetIntList(const std::string& key, const std::vector<int64_t>& def) const;
  std::vector<double> GetDoubleList(const std::string& key, const std::vector<double>& def) const;
  std::vector<std::string> GetStringList(const std::string& key,
                                         const std::vector<std::string>& def) const;
  // Throws FormatError "<file>: <key>: <message>".
  [[noreturn]] void Fail(const std::string& key, const std::string& message) const;

  const YAML::Node& node() const { return node_; }
  const std::string& file() const { return file_; }

 private:
  YAML::Node node_;
  std::string file_;
  std::string prefix_;
};

}  // namespace funasr::io
