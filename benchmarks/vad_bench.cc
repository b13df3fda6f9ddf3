// FSMN-VAD speed on one thread: real-time factor (processing time / audio duration) of
// offline Detect() and of streaming in 100 ms chunks, on the official example recording
// (reference/wavs/vad_example.wav, 70.5 s) with the real released model. Also reports the
// resident memory of an hour-long stream (it must not grow with the stream).
//
//   build/benchmarks/vad_bench [--benchmark_filter=...]
// Counters: rtf (wall) and rtf_cpu (CPU time; lower is better, ~0.002 expected), rss_mb.
#include <benchmark/benchmark.h>

#include <chrono>
#include <ctime>
#include <cstdlib>
#include <filesystem>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <sndfile.h>

#include "core/threading.h"
#include "funasr/vad.h"

namespace {

// Test data next to the source tree: $FUNASR_SOURCE_DIR, else the checkout this binary
// was built in (<src>/build/benchmarks/vad_bench), else the working directory.
std::string DataPath(const std::string& rel) {
  namespace fs = std::filesystem;
  std::vector<fs::path> roots;
  if (const char* env = std::getenv("FUNASR_SOURCE_DIR")) roots.emplace_back(env);
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) roots.push_back(exe.parent_path().parent_path().parent_path());
  roots.push_back(fs::current_path());
  for (const auto& root : roots)
    for (const fs::path& p : {root / "tests/data" / rel, root / "../shared" / rel})
      if (fs::exists(p)) return p.string();
  return "";
}

std::vector<float> ReadWav(const std::string& path) {
  SF_INFO info{};
  SNDFILE* f = sf_open(path.c_str(), SFM_READ, &info);
  if (!f) return {};
  std::vector<short> pcm(static_cast<size_t>(info.frames));
  sf_read_short(f, pcm.data(), info.frames);
  sf_close(f);
  std::vector<float> out(pcm.size());
  for (size_t i = 0; i < pcm.size(); ++i) out[i] = pcm[i] / 32768.f;
  return out;
}

struct Fixture {
  std::shared_ptr<const funasr::VadModel> model;
  std::vector<float> audio;
  bool ok = false;
  Fixture() {
    const std::string m = DataPath("models/fsmn-vad");
    const std::string w = DataPath("reference/wavs/vad_example.wav");
    if (m.empty() || w.empty()) return;
    model = funasr::VadModel::Load(m);
    audio = ReadWav(w);
    ok = !audio.empty();
  }
};

Fixture& Data() {
  static Fixture f;
  return f;
}

// Process CPU seconds: on a shared machine wall time includes waiting for a core, CPU time
// does not (the benchmarks run on one thread, so the two agree on an idle machine).
double CpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

double RssMb() {
  std::ifstream f("/proc/self/statm");
  long pages = 0, resident = 0;
  f >> pages >> resident;
  return resident * 4096.0 / (1024 * 1024);
}

void BM_VadOffline(benchmark::State& state) {
  auto& d = Data();
  if (!d.ok) return state.SkipWithError("models/fsmn-vad or vad_example.wav not found");
  funasr::ScopedNumThreads one(1);
  const double audio_s = d.audio.size() / 16000.0;
  double seconds = 0, cpu = 0;
  for (auto _ : state) {
    auto t0 = std::chrono::steady_clock::now();
    const double c0 = CpuSeconds();
    auto segs = d.model->Detect(d.audio);
    cpu += CpuSeconds() - c0;
    seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    benchmark::DoNotOptimize(segs);
  }
  state.counters["rtf"] = seconds / (audio_s * state.iterations());
  state.counters["rtf_cpu"] = cpu / (audio_s * state.iterations());
  state.counters["audio_s"] = audio_s;
}
BENCHMARK(BM_VadOffline)->Unit(benchmark::kMillisecond)->MinTime(2.0);

void BM_VadStream100ms(benchmark::State& state) {
  auto& d = Data();
  if (!d.ok) return state.SkipWithError("models/fsmn-vad or vad_example.wav not found");
  funasr::ScopedNumThreads one(1);
  const double audio_s = d.audio.size() / 16000.0;
  const size_t chunk = 1600;
  double seconds = 0, cpu = 0;
  for (auto _ : state) {
    auto t0 = std::chrono::steady_clock::now();
    const double c0 = CpuSeconds();
    auto stream = d.model->CreateStream();
    size_t events = 0;
    for (size_t pos = 0; pos < d.audio.size(); pos += chunk) {
      const size_t n = std::min(chunk, d.audio.size() - pos);
      events += stream->AcceptWaveform(d.audio.data() + pos, n, pos + n == d.audio.size()).size();
    }
    cpu += CpuSeconds() - c0;
    seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    benchmark::DoNotOptimize(events);
  }
  state.counters["rtf"] = seconds / (audio_s * state.iterations());
  state.counters["rtf_cpu"] = cpu / (audio_s * state.iterations());
}
BENCHMARK(BM_VadStream100ms)->Unit(benchmark::kMillisecond)->MinTime(2.0);

// One hour of audio (the example looped) through one stream in 100 ms chunks; RSS is
// sampled after the first minute and at the end.
void BM_VadHourLongStream(benchmark::State& state) {
  auto& d = Data();
  if (!d.ok) return state.SkipWithError("models/fsmn-vad or vad_example.wav not found");
  funasr::ScopedNumThreads one(1);
  const size_t chunk = 1600, total = 16000ull * 3600;
  std::vector<float> buf(chunk);
  for (auto _ : state) {
    auto stream = d.model->CreateStream();
    double rss_1min = 0;
    size_t segments = 0;
    auto t0 = std::chrono::steady_clock::now();
    const double c0 = CpuSeconds();
    for (size_t pos = 0; pos < total; pos += chunk) {
      for (size_t i = 0; i < chunk; ++i) buf[i] = d.audio[(pos + i) % d.audio.size()];
      segments += stream->AcceptWaveform(buf.data(), chunk, pos + chunk >= total).size();
      if (pos == 16000ull * 60) rss_1min = RssMb();
    }
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    state.counters["rtf"] = s / 3600.0;
    state.counters["rtf_cpu"] = (CpuSeconds() - c0) / 3600.0;
    state.counters["rss_mb_1min"] = rss_1min;
    state.counters["rss_mb_60min"] = RssMb();
    state.counters["events"] = segments;
  }
}
BENCHMARK(BM_VadHourLongStream)->Unit(benchmark::kSecond)->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
