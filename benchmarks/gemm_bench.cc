// GEMM backends on the Paraformer shapes: C[M,N] = A[M,K] · Wᵀ, W [N,K] (nn.Linear layout).
//
//   Eigen/f32          one Eigen product, single-threaded (EIGEN_DONT_PARALLELIZE)
//   OpenBLAS/f32       cblas_sgemm (only when built with OpenBLAS headers present)
//   oneDNN/f32         dnnl::matmul, weights prepacked (format any)
//   oneDNN_sgemm/f32   dnnl_sgemm, plain row-major operands
//   oneDNN/u8s8, s8s8  dnnl::matmul int8, weights prepacked, s32 output
//   funasr_Gemm        libfunasr's Gemm (unpacked operands)
//   funasr_Linear_f32  libfunasr's Linear after PrepareLinear (incl. bias)
//   funasr_Linear_int8 libfunasr's int8 Linear after PrepareLinear, incl. the dynamic
//                      per-row activation quantisation and the rescale + bias epilogue
//   Int8TwoThreadSpeedup  the int8 Linear's 1-thread over 2-thread time, with the weights
//                      in cache (the same layer over and over) and streamed from memory
//                      (64 MB of copies of the layer in turn, as a forward pass through a
//                      220M-parameter model streams its 200 MB of int8 weights); see
//                      benchmarks/README.md, "Paraformer-large", for what it shows
//   Int8RowCounts      the int8 Linear's time per row at row counts oneDNN's AMX kernel
//                      handles slowly, beside multiples of 8 (see linear.cc, KernelRows)
//
// Each benchmark reports GFLOP/s (2·M·N·K per iteration; for int8 these are GOP/s).
// Threads: 1 and 2 (oneDNN via omp_set_num_threads on the calling thread, funasr via
// ScopedNumThreads). Run: build/benchmarks/gemm_bench [--benchmark_filter=...]
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#define EIGEN_DONT_PARALLELIZE
#include <benchmark/benchmark.h>
#include <omp.h>

#include <Eigen/Core>
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <oneapi/dnnl/dnnl.hpp>
#include <random>
#include <string>
#include <utility>
#include <vector>

#if __has_include(<cblas.h>) && defined(FUNASR_BENCH_OPENBLAS)
#include <cblas.h>
#define HAVE_OPENBLAS 1
#endif

#include "core/threading.h"
#include "kernels/gemm.h"
#include "kernels/linear.h"

namespace {

struct GemmShape {
  int64_t m, k, n;
};
const GemmShape kShapes[] = {{300, 512, 2048}, {300, 512, 1536}, {300, 2048, 512},
                             {30, 512, 8404},  {1, 512, 2048},   {1, 512, 8404},
                             {10, 512, 512},   {300, 64, 300}};

std::vector<float> Random(int64_t n, uint32_t seed) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<float> d(-1.f, 1.f);
  std::vector<float> v(static_cast<size_t>(n));
  for (auto& x : v) x = d(gen);
  return v;
}

void SetRate(benchmark::State& state, const GemmShape& s) {
  state.counters["GFLOP/s"] = benchmark::Counter(
      2.0 * s.m * s.n * s.k * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
}

using RowMajor = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

void BM_EigenF32(benchmark::State& state, GemmShape s) {
  auto a = Random(s.m * s.k, 1), w = Random(s.n * s.k, 2);
  std::vector<float> c(static_cast<size_t>(s.m * s.n));
  Eigen::Map<const RowMajor> am(a.data(), s.m, s.k), wm(w.data(), s.n, s.k);
  Eigen::Map<RowMajor> cm(c.data(), s.m, s.n);
  for (auto _ : state) {
    cm.noalias() = am * wm.transpose();
    benchmark::DoNotOptimize(c.data());
  }
  SetRate(state, s);
}

#ifdef HAVE_OPENBLAS
void BM_OpenBlasF32(benchmark::State& state, GemmShape s, int threads) {
  openblas_set_num_threads(threads);
  auto a = Random(s.m * s.k, 1), w = Random(s.n * s.k, 2);
  std::vector<float> c(static_cast<size_t>(s.m * s.n));
  for (auto _ : state) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, s.m, s.n, s.k, 1.f, a.data(), s.k,
                w.data(), s.k, 0.f, c.data(), s.n);
    benchmark::DoNotOptimize(c.data());
  }
  SetRate(state, s);
}
#endif

// dnnl_sgemm (row-major, operands not prepacked), threads via the calling thread's OpenMP
// setting.
void BM_DnnlSgemm(benchmark::State& state, GemmShape s, int threads) {
  omp_set_num_threads(threads);
  auto a = Random(s.m * s.k, 1), w = Random(s.n * s.k, 2);
  std::vector<float> c(static_cast<size_t>(s.m * s.n));
  for (auto _ : state) {
    dnnl_sgemm('N', 'T', s.m, s.n, s.k, 1.f, a.data(), s.k, w.data(), s.k, 0.f, c.data(), s.n);
    benchmark::DoNotOptimize(c.data());
  }
  SetRate(state, s);
}

void BM_FunasrGemm(benchmark::State& state, GemmShape s, int threads) {
  funasr::ScopedNumThreads scoped(threads);
  auto a = Random(s.m * s.k, 1), w = Random(s.n * s.k, 2);
  std::vector<float> c(static_cast<size_t>(s.m * s.n));
  for (auto _ : state) {
    funasr::kernels::Gemm(true, s.m, s.n, s.k, 1.f, a.data(), s.k, w.data(), s.k, 0.f,
                          c.data(), s.n);
    benchmark::DoNotOptimize(c.data());
  }
  SetRate(state, s);
}

void BM_FunasrLinear(benchmark::State& state, GemmShape s, int threads, bool int8) {
  funasr::ScopedNumThreads scoped(threads);
  auto a = Random(s.m * s.k, 1);
  funasr::kernels::LinearWeights w;
  w.weight = funasr::Tensor::FromVector({s.n, s.k}, Random(s.n * s.k, 2));
  w.bias = funasr::Tensor::FromVector({s.n}, Random(s.n, 3));
  if (int8) w = funasr::kernels::QuantizeLinearInt8(w);
  funasr::kernels::PrepareLinear(w);
  std::vector<float> c(static_cast<size_t>(s.m * s.n));
  for (auto _ : state) {
    funasr::kernels::Linear(a.data(), s.m, w, c.data());
    benchmark::DoNotOptimize(c.data());
  }
  SetRate(state, s);
}

// oneDNN matmul with weights reordered once into the primitive's preferred layout.
// int8 uses an s32 destination: per-N output scales given at run time make oneDNN 2.6 fall
// back from its AMX/VNNI brgemm kernel to gemm:jit (~300 vs ~1700 GOP/s here), so libfunasr
// rescales the int32 accumulators itself (see linear.cc).
void BM_Dnnl(benchmark::State& state, GemmShape s, int threads, dnnl::memory::data_type src_dt,
             dnnl::memory::data_type wei_dt) {
  using namespace dnnl;
  using dt = memory::data_type;
  using tag = memory::format_tag;
  omp_set_num_threads(threads);
  engine eng(engine::kind::cpu, 0);
  stream strm(eng);
  const bool int8 = wei_dt == dt::s8;
  memory::desc src_md({s.m, s.k}, src_dt, tag::ab);
  memory::desc wei_md({s.k, s.n}, wei_dt, tag::any);
  memory::desc dst_md({s.m, s.n}, dt::f32, tag::ab);
  primitive_attr attr;
  if (int8) dst_md = memory::desc({s.m, s.n}, dt::s32, tag::ab);
  matmul::primitive_desc pd(matmul::desc(src_md, wei_md, dst_md), attr, eng);
  matmul prim(pd);

  // Source data.
  std::vector<float> af = Random(s.m * s.k, 1);
  std::vector<uint8_t> abytes(static_cast<size_t>(s.m * s.k));
  for (size_t i = 0; i < abytes.size(); ++i) {
    abytes[i] = src_dt == dt::u8 ? static_cast<uint8_t>(128 + 127 * af[i])
                                 : static_cast<uint8_t>(static_cast<int8_t>(127 * af[i]));
  }
  memory src(src_md, eng, int8 ? static_cast<void*>(abytes.data()) : af.data());
  // User weights: W [N,K] row-major == [K,N] with tag ba.
  std::vector<float> wf = Random(s.n * s.k, 2);
  std::vector<int8_t> wq(wf.size());
  for (size_t i = 0; i < wq.size(); ++i) wq[i] = static_cast<int8_t>(127 * wf[i]);
  memory user_w({{s.k, s.n}, wei_dt, tag::ba}, eng,
                int8 ? static_cast<void*>(wq.data()) : wf.data());
  memory wei(pd.weights_desc(), eng);
  reorder(user_w, wei).execute(strm, user_w, wei);
  memory dst(pd.dst_desc(), eng);
  std::unordered_map<int, memory> args = {
      {DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, wei}, {DNNL_ARG_DST, dst}};
  for (auto _ : state) {
    prim.execute(strm, args);
    strm.wait();
  }
  state.SetLabel(pd.impl_info_str());
  SetRate(state, s);
}

// Alternating passes of the int8 Linear on 1 and 2 threads, with one prepared layer run
// `copies` times (weights stay in the cores' caches) and with `copies` prepared copies run
// once each (every call brings its weights in from memory). Reports the per-call times
// (medians over the iterations) and the two-thread speed-ups of both.
void BM_Int8TwoThreadSpeedup(benchmark::State& state, GemmShape s) {
  constexpr int64_t kStreamedBytes = int64_t{64} << 20;
  funasr::kernels::LinearWeights w;
  w.weight = funasr::Tensor::FromVector({s.n, s.k}, Random(s.n * s.k, 2));
  w.bias = funasr::Tensor::FromVector({s.n}, Random(s.n, 3));
  w = funasr::kernels::QuantizeLinearInt8(w);
  const int64_t copies = std::max<int64_t>(2, kStreamedBytes / (s.n * s.k));
  std::vector<funasr::kernels::LinearWeights> layers;
  for (int64_t i = 0; i < copies; ++i) {
    funasr::kernels::LinearWeights c = w;
    c.packed.reset();
    funasr::kernels::PrepareLinear(c);  // a separate packed copy per layer
    layers.push_back(c);
  }
  const auto a = Random(s.m * s.k, 1);
  std::vector<float> c(static_cast<size_t>(s.m * s.n));
  // One untimed round first: primitive creation, first touch of buffers, helper start-up.
  for (int threads = 1; threads <= 2; ++threads) {
    funasr::ScopedNumThreads scoped(threads);
    for (const auto& l : layers) funasr::kernels::Linear(a.data(), s.m, l, c.data());
  }
  // [threads - 1][streamed]: microseconds per call, one entry per iteration.
  std::vector<double> us[2][2];
  for (auto _ : state) {
    for (int streamed = 0; streamed < 2; ++streamed) {
      for (int threads = 1; threads <= 2; ++threads) {
        funasr::ScopedNumThreads scoped(threads);
        const auto t0 = std::chrono::steady_clock::now();
        for (int64_t i = 0; i < copies; ++i) {
          funasr::kernels::Linear(a.data(), s.m, layers[static_cast<size_t>(streamed ? i : 0)],
                                  c.data());
        }
        const std::chrono::duration<double, std::micro> dt =
            std::chrono::steady_clock::now() - t0;
        us[threads - 1][streamed].push_back(dt.count() / static_cast<double>(copies));
        benchmark::DoNotOptimize(c.data());
      }
    }
  }
  auto median = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0.0 : v[v.size() / 2];
  };
  const double c1 = median(us[0][0]), c2 = median(us[1][0]);
  const double s1 = median(us[0][1]), s2 = median(us[1][1]);
  state.counters["cached_us_1t"] = c1;
  state.counters["cached_us_2t"] = c2;
  state.counters["streamed_us_1t"] = s1;
  state.counters["streamed_us_2t"] = s2;
  state.counters["speedup_cached"] = c2 > 0 ? c1 / c2 : 0;
  state.counters["speedup_streamed"] = s2 > 0 ? s1 / s2 : 0;
}

// The int8 Linear (512 -> 2048, one thread) at row counts that oneDNN 2.6's AMX kernel
// runs 1.5-4x slower than their neighbours (53, 59, 117, 181, 315: its M blocking), beside
// multiples of 8 close by. Linear rounds the rows it hands oneDNN up to a multiple of 8, so
// every count here should cost about the same per row. Counters: microseconds per row
// (medians; the counts alternate within each iteration, over 10 prepared copies of the
// layer as in a forward pass).
void BM_Int8RowCounts(benchmark::State& state) {
  constexpr int64_t kIn = 512, kOut = 2048, kCopies = 10;
  const int64_t counts[] = {53, 56, 59, 64, 117, 120, 181, 184, 315, 320};
  funasr::kernels::LinearWeights w;
  w.weight = funasr::Tensor::FromVector({kOut, kIn}, Random(kOut * kIn, 2));
  w = funasr::kernels::QuantizeLinearInt8(w);
  std::vector<funasr::kernels::LinearWeights> layers;
  for (int64_t i = 0; i < kCopies; ++i) {
    funasr::kernels::LinearWeights c = w;
    c.packed.reset();
    funasr::kernels::PrepareLinear(c);
    layers.push_back(c);
  }
  const auto a = Random(320 * kIn, 1);
  std::vector<float> c(static_cast<size_t>(320 * kOut));
  funasr::ScopedNumThreads one(1);
  std::vector<std::vector<double>> us(std::size(counts));
  for (auto _ : state) {
    for (size_t j = 0; j < std::size(counts); ++j) {
      const auto t0 = std::chrono::steady_clock::now();
      for (const auto& l : layers) funasr::kernels::Linear(a.data(), counts[j], l, c.data());
      const std::chrono::duration<double, std::micro> dt = std::chrono::steady_clock::now() - t0;
      us[j].push_back(dt.count() / kCopies / static_cast<double>(counts[j]));
    }
    benchmark::DoNotOptimize(c.data());
  }
  for (size_t j = 0; j < std::size(counts); ++j) {
    std::sort(us[j].begin(), us[j].end());
    state.counters["m" + std::to_string(counts[j])] = us[j][us[j].size() / 2];
  }
}

std::string Name(const char* backend, const GemmShape& s, int threads) {
  return std::string(backend) + "/" + std::to_string(s.m) + "x" + std::to_string(s.k) + "x" +
         std::to_string(s.n) + "/threads:" + std::to_string(threads);
}

}  // namespace

// 1 thread: rates per CPU second of the benchmark thread (robust on a shared machine).
// 2 threads: wall-clock rates (the OpenMP workers' CPU time is not on the main thread's
// clock), so these need an otherwise idle machine.
template <typename... Args>
void Register(const char* backend, const GemmShape& s, int threads, Args&&... args) {
  auto* b = benchmark::RegisterBenchmark(Name(backend, s, threads).c_str(),
                                         std::forward<Args>(args)...);
  if (threads > 1) b->UseRealTime();
}

int main(int argc, char** argv) {
  using dt = dnnl::memory::data_type;
  for (const GemmShape& s : kShapes) {
    Register("Eigen_f32", s, 1, BM_EigenF32, s);
    for (int threads : {1, 2}) {
#ifdef HAVE_OPENBLAS
      Register("OpenBLAS_f32", s, threads, BM_OpenBlasF32, s, threads);
#endif
      Register("oneDNN_f32", s, threads, BM_Dnnl, s, threads, dt::f32, dt::f32);
      Register("oneDNN_sgemm_f32", s, threads, BM_DnnlSgemm, s, threads);
      Register("oneDNN_u8s8", s, threads, BM_Dnnl, s, threads, dt::u8, dt::s8);
      Register("oneDNN_s8s8", s, threads, BM_Dnnl, s, threads, dt::s8, dt::s8);
      Register("funasr_Gemm_f32", s, threads, BM_FunasrGemm, s, threads);
      Register("funasr_Linear_f32", s, threads, BM_FunasrLinear, s, threads, false);
      Register("funasr_Linear_int8", s, threads, BM_FunasrLinear, s, threads, true);
    }
  }
  // Encoder (333 frames = 20 s) and decoder (111 tokens) shapes of paraformer-large.
  for (const GemmShape& s : {GemmShape{333, 512, 1536}, GemmShape{333, 512, 2048},
                             GemmShape{333, 2048, 512}, GemmShape{111, 512, 2048}}) {
    benchmark::RegisterBenchmark(Name("Int8TwoThreadSpeedup", s, 2).c_str(),
                                 BM_Int8TwoThreadSpeedup, s)
        ->Iterations(9)
        ->UseRealTime()
        ->Unit(benchmark::kMillisecond);
  }
  benchmark::RegisterBenchmark("Int8RowCounts", BM_Int8RowCounts)
      ->Iterations(30)
      ->Unit(benchmark::kMillisecond);
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
