// FSMN-VAD end to end against FunASR's golden data (reference/README.md §5.3): the real
// released model (fsmn-vad) and a random-weight one (fsmn-vad-random) on the reference
// wavs, offline (FunASR's 60 s chunking) and 600 ms streaming, with the default dynamic
// end-silence schedule and the classic fixed one. Per-frame silence posteriors within 1e-4,
// frame decisions, per-forward thresholds, stream events and segments exactly.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "common/test_data.h"
#include "common/test_wav.h"
#include "models/vad/fsmn_vad_model.h"
#include "models/vad/fsmn_vad_session.h"

namespace funasr::vad {
namespace {

using funasr_test::FindData;
using funasr_test::LoadNpy;
using nlohmann::json;

json LoadJson(const std::string& path) { return json::parse(funasr_test::ReadTextFile(path)); }

std::string Str(const std::vector<VadSegment>& v) {
  std::string s = "[";
  for (const auto& x : v)
    s += "[" + std::to_string(x.start_ms) + "," + std::to_string(x.end_ms) + "]";
  return s + "]";
}

std::vector<VadSegment> ToSegments(const json& j) {
  std::vector<VadSegment> v;
  for (const auto& s : j) v.push_back(VadSegment{s[0].get<int64_t>(), s[1].get<int64_t>()});
  return v;
}

std::shared_ptr<const FsmnVadModel> LoadModel(const std::string& rel) {
  static std::map<std::string, std::shared_ptr<const FsmnVadModel>> cache;
  auto it = cache.find(rel);
  if (it != cache.end()) return it->second;
  const std::string path = FindData(rel);
  if (path.empty()) return nullptr;
  return cache[rel] = FsmnVadModel::Load(path);
}

// --- the network alone, on FunASR's own features ---------------------------------------

struct ScoreCase {
  std::string model, wav, scores;
};

void PrintTo(const ScoreCase& c, std::ostream* os) { *os << c.model << " " << c.wav; }

class FsmnNetworkGolden : public ::testing::TestWithParam<ScoreCase> {};

TEST_P(FsmnNetworkGolden, FullPosteriorsMatch) {
  const ScoreCase& c = GetParam();
  const std::string feats_path = FindData("reference/frontend/" + c.wav + "/lfr5_1_cmvn_vad.npy");
  const std::string scores_path = FindData(c.scores);
  if (feats_path.empty() || scores_path.empty()) GTEST_SKIP() << "golden data not present";
  auto model = LoadModel(c.model);
  ASSERT_TRUE(model);
  auto feats = LoadNpy(feats_path);
  auto want = LoadNpy(scores_path);
  const FsmnEncoder& enc = model->encoder();
  const int64_t t = feats.shape[0];
  const int out_dim = enc.config().output_dim;
  ASSERT_EQ(feats.shape[1], enc.config().input_dim);
  ASSERT_EQ(want.numel(), t * out_dim);

  std::vector<float> whole(static_cast<size_t>(t * out_dim));
  FsmnCache cache = enc.NewCache();
  enc.Forward(feats.f32.data(), t, &cache, whole.data());
  const float err = funasr_test::MaxAbsDiff(whole.data(), want.f32.data(), whole.size());
  std::printf("[fsmn] %s %s: max |posterior error| %.3g over %lld x %d\n", c.model.c_str(),
              c.wav.c_str(), err, static_cast<long long>(t), out_dim);
  EXPECT_LE(err, 1e-4f);

  // Streaming with the memory cache: any chunking gives the same posteriors.
  std::mt19937 rng(7);
  for (int pass = 0; pass < 3; ++pass) {
    std::vector<float> chunked(whole.size());
    FsmnCache c2 = enc.NewCache();
    for (int64_t pos = 0; pos < t;) {
      const int64_t n = std::min<int64_t>(
          t - pos, pass == 0 ? 1 : pass == 1 ? 7 : 1 + static_cast<int64_t>(rng() % 90));
      enc.Forward(feats.f32.data() + pos * enc.config().input_dim, n, &c2,
                  chunked.data() + pos * out_dim);
      pos += n;
    }
    EXPECT_LE(funasr_test::MaxAbsDiff(chunked.data(), whole.data(), whole.size()), 1e-5f)
        << "pass " << pass;
  }
}

INSTANTIATE_TEST_SUITE_P(
    All, FsmnNetworkGolden,
    ::testing::Values(
        ScoreCase{"models/fsmn-vad", "short_0p6s", "reference/fsmn-vad/short_0p6s_offline_dyn/scores_full.npy"},
        ScoreCase{"models/fsmn-vad", "zh_3s", "reference/fsmn-vad/zh_3s_offline_dyn/scores_full.npy"},
        ScoreCase{"models/fsmn-vad", "en_3s", "reference/fsmn-vad/en_3s_offline_dyn/scores_full.npy"},
        ScoreCase{"models/fsmn-vad", "asr_example_zh", "reference/fsmn-vad/asr_example_zh_offline_dyn/scores_full.npy"},
        ScoreCase{"reference/models/fsmn-vad-random", "zh_3s", "reference/fsmn-vad-random/zh_3s_offline_dyn/scores_full.npy"}),
    [](const ::testing::TestParamInfo<ScoreCase>& info) {
      return (info.param.model.find("random") != std::string::npos ? "random_" : "real_") +
             info.param.wav;
    });

// --- the whole VAD on the wavs -----------------------------------------------------------

class FsmnVadGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(FsmnVadGolden, MatchesFunAsr) {
  const std::string name = GetParam();  // e.g. fsmn-vad/zh_3s_offline_dyn
  const std::string dir = "reference/" + name;
  const std::string base = name.substr(name.find('/') + 1);
  const bool random = name.rfind("fsmn-vad-random", 0) == 0;
  const bool streaming = base.find("_stream600ms_") != std::string::npos;
  const bool dynamic = base.find("_dyn") != std::string::npos;
  const std::string wav = base.substr(0, base.find(streaming ? "_stream600ms_" : "_offline_"));
  const std::string wav_path = FindData("reference/wavs/" + wav + ".wav");
  if (wav_path.empty() || FindData(dir + "/segments.json").empty())
    GTEST_SKIP() << "golden data not present: " << name;

  auto model = LoadModel(random ? "reference/models/fsmn-vad-random" : "models/fsmn-vad");
  ASSERT_TRUE(model);
  const std::vector<float> audio = funasr_test::ReadWavInt16(wav_path);
  VadOptions options = dynamic ? VadOptions() : VadOptions::Classic();
  if (streaming) options.chunk_size_ms = 600;
  FsmnVadSession session(model, options, streaming);
  VadTrace trace;
  session.set_trace(&trace);

  std::vector<VadSegment> got;
  if (streaming) {
    json chunks = LoadJson(FindData(dir + "/chunk_events.json"));
    for (const auto& ch : chunks) {
      const size_t a = ch["samples"][0].get<size_t>(), b = ch["samples"][1].get<size_t>();
      ASSERT_LE(b, audio.size());
      auto ev = session.Accept(audio.data() + a, b - a, ch["is_final"].get<bool>());
      EXPECT_EQ(Str(ev), Str(ToSegments(ch["value"]))) << "chunk " << ch["chunk"];
      got.insert(got.end(), ev.begin(), ev.end());
    }
  } else {
    got = session.Accept(audio.data(), audio.size(), true);
    EXPECT_EQ(Str(got), Str(ToSegments(LoadJson(FindData(dir + "/segments.json")))));
  }

  // Per-frame quantities.
  auto scores = LoadNpy(FindData(dir + "/scores_sil.npy"));
  auto decibel = LoadNpy(FindData(dir + "/decibel.npy"));
  auto states = LoadNpy(FindData(dir + "/frame_state.npy"));
  ASSERT_EQ(trace.sil_prob.size(), scores.f32.size());
  ASSERT_EQ(trace.decibel.size(), decibel.f32.size());
  const float score_err =
      funasr_test::MaxAbsDiff(trace.sil_prob.data(), scores.f32.data(), scores.f32.size());
  const float db_err =
      funasr_test::MaxAbsDiff(trace.decibel.data(), decibel.f32.data(), decibel.f32.size());
  EXPECT_LE(score_err, 1e-4f);
  EXPECT_LE(db_err, 1e-3f);
  ASSERT_EQ(trace.frame_state.size(), states.i64.size());
  int state_mismatch = 0;
  for (size_t i = 0; i < states.i64.size(); ++i)
    state_mismatch += trace.frame_state[i] != states.i64[i];
  EXPECT_EQ(state_mismatch, 0);

  json calls = LoadJson(FindData(dir + "/forward_calls.json"));
  ASSERT_EQ(trace.forwards.size(), calls.size());
  for (size_t i = 0; i < calls.size(); ++i) {
    EXPECT_EQ(trace.forwards[i].frames, calls[i]["n_frames"].get<int64_t>()) << "forward " << i;
    EXPECT_EQ(trace.forwards[i].is_final, calls[i]["is_final"].get<bool>()) << "forward " << i;
    EXPECT_EQ(trace.forwards[i].end_silence_ms,
              calls[i]["max_end_sil_frame_cnt_thresh"].get<double>()) << "forward " << i;
    EXPECT_EQ(trace.forwards[i].speech_noise_thres, calls[i]["speech_noise_thres"].get<double>())
        << "forward " << i;
  }
  std::printf("[vad] %-45s frames %5zu  max |p_sil err| %.2e  max |dB err| %.2e  %s\n",
              name.c_str(), scores.f32.size(), score_err, db_err, Str(got).c_str());
}

std::vector<std::string> AllCases() {
  std::vector<std::string> cases;
  for (const char* wav :
       {"zh_3s", "en_3s", "mix_20s", "long_70s", "short_0p6s", "asr_example_zh", "vad_example"})
    for (const char* mode : {"offline", "stream600ms"})
      for (const char* sched : {"dyn", "classic"})
        cases.push_back(std::string("fsmn-vad/") + wav + "_" + mode + "_" + sched);
  for (const char* c : {"zh_3s_offline_dyn", "zh_3s_offline_classic", "mix_20s_offline_dyn",
                        "mix_20s_offline_classic", "mix_20s_stream600ms_dyn",
                        "long_70s_offline_dyn", "long_70s_offline_classic"})
    cases.push_back(std::string("fsmn-vad-random/") + c);
  return cases;
}

INSTANTIATE_TEST_SUITE_P(All, FsmnVadGolden, ::testing::ValuesIn(AllCases()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string s = info.param;
                           for (char& ch : s)
                             if (!isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           return s;
                         });

}  // namespace
}  // namespace funasr::vad
