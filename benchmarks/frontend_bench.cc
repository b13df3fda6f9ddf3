// Frontend speed: Kaldi fbank, the whole WavFrontend (fbank + LFR + CMVN), the streaming
// frontend in VAD-sized chunks, and audio conversion (resampling). Single-threaded.
//
// Each benchmark reports RTF = compute seconds per second of audio (lower is better) and
// the audio throughput in x real time. Run: build/benchmarks/frontend_bench
#include <benchmark/benchmark.h>

#include <cmath>
#include <random>
#include <vector>

#include "frontend/fbank.h"
#include "frontend/online_frontend.h"
#include "frontend/wav_frontend.h"
#include "funasr/audio.h"

namespace {

using funasr::frontend::Fbank;
using funasr::frontend::FbankOptions;
using funasr::frontend::OnlineWavFrontend;
using funasr::frontend::WavFrontend;
using funasr::frontend::WavFrontendOptions;

// Speech-like test signal: noise-modulated harmonics, in [-1, 1).
std::vector<float> Signal(double seconds, int rate = 16000) {
  std::mt19937 rng(42);
  std::normal_distribution<float> noise(0.f, 0.02f);
  std::vector<float> x(static_cast<size_t>(seconds * rate));
  for (size_t n = 0; n < x.size(); ++n) {
    const double t = static_cast<double>(n) / rate;
    const double f0 = 120 + 40 * std::sin(2 * M_PI * 0.7 * t);
    double v = 0;
    for (int h = 1; h <= 8; ++h) v += std::sin(2 * M_PI * f0 * h * t) / h;
    x[n] = static_cast<float>(0.1 * v * (0.6 + 0.4 * std::sin(2 * M_PI * 3 * t))) + noise(rng);
  }
  return x;
}

funasr::io::Cmvn UnitCmvn(int dim) {
  return funasr::io::Cmvn{std::vector<float>(dim, -10.f), std::vector<float>(dim, 0.2f)};
}

void SetRtf(benchmark::State& state, double audio_seconds) {
  state.counters["RTF"] = benchmark::Counter(audio_seconds * state.iterations(),
                                             benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.counters["xRealTime"] =
      benchmark::Counter(audio_seconds * state.iterations(), benchmark::Counter::kIsRate);
}

void BM_Fbank(benchmark::State& state) {
  const double seconds = static_cast<double>(state.range(0));
  const std::vector<float> x = Signal(seconds);
  const Fbank fbank{FbankOptions{}};
  for (auto _ : state) {
    std::vector<float> out = fbank.Compute(x.data(), static_cast<int64_t>(x.size()), 32768.f);
    benchmark::DoNotOptimize(out.data());
  }
  SetRtf(state, seconds);
}
BENCHMARK(BM_Fbank)->Arg(10)->Arg(60)->Unit(benchmark::kMillisecond);

// Paraformer frontend: fbank + LFR 7/6 + CMVN (560-dim encoder input).
void BM_WavFrontendParaformer(benchmark::State& state) {
  const double seconds = static_cast<double>(state.range(0));
  const std::vector<float> x = Signal(seconds);
  WavFrontendOptions o;
  o.lfr_m = 7;
  o.lfr_n = 6;
  const WavFrontend fe(o, UnitCmvn(560));
  for (auto _ : state) {
    funasr::Tensor f = fe.Compute(x);
    benchmark::DoNotOptimize(f.raw_data());
  }
  SetRtf(state, seconds);
}
BENCHMARK(BM_WavFrontendParaformer)->Arg(10)->Arg(60)->Unit(benchmark::kMillisecond);

// FSMN-VAD frontend: fbank + LFR 5/1 + CMVN (400 dims per 10 ms frame).
void BM_WavFrontendVad(benchmark::State& state) {
  const double seconds = static_cast<double>(state.range(0));
  const std::vector<float> x = Signal(seconds);
  WavFrontendOptions o;
  o.lfr_m = 5;
  o.lfr_n = 1;
  const WavFrontend fe(o, UnitCmvn(400));
  for (auto _ : state) {
    funasr::Tensor f = fe.Compute(x);
    benchmark::DoNotOptimize(f.raw_data());
  }
  SetRtf(state, seconds);
}
BENCHMARK(BM_WavFrontendVad)->Arg(60)->Unit(benchmark::kMillisecond);

// Streaming VAD frontend over 60 s in chunks of state.range(0) ms, with the aligned
// waveform the VAD needs for its decibels.
void BM_OnlineFrontendVad(benchmark::State& state) {
  const double seconds = 60;
  const std::vector<float> x = Signal(seconds);
  const size_t chunk = static_cast<size_t>(state.range(0)) * 16;
  WavFrontendOptions o;
  o.lfr_m = 5;
  o.lfr_n = 1;
  const WavFrontend fe(o, UnitCmvn(400));
  OnlineWavFrontend online(fe, {/*keep_waveform=*/true, /*funasr_final_chunk_quirk=*/true});
  for (auto _ : state) {
    int64_t rows = 0;
    for (size_t pos = 0; pos < x.size(); pos += chunk) {
      const size_t n = std::min(chunk, x.size() - pos);
      rows += online.AcceptWaveform(x.data() + pos, static_cast<int64_t>(n), pos + n == x.size())
                  .num_frames();
    }
    benchmark::DoNotOptimize(rows);
  }
  SetRtf(state, seconds);
}
BENCHMARK(BM_OnlineFrontendVad)->Arg(10)->Arg(100)->Arg(600)->Unit(benchmark::kMillisecond);

// Audio conversion of 60 s: stereo 44.1/48 kHz -> 16 kHz mono (soxr HQ), and 16 kHz mono
// int16 (no resampling).
void BM_ConvertPcm(benchmark::State& state) {
  const int rate = static_cast<int>(state.range(0));
  const double seconds = 60;
  const std::vector<float> mono = Signal(seconds, rate);
  std::vector<int16_t> stereo(mono.size() * 2);
  for (size_t i = 0; i < mono.size(); ++i)
    stereo[2 * i] = stereo[2 * i + 1] = static_cast<int16_t>(mono[i] * 32767);
  for (auto _ : state) {
    std::vector<float> out = funasr::ConvertPcm(stereo.data(), mono.size(), 2, rate);
    benchmark::DoNotOptimize(out.data());
  }
  SetRtf(state, seconds);
}
BENCHMARK(BM_ConvertPcm)->Arg(16000)->Arg(44100)->Arg(48000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
