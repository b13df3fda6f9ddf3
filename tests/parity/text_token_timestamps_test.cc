// PredictTokenTimestamps vs FunASR's ts_prediction_lfr6_standard on every BiCif/SeACo golden
// case (us_alphas/us_peaks + tokens -> per-token ms and the "<tok> <s> <e>;" string incl. <sil>).
#include <gtest/gtest.h>

#include <cmath>

#include "funasr/error.h"
#include "parity/text_test_util.h"
#include "text/token_timestamps.h"

namespace funasr::text {
namespace {

using funasr_test::FindData;
using funasr_test::LoadJson;

TEST(TokenTimestamps, AllGoldenCases) {
  int cases = 0;
  int64_t max_ms_error = 0;
  for (const std::string model : {"bicif-paraformer-tiny", "seaco-paraformer-tiny"}) {
    for (const auto& c : funasr_test::ListCaseDirs("reference/" + model)) {
      const std::string dir = "reference/" + model + "/" + c + "/";
      const std::string raw_path = FindData(dir + "timestamp_raw.json");
      const std::string alphas_path = FindData(dir + "us_alphas.npy");
      if (raw_path.empty() || alphas_path.empty()) continue;
      SCOPED_TRACE(model + "/" + c);
      const auto alphas = funasr_test::LoadNpy(alphas_path);
      const auto peaks = funasr_test::LoadNpy(FindData(dir + "us_peaks.npy"));
      ASSERT_EQ(alphas.f32.size(), peaks.f32.size());
      const auto tokens =
          LoadJson(FindData(dir + "token_ids.json"))["tokens"].get<std::vector<std::string>>();
      const auto raw = LoadJson(raw_path);
      TokenTimestampOptions opt;
      opt.vad_offset_ms = raw["call"]["kw"]["vad_offset"].get<double>();
      const TokenTimestamps got = PredictTokenTimestamps(alphas.f32.data(), peaks.f32.data(),
                                                         alphas.f32.size(), tokens, opt);
      const auto expected = funasr_test::ToSpans(raw["timestamp_ms"]);
      EXPECT_EQ(got.token_spans, expected) << "got " << funasr_test::SpansToString(got.token_spans)
                                           << "\nwant " << funasr_test::SpansToString(expected);
      EXPECT_EQ(FormatTimestampEntries(got.entries), raw["char_timestamp_str"].get<std::string>());
      if (got.token_spans.size() == expected.size()) {
        for (size_t i = 0; i < expected.size(); ++i) {
          max_ms_error = std::max<int64_t>(max_ms_error,
                                           std::abs(got.token_spans[i].start - expected[i].start));
          max_ms_error =
              std::max<int64_t>(max_ms_error, std::abs(got.token_spans[i].end - expected[i].end));
        }
      }
      ++cases;
    }
  }
  std::printf("token timestamps: %d golden cases, max |error| %lld ms\n", cases,
              static_cast<long long>(max_ms_error));
  EXPECT_GE(cases, 5);
}

// Peaks with exactly tokens + 1 fires: no rescaling; hand-computed from spec §6.
TEST(TokenTimestamps, NoRescaleSilenceSplitAndOffset) {
  // 40 upsampled frames; fires at frames 8, 12, 30 (-> 6.5, 10.5, 28.5 after the -1.5 shift).
  std::vector<float> alphas(40, 0.1f), peaks(40, 0.2f);
  for (int t : {8, 12, 30}) peaks[t] = 1.0f;
  const std::vector<std::string> tokens = {"你", "好"};
  TokenTimestamps got = PredictTokenTimestamps(alphas.data(), peaks.data(), 40, tokens);
  // leading <sil> [0, 6.5*0.02]; 你 [6.5, 10.5]; 好 [10.5, 22.5] + <sil> [22.5, 28.5]
  // (gap 18 > 12); tail 40 - 28.5 = 11.5 > 5: last entry (the <sil>) ends at (40+28.5)/2.
  EXPECT_EQ(got.token_spans, (std::vector<TimeSpanMs>{{130, 210}, {210, 450}}));
  EXPECT_EQ(FormatTimestampEntries(got.entries),
            "<sil> 0.000 0.130;你 0.130 0.210;好 0.210 0.450;<sil> 0.450 0.685;<sil> 0.685 0.800;");
  TokenTimestampOptions opt;
  opt.vad_offset_ms = 1230;
  got = PredictTokenTimestamps(alphas.data(), peaks.data(), 40, tokens, opt);
  // (6.5*0.02 + 1.23)*1000 = 1359.9999999999998 truncates to 1359 (Python int()).
  EXPECT_EQ(got.token_spans, (std::vector<TimeSpanMs>{{1359, 1440}, {1440, 1680}}));
}

TEST(TokenTimestamps, FirstFrameFireGivesNegativeStart) {
  std::vector<float> alphas(10, 0.1f), peaks(10, 0.0f);
  peaks[0] = 1.0f;
  peaks[6] = 1.0f;
  const TokenTimestamps got = PredictTokenTimestamps(alphas.data(), peaks.data(), 10, {"a"});
  // start (0-1.5)*0.02 = -0.03 -> int(-30.000000000000004) = -30; tail 10-4.5 = 5.5 > 5.
  ASSERT_EQ(got.token_spans.size(), 1u);
  EXPECT_EQ(got.token_spans[0].start, -30);
  EXPECT_EQ(got.token_spans[0].end, 145);
}

TEST(TokenTimestamps, DegenerateInputsDoNotCrash) {
  std::vector<float> zeros(12, 0.0f);
  // All alphas zero: no fire even after rescaling (Python raises IndexError).
  const std::vector<std::string> tokens = {"a", "b"};
  const TokenTimestamps none = PredictTokenTimestamps(zeros.data(), zeros.data(), 12, tokens);
  EXPECT_EQ(none.token_spans.size(), 2u);
  // Many fires, few tokens: surplus fires are ignored.
  std::vector<float> ones(12, 1.0f);
  const TokenTimestamps many = PredictTokenTimestamps(ones.data(), ones.data(), 12, tokens);
  EXPECT_EQ(many.token_spans.size(), 2u);
  EXPECT_TRUE(PredictTokenTimestamps(ones.data(), ones.data(), 12, {}).token_spans.empty());
  EXPECT_TRUE(PredictTokenTimestamps(nullptr, nullptr, 0, tokens).token_spans.size() == 2u);
  std::vector<float> bad = ones;
  bad[3] = std::nanf("");
  EXPECT_THROW(PredictTokenTimestamps(bad.data(), ones.data(), 12, tokens), Error);
}

}  // namespace
}  // namespace funasr::text
