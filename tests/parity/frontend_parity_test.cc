// Parity of the offline frontend (fbank -> LFR -> CMVN) with FunASR's golden features
// (reference/README.md §5.1) for every reference wav.
#include <gtest/gtest.h>
#include <sndfile.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "common/test_data.h"
#include "frontend/cmvn.h"
#include "frontend/lfr.h"
#include "frontend/wav_frontend.h"

namespace funasr {
namespace {

using funasr_test::FindData;
using funasr_test::LoadNpy;
using funasr_test::MaxAbsDiff;

// FunASR reads 16-bit wavs with torchaudio.load: float = int16 / 32768.
std::vector<float> ReadWav16(const std::string& path) {
  SF_INFO info{};
  SNDFILE* f = sf_open(path.c_str(), SFM_READ, &info);
  EXPECT_NE(f, nullptr) << path;
  if (!f) return {};
  EXPECT_EQ(info.channels, 1);
  EXPECT_EQ(info.samplerate, 16000);
  std::vector<short> pcm(static_cast<size_t>(info.frames));
  sf_read_short(f, pcm.data(), info.frames);
  sf_close(f);
  std::vector<float> out(pcm.size());
  for (size_t i = 0; i < pcm.size(); ++i) out[i] = pcm[i] / 32768.f;
  return out;
}

// Minimal am.mvn reader for this test (the io module owns the real parser): the line after
// <AddShift> / <Rescale> is "<LearnRateCoef> 0 [ v0 ... vD-1 ]".
io::Cmvn ReadAmMvn(const std::string& path) {
  std::ifstream in(path);
  io::Cmvn cmvn;
  std::string line;
  std::vector<float>* target = nullptr;
  while (std::getline(in, line)) {
    std::istringstream ss(line);
    std::string tok;
    ss >> tok;
    if (target && tok == "<LearnRateCoef>") {
      std::vector<std::string> toks;
      while (ss >> tok) toks.push_back(tok);
      for (size_t i = 2; i + 1 < toks.size(); ++i) target->push_back(std::stof(toks[i]));
    }
    target = tok == "<AddShift>" ? &cmvn.shift : tok == "<Rescale>" ? &cmvn.scale : nullptr;
  }
  return cmvn;
}

frontend::WavFrontendOptions ParaformerOptions() {
  frontend::WavFrontendOptions o;
  o.lfr_m = 7;
  o.lfr_n = 6;
  return o;
}

frontend::WavFrontendOptions VadOptions() {
  frontend::WavFrontendOptions o;
  o.lfr_m = 5;
  o.lfr_n = 1;
  return o;
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
  const std::string mvn_path = FindData("reference/models/paraformer-tiny/am.mvn");
  if (mvn_path.empty()) GTEST_SKIP() << "paraformer-tiny/am.mvn not present";
  const std::vector<float> samples = ReadWav16(wav_path);
  const std::string dir = "reference/frontend/" + wav + "/";

  const frontend::WavFrontend asr(ParaformerOptions(), ReadAmMvn(mvn_path));
  const Tensor fbank = asr.ComputeFbank(samples.data(), static_cast<int64_t>(samples.size()));
  ExpectMatches(fbank, dir + "fbank.npy", wav + " fbank");

  // LFR from our fbank, and from the golden fbank (isolates LFR: must be exact).
  const Tensor lfr = frontend::ApplyLfr(fbank, asr.lfr());
  ExpectMatches(lfr, dir + "lfr7_6.npy", wav + " lfr7_6");
  const std::string golden_fbank_path = FindData(dir + "fbank.npy");
  if (!golden_fbank_path.empty() && !FindData(dir + "lfr7_6.npy").empty()) {
    auto g = LoadNpy(golden_fbank_path);
    Tensor gt = Tensor::FromVector(g.shape, g.f32);
    ExpectMatches(frontend::ApplyLfr(gt, asr.lfr()), dir + "lfr7_6.npy",
                  wav + " lfr7_6 (from golden fbank)", 0.f);
  }
  ExpectMatches(asr.Compute(samples), dir + "lfr7_6_cmvn.npy", wav + " lfr7_6_cmvn");

  const std::string vad_mvn = FindData("reference/models/fsmn-vad/am.mvn");
  if (!vad_mvn.empty() && !FindData(dir + "lfr5_1_cmvn_vad.npy").empty()) {
    const frontend::WavFrontend vad(VadOptions(), ReadAmMvn(vad_mvn));
    ExpectMatches(vad.Compute(samples), dir + "lfr5_1_cmvn_vad.npy", wav + " lfr5_1_cmvn_vad");
  }
}

INSTANTIATE_TEST_SUITE_P(Wavs, FrontendParity,
                         ::testing::Values("zh_3s", "en_3s", "mix_20s", "noisy_20s",
                                           "short_0p6s", "asr_example_zh"));

}  // namespace
}  // namespace funasr
