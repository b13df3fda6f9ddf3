// Public ASR API (include/funasr/asr.h): FunASR's AutoModel results (text, timestamps) from
// the wav on every golden Paraformer / BiCif case, batches, threads, int8, errors.
#include "funasr/asr.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "common/test_data.h"
#include "funasr/audio.h"
#include "funasr/error.h"
#include "io/model_files.h"
#include "io/native_model_writer.h"

namespace {

using funasr_test::FindData;

const std::vector<std::string> kCases = {"zh_3s", "en_3s", "short_0p6s", "asr_example_zh",
                                         "mix_20s"};

std::shared_ptr<const funasr::AsrModel> Load(const std::string& name, bool int8 = false) {
  const std::string dir = FindData("reference/models/" + name);
  EXPECT_FALSE(dir.empty()) << name;
  funasr::LoadOptions o;
  o.int8 = int8;
  return funasr::AsrModel::Load(dir, o);
}

std::vector<float> Wav(const std::string& c) {
  const std::string p = FindData("reference/wavs/" + c + ".wav");
  EXPECT_FALSE(p.empty()) << c;
  return funasr::LoadAudio(p);
}

nlohmann::json Golden(const std::string& model, const std::string& c) {
  const std::string p = FindData("reference/" + model + "/" + c + "/result.json");
  EXPECT_FALSE(p.empty());
  return nlohmann::json::parse(funasr_test::ReadTextFile(p))[0];
}

void ExpectMatchesGolden(const funasr::AsrResult& r, const nlohmann::json& g,
                         const std::string& what) {
  EXPECT_EQ(r.text, g["text"].get<std::string>()) << what;
  if (g.contains("timestamp")) {
    std::vector<std::vector<int64_t>> ts;
    for (const funasr::TimeSpanMs& s : r.timestamps) ts.push_back({s.start, s.end});
    EXPECT_EQ(ts, g["timestamp"].get<std::vector<std::vector<int64_t>>>()) << what;
  } else {
    EXPECT_TRUE(r.timestamps.empty()) << what;
  }
}

class AsrApi : public ::testing::TestWithParam<std::string> {};

TEST_P(AsrApi, ParaformerMatchesAutoModel) {
  auto asr = Load("paraformer-tiny");
  EXPECT_EQ(asr->model_class(), "Paraformer");
  EXPECT_FALSE(asr->has_timestamps());
  EXPECT_EQ(asr->sample_rate(), 16000);
  const funasr::AsrResult r = asr->Recognize(Wav(GetParam()));
  ExpectMatchesGolden(r, Golden("paraformer-tiny", GetParam()), "paraformer " + GetParam());
  EXPECT_EQ(r.tokens.size(), r.token_ids.size());
  EXPECT_TRUE(r.token_timestamps.empty());
}

TEST_P(AsrApi, BiCifMatchesAutoModel) {
  auto asr = Load("bicif-paraformer-tiny");
  EXPECT_EQ(asr->model_class(), "BiCifParaformer");
  EXPECT_TRUE(asr->has_timestamps());
  const funasr::AsrResult r = asr->Recognize(Wav(GetParam()));
  ExpectMatchesGolden(r, Golden("bicif-paraformer-tiny", GetParam()), "bicif " + GetParam());
  EXPECT_EQ(r.token_timestamps.size(), r.tokens.size());
  EXPECT_EQ(r.words.size(), r.timestamps.size());
}

INSTANTIATE_TEST_SUITE_P(Cases, AsrApi, ::testing::ValuesIn(kCases),
                         [](const auto& info) { return info.param; });

TEST(AsrApiBatch, BatchEqualsSingleAndThreads) {
  for (const std::string name : {"paraformer-tiny", "bicif-paraformer-tiny"}) {
    auto asr = Load(name);
    std::vector<std::vector<float>> wavs;
    for (const std::string& c : kCases) wavs.push_back(Wav(c));
    wavs.insert(wavs.begin() + 2, std::vector<float>{});  // an empty utterance in the middle
    const std::vector<funasr::AsrResult> batch = asr->RecognizeBatch(wavs);
    ASSERT_EQ(batch.size(), wavs.size());
    EXPECT_TRUE(batch[2].text.empty());
    EXPECT_TRUE(batch[2].tokens.empty());
    for (size_t i = 0, k = 0; i < wavs.size(); ++i) {
      if (i == 2) continue;
      ExpectMatchesGolden(batch[i], Golden(name, kCases[k]), name + " batch " + kCases[k]);
      ++k;
    }
    // Concurrent requests on the one model, with 1 and 2 threads each.
    std::vector<std::thread> threads;
    std::vector<std::vector<funasr::AsrResult>> got(4);
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&, t] {
        funasr::AsrOptions o;
        o.num_threads = 1 + t % 2;
        for (size_t i = 0; i < wavs.size(); ++i) got[t].push_back(asr->Recognize(wavs[i], o));
      });
    }
    for (auto& th : threads) th.join();
    for (int t = 0; t < 4; ++t) {
      for (size_t i = 0; i < wavs.size(); ++i) {
        EXPECT_EQ(got[t][i].text, batch[i].text) << name << " thread " << t;
        EXPECT_EQ(got[t][i].timestamps, batch[i].timestamps) << name << " thread " << t;
      }
    }
  }
}

TEST(AsrApiOptions, TimeOffsetAndNoTimestamps) {
  auto asr = Load("bicif-paraformer-tiny");
  const std::vector<float> wav = Wav("zh_3s");
  const funasr::AsrResult base = asr->Recognize(wav);
  funasr::AsrOptions o;
  o.time_offset_ms = 1000;
  const funasr::AsrResult shifted = asr->Recognize(wav, o);
  ASSERT_EQ(shifted.timestamps.size(), base.timestamps.size());
  for (size_t i = 0; i < base.timestamps.size(); ++i) {
    EXPECT_NEAR(shifted.timestamps[i].start, base.timestamps[i].start + 1000, 1);
  }
  o = funasr::AsrOptions();
  o.timestamps = false;
  const funasr::AsrResult plain = asr->Recognize(wav, o);
  EXPECT_TRUE(plain.timestamps.empty());
  EXPECT_EQ(plain.tokens, base.tokens);
  EXPECT_EQ(plain.words, base.words);
  // Without timestamps FunASR does not space Chinese characters.
  EXPECT_LT(std::count(plain.text.begin(), plain.text.end(), ' '),
            std::count(base.text.begin(), base.text.end(), ' '))
      << plain.text << " | " << base.text;
}

TEST(AsrApiOptions, Int8Loads) {
  auto asr = Load("bicif-paraformer-tiny", /*int8=*/true);
  const funasr::AsrResult r = asr->Recognize(Wav("asr_example_zh"));
  EXPECT_FALSE(r.tokens.empty());
  EXPECT_EQ(r.words.size(), r.timestamps.size());
}

// A native model file (funasr-convert) gives the same results as the released directory
// (f32: identical; int8 file: loads and decodes).
TEST(AsrApiOptions, NativeFiles) {
  const std::string dir = FindData("reference/models/bicif-paraformer-tiny");
  const std::string tmp = funasr_test::TempDir("asr_api_native");
  const std::string f32 = tmp + "/bicif.f32.fnm", i8 = tmp + "/bicif.int8.fnm";
  auto files = funasr::io::ModelFiles::Open(dir);
  funasr::io::WriteNativeModel(*files, f32, funasr::io::NativeDType::kF32);
  funasr::io::WriteNativeModel(*files, i8, funasr::io::NativeDType::kInt8);
  const std::vector<float> wav = Wav("asr_example_zh");
  const funasr::AsrResult a = funasr::AsrModel::Load(dir)->Recognize(wav);
  const funasr::AsrResult b = funasr::AsrModel::Load(f32)->Recognize(wav);
  EXPECT_EQ(b.text, a.text);
  EXPECT_EQ(b.timestamps, a.timestamps);
  auto q = funasr::AsrModel::Load(i8);
  EXPECT_EQ(q->model_class(), "BiCifParaformer");
  const funasr::AsrResult c = q->Recognize(wav);
  EXPECT_FALSE(c.tokens.empty());
  EXPECT_EQ(c.words.size(), c.timestamps.size());
}

// A loaded model keeps one copy of its weights: from a native f32 file, the mapped pages it
// read while packing (fp32) or quantising (int8) are dropped once loading is done (from
// model.pt the source tensors are freed, see ParaformerLoad.KeepsNoReferenceToTheFiles),
// and the results equal those from the released directory.
TEST(AsrApiOptions, NativeF32FileKeepsNoWeightPagesResident) {
  const std::string dir = FindData("reference/models/bicif-paraformer-tiny");
  const std::string f32 = funasr_test::TempDir("asr_api_weight_pages") + "/bicif.f32.fnm";
  funasr::io::WriteNativeModel(*funasr::io::ModelFiles::Open(dir), f32,
                               funasr::io::NativeDType::kF32);
  const int64_t file_kb = static_cast<int64_t>(std::filesystem::file_size(f32) / 1024);
  const std::vector<float> wav = Wav("asr_example_zh");
  for (const bool int8 : {false, true}) {
    funasr::LoadOptions o;
    o.int8 = int8;
    auto model = funasr::AsrModel::Load(f32, o);
    EXPECT_LT(funasr_test::MappedResidentKb(f32), file_kb / 20)
        << "of " << file_kb << " kB, int8 " << int8;
    const funasr::AsrResult a = Load("bicif-paraformer-tiny", int8)->Recognize(wav);
    for (int round = 0; round < 2; ++round) {
      const funasr::AsrResult b = model->Recognize(wav);
      EXPECT_EQ(b.token_ids, a.token_ids) << "int8 " << int8;
      EXPECT_EQ(b.text, a.text);
      EXPECT_EQ(b.timestamps, a.timestamps);
    }
  }
}

TEST(AsrApiErrors, WrongModelKindAndBadInput) {
  for (const std::string other : {"fsmn-vad", "ct-punc-tiny"}) {
    try {
      funasr::AsrModel::Load(FindData("reference/models/" + other));
      FAIL() << other << " loaded as ASR";
    } catch (const funasr::Error& e) {
      EXPECT_EQ(e.code(), funasr::ErrorCode::kUnsupported) << e.what();
      EXPECT_NE(std::string(e.what()).find("not an ASR model"), std::string::npos) << e.what();
    }
  }
  EXPECT_THROW(funasr::AsrModel::Load("/nonexistent/model"), funasr::Error);
  auto asr = Load("paraformer-tiny");
  EXPECT_THROW(asr->Recognize(nullptr, 10), funasr::Error);
  EXPECT_TRUE(asr->Recognize(nullptr, 0).text.empty());
  const std::vector<float> tiny(100, 0.1f);  // < one 25 ms frame
  EXPECT_NO_THROW(asr->Recognize(tiny));
  const std::vector<float> silence(16000, 0.f);
  EXPECT_NO_THROW(asr->Recognize(silence));
  std::vector<float> bad(16000, 0.1f);
  bad[1234] = std::nanf("");
  try {
    asr->Recognize(bad);
    FAIL() << "NaN sample accepted";
  } catch (const funasr::Error& e) {
    EXPECT_EQ(e.code(), funasr::ErrorCode::kInvalidArgument);
    EXPECT_NE(std::string(e.what()).find("sample 1234"), std::string::npos) << e.what();
  }
}

}  // namespace
