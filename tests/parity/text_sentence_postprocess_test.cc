// SentencePostprocess vs FunASR's sentence_postprocess: every ASR golden case (tokens ->
// text/words[/timestamps] and the AutoModel result) and the synthetic edge cases produced by
// FunASR's own function (tests/data/text/python_cases.json, scripts/gen_text_fixtures.py).
#include <gtest/gtest.h>

#include "funasr/error.h"
#include "parity/text_test_util.h"
#include "text/sentence_postprocess.h"

namespace funasr::text {
namespace {

using funasr_test::FindData;
using funasr_test::LoadJson;
using funasr_test::ToSpans;

bool HasTimestamps(const std::string& model) {
  return model == "bicif-paraformer-tiny" || model == "seaco-paraformer-tiny";
}

TEST(SentencePostprocess, AllAsrGoldenCases) {
  int cases = 0;
  for (const auto& model : funasr_test::AsrModelDirs()) {
    for (const auto& c : funasr_test::ListCaseDirs("reference/" + model)) {
      const std::string dir = "reference/" + model + "/" + c + "/";
      const std::string tok_path = FindData(dir + "token_ids.json");
      const std::string sp_path = FindData(dir + "sentence_postprocess.json");
      if (tok_path.empty() || sp_path.empty()) continue;
      SCOPED_TRACE(model + "/" + c);
      const auto tokens = LoadJson(tok_path)["tokens"].get<std::vector<std::string>>();
      const auto expected = LoadJson(sp_path)["output"];
      const std::string result_path = FindData(dir + "result.json");
      if (HasTimestamps(model)) {
        const auto ts = ToSpans(LoadJson(FindData(dir + "timestamp_raw.json"))["timestamp_ms"]);
        const PostprocessedText got = SentencePostprocess(tokens, ts);
        EXPECT_EQ(got.text, expected[0].get<std::string>());
        EXPECT_EQ(got.timestamps, ToSpans(expected[1]));
        EXPECT_EQ(got.words, expected[2].get<std::vector<std::string>>());
        EXPECT_EQ(got.timestamps.size(), got.words.size());
        if (!result_path.empty()) {
          const auto result = LoadJson(result_path)[0];
          EXPECT_EQ(got.text, result["text"].get<std::string>());
          EXPECT_EQ(got.timestamps, ToSpans(result["timestamp"]));
        }
      } else {
        const PostprocessedText got = SentencePostprocess(tokens);
        EXPECT_EQ(got.text, expected[0].get<std::string>());
        EXPECT_EQ(got.words, expected[1].get<std::vector<std::string>>());
        EXPECT_TRUE(got.timestamps.empty());
        if (!result_path.empty())
          EXPECT_EQ(got.text, LoadJson(result_path)[0]["text"].get<std::string>());
      }
      ++cases;
    }
  }
  std::printf("sentence_postprocess: %d golden cases compared exactly\n", cases);
  EXPECT_GE(cases, 13);
}

TEST(SentencePostprocess, PythonSyntheticCases) {
  const std::string path = funasr_test::RequireData("text/python_cases.json");
  ASSERT_FALSE(path.empty());
  int plain = 0, timed = 0, python_errors = 0;
  const auto all = LoadJson(path);
  for (const auto& rec : all["sentence_postprocess"]) {
    const auto tokens = rec["tokens"].get<std::vector<std::string>>();
    std::string trace;
    for (const auto& t : tokens) trace += "[" + t + "]";
    SCOPED_TRACE(trace);
    const auto& p = rec["plain"];
    if (!p.contains("error")) {
      const PostprocessedText got = SentencePostprocess(tokens);
      EXPECT_EQ(got.text, p["text"].get<std::string>());
      EXPECT_EQ(got.words, p["words"].get<std::vector<std::string>>());
      ++plain;
    }
    for (const char* key : {"timestamped", "short_timestamps"}) {
      const auto& t = rec[key];
      const auto ts = ToSpans(t["timestamps"]);
      if (t.contains("error")) {
        // Python raises IndexError; we must return something sane instead of crashing.
        const PostprocessedText got = SentencePostprocess(tokens, ts);
        EXPECT_EQ(got.text,
                  SentencePostprocess(tokens, std::vector<TimeSpanMs>(tokens.size())).text);
        ++python_errors;
        continue;
      }
      const PostprocessedText got = SentencePostprocess(tokens, ts);
      EXPECT_EQ(got.text, t["text"].get<std::string>());
      EXPECT_EQ(got.timestamps, ToSpans(t["out_timestamps"]));
      EXPECT_EQ(got.words, t["words"].get<std::vector<std::string>>());
      ++timed;
    }
  }
  std::printf(
      "sentence_postprocess synthetic: %d plain, %d timestamped cases exact; %d cases where "
      "Python raises (checked for a sane result)\n",
      plain, timed, python_errors);
  EXPECT_GT(plain, 250);
  EXPECT_GT(timed, 300);
}

TEST(SentencePostprocess, SpecExamples) {
  const std::vector<std::string> tokens = {"你", "好", "hel@@", "lo", "wor@@", "ld", "世", "界"};
  EXPECT_EQ(SentencePostprocess(tokens).text, "你好hello world世界");
  const std::vector<TimeSpanMs> ts = {{0, 10},  {10, 20}, {20, 30}, {30, 40},
                                      {40, 50}, {50, 60}, {60, 70}, {70, 80}};
  const PostprocessedText timed = SentencePostprocess(tokens, ts);
  EXPECT_EQ(timed.text, "你 好 hello world 世 界");
  EXPECT_EQ(timed.timestamps,
            (std::vector<TimeSpanMs>{{0, 10}, {10, 20}, {20, 40}, {40, 60}, {60, 70}, {70, 80}}));
  EXPECT_EQ(SentencePostprocess({"a", "b", "c", "好"}).text, "ABC好");
  EXPECT_EQ(SentencePostprocess({}).text, "");
  EXPECT_EQ(SentencePostprocess({"<unk>", "</s>"}, {{0, 1}, {1, 2}}).text, "");
}

}  // namespace
}  // namespace funasr::text
