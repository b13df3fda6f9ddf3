// funasr::PunctuationModel / PunctuationStream end to end on FunASR's golden punctuation
// cases (tiny random-weight CT-Transformer models), plus edge cases and threads.
#include "funasr/punctuation.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "common/test_data.h"

namespace funasr {
namespace {

using nlohmann::json;

json LoadJson(const std::string& rel) {
  const std::string path = funasr_test::RequireData(rel);
  if (path.empty()) return json();
  return json::parse(funasr_test::ReadTextFile(path));
}

std::vector<int> FlattenIds(const json& a) {
  std::vector<int> out;
  if (a.is_null()) return out;
  for (const json& x : a) {
    if (x.is_array()) {
      for (const json& y : x) out.push_back(y.get<int>());
    } else {
      out.push_back(x.get<int>());
    }
  }
  return out;
}

// One kernel thread per call: the windows of these tiny models are far too small to gain
// from more, and the tests stay fast on a busy machine.
PunctuationOptions TestOptions() {
  PunctuationOptions o;
  o.num_threads = 1;
  return o;
}
const PunctuationModel& Offline() {
  static const std::shared_ptr<const PunctuationModel> model = PunctuationModel::Load(
      funasr_test::RequireData("reference/models/ct-punc-tiny"), TestOptions());
  return *model;
}
const PunctuationModel& Realtime() {
  static const std::shared_ptr<const PunctuationModel> model = PunctuationModel::Load(
      funasr_test::RequireData("reference/models/ct-punc-realtime-tiny"), TestOptions());
  return *model;
}

const char* kOfflineCases[] = {"empty", "single_char", "zh_short", "zh_long", "mixed_zh_en",
                               "en_long"};
const char* kRealtimeCases[] = {"single_char", "zh_short", "zh_long", "mixed_zh_en", "en_long"};
const char* kPipelineCases[] = {"bicif_vad_punc_long70s_classic", "bicif_vad_punc_long70s_dyn",
                                "bicif_vad_punc_vad_example_classic",
                                "seaco_hotword_vad_punc_long70s_classic"};

TEST(PunctuationApi, ModelProperties) {
  EXPECT_FALSE(Offline().realtime());
  EXPECT_TRUE(Realtime().realtime());
  EXPECT_EQ(Offline().punctuation_list(),
            (std::vector<std::string>{"<unk>", "_", "，", "。", "？", "、"}));
  EXPECT_GT(Offline().vocabulary_size(), 3000);
  EXPECT_GT(Offline().memory_bytes(), 1000000u);
}

TEST(PunctuationApi, OfflineGoldenCases) {
  for (const char* name : kOfflineCases) {
    SCOPED_TRACE(name);
    const json g = LoadJson(std::string("reference/ct-punc-tiny/") + name + "/result.json");
    ASSERT_FALSE(g.is_null());
    const PunctuationResult r = Offline().Punctuate(g["input"].get<std::string>());
    EXPECT_EQ(r.text, g["result"]["text"].get<std::string>());
    EXPECT_EQ(r.punctuation_ids, FlattenIds(g["result"]["punc_array"]));
    EXPECT_EQ(r.words.size(), r.punctuation_ids.size());
  }
}

// The texts FunASR's pipeline gave the punctuation model (long, many windows, rare
// characters that are <unk> in the tiny vocabulary, English fragments).
TEST(PunctuationApi, OfflinePipelineGoldenCases) {
  for (const char* name : kPipelineCases) {
    SCOPED_TRACE(name);
    const json g = LoadJson(std::string("reference/pipeline/") + name + "/punc.json");
    ASSERT_FALSE(g.is_null());
    const PunctuationResult r = Offline().Punctuate(g["punc_input"][0].get<std::string>());
    EXPECT_EQ(r.text, g["punc_result"][0]["text"].get<std::string>());
    EXPECT_EQ(r.punctuation_ids, FlattenIds(g["punc_result"][0]["punc_array"]));
  }
}

TEST(PunctuationApi, RealtimeFreshCacheGoldenCases) {
  for (const char* name : kRealtimeCases) {
    SCOPED_TRACE(name);
    const json g =
        LoadJson(std::string("reference/ct-punc-realtime-tiny/") + name + "/result.json");
    ASSERT_FALSE(g.is_null());
    const std::string input = g["input"].get<std::string>();
    PunctuationResult r = Realtime().Punctuate(input);
    EXPECT_EQ(r.text, g["result"]["text"].get<std::string>());
    EXPECT_EQ(r.punctuation_ids, FlattenIds(g["result"]["punc_array"]));
    r = Realtime().CreateStream()->Punctuate(input);
    EXPECT_EQ(r.text, g["result"]["text"].get<std::string>());
  }
}

TEST(PunctuationApi, RealtimeStreamGoldenSequence) {
  const json steps = LoadJson("reference/ct-punc-realtime-tiny/chunks_sequence/steps.json");
  const json concat =
      LoadJson("reference/ct-punc-realtime-tiny/chunks_sequence/concatenated_text.json");
  ASSERT_FALSE(steps.is_null() || concat.is_null());
  auto stream = Realtime().CreateStream();
  std::string all;
  for (int pass = 0; pass < 2; ++pass) {  // Reset() gives a fresh stream
    all.clear();
    for (const json& step : steps) {
      SCOPED_TRACE("step " + std::to_string(step["step"].get<int>()));
      const PunctuationResult r = stream->Punctuate(step["input"].get<std::string>());
      EXPECT_EQ(r.text, step["result"]["text"].get<std::string>());
      EXPECT_EQ(r.punctuation_ids, FlattenIds(step["result"]["punc_array"]));
      EXPECT_EQ(stream->pending_words(),
                step["cache_pre_text_after"].get<std::vector<std::string>>());
      all += r.text;
    }
    EXPECT_EQ(all, concat["text"].get<std::string>());
    stream->Reset();
    EXPECT_TRUE(stream->pending_words().empty());
  }
}

TEST(PunctuationApi, EmptyAndWhitespace) {
  for (const char* text : {"", " ", "\t\n  \u3000"}) {
    PunctuationResult r = Offline().Punctuate(text);
    EXPECT_EQ(r.text, "");
    EXPECT_TRUE(r.punctuation_ids.empty());
    EXPECT_TRUE(r.words.empty());
    r = Realtime().Punctuate(text);
    EXPECT_EQ(r.text, "");
  }
  auto stream = Realtime().CreateStream();
  stream->Punctuate("跨境河流是养育沿岸");
  const std::vector<std::string> cached = stream->pending_words();
  ASSERT_FALSE(cached.empty());
  EXPECT_EQ(stream->Punctuate("  ").text, "");
  EXPECT_EQ(stream->pending_words(), cached);
}

TEST(PunctuationApi, SingleWord) {
  PunctuationResult r = Offline().Punctuate("好");
  EXPECT_EQ(r.text, "好。");
  EXPECT_EQ(r.punctuation_ids, (std::vector<int>{3}));
  r = Offline().Punctuate("hello");
  EXPECT_EQ(r.words, (std::vector<std::string>{"hello"}));
  EXPECT_EQ(r.text.substr(0, 6), " Hello");
  EXPECT_EQ(r.text.back(), '.');
}

TEST(PunctuationApi, OnlyUnknownWords) {
  // 龘 and 靐 are deliberately absent from the tiny vocabulary; so are these latin words.
  for (const char* text : {"龘靐龘靐", "xyzzyq plughh frobnitzz", "龘 QWERTYU 靐"}) {
    SCOPED_TRACE(text);
    const PunctuationResult r = Offline().Punctuate(text);
    EXPECT_FALSE(r.text.empty());
    EXPECT_EQ(r.punctuation_ids.size(), r.words.size());
    EXPECT_EQ(r.punctuation_ids.back(), 3);
    auto stream = Realtime().CreateStream();
    EXPECT_FALSE(stream->Punctuate(text).text.empty());
  }
}

TEST(PunctuationApi, CapitalWordsAreLookedUpAsWritten) {
  // FunASR's Python looks "Hello" up as is (-> <unk> in a lower-case vocabulary);
  // lowercase_lookup gives the C++ runtime's behaviour, same as writing it lower-case.
  PunctuationOptions lower = TestOptions();
  lower.lowercase_lookup = true;
  const auto model =
      PunctuationModel::Load(funasr_test::RequireData("reference/models/ct-punc-tiny"), lower);
  const std::string text = "Hello everyone welcome to the meeting today We will talk";
  std::string lowered = text;
  for (char& c : lowered) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  EXPECT_EQ(model->Punctuate(text).punctuation_ids, Offline().Punctuate(lowered).punctuation_ids);
}

TEST(PunctuationApi, Int8ModelAgreesMostly) {
  // int8 linear layers are not bit-exact; decisions with small margins may flip.
  PunctuationOptions o = TestOptions();
  o.quantize_int8 = true;
  const auto model =
      PunctuationModel::Load(funasr_test::RequireData("reference/models/ct-punc-tiny"), o);
  size_t same = 0, total = 0;
  for (const char* name : kOfflineCases) {
    const json g = LoadJson(std::string("reference/ct-punc-tiny/") + name + "/result.json");
    const std::vector<int> want = FlattenIds(g["result"]["punc_array"]);
    const PunctuationResult r = model->Punctuate(g["input"].get<std::string>());
    ASSERT_EQ(r.punctuation_ids.size(), want.size()) << name;
    for (size_t i = 0; i < want.size(); ++i) same += r.punctuation_ids[i] == want[i];
    total += want.size();
  }
  std::printf("int8: %zu of %zu punctuation decisions equal FunASR's f32 ones\n", same, total);
  EXPECT_GE(same * 10, total * 9);
}

TEST(PunctuationApi, InvalidUtf8IsAClearError) {
  for (const std::string bad : {std::string("你好\xff"), std::string("ab\xe4\xbd"),
                                std::string("\xc0\xaf")}) {
    try {
      Offline().Punctuate(bad);
      ADD_FAILURE() << "no error";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
      EXPECT_NE(std::string(e.what()).find("UTF-8"), std::string::npos) << e.what();
    }
    auto stream = Realtime().CreateStream();
    stream->Punctuate("跨境河流");
    const std::vector<std::string> cached = stream->pending_words();
    EXPECT_THROW(stream->Punctuate(bad), Error);
    EXPECT_EQ(stream->pending_words(), cached);  // a failed call leaves the stream as it was
  }
}

TEST(PunctuationApi, WrongModelKind) {
  try {
    PunctuationModel::Load(funasr_test::RequireData("reference/models/paraformer-tiny"));
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kUnsupported);
    EXPECT_NE(std::string(e.what()).find("Paraformer"), std::string::npos) << e.what();
  }
  try {
    Offline().CreateStream();
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(std::string(e.what()).find("realtime"), std::string::npos) << e.what();
  }
  EXPECT_THROW(PunctuationModel::Load("/nonexistent/ct-punc"), Error);
  PunctuationOptions bad;
  bad.split_size = 1;
  EXPECT_THROW(PunctuationModel::Load(funasr_test::RequireData("reference/models/ct-punc-tiny"),
                                      bad),
               Error);
}

TEST(PunctuationApi, JiebaWordModelsAreRejected) {
  // A model directory whose jieba_usr_dict FunASR would use (word-level segmentation) is
  // refused rather than silently split per character.
  namespace fs = std::filesystem;
  const fs::path src = funasr_test::RequireData("reference/models/ct-punc-tiny");
  const fs::path dir = funasr_test::TempDir("punc_jieba");
  for (const char* f : {"config.yaml", "model.pt", "tokens.json"}) fs::copy_file(src / f, dir / f);
  std::ofstream(dir / "jieba_usr_dict") << "跨境河流\n";
  try {
    PunctuationModel::Load(dir.string(), TestOptions());
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kUnsupported);
    EXPECT_NE(std::string(e.what()).find("jieba"), std::string::npos) << e.what();
  }
  // With a configuration.json that does not list it, FunASR ignores the dictionary.
  fs::copy_file(src / "configuration.json", dir / "configuration.json");
  EXPECT_EQ(PunctuationModel::Load(dir.string(), TestOptions())->Punctuate("今天天气很好").text,
            Offline().Punctuate("今天天气很好").text);
}

TEST(PunctuationApi, VeryLongTextStaysLinear) {
  // 100,000 characters without any predicted sentence end would make FunASR carry the whole
  // text; the window bound keeps every window small. Checks that it completes, every word is
  // punctuated once and the text is preserved.
  std::string text;
  const std::string pieces[] = {"跨境河流是养育沿岸人民的生命之源", "hello world ", "龘靐"};
  size_t chars = 0;
  for (size_t i = 0; chars < 100000; ++i) {
    const std::string& p = pieces[i % 3];
    text += p;
    chars += i % 3 == 0 ? 16 : (i % 3 == 1 ? 12 : 2);
  }
  const PunctuationResult r = Offline().Punctuate(text);
  EXPECT_EQ(r.punctuation_ids.size(), r.words.size());
  EXPECT_GT(r.words.size(), 60000u);
  EXPECT_GT(r.text.size(), text.size() / 2);

  // A long stream: the cached words stay bounded by max_window_tokens.
  auto stream = Realtime().CreateStream();
  size_t emitted = 0;
  for (int i = 0; i < 150; ++i) {
    emitted += stream->Punctuate(pieces[i % 3] + pieces[(i + 1) % 3]).text.size();
    EXPECT_LE(stream->pending_words().size(), 1000u);
  }
  EXPECT_GT(emitted, 0u);
}

TEST(PunctuationApi, OneModelManyThreads) {
  std::vector<std::string> inputs, expected;
  for (const char* name : kOfflineCases) {
    const json g = LoadJson(std::string("reference/ct-punc-tiny/") + name + "/result.json");
    inputs.push_back(g["input"].get<std::string>());
    expected.push_back(g["result"]["text"].get<std::string>());
  }
  const json steps = LoadJson("reference/ct-punc-realtime-tiny/chunks_sequence/steps.json");
  std::vector<std::thread> threads;
  std::vector<int> failures(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int rep = 0; rep < 5; ++rep) {
        for (size_t i = 0; i < inputs.size(); ++i) {
          const size_t k = (i + t) % inputs.size();
          if (Offline().Punctuate(inputs[k]).text != expected[k]) ++failures[t];
        }
        auto stream = Realtime().CreateStream();
        for (const json& step : steps)
          if (stream->Punctuate(step["input"].get<std::string>()).text !=
              step["result"]["text"].get<std::string>())
            ++failures[t];
      }
    });
  }
  for (std::thread& th : threads) th.join();
  for (int t = 0; t < 4; ++t) EXPECT_EQ(failures[t], 0) << "thread " << t;
}

}  // namespace
}  // namespace funasr
