// The whole pipeline with real models against FunASR's golden long-audio runs
// (reference/pipeline/<case>/result.json): AutoModel(model=bicif-paraformer-tiny,
// vad_model=fsmn-vad (real weights), punc_model=ct-punc-tiny).generate(wav,
// sentence_timestamp=True[, dynamic_silence=False]). Text, timestamps and sentence_info must
// be identical, with one segment per ASR call (FunASR on CPU) and with duration-budget
// batches, from a file and from PCM, serially and from several threads at once.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "common/test_data.h"
#include "funasr/audio.h"
#include "funasr/pipeline.h"

namespace {

using json = nlohmann::json;

struct Case {
  const char* name;
  const char* wav;
  bool dynamic_silence;
};

const Case kBiCifCases[] = {
    {"bicif_vad_punc_long70s_classic", "long_70s", false},
    {"bicif_vad_punc_long70s_dyn", "long_70s", true},
    {"bicif_vad_punc_vad_example_classic", "vad_example", false},
};

std::shared_ptr<const funasr::Pipeline> LoadPipeline(bool dynamic_silence, double batch_seconds) {
  funasr::PipelineConfig config;
  config.vad_model = funasr_test::RequireData("reference/models/fsmn-vad");
  config.asr_model = funasr_test::RequireData("reference/models/bicif-paraformer-tiny");
  config.punc_model = funasr_test::RequireData("reference/models/ct-punc-tiny");
  config.options.vad_dynamic_silence = dynamic_silence;
  config.options.batch_seconds = batch_seconds;
  return funasr::Pipeline::Load(config);
}

json Golden(const Case& c) {
  const std::string path =
      funasr_test::RequireData(std::string("reference/pipeline/") + c.name + "/result.json");
  return json::parse(funasr_test::ReadTextFile(path))[0];
}

// Counts differing sentences / timestamps so a failure says how far off it is.
void ExpectEqualResult(const json& got, const json& want, const std::string& what) {
  EXPECT_EQ(got["key"], want["key"]) << what;
  EXPECT_EQ(got["text"], want["text"]) << what;
  const auto& gt = got["timestamp"];
  const auto& wt = want["timestamp"];
  size_t ts_diff = gt.size() == wt.size() ? 0 : std::max(gt.size(), wt.size());
  for (size_t i = 0; i < std::min(gt.size(), wt.size()); ++i) ts_diff += gt[i] != wt[i];
  const auto& gs = got["sentence_info"];
  const auto& ws = want["sentence_info"];
  size_t s_diff = gs.size() == ws.size() ? 0 : std::max(gs.size(), ws.size());
  for (size_t i = 0; i < std::min(gs.size(), ws.size()); ++i) s_diff += gs[i] != ws[i];
  std::printf("[%s] %zu timestamps (%zu differ), %zu sentences (%zu differ)\n", what.c_str(),
              gt.size(), ts_diff, gs.size(), s_diff);
  EXPECT_EQ(ts_diff, 0u) << what;
  EXPECT_EQ(s_diff, 0u) << what;
  EXPECT_TRUE(got == want) << what << ": AutoModel dict differs";
}

class PipelineParity : public ::testing::TestWithParam<Case> {};

TEST_P(PipelineParity, FileBatchOneEqualsAutoModel) {
  const Case& c = GetParam();
  const std::string wav = funasr_test::RequireData(std::string("reference/wavs/") + c.wav + ".wav");
  ASSERT_FALSE(wav.empty());
  auto pipeline = LoadPipeline(c.dynamic_silence, 0);
  const auto r = pipeline->TranscribeFile(wav);
  ExpectEqualResult(json::parse(funasr::ToAutoModelJson(r)), Golden(c), c.name);
}

TEST_P(PipelineParity, PcmWithBatchesEqualsAutoModel) {
  const Case& c = GetParam();
  const std::string wav = funasr_test::RequireData(std::string("reference/wavs/") + c.wav + ".wav");
  ASSERT_FALSE(wav.empty());
  const std::vector<float> samples = funasr::LoadAudio(wav);
  auto pipeline = LoadPipeline(c.dynamic_silence, 300);
  funasr::TranscribeOptions o;
  o.key = c.wav;
  const auto r = pipeline->TranscribePcm(samples.data(), samples.size(), 16000, o);
  ExpectEqualResult(json::parse(funasr::ToAutoModelJson(r)), Golden(c),
                    std::string(c.name) + " batched");
}

INSTANTIATE_TEST_SUITE_P(Golden, PipelineParity, ::testing::ValuesIn(kBiCifCases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(PipelineParityThreads, ConcurrentFilesEqualSerial) {
  auto pipeline = LoadPipeline(false, 60);
  const std::string a = funasr_test::RequireData("reference/wavs/long_70s.wav");
  const std::string b = funasr_test::RequireData("reference/wavs/vad_example.wav");
  const std::string serial_a = funasr::ToAutoModelJson(pipeline->TranscribeFile(a));
  const std::string serial_b = funasr::ToAutoModelJson(pipeline->TranscribeFile(b));
  std::string got[4];
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      funasr::TranscribeOptions o;
      o.num_threads = 1;
      got[t] = funasr::ToAutoModelJson(pipeline->TranscribeFile(t % 2 ? b : a, o));
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < 4; ++t) EXPECT_EQ(got[t], t % 2 ? serial_b : serial_a) << "thread " << t;
}

}  // namespace
