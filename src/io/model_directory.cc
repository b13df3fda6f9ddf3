#include "io/model_directory.h"

#include <nlohmann/json.hpp>
#include <sys/stat.h>

#include "core/check.h"
#include "io/cmvn_file.h"
#include "io/config_file.h"
#include "io/model_class.h"
#include "io/model_contents.h"
#include "io/seg_dict.h"
#include "io/token_list.h"
#include "io/torch_checkpoint.h"

namespace funasr::io {
namespace {

bool IsFile(const std::string& p) {
  struct stat st;
  return ::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

std::string Join(const std::string& dir, const std::string& name) {
  if (dir.empty() || dir.back() == '/') return dir + name;
  return dir + "/" + name;
}

// configuration.json value at `keys` (nested objects) or "" when absent.
std::string JsonString(const nlohmann::json& j, std::initializer_list<const char*> keys,
                       const std::string& file) {
  const nlohmann::json* cur = &j;
  std::string path;
  for (const char* k : keys) {
    path += (path.empty() ? "" : ".") + std::string(k);
    if (!cur->is_object()) return "";
    auto it = cur->find(k);
    if (it == cur->end() || it->is_null()) return "";
    cur = &*it;
  }
  FUNASR_CHECK(cur->is_string(), ErrorCode::kFormatError, file, ": ", path,
               ": expected a file name string");
  return cur->get<std::string>();
}

void Assign(std::string& role, const std::string& dir, const std::string& name,
            const std::string& json_file, const char* what) {
  if (name.empty() || !role.empty()) return;
  std::string p = Join(dir, name);
  FUNASR_CHECK(IsFile(p), ErrorCode::kIoError, json_file, " names '", name, "' as the ", what,
               ", but ", p, " does not exist");
  role = p;
}

void Fallback(std::string& role, const std::string& dir, std::initializer_list<const char*> names) {
  if (!role.empty()) return;
  for (const char* n : names) {
    std::string p = Join(dir, n);
    if (IsFile(p)) {
      role = p;
      return;
    }
  }
}

}  // namespace

ModelDirectoryLayout ResolveModelDirectory(const std::string& dir) {
  struct stat st;
  FUNASR_CHECK(::stat(dir.c_str(), &st) == 0, ErrorCode::kIoError, dir, ": no such model directory");
  FUNASR_CHECK(S_ISDIR(st.st_mode), ErrorCode::kIoError, dir, ": not a directory");
  ModelDirectoryLayout l;
  l.dir = dir;
  std::string json_file = Join(dir, "configuration.json");
  if (IsFile(json_file)) {
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(ReadFileToString(json_file));
    } catch (const nlohmann::json::exception& e) {
      Fail(ErrorCode::kFormatError, json_file, ": invalid JSON: ", e.what());
    }
    FUNASR_CHECK(j.is_object(), ErrorCode::kFormatError, json_file, ": expected a JSON object");
    Assign(l.config, dir, JsonString(j, {"file_path_metas", "config"}, json_file), json_file, "config");
    Assign(l.checkpoint, dir, JsonString(j, {"file_path_metas", "init_param"}, json_file), json_file,
           "checkpoint");
    Assign(l.cmvn, dir, JsonString(j, {"file_path_metas", "frontend_conf", "cmvn_file"}, json_file),
           json_file, "CMVN file");
    Assign(l.tokens, dir, JsonString(j, {"file_path_metas", "tokenizer_conf", "token_list"}, json_file),
           json_file, "token list");
    Assign(l.seg_dict, dir,
           JsonString(j, {"file_path_metas", "tokenizer_conf", "seg_dict_file"}, json_file), json_file,
           "seg_dict");
    Assign(l.seg_dict, dir, JsonString(j, {"file_path_metas", "tokenizer_conf", "seg_dict"}, json_file),
           json_file, "seg_dict");
    // Pre-1.0 ModelScope layout.
    for (auto keys : {std::initializer_list<const char*>{"model", "model_config", "vad_model_config"},
                      {"model", "model_config", "am_model_config"},
                      {"model", "punc_model_config", "punc_config"},
                      {"model", "model_config", "punc_config"}})
      Assign(l.config, dir, JsonString(j, keys, json_file), json_file, "config");
    for (auto keys : {std::initializer_list<const char*>{"model", "model_config", "vad_model_name"},
                      {"model", "vad_model_name"}, {"model", "am_model_name"},
                      {"model", "punc_model_name"}})
      Assign(l.checkpoint, dir, JsonString(j, keys, json_file), json_file, "checkpoint");
    for (auto keys : {std::initializer_list<const char*>{"model", "model_config", "vad_mvn_file"},
                      {"model", "model_config", "mvn_file"}})
      Assign(l.cmvn, dir, JsonString(j, keys, json_file), json_file, "CMVN file");
  }
  Fallback(l.config, dir, {"config.yaml", "vad.yaml", "punc.yaml"});
  Fallback(l.checkpoint, dir, {"model.pt", "vad.pb", "punc.pb", "model.pb"});
  Fallback(l.cmvn, dir, {"am.mvn", "vad.mvn"});
  Fallback(l.tokens, dir, {"tokens.json", "tokens.txt"});
  Fallback(l.seg_dict, dir, {"seg_dict"});
  FUNASR_CHECK(!l.config.empty(), ErrorCode::kIoError, dir,
               ": not a FunASR model directory (no config.yaml / vad.yaml / punc.yaml)");
  FUNASR_CHECK(!l.checkpoint.empty(), ErrorCode::kIoError, dir,
               ": no model weights (model.pt / vad.pb / punc.pb / model.pb)");
  return l;
}

std::shared_ptr<const ModelFiles> LoadModelDirectory(const std::string& dir) {
  ModelDirectoryLayout l = ResolveModelDirectory(dir);
  ModelContents c;
  c.path = dir;
  c.config_path = l.config;
  std::string config_text = ReadFileToString(l.config);
  std::vector<std::string> inline_tokens = ExtractInlineTokenList(config_text, l.config);
  c.config = ParseConfigYaml(config_text, l.config);
  c.model_class = IdentifyModelClass(c.config);
  AddLegacyConfigAliases(c.config);
  std::vector<std::string> yaml_tokens = TakeInlineTokenList(c.config, l.config);
  if (inline_tokens.empty()) inline_tokens = std::move(yaml_tokens);

  // Checked now, read tensor by tensor as the model asks for them (TorchCheckpoint).
  std::shared_ptr<const TorchCheckpoint> checkpoint = TorchCheckpoint::Open(l.checkpoint);
  const std::vector<std::string>& names = checkpoint->names();
  bool all_module = !names.empty();
  bool any_encoder = false;
  for (const std::string& n : names) {
    all_module = all_module && n.rfind("module.", 0) == 0;
    any_encoder = any_encoder || n.rfind("encoder.", 0) == 0;
  }
  // The original FSMN-VAD release saved the encoder itself (keys "in_linear1...").
  bool add_encoder = c.model_class == "FsmnVADStreaming" && !any_encoder;
  c.path = l.checkpoint;  // duplicate-name errors name the checkpoint
  for (size_t i = 0; i < names.size(); ++i) {
    std::string name = all_module ? names[i].substr(7) : names[i];
    if (add_encoder) name = "encoder." + name;
    StoredTensor st;
    st.read = [checkpoint, i] { return checkpoint->Read(i); };
    c.Add(name, std::move(st));
  }
  c.path = dir;

  if (!l.tokens.empty()) {
    c.tokens = LoadTokenList(l.tokens);
  } else {
    c.tokens = std::move(inline_tokens);
  }
  if (!l.cmvn.empty()) c.cmvn = LoadCmvn(l.cmvn);
  if (!l.seg_dict.empty()) c.seg_dict = LoadSegDict(l.seg_dict);
  return MakeModelFiles(std::move(c));
}

}  // namespace funasr::io
