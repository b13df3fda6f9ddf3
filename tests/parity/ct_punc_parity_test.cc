// CT-Transformer network parity: the raw logits of every forward call FunASR made on the
// golden punctuation texts (offline CTTransformer and realtime CTTransformerStreaming with
// its causal / VAD masks), recomputed from the same window ids.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "common/test_data.h"
#include "core/threading.h"
#include "io/model_files.h"
#include "layers/workspace.h"
#include "models/punctuation/ct_transformer.h"

namespace funasr::models {
namespace {

using nlohmann::json;

json LoadJson(const std::string& rel) {
  const std::string path = funasr_test::RequireData(rel);
  if (path.empty()) return json();
  return json::parse(funasr_test::ReadTextFile(path));
}

std::shared_ptr<const CtTransformer> LoadModel(const std::string& name) {
  const std::string dir = funasr_test::RequireData("reference/models/" + name);
  if (dir.empty()) return nullptr;
  return CtTransformer::Load(*io::ModelFiles::Open(dir));
}

struct CallStats {
  float max_err = 0;
  int calls = 0;
  int words = 0;
};

// Runs one recorded forward call and compares logits and arg-max.
void CheckCall(const CtTransformer& model, const json& call, CallStats& stats,
               const std::string& what) {
  const std::vector<int32_t> ids = call["text_ids"].get<std::vector<int32_t>>();
  const int64_t vad = call.contains("vad_indexes") ? call["vad_indexes"][0].get<int64_t>() : 0;
  const int64_t n = static_cast<int64_t>(ids.size());
  const int64_t k = model.config().num_classes;
  ScopedNumThreads one_thread(1);  // tiny windows: keeps the test fast on a busy machine
  layers::Workspace ws;
  std::vector<float> logits(static_cast<size_t>(n * k));
  model.Logits(ids.data(), n, vad, logits.data(), ws);
  const json& golden = call["logits"];
  ASSERT_EQ(static_cast<int64_t>(golden.size()), n) << what;
  float err = 0;
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < k; ++j)
      err = std::max(err, std::fabs(logits[i * k + j] - golden[i][j].get<float>()));
  EXPECT_LT(err, 1e-3f) << what;
  stats.max_err = std::max(stats.max_err, err);
  EXPECT_EQ(model.Classify(ids, vad, ws), call["argmax"].get<std::vector<int>>()) << what;
  ++stats.calls;
  stats.words += static_cast<int>(n);
}

TEST(CtPuncParity, ConfigOfTinyModels) {
  auto offline = LoadModel("ct-punc-tiny");
  auto realtime = LoadModel("ct-punc-realtime-tiny");
  ASSERT_TRUE(offline && realtime);
  EXPECT_FALSE(offline->config().realtime);
  EXPECT_TRUE(realtime->config().realtime);
  for (const auto* m : {offline.get(), realtime.get()}) {
    EXPECT_EQ(m->config().d_model, 128);
    EXPECT_EQ(m->config().num_heads, 4);
    EXPECT_EQ(m->config().num_blocks, 2);
    EXPECT_EQ(m->config().num_classes, 6);
  }
  EXPECT_EQ(offline->config().sanm_shift, 0);
  EXPECT_EQ(realtime->config().sanm_shift, 5);
}

TEST(CtPuncParity, OfflineLogitsMatchFunASR) {
  auto model = LoadModel("ct-punc-tiny");
  ASSERT_TRUE(model);
  CallStats stats;
  for (const char* name : {"single_char", "zh_short", "zh_long", "mixed_zh_en", "en_long"}) {
    const json calls = LoadJson(std::string("reference/ct-punc-tiny/") + name +
                                "/punc_forward_calls.json");
    for (size_t i = 0; i < calls.size(); ++i)
      CheckCall(*model, calls[i], stats, std::string(name) + " call " + std::to_string(i));
  }
  EXPECT_EQ(stats.calls, 1 + 1 + 7 + 3 + 3);
  std::printf("offline ct-punc-tiny: %d calls, %d words, max |logit err| = %.3g\n", stats.calls,
              stats.words, stats.max_err);
}

TEST(CtPuncParity, RealtimeLogitsMatchFunASR) {
  auto model = LoadModel("ct-punc-realtime-tiny");
  ASSERT_TRUE(model);
  CallStats stats;
  for (const char* name : {"single_char", "zh_short", "zh_long", "mixed_zh_en", "en_long"}) {
    const json g = LoadJson(std::string("reference/ct-punc-realtime-tiny/") + name +
                            "/result.json");
    for (size_t i = 0; i < g["punc_forward_calls"].size(); ++i)
      CheckCall(*model, g["punc_forward_calls"][i], stats,
                std::string(name) + " call " + std::to_string(i));
  }
  // The chunk sequence exercises vad_index > 0 (cached words before the new text).
  const json steps = LoadJson("reference/ct-punc-realtime-tiny/chunks_sequence/steps.json");
  int with_cache = 0;
  for (const json& step : steps) {
    for (size_t i = 0; i < step["punc_forward_calls"].size(); ++i) {
      const json& call = step["punc_forward_calls"][i];
      with_cache += call["vad_indexes"][0].get<int>() > 1;
      CheckCall(*model, call, stats,
                "step " + std::to_string(step["step"].get<int>()) + " call " + std::to_string(i));
    }
  }
  EXPECT_GT(with_cache, 5);
  std::printf("realtime ct-punc-realtime-tiny: %d calls, %d words, max |logit err| = %.3g\n",
              stats.calls, stats.words, stats.max_err);
}

TEST(CtPuncParity, Masks) {
  EXPECT_EQ(CausalMask(3), (std::vector<uint8_t>{1, 0, 0, 1, 1, 0, 1, 1, 1}));
  // vad_mask(4, 2): row 0 cannot see columns 2, 3.
  EXPECT_EQ(VadMask(4, 2),
            (std::vector<uint8_t>{1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}));
  EXPECT_EQ(VadMask(3, 0), std::vector<uint8_t>(9, 1));
  EXPECT_EQ(VadMask(3, 3), std::vector<uint8_t>(9, 1));
  EXPECT_EQ(VadMask(3, 1), std::vector<uint8_t>(9, 1));
}

}  // namespace
}  // namespace funasr::models
