#include "io/model_directory_writer.h"

#include <sys/stat.h>
#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>

#include "core/check.h"
#include "io/torch_checkpoint_writer.h"

namespace funasr::io {
namespace {

void WriteText(const std::string& path, const std::string& text) {
  FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) Fail(ErrorCode::kIoError, path, ": cannot create (", std::strerror(errno), ")");
  size_t n = std::fwrite(text.data(), 1, text.size(), f);
  int rc = std::fclose(f);
  FUNASR_CHECK(n == text.size() && rc == 0, ErrorCode::kIoError, path, ": write failed");
}

std::string Vector(const std::vector<float>& v) {
  std::string s = "<LearnRateCoef> 0 [";
  char buf[32];
  for (float x : v) {
    std::snprintf(buf, sizeof buf, " %.9g", x);
    s += buf;
  }
  return s + " ]\n";
}

}  // namespace

std::string FormatCmvn(const Cmvn& cmvn) {
  std::string d = std::to_string(cmvn.dim());
  std::string s = "<Nnet>\n<Splice> " + d + " " + d + "\n[ 0 ]\n";
  s += "<AddShift> " + d + " " + d + "\n" + Vector(cmvn.shift);
  s += "<Rescale> " + d + " " + d + "\n" + Vector(cmvn.scale);
  return s + "</Nnet>\n";
}

void WriteModelDirectory(const ModelFiles& model, const std::string& dir,
                         const std::string& model_name_in_hub) {
  if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST)
    Fail(ErrorCode::kIoError, dir, ": cannot create directory (", std::strerror(errno), ")");
  std::string base = dir.empty() || dir.back() == '/' ? dir : dir + "/";

  nlohmann::json metas = {{"init_param", "model.pt"}, {"config", "config.yaml"}};
  WriteText(base + "config.yaml", YAML::Dump(model.config()) + "\n");

  std::vector<NamedTensor> tensors;
  for (const auto& name : model.TensorNames()) tensors.push_back({name, model.GetTensor(name)});
  SaveTorchCheckpoint(base + "model.pt", tensors, "model");
  tensors.clear();

  if (model.cmvn()) {
    WriteText(base + "am.mvn", FormatCmvn(*model.cmvn()));
    metas["frontend_conf"]["cmvn_file"] = "am.mvn";
  }
  if (!model.tokens().empty()) {
    std::string s = "[\n";
    for (size_t i = 0; i < model.tokens().size(); ++i) {
      s += nlohmann::json(model.tokens()[i]).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      s += i + 1 < model.tokens().size() ? ",\n" : "\n";
    }
    WriteText(base + "tokens.json", s + "]\n");
    metas["tokenizer_conf"]["token_list"] = "tokens.json";
  }
  if (!model.seg_dict().empty()) {
    std::string s;
    for (const auto& [word, pieces] : model.seg_dict()) {
      s += word;
      for (const auto& p : pieces) s += " " + p;
      s += "\n";
    }
    WriteText(base + "seg_dict", s);
    metas["tokenizer_conf"]["seg_dict_file"] = "seg_dict";
  }
  nlohmann::json conf = {{"framework", "pytorch"},
                         {"model", {{"type", "funasr"}}},
                         {"pipeline", {{"type", "funasr-pipeline"}}},
                         {"model_name_in_hub", {{"ms", model_name_in_hub}, {"hf", ""}}},
                         {"file_path_metas", metas}};
  WriteText(base + "configuration.json", conf.dump(2) + "\n");
}

}  // namespace funasr::io
