// Parity of the offline frontend (fbank -> LFR -> CMVN) with FunASR's golden features
// (reference/README.md §5.1) for every reference wav.
#include <gtest/gtest.h>

#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "common/test_data.h"
#include "funasr/audio.h"
#include "frontend/cmvn.h"
#include "frontend/lfr.h"
#include "frontend/wav_frontend.h"
#include "io/model_files.h"

namespace funasr {
namespace {

using funasr_test::FindData;
using funasr_test::LoadNpy;
using funasr_test::MaxAbsDiff;



// The frontend a released model directory describes: frontend_conf of config.yaml + am.mvn.
std::optional<frontend::WavFrontend> FrontendOf(const std::string& model) {
  const std::string dir = FindData("reference/models/" + model);
  if (dir.empty()) return std::nullopt;
  auto files = io::ModelFiles::Open(dir);
  const auto opts = frontend::WavFrontendOptions::FromConfig(
      io::ConfigReader(files->config(), files->config_path()).Section("frontend_conf"));
  return frontend::WavFrontend(opts, files->cmvn());
}

void ExpectMatches(const Tensor& got, const std::string& golden_rel, const std::string& what,
                   float tol = 1e-3f) {
  const std::string path = FindData(golden_rel);
  if (path.empty()) GTEST_SKIP() << "golden file not present: " << golden_rel;
  auto golden = LoadNpy(path);
  ASSERT_EQ(golden.shape, got.shape()) << what;
  const float* g = golden.f32.data();
  const float* o = got.data<float>();
  size_t worst = 0;
  for (size_t i = 0; i < golden.f32.size(); ++i)
    if (std::fabs(o[i] - g[i]) > std::fabs(o[worst] - g[worst])) worst = i;
  const float err = golden.f32.empty() ? 0.f : std::fabs(o[worst] - g[worst]);
  const int64_t cols = got.dim(1);
  std::printf("  %-36s shape %-11s max abs err %.3g (at [%lld, %lld], golden %.4f)\n",
              what.c_str(), ShapeToString(got.shape()).c_str(), err,
              static_cast<long long>(cols ? worst / cols : 0),
              static_cast<long long>(cols ? worst % cols : 0), golden.f32.empty() ? 0.f : g[worst]);
  EXPECT_LE(err, tol) << what;
}

class FrontendParity : public ::testing::TestWithParam<std::string> {};

TEST_P(FrontendParity, FbankLfrCmvnMatchFunasr) {
  const std::string wav = GetParam();
  const std::string wav_path = FindData("reference/wavs/" + wav + ".wav");
  if (wav_path.empty()) GTEST_SKIP() << "wav not present: " << wav;
  const auto asr = FrontendOf("paraformer-tiny");
  if (!asr) GTEST_SKIP() << "models/paraformer-tiny not present";
  const std::vector<float> samples = LoadAudio(wav_path);
  const std::string dir = "reference/frontend/" + wav + "/";

  ASSERT_EQ(asr->lfr().lfr_m, 7);
  ASSERT_EQ(asr->lfr().lfr_n, 6);
  ASSERT_EQ(asr->output_dim(), 560);
  const Tensor fbank = asr->ComputeFbank(samples.data(), static_cast<int64_t>(samples.size()));
  ExpectMatches(fbank, dir + "fbank.npy", wav + " fbank");

  // LFR from our fbank, and from the golden fbank (isolates LFR: must be exact).
  const Tensor lfr = frontend::ApplyLfr(fbank, asr->lfr());
  ExpectMatches(lfr, dir + "lfr7_6.npy", wav + " lfr7_6");
  const std::string golden_fbank_path = FindData(dir + "fbank.npy");
  if (!golden_fbank_path.empty() && !FindData(dir + "lfr7_6.npy").empty()) {
    auto g = LoadNpy(golden_fbank_path);
    Tensor gt = Tensor::FromVector(g.shape, g.f32);
    ExpectMatches(frontend::ApplyLfr(gt, asr->lfr()), dir + "lfr7_6.npy",
                  wav + " lfr7_6 (from golden fbank)", 0.f);
  }
  ExpectMatches(asr->Compute(samples), dir + "lfr7_6_cmvn.npy", wav + " lfr7_6_cmvn");

  const auto vad = FrontendOf("fsmn-vad");
  if (vad && !FindData(dir + "lfr5_1_cmvn_vad.npy").empty()) {
    ASSERT_EQ(vad->output_dim(), 400);
    ExpectMatches(vad->Compute(samples), dir + "lfr5_1_cmvn_vad.npy", wav + " lfr5_1_cmvn_vad");
  }
}

INSTANTIATE_TEST_SUITE_P(Wavs, FrontendParity,
                         ::testing::Values("zh_3s", "en_3s", "mix_20s", "noisy_20s",
                                           "short_0p6s", "asr_example_zh"));

}  // namespace
}  // namespace funasr
