// Streaming frontend: chunked input of any size gives the offline features; FunASR's
// WavFrontendOnline bookkeeping (rows per chunk, aligned waveform, final flush) as the
// streaming FSMN-VAD sees it in the golden data.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "common/test_data.h"
#include "funasr/audio.h"
#include "frontend/online_frontend.h"
#include "frontend/wav_frontend.h"
#include "io/cmvn_file.h"

namespace funasr::frontend {
namespace {

using funasr_test::FindData;


io::Cmvn RandomCmvn(int dim, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(-1, 1);
  io::Cmvn c;
  for (int i = 0; i < dim; ++i) {
    c.shift.push_back(10 * u(rng));
    c.scale.push_back(1 + 0.5f * u(rng));
  }
  return c;
}

WavFrontendOptions Lfr(int m, int n) {
  WavFrontendOptions o;
  o.lfr_m = m;
  o.lfr_n = n;
  return o;
}

std::vector<float> TestWave() {
  const std::string p = FindData("reference/wavs/zh_3s.wav");
  if (!p.empty()) return LoadAudio(p);
  std::mt19937 rng(5);
  std::normal_distribution<float> d(0, 0.1f);
  std::vector<float> w(48000);
  for (auto& v : w) v = d(rng);
  return w;
}

// Streams `wave` in chunks from `sizes` (cycled), the last one final; returns all rows.
std::vector<float> Stream(OnlineWavFrontend* online, const std::vector<float>& wave,
                          const std::vector<int64_t>& sizes, int64_t* rows) {
  std::vector<float> all;
  int64_t pos = 0, expected_first = 0;
  *rows = 0;
  for (size_t c = 0;; ++c) {
    const int64_t n = std::min<int64_t>(sizes[c % sizes.size()], wave.size() - pos);
    const bool final = pos + n == static_cast<int64_t>(wave.size());
    OnlineFeatures f = online->AcceptWaveform(wave.data() + pos, n, final);
    EXPECT_EQ(f.first_frame, expected_first);
    expected_first += f.num_frames();
    all.insert(all.end(), f.features.data<float>(),
               f.features.data<float>() + f.features.numel());
    *rows += f.num_frames();
    pos += n;
    if (final) break;
  }
  return all;
}

void ExpectStreamingEqualsOffline(int m, int n, const std::vector<float>& wave, uint32_t seed) {
  const WavFrontend fe(Lfr(m, n), RandomCmvn(80 * m, seed));
  const Tensor offline = fe.Compute(wave);
  std::mt19937 rng(seed);
  const std::vector<std::vector<int64_t>> plans = {
      {1}, {7}, {159, 1, 400, 3}, {160}, {399}, {400}, {9600}, {1 << 30}};
  for (int trial = 0; trial < 12; ++trial) {
    std::vector<int64_t> sizes;
    if (trial < static_cast<int>(plans.size())) {
      sizes = plans[trial];
    } else {
      // Random mix of tiny, sub-frame and large chunks (including 0-sample calls).
      std::uniform_int_distribution<int> kind(0, 3), tiny(0, 5), sub(1, 399), big(400, 20000);
      for (int i = 0; i < 64; ++i) {
        const int k = kind(rng);
        sizes.push_back(k == 0 ? tiny(rng) : k == 1 ? sub(rng) : big(rng));
      }
      sizes.push_back(1);  // make sure the cycle always advances
    }
    // A whole stream of 1-sample chunks is slow only in the test's own bookkeeping: cap it.
    std::vector<float> w = wave;
    if (sizes.size() == 1 && sizes[0] < 100) w.resize(std::min<size_t>(w.size(), 12345));
    const Tensor ref = w.size() == wave.size() ? offline : fe.Compute(w);
    OnlineWavFrontend online(fe);
    int64_t rows = 0;
    const std::vector<float> got = Stream(&online, w, sizes, &rows);
    ASSERT_EQ(rows, ref.dim(0)) << "m=" << m << " n=" << n << " trial " << trial;
    float max_err = 0;
    for (size_t i = 0; i < got.size(); ++i)
      max_err = std::max(max_err, std::fabs(got[i] - ref.data<float>()[i]));
    EXPECT_EQ(max_err, 0.f) << "m=" << m << " n=" << n << " trial " << trial;
  }
}

TEST(OnlineWavFrontend, AnyChunkingEqualsOfflineParaformer76) {
  ExpectStreamingEqualsOffline(7, 6, TestWave(), 11);
}

TEST(OnlineWavFrontend, AnyChunkingEqualsOfflineVad51) {
  ExpectStreamingEqualsOffline(5, 1, TestWave(), 12);
}

TEST(OnlineWavFrontend, AnyChunkingEqualsOfflineOddLfr) {
  ExpectStreamingEqualsOffline(3, 1, TestWave(), 13);
  ExpectStreamingEqualsOffline(11, 1, TestWave(), 14);
  ExpectStreamingEqualsOffline(7, 3, TestWave(), 15);
  ExpectStreamingEqualsOffline(1, 1, TestWave(), 16);
  ExpectStreamingEqualsOffline(2, 9, TestWave(), 17);  // hop longer than the window
}

TEST(OnlineWavFrontend, EveryLengthAroundFrameBoundaries) {
  // Whole-stream lengths 400..1400 in 3 chunks: rows == offline rows for 7/6 and 5/1.
  const std::vector<float> wave = TestWave();
  for (int m_n : {76, 51}) {
    const WavFrontend fe(Lfr(m_n / 10, m_n % 10), std::nullopt);
    OnlineWavFrontend online(fe);
    for (int64_t len = 400; len <= 1400; len += 7) {
      std::vector<float> w(wave.begin(), wave.begin() + len);
      int64_t rows = 0;
      const std::vector<float> got = Stream(&online, w, {len / 3 + 1}, &rows);
      const Tensor ref = fe.Compute(w);
      ASSERT_EQ(rows, ref.dim(0)) << "len " << len;
      for (size_t i = 0; i < got.size(); ++i) ASSERT_EQ(got[i], ref.data<float>()[i]);
    }
  }
}

TEST(OnlineWavFrontend, ShortStreamGivesNoRowsAndObjectIsReusable) {
  const WavFrontend fe(Lfr(5, 1), std::nullopt);
  OnlineWavFrontend online(fe);
  std::vector<float> w(399, 0.1f);
  EXPECT_EQ(online.AcceptWaveform(w, true).num_frames(), 0);
  EXPECT_EQ(online.AcceptWaveform(nullptr, 0, true).num_frames(), 0);
  // After a final call a new stream starts from sample 0.
  const std::vector<float> wave = TestWave();
  int64_t rows1 = 0, rows2 = 0;
  const std::vector<float> a = Stream(&online, wave, {3000}, &rows1);
  const std::vector<float> b = Stream(&online, wave, {4321}, &rows2);
  EXPECT_EQ(rows1, rows2);
  EXPECT_EQ(a, b);
  EXPECT_EQ(online.num_rows_emitted(), 0);
  EXPECT_EQ(online.num_samples(), 0);
}

TEST(OnlineWavFrontend, FunasrFinalChunkQuirk) {
  // 7/6 on 1360 samples = 7 fbank frames (offline: ceil(7/6) = 2 rows). A first call with
  // 1200 samples (frames 0..5) emits row 0 (frames -3..3 clamped); FunASR's splice cache then
  // holds frames 3..5. The final 160 samples add frame 6: cache 3 + 1 new < 7 rows, so
  // FunASR emits nothing more, while the offline features have row 1.
  const WavFrontend fe(Lfr(7, 6), std::nullopt);
  const std::vector<float> wave = TestWave();
  std::vector<float> w(wave.begin(), wave.begin() + 1460);
  ASSERT_EQ(fe.Compute(w.data(), 1360).dim(0), 2);  // ceil(7 / 6)
  OnlineWavFrontend exact(fe), quirk(fe, OnlineFrontendOptions{false, true});
  EXPECT_EQ(exact.AcceptWaveform(w.data(), 1200, false).num_frames(), 1);
  EXPECT_EQ(exact.AcceptWaveform(w.data() + 1200, 160, true).num_frames(), 1);
  EXPECT_EQ(quirk.AcceptWaveform(w.data(), 1200, false).num_frames(), 1);
  EXPECT_EQ(quirk.AcceptWaveform(w.data() + 1200, 160, true).num_frames(), 0);
  // A final call without new frames flushes in both modes: 1360 samples (7 frames, row 0
  // emitted), then 100 more samples (still 7 frames) with is_final -> row 1.
  EXPECT_EQ(quirk.AcceptWaveform(w.data(), 1360, false).num_frames(), 1);
  EXPECT_EQ(quirk.AcceptWaveform(w.data() + 1360, 100, true).num_frames(), 1);
  // 5/1: only a whole stream of < 3 frames is affected.
  const WavFrontend vad(Lfr(5, 1), std::nullopt);
  OnlineWavFrontend vq(vad, OnlineFrontendOptions{false, true}), ve(vad);
  std::vector<float> two(560, 0.05f);  // 2 frames
  EXPECT_EQ(vq.AcceptWaveform(two, true).num_frames(), 0);
  EXPECT_EQ(ve.AcceptWaveform(two, true).num_frames(), 2);
  std::vector<float> three(720, 0.05f);  // 3 frames
  EXPECT_EQ(vq.AcceptWaveform(three, true).num_frames(), 3);
}


// FunASR's streaming VAD driver (spec §3.7) on 600 ms demo chunks: per call the audio is
// prev_samples + chunk, cut into 60 s strides plus one extra final (maybe empty) chunk
// on the final call; a forward call happens for every chunk that yields rows.
class VadStreamBookkeeping : public ::testing::TestWithParam<std::string> {};

TEST_P(VadStreamBookkeeping, RowsPerChunkFeaturesAndDecibelsMatchFunasr) {
  const std::string wav = GetParam();
  const std::string case_dir = "reference/fsmn-vad/" + wav + "_stream600ms_classic/";
  const std::string wav_path = FindData("reference/wavs/" + wav + ".wav");
  const std::string calls_path = FindData(case_dir + "forward_calls.json");
  const std::string mvn_path = FindData("reference/models/fsmn-vad/am.mvn");
  if (wav_path.empty() || calls_path.empty() || mvn_path.empty())
    GTEST_SKIP() << "golden data not present for " << wav;
  const std::vector<float> wave = LoadAudio(wav_path);
  const WavFrontend fe(Lfr(5, 1), io::LoadCmvn(mvn_path));
  OnlineWavFrontend online(fe, OnlineFrontendOptions{true, true});

  // The demo passes chunk_size = 600 ms, so the driver stride is 9600 samples too.
  const int64_t demo_chunk = 9600, stride = 9600;
  std::vector<float> prev, feats, decibels;
  nlohmann::json calls = nlohmann::json::array();
  for (int64_t pos = 0; pos < static_cast<int64_t>(wave.size()); pos += demo_chunk) {
    const int64_t end = std::min<int64_t>(pos + demo_chunk, wave.size());
    const bool final = end == static_cast<int64_t>(wave.size());
    std::vector<float> audio = prev;
    audio.insert(audio.end(), wave.begin() + pos, wave.begin() + end);
    const int64_t n_chunks = static_cast<int64_t>(audio.size()) / stride + (final ? 1 : 0);
    for (int64_t i = 0; i < n_chunks; ++i) {
      const int64_t b = std::min<int64_t>(i * stride, audio.size());
      const int64_t e = std::min<int64_t>((i + 1) * stride, audio.size());
      const bool last = final && i == n_chunks - 1;
      OnlineFeatures f = online.AcceptWaveform(audio.data() + b, e - b, last);
      if (f.num_frames() == 0) continue;
      calls.push_back({{"is_final", last}, {"n_frames", f.num_frames()}});
      feats.insert(feats.end(), f.features.data<float>(),
                   f.features.data<float>() + f.features.numel());
      // Row t's decibel over its 400 samples [160 t, 160 t + 400).
      EXPECT_EQ(f.waveform_start, f.first_frame * 160);
      EXPECT_EQ(static_cast<int64_t>(f.waveform.size()), (f.num_frames() - 1) * 160 + 400);
      for (int64_t t = 0; t < f.num_frames(); ++t) {
        double sum = 0;
        for (int k = 0; k < 400; ++k) {
          const double x = f.waveform[t * 160 + k];
          EXPECT_EQ(f.waveform[t * 160 + k], wave[(f.first_frame + t) * 160 + k]);
          sum += x * x;
        }
        decibels.push_back(static_cast<float>(10 * std::log10(sum + 1e-6)));
      }
    }
    prev.assign(audio.begin() + (audio.size() / stride) * stride, audio.end());
    if (final) prev.clear();
  }

  const nlohmann::json golden_calls = nlohmann::json::parse(funasr_test::ReadTextFile(calls_path));
  ASSERT_EQ(calls.size(), golden_calls.size());
  for (size_t i = 0; i < calls.size(); ++i) {
    EXPECT_EQ(calls[i]["n_frames"], golden_calls[i]["n_frames"]) << "call " << i;
    EXPECT_EQ(calls[i]["is_final"], golden_calls[i]["is_final"]) << "call " << i;
  }
  const std::string db_path = FindData(case_dir + "decibel.npy");
  if (!db_path.empty()) {
    auto golden = funasr_test::LoadNpy(db_path);
    ASSERT_EQ(golden.f32.size(), decibels.size());
    const float err = funasr_test::MaxAbsDiff(decibels.data(), golden.f32.data(), decibels.size());
    std::printf("  %s decibel (aligned waveform) max abs err %.3g\n", wav.c_str(), err);
    EXPECT_LE(err, 1e-3f);
  }
  const std::string vad_feats = FindData("reference/frontend/" + wav + "/lfr5_1_cmvn_vad.npy");
  if (!vad_feats.empty()) {
    auto golden = funasr_test::LoadNpy(vad_feats);
    ASSERT_EQ(golden.f32.size(), feats.size());
    const float err = funasr_test::MaxAbsDiff(feats.data(), golden.f32.data(), feats.size());
    std::printf("  %s streamed lfr5_1_cmvn_vad max abs err %.3g\n", wav.c_str(), err);
    EXPECT_LE(err, 1e-3f);
  }
}

INSTANTIATE_TEST_SUITE_P(Wavs, VadStreamBookkeeping,
                         ::testing::Values("asr_example_zh", "zh_3s", "short_0p6s", "en_3s",
                                           "mix_20s", "long_70s", "vad_example"));

}  // namespace
}  // namespace funasr::frontend
