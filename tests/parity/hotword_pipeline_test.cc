// The whole pipeline with a hotword model against FunASR's golden long-audio run
// reference/pipeline/seaco_hotword_vad_punc_long70s_classic: AutoModel(model=
// seaco-paraformer-tiny, vad_model=fsmn-vad (real weights), punc_model=ct-punc-tiny)
// .generate(long_70s.wav, hotword="阿里巴巴 达摩院 帕拉福玛 语音识别 recognition",
// sentence_timestamp=True, dynamic_silence=False). Text, timestamps and sentence_info must be
// identical; the request's hotwords are prepared once for all its VAD segments.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "common/test_data.h"
#include "funasr/asr.h"
#include "funasr/pipeline.h"

namespace {

using json = nlohmann::json;

std::shared_ptr<const funasr::Pipeline> LoadPipeline(double batch_seconds) {
  funasr::PipelineConfig config;
  config.vad_model = funasr_test::RequireData("reference/models/fsmn-vad");
  config.asr_model = funasr_test::RequireData("reference/models/seaco-paraformer-tiny");
  config.punc_model = funasr_test::RequireData("reference/models/ct-punc-tiny");
  config.options.vad_dynamic_silence = false;
  config.options.batch_seconds = batch_seconds;
  return funasr::Pipeline::Load(config);
}

size_t CountDifferences(const json& a, const json& b) {
  size_t n = a.size() == b.size() ? 0 : std::max(a.size(), b.size());
  for (size_t i = 0; i < std::min(a.size(), b.size()); ++i) n += a[i] != b[i];
  return n;
}

TEST(HotwordPipeline, SeacoWithHotwordsEqualsAutoModel) {
  const std::string wav = funasr_test::RequireData("reference/wavs/long_70s.wav");
  const json want = json::parse(funasr_test::ReadTextFile(funasr_test::RequireData(
      "reference/pipeline/seaco_hotword_vad_punc_long70s_classic/result.json")))[0];
  for (double batch_seconds : {0.0, 300.0}) {
    auto pipeline = LoadPipeline(batch_seconds);
    ASSERT_TRUE(pipeline->asr_supports_hotwords());
    funasr::TranscribeOptions o;
    o.hotwords = funasr::SplitHotwords("阿里巴巴 达摩院 帕拉福玛 语音识别 recognition");
    const json got = json::parse(funasr::ToAutoModelJson(pipeline->TranscribeFile(wav, o)));
    const size_t ts = CountDifferences(got["timestamp"], want["timestamp"]);
    const size_t sent = CountDifferences(got["sentence_info"], want["sentence_info"]);
    std::printf(
        "[seaco hotword pipeline, batch %.0f s] %zu timestamps (%zu differ), %zu "
        "sentences (%zu differ)\n",
        batch_seconds, want["timestamp"].size(), ts, want["sentence_info"].size(), sent);
    EXPECT_EQ(got["text"], want["text"]);
    EXPECT_EQ(ts, 0u);
    EXPECT_EQ(sent, 0u);
    EXPECT_TRUE(got == want) << "AutoModel dict differs";
    // Without the hotwords the transcript is another one (the list is really applied).
    const json plain = json::parse(funasr::ToAutoModelJson(pipeline->TranscribeFile(wav)));
    EXPECT_NE(plain["text"], want["text"]);
  }
}

}  // namespace
