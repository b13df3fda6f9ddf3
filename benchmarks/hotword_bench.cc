// Extra cost of hotwords on SeACo-Paraformer at the released size (random weights from
// io::MakeRandomModel = `funasr-make-random-model --model seaco`, 247,339,018 parameters):
// recognition of 20 s of audio (features precomputed) with 0, 10, 100, 1000 and 10,000
// hotwords, and the one-time cost of preparing a list (bias encoder + projections).
//
//   build/benchmarks/hotword_bench [--benchmark_filter=...]
//
// Counters: RTF = seconds of compute per second of audio (wall); cpu_RTF = process CPU time
// per second of audio; extra_RTF = RTF minus the no-hotword RTF measured first in this
// process; asf = 1 when the top-50 attention filter ran; prepared_MB = memory of the
// prepared list (bias vectors + cached per-layer projections); workspace_MB = the request's
// scratch memory; peak_rss_MB = the process's peak resident memory so far.
// Hotwords are random token sequences of 1..6 tokens (typical Chinese words have 2..4).
#include <benchmark/benchmark.h>
#include <time.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <string>

#include "io/random_model.h"
#include "models/paraformer/seaco_paraformer_model.h"

namespace {

using funasr::models::ParaformerRequest;
using funasr::models::ParaformerState;
using funasr::models::PreparedHotwords;
using funasr::models::SeacoParaformerModel;

double ProcessCpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

double PeakRssMb() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  }
  return 0;
}

std::shared_ptr<const SeacoParaformerModel> Model() {
  static std::shared_ptr<const SeacoParaformerModel> m = [] {
    funasr::io::RandomModelOptions o;  // released SeACo dims
    o.kind = funasr::io::RandomModelKind::kSeaco;
    auto files = funasr::io::MakeRandomModel(o);
    int64_t params = 0;
    for (const std::string& name : files->TensorNames()) params += files->GetTensor(name).numel();
    std::fprintf(stderr, "random SeACo-Paraformer: %lld parameters\n",
                 static_cast<long long>(params));
    return SeacoParaformerModel::Load(files);
  }();
  return m;
}

std::vector<std::vector<int64_t>> Hotwords(int64_t n, int64_t vocab) {
  std::mt19937 gen(42);
  std::uniform_int_distribution<int64_t> id(3, vocab - 2), len(1, 6);
  std::vector<std::vector<int64_t>> out(static_cast<size_t>(n));
  for (auto& h : out) {
    h.resize(static_cast<size_t>(len(gen)));
    for (auto& t : h) t = id(gen);
  }
  return out;
}

std::shared_ptr<const PreparedHotwords> Prepared(int64_t n) {
  static std::mutex mu;
  static std::map<int64_t, std::shared_ptr<const PreparedHotwords>> cache;
  std::lock_guard<std::mutex> lock(mu);
  auto& p = cache[n];
  if (!p && n > 0) p = Model()->PrepareHotwords(Hotwords(n, Model()->config().vocab_size));
  return p;
}

// 20 s of random LFR features (ceil(T_fbank / 6) frames of 560), as after CMVN.
std::vector<float> Features(double seconds, int64_t* frames) {
  const int64_t fbank = static_cast<int64_t>((seconds * 16000 - 400) / 160) + 1;
  *frames = (fbank + 5) / 6;
  std::vector<float> f(static_cast<size_t>(*frames * 560));
  uint64_t s = 0x2545F4914F6CDD1Dull;
  for (float& v : f) {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    v = 1.7f * (static_cast<float>(s >> 40) / static_cast<float>(1 << 23) - 1.f);
  }
  return f;
}

double g_plain_rtf = -1;

// Args: hotwords, threads.
void BM_SeacoRecognize20s(benchmark::State& state) {
  const int64_t n = state.range(0);
  auto model = Model();
  auto hw = Prepared(n);
  int64_t frames = 0;
  const double seconds = 20;
  const std::vector<float> feats = Features(seconds, &frames);
  ParaformerState st;
  ParaformerRequest req;
  req.num_threads = static_cast<int>(state.range(1));
  auto out = model->RunOne(feats.data(), frames, st, req, hw.get());  // warm-up
  const double cpu0 = ProcessCpuSeconds();
  const auto t0 = std::chrono::steady_clock::now();
  for (auto _ : state) {
    out = model->RunOne(feats.data(), frames, st, req, hw.get());
    benchmark::DoNotOptimize(out.token_ids.data());
  }
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const double iters = static_cast<double>(state.iterations());
  const double rtf = wall / (iters * seconds);
  if (n == 0 && req.num_threads == 1) g_plain_rtf = rtf;
  state.counters["RTF"] = rtf;
  state.counters["cpu_RTF"] = (ProcessCpuSeconds() - cpu0) / (iters * seconds);
  if (g_plain_rtf > 0 && req.num_threads == 1) state.counters["extra_RTF"] = rtf - g_plain_rtf;
  state.counters["tokens"] = static_cast<double>(out.token_num);
  state.counters["asf"] = out.asf_kept.empty() ? 0 : 1;
  state.counters["prepared_MB"] = hw ? static_cast<double>(hw->bytes()) / 1048576.0 : 0.0;
  state.counters["workspace_MB"] = static_cast<double>(st.workspace.capacity_bytes()) / 1048576.0;
  state.counters["peak_rss_MB"] = PeakRssMb();
}
BENCHMARK(BM_SeacoRecognize20s)
    ->ArgNames({"hotwords", "threads"})
    ->Args({0, 1})
    ->Args({10, 1})
    ->Args({100, 1})
    ->Args({1000, 1})
    ->Args({10000, 1})
    ->Args({0, 2})
    ->Args({1000, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MinTime(2.0);

// The one-time cost of a list: bias encoder (2-layer LSTM over every hotword) + the six
// seaco_decoder projections (cached up to 64 MiB, i.e. for lists up to ~2,700 hotwords).
void BM_SeacoPrepareHotwords(benchmark::State& state) {
  const int64_t n = state.range(0);
  auto model = Model();
  const auto list = Hotwords(n, model->config().vocab_size);
  std::shared_ptr<const PreparedHotwords> p;
  for (auto _ : state) {
    p = model->PrepareHotwords(list);
    benchmark::DoNotOptimize(p.get());
  }
  state.counters["prepared_MB"] = static_cast<double>(p->bytes()) / 1048576.0;
  state.counters["cached"] = p->layer_kv.empty() ? 0 : 1;
  state.counters["peak_rss_MB"] = PeakRssMb();
}
BENCHMARK(BM_SeacoPrepareHotwords)
    ->ArgName("hotwords")
    ->Arg(10)
    ->Arg(100)
    ->Arg(1000)
    ->Arg(10000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
