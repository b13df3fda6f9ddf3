#include "io/config_file.h"

#include "core/check.h"
#include "io/model_class.h"

namespace funasr::io {

YAML::Node ConfigChild(const YAML::Node& config, const std::string& key) {
  if (!config.IsDefined() || !config.IsMap()) return YAML::Node(YAML::NodeType::Null);
  YAML::Node v = config[key];
  if (!v.IsDefined()) return YAML::Node(YAML::NodeType::Null);
  return v;
}

YAML::Node ParseConfigYaml(const std::string& text, const std::string& file) {
  YAML::Node node;
  try {
    node = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    Fail(ErrorCode::kFormatError, file, ": invalid YAML: ", e.msg, " (line ", e.mark.line + 1,
         ", column ", e.mark.column + 1, ")");
  }
  FUNASR_CHECK(node.IsMap(), ErrorCode::kFormatError, file,
               ": invalid config: the top level is not a mapping");
  return node;
}

namespace {
// Copies src[from] to dst[to] unless dst already has `to`.
void Alias(YAML::Node dst, const YAML::Node& src, const char* from, const char* to) {
  YAML::Node v = ConfigChild(src, from);
  if (v.IsNull()) return;
  if (!ConfigChild(dst, to).IsNull()) return;
  dst[to] = v;
}
YAML::Node SectionFor(YAML::Node& config, const char* key) {
  if (ConfigChild(config, key).IsNull()) config[key] = YAML::Node(YAML::NodeType::Map);
  return config[key];
}
}  // namespace

void AddLegacyConfigAliases(YAML::Node& config) {
  if (!config.IsMap()) return;
  std::string cls = IdentifyModelClass(config);
  YAML::Node vad_post = ConfigChild(config, "vad_post_conf");
  if (cls == "FsmnVADStreaming" && vad_post.IsMap()) {
    YAML::Node mc = SectionFor(config, "model_conf");
    if (mc.IsMap())
      for (const auto& kv : vad_post)
        if (kv.first.IsScalar()) Alias(mc, vad_post, kv.first.Scalar().c_str(), kv.first.Scalar().c_str());
  }
  YAML::Node pc = ConfigChild(config, "punctuation_conf");
  if ((cls == "CTTransformer" || cls == "CTTransformerStreaming") && pc.IsMap()) {
    const YAML::Node& c = config;
    YAML::Node mc = SectionFor(config, "model_conf");
    YAML::Node ec = SectionFor(config, "encoder_conf");
    if (mc.IsMap() && ec.IsMap()) {
      Alias(mc, pc, "embed_unit", "embed_unit");
      Alias(mc, pc, "att_unit", "att_unit");
      Alias(ec, pc, "embed_unit", "input_size");
      Alias(ec, pc, "att_unit", "output_size");
      Alias(ec, pc, "head", "attention_heads");
      Alias(ec, pc, "unit", "linear_units");
      Alias(ec, pc, "layer", "num_blocks");
      Alias(mc, c, "punc_list", "punc_list");
    }
  }
}

std::vector<std::string> TakeInlineTokenList(YAML::Node& config, const std::string& file) {
  std::vector<std::string> tokens;
  YAML::Node list = ConfigChild(config, "token_list");
  if (!list.IsSequence()) return tokens;
  tokens.reserve(list.size());
  for (size_t i = 0; i < list.size(); ++i) {
    FUNASR_CHECK(list[i].IsScalar(), ErrorCode::kFormatError, file, ": token_list[", i,
                 "]: expected a string");
    tokens.push_back(list[i].Scalar());
  }
  config.remove("token_list");
  return tokens;
}

}  // namespace funasr::io
