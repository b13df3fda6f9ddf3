// DecodeAsrText (ids -> tokens -> timestamps -> sentence_postprocess) vs the AutoModel result
// of every ASR golden case: the whole text side of Paraformer inference, end to end.
#include <gtest/gtest.h>

#include "funasr/error.h"
#include "parity/text_test_util.h"
#include "text/asr_text.h"

namespace funasr::text {
namespace {

using funasr_test::FindData;
using funasr_test::LoadJson;

TEST(AsrText, AllGoldenResults) {
  const TokenList& vocab = funasr_test::RealTokenList();
  int cases = 0;
  for (const auto& model : funasr_test::AsrModelDirs()) {
    for (const auto& c : funasr_test::ListCaseDirs("reference/" + model)) {
      const std::string dir = "reference/" + model + "/" + c + "/";
      const std::string ids_path = FindData(dir + "token_ids.json");
      const std::string result_path = FindData(dir + "result.json");
      if (ids_path.empty() || result_path.empty()) continue;
      SCOPED_TRACE(model + "/" + c);
      const auto ids = LoadJson(ids_path)["token_ids"].get<std::vector<int64_t>>();
      const auto result = LoadJson(result_path)[0];
      const std::string alphas_path = FindData(dir + "us_alphas.npy");
      AsrText got;
      if (!alphas_path.empty()) {
        const auto alphas = funasr_test::LoadNpy(alphas_path);
        const auto peaks = funasr_test::LoadNpy(FindData(dir + "us_peaks.npy"));
        got = DecodeAsrText(vocab, ids, alphas.f32.data(), peaks.f32.data(), alphas.f32.size());
        ASSERT_TRUE(result.contains("timestamp"));
        EXPECT_EQ(got.timestamps, funasr_test::ToSpans(result["timestamp"]));
        EXPECT_EQ(got.timestamps.size(), got.words.size());
      } else {
        got = DecodeAsrText(vocab, ids);
        EXPECT_FALSE(result.contains("timestamp"));
      }
      EXPECT_EQ(got.text, result["text"].get<std::string>());
      ++cases;
    }
  }
  std::printf("ids -> AutoModel text/timestamp: %d golden cases identical\n", cases);
  EXPECT_GE(cases, 20);
}

TEST(AsrText, EmptyAndInvalidIds) {
  const TokenList& vocab = funasr_test::RealTokenList();
  EXPECT_EQ(DecodeAsrText(vocab, {}).text, "");
  const AsrText empty = DecodeAsrText(vocab, {}, nullptr, nullptr, 0);
  EXPECT_TRUE(empty.has_timestamps);
  EXPECT_TRUE(empty.timestamps.empty());
  EXPECT_THROW(DecodeAsrText(vocab, {5, 99999}), Error);
}

}  // namespace
}  // namespace funasr::text
