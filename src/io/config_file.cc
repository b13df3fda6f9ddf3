#include "io/config_file.h"

#include <string_view>

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

std::vector<std::string> ExtractInlineTokenList(std::string& text, const std::string& file) {
  std::vector<std::string> tokens;
  size_t key = 0;
  while (true) {
    key = text.find("token_list:", key);
    if (key == std::string::npos) return tokens;
    if (key == 0 || text[key - 1] == '\n') break;
    key += 11;
  }
  size_t eol = text.find('\n', key);
  if (eol == std::string::npos) return tokens;
  for (size_t i = key + 11; i < eol; ++i)
    if (text[i] != ' ' && text[i] != '\t' && text[i] != '\r') return tokens;  // inline value
  // The items: lines "<indent>- item" with one indentation for the whole block.
  size_t pos = eol + 1;
  size_t dash = text.find_first_not_of(' ', pos);
  if (dash == std::string::npos || text[dash] != '-') return tokens;
  std::string indent = text.substr(pos, dash - pos);
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string_view line(text.data() + pos, end - pos);
    if (line.compare(0, indent.size(), indent) != 0 || line.size() < indent.size() + 1 ||
        line[indent.size()] != '-' ||
        (line.size() > indent.size() + 1 && line[indent.size() + 1] != ' ' && line[indent.size() + 1] != '\r'))
      break;
    std::string_view item = line.substr(std::min(line.size(), indent.size() + 2));
    while (!item.empty() && (item.back() == ' ' || item.back() == '\r' || item.back() == '\t'))
      item.remove_suffix(1);
    static const std::string kSpecial = "'\"&*!|>%@`{}[],#?:-~";
    bool plain = !item.empty() && kSpecial.find(item.front()) == std::string::npos &&
                 item.find(" #") == std::string::npos && item.find(": ") == std::string::npos &&
                 item.back() != ':';
    if (plain) {
      tokens.emplace_back(item);
    } else {
      YAML::Node n;
      try {
        n = YAML::Load("- " + std::string(item));
      } catch (const YAML::Exception& e) {
        Fail(ErrorCode::kFormatError, file, ": token_list[", tokens.size(), "]: invalid YAML: ", e.msg);
      }
      FUNASR_CHECK(n.IsSequence() && n.size() == 1 && (n[0].IsScalar() || n[0].IsNull()),
                   ErrorCode::kFormatError, file, ": token_list[", tokens.size(), "]: expected a string");
      tokens.push_back(n[0].IsScalar() ? n[0].Scalar() : "");
    }
    pos = end + 1;
  }
  FUNASR_CHECK(!tokens.empty(), ErrorCode::kFormatError, file, ": empty token list");
  text.erase(key, std::min(pos, text.size()) - key);
  return tokens;
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
