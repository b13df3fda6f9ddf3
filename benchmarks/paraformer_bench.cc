// Paraformer speed at the released paraformer-large size (random weights from
// io::MakeRandomModel = funasr-make-random-model, 220,084,533 parameters):
// real-time factor on 1 and 2 threads for 20 s and 60 s of audio, fp32 and int8, with the
// features precomputed (the frontend is benchmarked separately); model load time from a
// native file; peak memory. Targets (issue 5): fp32 1-thread RTF <= 0.070 and int8 <= 0.045
// on 20 s; 2 threads >= 1.8x faster than 1.
//
// Counters: RTF = seconds of compute per second of audio; tokens = CIF tokens decoded;
// peak_rss_MB = the process's peak resident memory so far.
#include <benchmark/benchmark.h>

#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "core/threading.h"
#include "io/native_model_writer.h"
#include "io/random_model.h"
#include "models/paraformer/paraformer_model.h"

namespace {

using funasr::models::ParaformerModel;
using funasr::models::ParaformerRequest;
using funasr::models::ParaformerState;

// CPU seconds used by the whole process (all threads). With other jobs on the machine, wall
// time is inflated; CPU time of a 1-thread run still measures the work itself.
// Median of the passes (the upper one for an even count).
double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

double ProcessCpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

// CPU seconds of the calling thread only. In a 2-thread run the calling thread does all
// serial work plus its share of the parallel work. Waiting for helpers polls for up to
// FUNASR_SPIN_US and counts as CPU time: run with FUNASR_SPIN_US=0 when using
// (1-thread CPU) / (this) as a speed-up estimate on a machine too busy for wall times.
// BM_ParaformerTwoThreadSpeedup measures the speed-up itself.
double ThreadCpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

double StatusMb(const char* key) {
  std::ifstream in("/proc/self/status");
  std::string line;
  const std::string k = key;
  while (std::getline(in, line)) {
    if (line.rfind(k, 0) == 0) return std::stod(line.substr(k.size())) / 1024.0;
  }
  return 0;
}
double PeakRssMb() { return StatusMb("VmHWM:"); }
double RssMb() { return StatusMb("VmRSS:"); }
double AnonRssMb() { return StatusMb("RssAnon:"); }

std::shared_ptr<const funasr::io::ModelFiles> Files(bool bicif) {
  static std::mutex mu;
  static std::map<bool, std::shared_ptr<const funasr::io::ModelFiles>> cache;
  std::lock_guard<std::mutex> lock(mu);
  auto& f = cache[bicif];
  if (!f) {
    funasr::io::RandomModelOptions o;  // paraformer-large dims
    o.kind = bicif ? funasr::io::RandomModelKind::kBiCif : funasr::io::RandomModelKind::kParaformer;
    f = funasr::io::MakeRandomModel(o);
    int64_t params = 0;
    for (const std::string& name : f->TensorNames()) params += f->GetTensor(name).numel();
    std::fprintf(stderr, "random %s: %lld parameters\n", bicif ? "BiCif" : "Paraformer",
                 static_cast<long long>(params));
  }
  return f;
}

std::shared_ptr<const ParaformerModel> Model(bool int8, bool bicif = false) {
  static std::mutex mu;
  static std::map<std::pair<bool, bool>, std::shared_ptr<const ParaformerModel>> cache;
  auto files = Files(bicif);
  std::lock_guard<std::mutex> lock(mu);
  auto& m = cache[{int8, bicif}];
  if (!m) {
    funasr::models::ParaformerLoadOptions o;
    o.quantize_int8 = int8;
    m = ParaformerModel::Load(files, o);
  }
  return m;
}

// Random LFR features of `seconds` of audio: ceil(T_fbank / 6) frames of 560.
std::vector<float> Features(double seconds, int64_t* frames) {
  const int64_t fbank = static_cast<int64_t>((seconds * 16000 - 400) / 160) + 1;
  *frames = (fbank + 5) / 6;
  std::vector<float> f(static_cast<size_t>(*frames * 560));
  uint64_t s = 0x2545F4914F6CDD1Dull;
  for (float& v : f) {  // uniform in [-1.7, 1.7): roughly unit variance, as after CMVN
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    v = 1.7f * (static_cast<float>(s >> 40) / static_cast<float>(1 << 23) - 1.f);
  }
  return f;
}

// Args: int8 (0/1), threads, seconds, bicif (0/1).
void BM_ParaformerRtf(benchmark::State& state) {
  const bool int8 = state.range(0) != 0;
  const int threads = static_cast<int>(state.range(1));
  const double seconds = static_cast<double>(state.range(2));
  const bool bicif = state.range(3) != 0;
  auto model = Model(int8, bicif);
  int64_t frames = 0;
  const std::vector<float> feats = Features(seconds, &frames);
  ParaformerState st;
  ParaformerRequest req;
  req.num_threads = threads;
  auto out = model->RunOne(feats.data(), frames, st, req);  // warm-up (workspace, primitives)
  const double cpu0 = ProcessCpuSeconds(), main0 = ThreadCpuSeconds();
  for (auto _ : state) {
    out = model->RunOne(feats.data(), frames, st, req);
    benchmark::DoNotOptimize(out.token_ids.data());
  }
  const double audio = static_cast<double>(state.iterations()) * seconds;
  state.counters["cpu_RTF"] = (ProcessCpuSeconds() - cpu0) / audio;
  state.counters["main_cpu_RTF"] = (ThreadCpuSeconds() - main0) / audio;
  state.counters["RTF"] = benchmark::Counter(static_cast<double>(state.iterations()) * seconds,
                                             benchmark::Counter::kIsRate |
                                                 benchmark::Counter::kInvert);
  state.counters["tokens"] = static_cast<double>(out.token_num);
  state.counters["peak_rss_MB"] = PeakRssMb();
  state.counters["workspace_MB"] = static_cast<double>(st.workspace.capacity_bytes()) / 1048576.0;
}

// Two-thread speed-up measured as a ratio in one run: 1-thread and 2-thread passes over the
// same input alternate, so both see the same machine; speedup = median(1-thread wall) /
// median(2-thread wall), speedup_best compares the fastest pass of each. The issue-5 target
// is speedup >= 1.8. Args: int8, seconds.
void BM_ParaformerTwoThreadSpeedup(benchmark::State& state) {
  const bool int8 = state.range(0) != 0;
  const double seconds = static_cast<double>(state.range(1));
  auto model = Model(int8, false);
  int64_t frames = 0;
  const std::vector<float> feats = Features(seconds, &frames);
  ParaformerState st;
  ParaformerRequest one, two;
  one.num_threads = 1;
  two.num_threads = 2;
  model->RunOne(feats.data(), frames, st, one);  // warm-up: workspace, primitives per M
  model->RunOne(feats.data(), frames, st, two);
  std::vector<double> t1, t2;
  double cpu1 = 0, cpu2 = 0;
  auto wall = [&](const ParaformerRequest& req, double* cpu) {
    const double c0 = ProcessCpuSeconds();
    const auto t0 = std::chrono::steady_clock::now();
    auto out = model->RunOne(feats.data(), frames, st, req);
    benchmark::DoNotOptimize(out.token_ids.data());
    const double w = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    *cpu += ProcessCpuSeconds() - c0;
    return w;
  };
  for (auto _ : state) {
    t1.push_back(wall(one, &cpu1));
    t2.push_back(wall(two, &cpu2));
  }
  state.counters["RTF_1thread"] = Median(t1) / seconds;
  state.counters["RTF_2threads"] = Median(t2) / seconds;
  state.counters["speedup"] = Median(t1) / Median(t2);
  state.counters["speedup_best"] = *std::min_element(t1.begin(), t1.end()) /
                                   *std::min_element(t2.begin(), t2.end());
  // CPU seconds of the 2-thread passes over those of the 1-thread passes: what the second
  // thread costs in extra work and in polling (1.0 = none).
  state.counters["cpu_ratio"] = cpu2 / cpu1;
}

// Two-thread speed-up per stage, measured as ratios in one run: each iteration runs the
// encoder, the predictor and the decoder (incl. output layer and log-softmax) on 1 and then
// on 2 threads; per stage, speedup = median 1-thread wall / median 2-thread wall. `rest`
// is what RunOne adds around the stages (greedy search, output assembly), from alternating
// RunOne passes. Args: int8, seconds.
void BM_ParaformerStageSpeedup(benchmark::State& state) {
  const bool int8 = state.range(0) != 0;
  const double seconds = static_cast<double>(state.range(1));
  auto model = Model(int8, false);
  int64_t frames = 0;
  const std::vector<float> feats = Features(seconds, &frames);
  ParaformerState st;
  const int64_t d = model->config().encoder.output_size;
  std::vector<float> enc(static_cast<size_t>(frames * d));
  const auto frames_seq = funasr::layers::PackedSequences::Single(frames);
  using Clock = std::chrono::steady_clock;
  auto since = [](Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
  };
  // [threads - 1][stage]: encoder, predictor, decoder, whole RunOne.
  std::vector<double> t[2][4];
  auto pass = [&](int threads, bool record) {
    funasr::ScopedNumThreads nt(threads);
    auto t0 = Clock::now();
    model->Encode(feats.data(), frames_seq, enc.data(), st);
    const double e = since(t0);
    t0 = Clock::now();
    auto pred = model->Predict(enc.data(), frames, st);
    const double p = since(t0);
    std::vector<float> lp(static_cast<size_t>(pred.token_num * model->config().vocab_size));
    t0 = Clock::now();
    model->DecodeLogProbs(pred.embeds.data(),
                          funasr::layers::PackedSequences::Single(pred.token_num), enc.data(),
                          frames_seq, lp.data(), st);
    const double dd = since(t0);
    ParaformerRequest req;
    req.num_threads = threads;
    t0 = Clock::now();
    auto out = model->RunOne(feats.data(), frames, st, req);
    benchmark::DoNotOptimize(out.token_ids.data());
    const double all = since(t0);
    if (record) {
      for (const auto& [stage, v] : {std::pair<int, double>{0, e}, {1, p}, {2, dd}, {3, all}}) {
        t[threads - 1][stage].push_back(v);
      }
    }
  };
  pass(1, false);  // warm-up: workspace, primitives per M
  pass(2, false);
  for (auto _ : state) {
    pass(1, true);
    pass(2, true);
  }
  const char* names[] = {"enc", "pred", "dec"};
  double sum1 = 0, sum2 = 0;
  for (int stage = 0; stage < 3; ++stage) {
    const double m1 = Median(t[0][stage]), m2 = Median(t[1][stage]);
    sum1 += m1;
    sum2 += m2;
    state.counters[std::string(names[stage]) + "_RTF_1t"] = m1 / seconds;
    state.counters[std::string(names[stage]) + "_speedup"] = m1 / m2;
  }
  const double all1 = Median(t[0][3]), all2 = Median(t[1][3]);
  state.counters["rest_RTF_1t"] = std::max(0.0, all1 - sum1) / seconds;
  state.counters["rest_RTF_2t"] = std::max(0.0, all2 - sum2) / seconds;
  state.counters["RunOne_RTF_1t"] = all1 / seconds;
  state.counters["RunOne_RTF_2t"] = all2 / seconds;
  state.counters["RunOne_speedup"] = all1 / all2;
}

// Time per stage (encoder / predictor / decoder) on one utterance; args as above.
void BM_ParaformerStages(benchmark::State& state) {
  const bool int8 = state.range(0) != 0;
  const int threads = static_cast<int>(state.range(1));
  const double seconds = static_cast<double>(state.range(2));
  auto model = Model(int8, false);
  int64_t frames = 0;
  const std::vector<float> feats = Features(seconds, &frames);
  funasr::ScopedNumThreads nt(threads);
  ParaformerState st;
  const int64_t d = model->config().encoder.output_size;
  std::vector<float> enc(static_cast<size_t>(frames * d));
  double t_enc = 0, t_pred = 0, t_dec = 0, c_enc = 0, c_pred = 0, c_dec = 0;
  using Clock = std::chrono::steady_clock;
  const auto frames_seq = funasr::layers::PackedSequences::Single(frames);
  for (auto _ : state) {
    const double c0 = ProcessCpuSeconds();
    auto t0 = Clock::now();
    model->Encode(feats.data(), frames_seq, enc.data(), st);
    auto t1 = Clock::now();
    const double c1 = ProcessCpuSeconds();
    auto pred = model->Predict(enc.data(), frames, st);
    auto t2 = Clock::now();
    const double c2 = ProcessCpuSeconds();
    std::vector<float> lp(static_cast<size_t>(pred.token_num * model->config().vocab_size));
    model->DecodeLogProbs(pred.embeds.data(),
                          funasr::layers::PackedSequences::Single(pred.token_num), enc.data(),
                          frames_seq, lp.data(), st);
    auto t3 = Clock::now();
    const double c3 = ProcessCpuSeconds();
    c_enc += c1 - c0;
    c_pred += c2 - c1;
    c_dec += c3 - c2;
    t_enc += std::chrono::duration<double>(t1 - t0).count();
    t_pred += std::chrono::duration<double>(t2 - t1).count();
    t_dec += std::chrono::duration<double>(t3 - t2).count();
  }
  const double n = static_cast<double>(state.iterations()) * seconds;
  state.counters["enc_RTF"] = t_enc / n;
  state.counters["pred_RTF"] = t_pred / n;
  state.counters["dec_RTF"] = t_dec / n;
  state.counters["enc_cpu_RTF"] = c_enc / n;
  state.counters["pred_cpu_RTF"] = c_pred / n;
  state.counters["dec_cpu_RTF"] = c_dec / n;
}

// Loading a native fp32 file of this size (mmap) and preparing the weights (fp32 prepack,
// or int8 quantisation at load).
void BM_ParaformerLoadNative(benchmark::State& state) {
  const bool int8 = state.range(0) != 0;
  static std::string path;
  if (path.empty()) {
    path = (std::filesystem::temp_directory_path() / "funasr_bench_paraformer_large.fnm").string();
    funasr::io::WriteNativeModel(*Files(false), path, funasr::io::NativeDType::kF32);
  }
  double rss = 0, anon = 0;
  for (auto _ : state) {
    const double before = RssMb(), anon_before = AnonRssMb();
    funasr::models::ParaformerLoadOptions o;
    o.quantize_int8 = int8;
    auto files = funasr::io::ModelFiles::Open(path);
    auto m = ParaformerModel::Load(files, o);
    files->DropResidentWeightPages();  // as funasr::AsrModel::Load does
    files.reset();
    benchmark::DoNotOptimize(m.get());
    rss = RssMb() - before;  // what the loaded model holds (mapped file pages included)
    anon = AnonRssMb() - anon_before;  // its own (anonymous) memory, without the mapped file
  }
  state.counters["model_rss_MB"] = rss;
  state.counters["model_anon_MB"] = anon;
}

// Every call a new utterance length (as VAD segments are): the first call of a length pays
// for whatever the kernels build per row count (oneDNN primitives); compare with the
// fixed-length BM_ParaformerRtf. Args: int8, threads.
void BM_ParaformerNewLengths(benchmark::State& state) {
  const bool int8 = state.range(0) != 0;
  auto model = Model(int8, false);
  int64_t frames = 0;
  const std::vector<float> feats = Features(20.0, &frames);
  ParaformerState st;
  ParaformerRequest req;
  req.num_threads = static_cast<int>(state.range(1));
  static int64_t next_cut = 1;
  double audio = 0;
  const double cpu0 = ProcessCpuSeconds();
  for (auto _ : state) {
    const int64_t n = frames - (next_cut++ % (frames / 2));  // a length not seen before
    auto out = model->RunOne(feats.data(), n, st, req);
    benchmark::DoNotOptimize(out.token_ids.data());
    audio += static_cast<double>(n) * 0.06;
  }
  state.counters["cpu_RTF"] = (ProcessCpuSeconds() - cpu0) / audio;
}

void RtfArgs(benchmark::internal::Benchmark* b) {
  for (int int8 : {0, 1}) {
    for (int seconds : {20, 60}) {
      for (int threads : {1, 2}) b->Args({int8, threads, seconds, 0});
    }
  }
  b->Args({0, 1, 20, 1});  // BiCif (timestamp head) fp32
  b->Args({0, 2, 20, 1});
  b->ArgNames({"int8", "threads", "seconds", "bicif"});
}

BENCHMARK(BM_ParaformerRtf)->Apply(RtfArgs)->Unit(benchmark::kMillisecond)->UseRealTime()
    ->MinTime(3.0);
BENCHMARK(BM_ParaformerNewLengths)->Args({0, 1})->Args({1, 1})->ArgNames({"int8", "threads"})
    ->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(6);
BENCHMARK(BM_ParaformerTwoThreadSpeedup)
    ->Args({0, 20})->Args({0, 60})->Args({1, 20})->Args({1, 60})->ArgNames({"int8", "seconds"})
    ->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(15);
BENCHMARK(BM_ParaformerStageSpeedup)
    ->Args({1, 20})->Args({0, 20})->ArgNames({"int8", "seconds"})
    ->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(11);
BENCHMARK(BM_ParaformerStages)
    ->Args({0, 1, 20})->Args({0, 2, 20})->Args({1, 1, 20})->Args({1, 2, 20})->Args({0, 1, 60})
    ->ArgNames({"int8", "threads", "seconds"})->Unit(benchmark::kMillisecond)->UseRealTime()
    ->Iterations(4);
BENCHMARK(BM_ParaformerLoadNative)->Arg(0)->Arg(1)->ArgName("int8")
    ->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(2);

}  // namespace

BENCHMARK_MAIN();
