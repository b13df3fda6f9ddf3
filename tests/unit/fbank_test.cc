// Unit tests of the fbank building blocks: FFT, mel filters, windows, frame geometry, LFR,
// CMVN, and the WavFrontend edge cases the golden data do not cover.
#include <gtest/gtest.h>

#include <cfloat>
#include <cmath>
#include <complex>
#include <random>
#include <thread>
#include <vector>

#include "frontend/cmvn.h"
#include "frontend/fbank.h"
#include "frontend/feature_window.h"
#include "frontend/lfr.h"
#include "frontend/mel_banks.h"
#include "frontend/real_fft.h"
#include "frontend/wav_frontend.h"

namespace funasr::frontend {
namespace {

std::vector<float> RandomWave(int64_t n, uint32_t seed, float amp = 0.3f) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> dist(0.f, amp);
  std::vector<float> w(n);
  for (auto& v : w) v = std::clamp(dist(rng), -1.f, 1.f);
  return w;
}

TEST(RealFft, MatchesNaiveDftForAllSizes) {
  const double kPi = 3.14159265358979323846;
  std::mt19937 rng(1);
  std::uniform_real_distribution<double> u(-1, 1);
  for (int n = 2; n <= 1024; n *= 2) {
    std::vector<double> x(n);
    for (auto& v : x) v = u(rng);
    RealFft fft(n);
    std::vector<std::complex<double>> got(n / 2 + 1);
    fft.Forward(x.data(), got.data());
    double max_err = 0;
    for (int k = 0; k <= n / 2; ++k) {
      std::complex<double> ref = 0;
      for (int j = 0; j < n; ++j) ref += x[j] * std::polar(1.0, -2 * kPi * j * k / n);
      max_err = std::max(max_err, std::abs(ref - got[k]));
    }
    EXPECT_LT(max_err, 1e-10 * n) << "n = " << n;
  }
}

TEST(RealFft, RejectsNonPowerOfTwo) {
  for (int n : {0, 1, 3, 400, -4}) {
    try {
      RealFft fft(n);
      FAIL() << "accepted size " << n;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
    }
  }
}

TEST(MelBanks, KaldiFilterLayoutAt16kHz) {
  MelBanks banks(MelBanksOptions{}, 16000, 512);
  ASSERT_EQ(banks.num_bins(), 80);
  EXPECT_NEAR(MelBanks::MelScale(20), 31.748578, 1e-5);
  EXPECT_NEAR(MelBanks::MelScale(8000), 2840.037711, 1e-5);
  EXPECT_NEAR(MelBanks::InverseMelScale(MelBanks::MelScale(1234.5)), 1234.5, 1e-9);
  // Spec §2.3: bin 0 covers FFT bins 1-2, bin 1 only FFT bin 2, bin 79 FFT bins 240-255.
  EXPECT_EQ(banks.bin(0).first, 1);
  EXPECT_EQ(banks.bin(0).weights.size(), 2u);
  EXPECT_EQ(banks.bin(1).first, 2);
  EXPECT_EQ(banks.bin(1).weights.size(), 1u);
  EXPECT_EQ(banks.bin(79).first, 240);
  EXPECT_EQ(banks.bin(79).weights.size(), 16u);
  for (int b = 0; b < 80; ++b)
    for (double w : banks.bin(b).weights) {
      EXPECT_GT(w, 0.0);
      EXPECT_LE(w, 1.0);
    }
}

TEST(MelBanks, RejectsBadFrequencies) {
  MelBanksOptions o;
  o.low_freq = 9000;
  EXPECT_THROW(MelBanks(o, 16000, 512), Error);
  o = MelBanksOptions{};
  o.high_freq = 9000;
  EXPECT_THROW(MelBanks(o, 16000, 512), Error);
}

TEST(FeatureWindow, GeometryAndWindows) {
  FrameExtractionOptions o;
  EXPECT_EQ(o.WindowSize(), 400);
  EXPECT_EQ(o.WindowShift(), 160);
  EXPECT_EQ(o.PaddedWindowSize(), 512);
  EXPECT_EQ(NumFrames(399, 400, 160), 0);
  EXPECT_EQ(NumFrames(400, 400, 160), 1);
  EXPECT_EQ(NumFrames(559, 400, 160), 1);
  EXPECT_EQ(NumFrames(560, 400, 160), 2);
  EXPECT_EQ(NumFrames(48000, 400, 160), 298);
  const std::vector<double> w = WindowFunction(o, 400);
  EXPECT_NEAR(w[0], 0.08, 1e-12);
  EXPECT_NEAR(w[399], 0.08, 1e-12);
  EXPECT_NEAR(w[200], 0.54 - 0.46 * std::cos(2 * M_PI * 200 / 399), 1e-12);
  o.window_type = "povey";
  EXPECT_NEAR(WindowFunction(o, 400)[100], std::pow(0.5 - 0.5 * std::cos(2 * M_PI * 100 / 399), 0.85),
              1e-12);
  o.window_type = "kaiser";
  EXPECT_THROW(WindowFunction(o, 400), Error);
}

// A direct transcription of spec §2.3 (no FFT tricks, O(n^2) DFT) on one frame.
std::vector<float> ReferenceFrame(const float* s, float scale) {
  const double kPi = 3.14159265358979323846;
  std::vector<double> x(512, 0.0);
  double mean = 0;
  for (int i = 0; i < 400; ++i) mean += s[i] * scale;
  mean /= 400;
  std::vector<double> d(400);
  for (int i = 0; i < 400; ++i) d[i] = s[i] * scale - mean;
  for (int i = 0; i < 400; ++i) {
    const double prev = i == 0 ? d[0] : d[i - 1];
    x[i] = (d[i] - 0.97 * prev) * (0.54 - 0.46 * std::cos(2 * kPi * i / 399));
  }
  std::vector<double> power(257);
  for (int k = 0; k <= 256; ++k) {
    std::complex<double> acc = 0;
    for (int j = 0; j < 512; ++j) acc += x[j] * std::polar(1.0, -2 * kPi * j * k / 512);
    power[k] = std::norm(acc);
  }
  auto mel = [](double f) { return 1127.0 * std::log(1 + f / 700); };
  const double lo = mel(20), hi = mel(8000), delta = (hi - lo) / 81;
  std::vector<float> out(80);
  for (int b = 0; b < 80; ++b) {
    double e = 0;
    for (int k = 0; k < 256; ++k) {
      const double m = mel(31.25 * k);
      const double w = std::max(0.0, std::min((m - lo - b * delta) / delta,
                                              (lo + (b + 2) * delta - m) / delta));
      e += w * power[k];
    }
    out[b] = std::log(std::max(static_cast<float>(e), FLT_EPSILON));
  }
  return out;
}

TEST(Fbank, MatchesDirectTranscriptionOfTheSpec) {
  const std::vector<float> wave = RandomWave(400 + 160 * 4, 7);
  Fbank fbank{FbankOptions{}};
  const std::vector<float> got = fbank.Compute(wave.data(), wave.size(), 32768.f);
  ASSERT_EQ(got.size(), 5u * 80);
  float max_err = 0;
  for (int t = 0; t < 5; ++t) {
    const std::vector<float> ref = ReferenceFrame(wave.data() + 160 * t, 32768.f);
    for (int b = 0; b < 80; ++b) max_err = std::max(max_err, std::fabs(ref[b] - got[t * 80 + b]));
  }
  std::printf("  fbank vs O(n^2) transcription: max abs err %.3g\n", max_err);
  EXPECT_LT(max_err, 1e-5f);
}

TEST(Fbank, SilenceHitsTheEpsilonFloor) {
  const std::vector<float> zeros(1000, 0.f);
  Fbank fbank{FbankOptions{}};
  const std::vector<float> got = fbank.Compute(zeros.data(), zeros.size(), 32768.f);
  ASSERT_EQ(got.size(), 4u * 80);
  for (float v : got) EXPECT_FLOAT_EQ(v, std::log(FLT_EPSILON));  // -15.942385
}

TEST(Fbank, RejectsOptionsItCannotHonour) {
  auto expect_code = [](FbankOptions o, ErrorCode code) {
    try {
      Fbank f(o);
      ADD_FAILURE() << "accepted";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), code) << e.what();
    }
  };
  FbankOptions o;
  o.frame_opts.dither = 1.f;
  expect_code(o, ErrorCode::kUnsupported);
  o = FbankOptions{};
  o.use_energy = true;
  expect_code(o, ErrorCode::kUnsupported);
  o = FbankOptions{};
  o.frame_opts.snip_edges = false;
  expect_code(o, ErrorCode::kUnsupported);
  o = FbankOptions{};
  o.frame_opts.frame_length_ms = 0.05;  // < 2 samples
  expect_code(o, ErrorCode::kInvalidArgument);
  o = FbankOptions{};
  o.frame_opts.window_type = "bogus";
  expect_code(o, ErrorCode::kInvalidArgument);
}

TEST(Lfr, ClosedFormRowsAndPadding) {
  // T = 8 frames of dim 1 with value = index; m = 7, n = 6 -> 2 rows.
  std::vector<float> x(8);
  for (int i = 0; i < 8; ++i) x[i] = static_cast<float>(i);
  Tensor in = Tensor::FromVector({8, 1}, x);
  Tensor out = ApplyLfr(in, LfrOptions{7, 6});
  ASSERT_EQ(out.shape(), (Shape{2, 7}));
  const std::vector<float> row0 = {0, 0, 0, 0, 1, 2, 3};  // 3 copies of frame 0 in front
  const std::vector<float> row1 = {3, 4, 5, 6, 7, 7, 7};  // last frame repeated
  for (int j = 0; j < 7; ++j) {
    EXPECT_EQ(out.data<float>()[j], row0[j]);
    EXPECT_EQ(out.data<float>()[7 + j], row1[j]);
  }
  // m = 5, n = 1 keeps the frame count; T = 1 repeats the only frame.
  Tensor one = ApplyLfr(Tensor::FromVector({1, 2}, {4.f, 5.f}), LfrOptions{5, 1});
  ASSERT_EQ(one.shape(), (Shape{1, 10}));
  for (int j = 0; j < 5; ++j) EXPECT_EQ(one.data<float>()[2 * j + 1], 5.f);
  EXPECT_EQ(ApplyLfr(Tensor::Zeros(DType::kF32, {0, 80}), LfrOptions{7, 6}).shape(),
            (Shape{0, 560}));
  EXPECT_EQ(LfrOptions({7, 6}).NumOutputFrames(553), 93);
  EXPECT_THROW(ApplyLfr(in, LfrOptions{0, 1}), Error);
}

TEST(Cmvn, AppliesShiftThenScaleAndChecksDims) {
  io::Cmvn cmvn{{1.f, -2.f}, {0.5f, 4.f}};
  Tensor x = Tensor::FromVector({2, 2}, {1.f, 2.f, 3.f, 4.f});
  ApplyCmvn(cmvn, &x);
  EXPECT_EQ(x.data<float>()[0], 1.f);
  EXPECT_EQ(x.data<float>()[1], 0.f);
  EXPECT_EQ(x.data<float>()[2], 2.f);
  EXPECT_EQ(x.data<float>()[3], 8.f);
  Tensor y = Tensor::FromVector({1, 3}, {1.f, 2.f, 3.f});
  try {
    ApplyCmvn(cmvn, &y);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kFormatError);
    EXPECT_NE(std::string(e.what()).find("am.mvn has 2 values"), std::string::npos) << e.what();
  }
}

TEST(WavFrontend, SharedByThreadsGivesIdenticalFeatures) {
  WavFrontendOptions o;
  o.lfr_m = 7;
  o.lfr_n = 6;
  const WavFrontend fe(o, io::Cmvn{std::vector<float>(560, -8.f), std::vector<float>(560, 0.3f)});
  const std::vector<float> wave = RandomWave(16000 * 3, 21);
  const Tensor ref = fe.Compute(wave);
  std::vector<Tensor> results(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int rep = 0; rep < 3; ++rep) results[t] = fe.Compute(wave);
    });
  for (auto& th : threads) th.join();
  for (const Tensor& r : results) {
    ASSERT_EQ(r.shape(), ref.shape());
    for (int64_t i = 0; i < r.numel(); ++i) ASSERT_EQ(r.data<float>()[i], ref.data<float>()[i]);
  }
}

TEST(WavFrontend, RejectsCmvnOfTheWrongModel) {
  WavFrontendOptions o;
  o.lfr_m = 7;
  o.lfr_n = 6;
  io::Cmvn vad_cmvn{std::vector<float>(400, 0.f), std::vector<float>(400, 1.f)};
  EXPECT_THROW(WavFrontend(o, vad_cmvn), Error);
}

TEST(WavFrontend, ShortInputShrinksTheWindowLikeFunasr) {
  WavFrontendOptions o;
  o.lfr_m = 7;
  o.lfr_n = 6;
  const WavFrontend fe(o, std::nullopt);
  const std::vector<float> wave = RandomWave(300, 3);
  // 300 samples = 18.75 ms: one frame with a 300-sample window and a 512-point FFT.
  Tensor fb = fe.ComputeFbank(wave.data(), 300);
  ASSERT_EQ(fb.shape(), (Shape{1, 80}));
  FbankOptions short_opts = o.ToFbankOptions(18.75);
  ASSERT_EQ(short_opts.frame_opts.WindowSize(), 300);
  const std::vector<float> ref = Fbank(short_opts).Compute(wave.data(), 300, 32768.f);
  for (int b = 0; b < 80; ++b) EXPECT_EQ(fb.data<float>()[b], ref[b]);
  // 100 samples: window 100, FFT 128 (some of the 80 filters are empty -> log floor).
  Tensor tiny = fe.ComputeFbank(wave.data(), 100);
  ASSERT_EQ(tiny.shape(), (Shape{1, 80}));
  for (int b = 0; b < 80; ++b) EXPECT_TRUE(std::isfinite(tiny.data<float>()[b]));
  EXPECT_EQ(fe.Compute(wave.data(), 100).shape(), (Shape{1, 560}));
  // Fewer than 2 samples: no frame at all.
  EXPECT_EQ(fe.ComputeFbank(wave.data(), 1).shape(), (Shape{0, 80}));
  EXPECT_EQ(fe.Compute(wave.data(), 0).shape(), (Shape{0, 560}));
  // 400 samples is exactly one normal frame.
  const std::vector<float> w400 = RandomWave(400, 4);
  Tensor one = fe.ComputeFbank(w400.data(), 400);
  const std::vector<float> ref400 = fe.fbank().Compute(w400.data(), 400, 32768.f);
  ASSERT_EQ(one.shape(), (Shape{1, 80}));
  for (int b = 0; b < 80; ++b) EXPECT_EQ(one.data<float>()[b], ref400[b]);
}

}  // namespace
}  // namespace funasr::frontend

namespace funasr::frontend {
namespace {

TEST(WavFrontendOptions, FromConfigReadsFunasrKeys) {
  const YAML::Node conf = YAML::Load(
      "frontend_conf: {fs: 16000, window: hamming, n_mels: 80, frame_length: 25, "
      "frame_shift: 10, lfr_m: 7, lfr_n: 6, dither: 0.0, cmvn_file: am.mvn}");
  const auto o = WavFrontendOptions::FromConfig(io::ConfigReader(conf, "config.yaml").Section("frontend_conf"));
  EXPECT_EQ(o.fs, 16000);
  EXPECT_EQ(o.window, "hamming");
  EXPECT_EQ(o.n_mels, 80);
  EXPECT_EQ(o.frame_length, 25);
  EXPECT_EQ(o.frame_shift, 10);
  EXPECT_EQ(o.lfr_m, 7);
  EXPECT_EQ(o.lfr_n, 6);
  EXPECT_TRUE(o.upsacle_samples);
  // Absent keys take WavFrontend's class defaults (lfr 1/1); dither 1.0 is accepted and
  // not applied.
  const auto d = WavFrontendOptions::FromConfig(
      io::ConfigReader(YAML::Load("{dither: 1.0, upsacle_samples: false}"), "c.yaml"));
  EXPECT_EQ(d.lfr_m, 1);
  EXPECT_EQ(d.lfr_n, 1);
  EXPECT_FALSE(d.upsacle_samples);
  const WavFrontend fe(d, std::nullopt);
  EXPECT_EQ(fe.input_scale(), 1.f);

  for (const char* bad : {"{lfr_m: seven}", "{n_mels: 0}", "{lfr_n: -1}", "{snip_edges: false}",
                          "{frame_shift: 0}", "{dither: [1]}"}) {
    try {
      WavFrontendOptions::FromConfig(io::ConfigReader(YAML::Load(bad), "config.yaml"));
      ADD_FAILURE() << "accepted " << bad;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kFormatError) << bad;
      EXPECT_NE(std::string(e.what()).find("config.yaml"), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace funasr::frontend
