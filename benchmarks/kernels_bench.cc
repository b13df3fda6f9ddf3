// Throughput of the non-GEMM kernels on Paraformer / FSMN-VAD / CT-punc sized inputs.
// Run: build/benchmarks/kernels_bench
#include <benchmark/benchmark.h>

#include <atomic>
#include <chrono>
#include <random>
#include <thread>
#include <vector>

#include "core/tensor.h"
#include "core/threading.h"
#include "kernels/conv1d.h"
#include "kernels/elementwise.h"
#include "kernels/lstm.h"

namespace {

std::vector<float> Random(int64_t n, uint32_t seed) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<float> d(-1.f, 1.f);
  std::vector<float> v(static_cast<size_t>(n));
  for (auto& x : v) x = d(gen);
  return v;
}

void SetBytes(benchmark::State& state, int64_t floats) {
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * floats * 4);
}

void BM_LayerNorm(benchmark::State& state) {
  const int64_t rows = state.range(0), dim = state.range(1);
  auto x = Random(rows * dim, 1), g = Random(dim, 2), b = Random(dim, 3);
  std::vector<float> y(x.size());
  for (auto _ : state) {
    funasr::kernels::LayerNorm(x.data(), rows, dim, g.data(), b.data(), 1e-12f, y.data());
    benchmark::DoNotOptimize(y.data());
  }
  SetBytes(state, rows * dim);
}
BENCHMARK(BM_LayerNorm)->Args({300, 512})->Args({1, 512});

void BM_Softmax(benchmark::State& state) {
  const int64_t rows = state.range(0), cols = state.range(1);
  auto x = Random(rows * cols, 1);
  std::vector<float> y(x.size());
  for (auto _ : state) {
    funasr::kernels::Softmax(x.data(), rows, cols, y.data());
    benchmark::DoNotOptimize(y.data());
  }
  SetBytes(state, rows * cols);
}
BENCHMARK(BM_Softmax)->Args({4 * 300, 300})->Args({30, 8404});

void BM_LogSoftmax(benchmark::State& state) {
  const int64_t rows = state.range(0), cols = state.range(1);
  auto x = Random(rows * cols, 1);
  std::vector<float> y(x.size());
  for (auto _ : state) {
    funasr::kernels::LogSoftmax(x.data(), rows, cols, y.data());
    benchmark::DoNotOptimize(y.data());
  }
  SetBytes(state, rows * cols);
}
BENCHMARK(BM_LogSoftmax)->Args({30, 8404});

void BM_Sigmoid(benchmark::State& state) {
  auto x = Random(state.range(0), 1);
  std::vector<float> y(x.size());
  for (auto _ : state) {
    funasr::kernels::Sigmoid(x.data(), state.range(0), y.data());
    benchmark::DoNotOptimize(y.data());
  }
  SetBytes(state, state.range(0));
}
BENCHMARK(BM_Sigmoid)->Arg(300 * 512);

// FSMN memory block: T=300, C=512 (Paraformer) and C=128 (FSMN-VAD), K=11. Tap-major
// weights prepared once, as the FSMN blocks do.
void BM_DepthwiseConv1d(benchmark::State& state) {
  const int64_t t = state.range(0), c = state.range(1), k = 11;
  auto x = Random(t * c, 1), w = Random(c * k, 2);
  const std::vector<float> taps = funasr::kernels::TapMajorWeights(w.data(), c, k);
  std::vector<float> y(x.size());
  for (auto _ : state) {
    funasr::kernels::DepthwiseConv1dTapMajor(x.data(), t, c, taps.data(), k, 5, y.data());
    benchmark::DoNotOptimize(y.data());
  }
  SetBytes(state, t * c);
}
BENCHMARK(BM_DepthwiseConv1d)->Args({300, 512})->Args({300, 128});

// CIF predictor conv: Conv1d(512, 512, 3, padding 1).
void BM_Conv1d(benchmark::State& state) {
  const int64_t t = state.range(0), c = 512, k = 3;
  auto x = Random(t * c, 1), w = Random(c * c * k, 2), b = Random(c, 3);
  std::vector<float> y(static_cast<size_t>(t * c));
  funasr::ScopedNumThreads one(1);
  for (auto _ : state) {
    funasr::kernels::Conv1d(x.data(), t, c, w.data(), c, k, b.data(), 1, 1, y.data());
    benchmark::DoNotOptimize(y.data());
  }
  state.counters["GFLOP/s"] = benchmark::Counter(2.0 * t * c * c * k * 1e-9,
                                                 benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_Conv1d)->Arg(300);

void BM_BiLstm(benchmark::State& state) {
  const int64_t t = state.range(0), in = state.range(1), h = state.range(2);
  auto make = [&](uint32_t seed) {
    funasr::kernels::LstmDirectionWeights w;
    w.weight_ih = funasr::Tensor::FromVector({4 * h, in}, Random(4 * h * in, seed));
    w.weight_hh = funasr::Tensor::FromVector({4 * h, h}, Random(4 * h * h, seed + 1));
    w.bias_ih = funasr::Tensor::FromVector({4 * h}, Random(4 * h, seed + 2));
    w.bias_hh = funasr::Tensor::FromVector({4 * h}, Random(4 * h, seed + 3));
    return w;
  };
  auto fwd = make(1), bwd = make(10);
  auto x = Random(t * in, 20);
  std::vector<float> y(static_cast<size_t>(t * 2 * h));
  funasr::ScopedNumThreads one(1);
  for (auto _ : state) {
    funasr::kernels::BiLstm(x.data(), t, fwd, bwd, y.data());
    benchmark::DoNotOptimize(y.data());
  }
  state.counters["frames/s"] =
      benchmark::Counter(static_cast<double>(t), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_BiLstm)->Args({100, 512, 256});

}  // namespace

// Cost of one parallel step: ParallelFor over two trivial indices on two threads, back to
// back (helpers polling) and after an idle gap longer than the polling window (helpers
// blocked: the step pays a wake-up). A Paraformer forward pass takes ~900 such steps.
void BM_ParallelForRoundTrip(benchmark::State& state) {
  const int64_t gap_us = state.range(0);
  std::atomic<int64_t> sink{0};
  funasr::ParallelFor(2, 2, [&](int64_t i) { sink += i; });  // start the helper
  for (auto _ : state) {
    if (gap_us > 0) {
      state.PauseTiming();
      std::this_thread::sleep_for(std::chrono::microseconds(gap_us));
      state.ResumeTiming();
    }
    funasr::ParallelFor(2, 2, [&](int64_t i) { sink += i; });
  }
}
BENCHMARK(BM_ParallelForRoundTrip)->Arg(0)->ArgName("idle_gap_us")->UseRealTime();
BENCHMARK(BM_ParallelForRoundTrip)->Arg(2000)->ArgName("idle_gap_us")->UseRealTime()
    ->Iterations(500);

BENCHMARK_MAIN();
