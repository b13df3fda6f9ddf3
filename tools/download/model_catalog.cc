#include "model_catalog.h"

namespace funasr::download {

const std::vector<ModelSpec>& Catalog() {
  // Ids from FunASR's funasr/download/name_maps_from_hub.py (v1.4.3).
  static const std::vector<ModelSpec> catalog = {
      {"paraformer-zh", "iic/speech_seaco_paraformer_large_asr_nat-zh-cn-16k-common-vocab8404-pytorch",
       "funasr/paraformer-zh",
       {"config.yaml", "model.pt", "am.mvn", "tokens.json", "configuration.json"},
       {"seg_dict"},
       "SeACo-Paraformer-large zh (hotwords, timestamps); AutoModel's paraformer-zh"},
      {"paraformer-zh-vad-punc",
       "iic/speech_paraformer-large-vad-punc_asr_nat-zh-cn-16k-common-vocab8404-pytorch", "",
       {"config.yaml", "model.pt", "am.mvn", "tokens.json", "configuration.json"},
       {"seg_dict"},
       "BiCif-Paraformer-large zh (timestamps)"},
      {"paraformer", "iic/speech_paraformer-large_asr_nat-zh-cn-16k-common-vocab8404-pytorch", "",
       {"config.yaml", "model.pt", "am.mvn", "tokens.json", "configuration.json"},
       {"seg_dict"},
       "Paraformer-large zh (no timestamps)"},
      {"ct-punc-c", "iic/punc_ct-transformer_zh-cn-common-vocab272727-pytorch",
       "iic/punc_ct-transformer_zh-cn-common-vocab272727-pytorch",
       {"config.yaml", "model.pt", "tokens.json", "configuration.json"},
       {},
       "CT-Transformer punctuation zh (vocab 272727)"},
      {"ct-punc", "iic/punc_ct-transformer_cn-en-common-vocab471067-large", "funasr/ct-punc",
       {"config.yaml", "model.pt", "tokens.json", "configuration.json"},
       {"jieba_usr_dict"},
       "CT-Transformer punctuation zh/en large (vocab 471067; uses a jieba dictionary)"},
      {"fsmn-vad", "iic/speech_fsmn_vad_zh-cn-16k-common-pytorch", "funasr/fsmn-vad",
       {"config.yaml", "model.pt", "am.mvn", "configuration.json"},
       {},
       "FSMN-VAD zh 16k (also bundled in models/fsmn-vad)"},
  };
  return catalog;
}

std::optional<ModelSpec> FindModel(const std::string& name_or_id) {
  for (const auto& m : Catalog()) {
    if (m.name == name_or_id || m.modelscope_id == name_or_id) return m;
  }
  const size_t slash = name_or_id.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == name_or_id.size() ||
      name_or_id.find('/', slash + 1) != std::string::npos || name_or_id.find("..") != std::string::npos) {
    return std::nullopt;
  }
  ModelSpec spec;
  spec.name = name_or_id.substr(slash + 1);
  spec.modelscope_id = name_or_id;
  spec.huggingface_id = name_or_id;
  spec.required = {"config.yaml", "model.pt", "configuration.json"};
  spec.optional = {"am.mvn", "tokens.json", "seg_dict"};
  spec.description = "hub model " + name_or_id;
  return spec;
}

}  // namespace funasr::download
