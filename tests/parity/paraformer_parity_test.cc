// Paraformer and BiCif-Paraformer vs FunASR's golden intermediates (reference/README.md
// §5.2) on every golden case, fed with the golden features (independent of the frontend),
// and end to end from the wav through the frontend.
#include <gtest/gtest.h>

#include "frontend/wav_frontend.h"
#include "parity/paraformer_golden.h"

namespace {

using namespace paraformer_test;
using funasr::models::ParaformerModel;

const ParaformerModel* Paraformer() {
  static std::shared_ptr<const ParaformerModel> m = LoadModel("paraformer-tiny");
  return m.get();
}
const ParaformerModel* BiCif() {
  static std::shared_ptr<const ParaformerModel> m = LoadModel("bicif-paraformer-tiny");
  return m.get();
}

class ParaformerGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(ParaformerGolden, MatchesFunAsr) {
  ASSERT_NE(Paraformer(), nullptr) << "reference/models/paraformer-tiny not found";
  EXPECT_EQ(Paraformer()->kind(), funasr::models::ParaformerKind::kParaformer);
  CheckCase(*Paraformer(), "paraformer-tiny", GetParam(), /*bicif=*/false);
}

TEST_P(ParaformerGolden, BiCifMatchesFunAsr) {
  ASSERT_NE(BiCif(), nullptr) << "reference/models/bicif-paraformer-tiny not found";
  EXPECT_EQ(BiCif()->kind(), funasr::models::ParaformerKind::kBiCif);
  CheckCase(*BiCif(), "bicif-paraformer-tiny", GetParam(), /*bicif=*/true);
}

// Waveform -> frontend -> model gives FunASR's token ids.
TEST_P(ParaformerGolden, EndToEndFromWav) {
  const std::string wav = FindData("reference/wavs/" + GetParam() + ".wav");
  ASSERT_FALSE(wav.empty());
  const std::vector<float> samples = ReadWav16(wav);
  for (const auto& [model, name] :
       {std::pair{Paraformer(), "paraformer-tiny"}, std::pair{BiCif(), "bicif-paraformer-tiny"}}) {
    ASSERT_NE(model, nullptr);
    const funasr::io::ModelFiles& files = model->files();
    const funasr::io::ConfigReader conf =
        funasr::io::ConfigReader(files.config(), files.config_path()).Section("frontend_conf");
    funasr::frontend::WavFrontendOptions fo;
    fo.n_mels = static_cast<int>(conf.GetInt("n_mels", 80));
    fo.lfr_m = static_cast<int>(conf.GetInt("lfr_m", 1));
    fo.lfr_n = static_cast<int>(conf.GetInt("lfr_n", 1));
    fo.window = conf.GetString("window", "hamming");
    const funasr::frontend::WavFrontend frontend(fo, files.cmvn());
    const funasr::Tensor feats = frontend.Compute(samples);
    funasr::models::ParaformerState state;
    const auto out = model->RunOne(feats.data<float>(), feats.dim(0), state);
    const std::string dir = std::string("reference/") + name + "/" + GetParam() + "/";
    const nlohmann::json ids = LoadJson(FindData(dir + "token_ids.json"));
    EXPECT_EQ(out.token_ids, ids["token_ids"].get<std::vector<int64_t>>()) << name;
    if (model->has_timestamps()) {
      const NpyArray us = LoadNpy(FindData(dir + "us_peaks.npy"));
      ASSERT_EQ(static_cast<int64_t>(out.us_peaks.size()), us.numel());
      ReportMaxErr(std::string(name) + " us_peaks (from wav)", out.us_peaks.data(), us.f32.data(),
                   out.us_peaks.size());
      // The fires (what timestamps are made of) must be at the same frames.
      for (size_t i = 0; i < out.us_peaks.size(); ++i) {
        EXPECT_EQ(out.us_peaks[i] >= 0.9999f, us.f32[i] >= 0.9999f) << name << " frame " << i;
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, ParaformerGolden, ::testing::ValuesIn(Cases()),
                         [](const auto& info) { return info.param; });

// A loaded model keeps only the metadata of its files: once the caller lets go of the
// ModelFiles, the source tensors (model.pt read into memory) are freed; every Linear runs
// on its own packed (fp32) or int8 copy.
TEST(ParaformerLoad, KeepsNoReferenceToTheFiles) {
  const std::string dir = FindData("reference/models/bicif-paraformer-tiny");
  ASSERT_FALSE(dir.empty());
  for (const bool int8 : {false, true}) {
    auto files = funasr::io::ModelFiles::Open(dir);
    const std::weak_ptr<const funasr::io::ModelFiles> weak = files;
    funasr::models::ParaformerLoadOptions o;
    o.quantize_int8 = int8;
    auto model = ParaformerModel::Load(files, o);
    EXPECT_EQ(model->files().tokens(), files->tokens());
    EXPECT_EQ(model->files().config_path(), files->config_path());
    files.reset();
    EXPECT_TRUE(weak.expired()) << "int8 " << int8;
    EXPECT_TRUE(model->files().TensorNames().empty());
  }
}

TEST(ParaformerLoad, RejectsOtherModelKinds) {
  const std::string vad = FindData("reference/models/fsmn-vad");
  ASSERT_FALSE(vad.empty());
  try {
    ParaformerModel::Load(funasr::io::ModelFiles::Open(vad));
    FAIL() << "a VAD model loaded as Paraformer";
  } catch (const funasr::Error& e) {
    EXPECT_EQ(e.code(), funasr::ErrorCode::kUnsupported);
    EXPECT_NE(std::string(e.what()).find("FsmnVADStreaming"), std::string::npos) << e.what();
  }
  const std::string seaco = FindData("reference/models/seaco-paraformer-tiny");
  ASSERT_FALSE(seaco.empty());
  EXPECT_THROW(ParaformerModel::Load(funasr::io::ModelFiles::Open(seaco)), funasr::Error);
}

TEST(ParaformerLoad, EmptyAndTinyInputs) {
  ASSERT_NE(BiCif(), nullptr);
  funasr::models::ParaformerState state;
  for (int64_t frames : {0, 1, 2}) {
    std::vector<float> feats(static_cast<size_t>(frames * 560), 0.5f);
    const auto out = BiCif()->RunOne(feats.data(), frames, state);
    EXPECT_EQ(out.num_frames, frames);
    EXPECT_EQ(static_cast<int64_t>(out.argmax_ids.size()), out.token_num);
  }
}

}  // namespace
