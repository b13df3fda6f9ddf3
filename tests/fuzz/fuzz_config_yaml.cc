// libFuzzer target: config.yaml parsing, legacy aliases, model-class identification and the
// typed ConfigReader getters over every key of every section.
#include <cstddef>
#include <cstdint>
#include <string>

#include "funasr/error.h"
#include "io/config_file.h"
#include "io/model_class.h"
#include "io/model_files.h"

namespace {
void ReadAll(const funasr::io::ConfigReader& r, int depth) {
  const YAML::Node& n = r.node();
  if (!n.IsDefined() || !n.IsMap() || depth > 4) return;
  for (const auto& kv : n) {
    if (!kv.first.IsScalar()) continue;
    const std::string key = kv.first.Scalar();
    auto attempt = [](auto&& f) {
      try {
        f();
      } catch (const funasr::Error&) {
      }
    };
    attempt([&] { r.GetInt(key, 0); });
    attempt([&] { r.GetDouble(key, 0); });
    attempt([&] { r.GetBool(key, false); });
    attempt([&] { r.GetString(key, ""); });
    attempt([&] { r.GetIntList(key, {}); });
    attempt([&] { r.GetDoubleList(key, {}); });
    attempt([&] { r.GetStringList(key, {}); });
    attempt([&] { ReadAll(r.Section(key), depth + 1); });
  }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    std::string text(reinterpret_cast<const char*>(data), size);
    funasr::io::ExtractInlineTokenList(text, "fuzz.yaml");
    YAML::Node config = funasr::io::ParseConfigYaml(text, "fuzz.yaml");
    funasr::io::IdentifyModelClass(config);
    funasr::io::AddLegacyConfigAliases(config);
    funasr::io::TakeInlineTokenList(config, "fuzz.yaml");
    ReadAll(funasr::io::ConfigReader(config, "fuzz.yaml"), 0);
  } catch (const funasr::Error&) {
  }
  return 0;
}
