// Parsing config.yaml (and the legacy vad.yaml / asr.yaml / punc.yaml formats).
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

namespace funasr::io {

// config[key] without yaml-cpp's pitfalls: never inserts, and an absent key (or a
// non-mapping `config`) gives an undefined-safe Null node instead of an invalid one whose
// type queries throw.
YAML::Node ConfigChild(const YAML::Node& config, const std::string& key);

// Parses YAML text; the top level must be a mapping. Throws FormatError
// "<file>: invalid YAML: <problem> (line L, column C)".
YAML::Node ParseConfigYaml(const std::string& text, const std::string& file);

// Adds the FunASR 1.x spelling of sections that legacy configs name differently, without
// removing anything: vad.yaml's `vad_post_conf` becomes `model_conf` too; a legacy punc
// config's `punctuation_conf` feeds `model_conf` (embed_unit, att_unit), `encoder_conf`
// (input_size, output_size, attention_heads, linear_units, num_blocks) and a top-level
// `punc_list` becomes `model_conf.punc_list`. Existing 1.x keys always win.
void AddLegacyConfigAliases(YAML::Node& config);

// Fast path for legacy configs that carry the whole vocabulary inline (the old CT-punc
// config lists 272,727 words, which yaml-cpp needs seconds for): removes a top-level
// block-style `token_list:` sequence from `text` and returns its items (plain scalars taken
// as written, quoted ones decoded by yaml-cpp). Returns an empty list and leaves `text`
// alone when there is no such block.
std::vector<std::string> ExtractInlineTokenList(std::string& text, const std::string& file);

// Drops a legacy inline `token_list` (saved with the tokens separately) to keep the config
// small; returns it (empty when absent).
std::vector<std::string> TakeInlineTokenList(YAML::Node& config, const std::string& file);

}  // namespace funasr::io
