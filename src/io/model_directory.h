// Released FunASR model directories: which file plays which role, and loading them.
#pragma once

#include <memory>
#include <string>

#include "io/model_files.h"

namespace funasr::io {

// Files of a released directory (absolute or as given; "" = absent).
struct ModelDirectoryLayout {
  std::string dir;
  std::string config;      // config.yaml | vad.yaml | punc.yaml
  std::string checkpoint;  // model.pt | vad.pb | punc.pb | model.pb
  std::string cmvn;        // am.mvn | vad.mvn
  std::string tokens;      // tokens.json | tokens.txt
  std::string seg_dict;    // seg_dict
};

// configuration.json's `file_path_metas` (init_param, config, frontend_conf.cmvn_file,
// tokenizer_conf.token_list, tokenizer_conf.seg_dict_file) and the legacy `model` section
// (am_model_name / vad_model_name / punc_model_name, model_config.vad_model_config /
// vad_mvn_file / mvn_file, punc_model_config.punc_config) name files first; roles still
// unassigned fall back to the conventional names listed above when those exist. A file
// named by configuration.json that does not exist is an IoError; a directory without a
// config or a checkpoint is an IoError naming what is missing.
ModelDirectoryLayout ResolveModelDirectory(const std::string& dir);

// Loads everything of a released directory. Tensor names are normalised: a "module."
// prefix is dropped, and FSMN-VAD checkpoints saved without the "encoder." prefix (the
// original vad.pb) get it.
std::shared_ptr<const ModelFiles> LoadModelDirectory(const std::string& dir);

}  // namespace funasr::io
