// Helpers shared by the text_* tests: golden JSON loading and the real 8404-token list.
#pragma once

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/case_dirs.h"
#include "common/test_data.h"
#include "funasr/result.h"
#include "text/token_list.h"

namespace funasr_test {

inline nlohmann::json LoadJson(const std::string& path) {
  return nlohmann::json::parse(ReadTextFile(path));
}

inline std::vector<funasr::TimeSpanMs> ToSpans(const nlohmann::json& j) {
  std::vector<funasr::TimeSpanMs> out;
  for (const auto& p : j) out.push_back({p.at(0).get<int64_t>(), p.at(1).get<int64_t>()});
  return out;
}

inline std::string SpansToString(const std::vector<funasr::TimeSpanMs>& spans) {
  std::string s;
  for (const auto& t : spans)
    s += "[" + std::to_string(t.start) + "," + std::to_string(t.end) + "]";
  return s;
}

// The real paraformer-zh vocab8404 token list (tests/data/models/paraformer-zh-assets).
inline const funasr::text::TokenList& RealTokenList() {
  static const funasr::text::TokenList list = [] {
    const std::string path = RequireData("models/paraformer-zh-assets/tokens.json");
    if (path.empty()) throw std::runtime_error("tokens.json missing");
    return funasr::text::TokenList(LoadJson(path).get<std::vector<std::string>>(), path);
  }();
  return list;
}

// The ASR model folders of reference/ whose cases carry token_ids.json.
inline std::vector<std::string> AsrModelDirs() {
  return {"paraformer-tiny", "bicif-paraformer-tiny", "seaco-paraformer-tiny",
          "contextual-paraformer-tiny"};
}

}  // namespace funasr_test
