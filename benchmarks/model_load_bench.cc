// Model loading time at the released paraformer-large size (220,084,533 parameters, random
// weights): a native f32 / int8 file (memory-mapped, used in place) against the released
// directory (config.yaml + 880 MB model.pt read through the zip + pickle reader). Also the
// real-size CT-Transformer punctuation model (vocabulary 272,727). The models are generated
// into a temporary directory when the program starts (~20 s, ~2.8 GB of disk) and removed at
// exit; set FUNASR_BENCH_TMP to choose the directory.
//
//   build/benchmarks/model_load_bench [--benchmark_filter=...]
// Target: BM_LoadNative/f32 well under one second.
//
// BM_AsrModelResident: resident memory of a model loaded through the public API
// (funasr::AsrModel::Load), measured in a fresh process (this program re-run with
// --resident-probe), so that nothing the benchmark itself allocated or freed counts. Target:
// one copy of the weights once loaded (fp32 ~0.9 GB, int8 ~0.45 GB) from either source, and
// a peak while loading not far above it (model.pt is read tensor by tensor).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include <unistd.h>

#include <array>
#include <fstream>
#include <sstream>

#include "funasr/asr.h"
#include "io/model_directory_writer.h"
#include "io/model_files.h"
#include "io/native_model_writer.h"
#include "io/random_model.h"

namespace {

namespace fs = std::filesystem;
using namespace funasr::io;

struct Files {
  fs::path root;
  std::string large_dir, large_f32, large_int8, punc_dir, punc_f32;
  ~Files() {
    std::error_code ec;
    if (!root.empty()) fs::remove_all(root, ec);
  }
};

const Files& Models() {
  static Files* files = [] {
    auto* f = new Files;
    const char* base = std::getenv("FUNASR_BENCH_TMP");
    fs::path parent = base ? fs::path(base) : fs::temp_directory_path();
    f->root = parent / ("funasr_model_load_bench_" + std::to_string(::getpid()));
    fs::create_directories(f->root);
    std::fprintf(stderr, "generating paraformer-large (220M parameters) and ct-punc (vocab 272727) in %s ...\n",
                 f->root.c_str());
    {
      RandomModelOptions o;  // released paraformer-large dimensions
      auto m = MakeRandomModel(o);
      f->large_dir = (f->root / "paraformer-large").string();
      f->large_f32 = (f->root / "paraformer-large-f32.fnm").string();
      f->large_int8 = (f->root / "paraformer-large-int8.fnm").string();
      WriteModelDirectory(*m, f->large_dir);
      WriteNativeModel(*m, f->large_f32, NativeDType::kF32);
      WriteNativeModel(*m, f->large_int8, NativeDType::kInt8);
    }
    {
      RandomModelOptions o;
      o.kind = RandomModelKind::kCtPunc;
      o.UsePuncDefaults();
      auto m = MakeRandomModel(o);
      f->punc_dir = (f->root / "ct-punc").string();
      f->punc_f32 = (f->root / "ct-punc-f32.fnm").string();
      WriteModelDirectory(*m, f->punc_dir);
      WriteNativeModel(*m, f->punc_f32, NativeDType::kF32);
    }
    std::atexit([] { delete files; });
    return f;
  }();
  return *files;
}

void Load(benchmark::State& state, const std::string& path, bool touch) {
  int64_t params = 0;
  for (auto _ : state) {
    auto m = ModelFiles::Open(path);
    if (touch) {
      // Read one float per 4 KiB page of every tensor: the cost of first use after load.
      float sum = 0;
      for (const auto& n : m->TensorNames()) {
        funasr::Tensor t = m->GetTensor(n);
        const char* p = static_cast<const char*>(t.raw_data());
        for (size_t off = 0; off < t.nbytes(); off += 4096) sum += static_cast<float>(p[off]);
      }
      benchmark::DoNotOptimize(sum);
    }
    benchmark::DoNotOptimize(m);
  }
  auto m = ModelFiles::Open(path);
  for (const auto& n : m->TensorNames()) {
    funasr::Tensor q, scales;
    params += m->GetInt8(n, &q, &scales) ? q.numel() : m->GetTensor(n).numel();
  }
  state.counters["params_M"] = static_cast<double>(params) / 1e6;
  state.counters["file_MB"] = static_cast<double>(fs::is_directory(path) ? fs::file_size(path + "/model.pt")
                                                                          : fs::file_size(path)) / 1e6;
}

void BM_LoadNative_F32(benchmark::State& s) { Load(s, Models().large_f32, false); }
void BM_LoadNative_F32_TouchAllPages(benchmark::State& s) { Load(s, Models().large_f32, true); }
void BM_LoadNative_Int8(benchmark::State& s) { Load(s, Models().large_int8, false); }
// A released directory is checked when opened and read tensor by tensor on demand
// (io::TorchCheckpoint): touching every tensor is what a model load pays for reading it.
void BM_LoadReleasedDirectory(benchmark::State& s) { Load(s, Models().large_dir, true); }
void BM_LoadPuncNative_F32(benchmark::State& s) { Load(s, Models().punc_f32, false); }
void BM_LoadPuncReleasedDirectory(benchmark::State& s) { Load(s, Models().punc_dir, true); }

// kB of a /proc/self/status field ("VmRSS:", "RssAnon:", "RssFile:", "VmHWM:").
double StatusKb(const std::string& field) {
  std::ifstream f("/proc/self/status");
  std::string line;
  while (std::getline(f, line)) {
    if (line.rfind(field, 0) == 0) return std::stod(line.substr(field.size()));
  }
  return 0;
}

// The probe run: load, print "rss anon file peak" in MB, exit.
int ResidentProbe(const std::string& path, bool int8) {
  funasr::LoadOptions o;
  o.int8 = int8;
  const double rss0 = StatusKb("VmRSS:"), anon0 = StatusKb("RssAnon:"), file0 = StatusKb("RssFile:");
  auto model = funasr::AsrModel::Load(path, o);
  std::printf("%.1f %.1f %.1f %.1f\n", (StatusKb("VmRSS:") - rss0) / 1024,
              (StatusKb("RssAnon:") - anon0) / 1024, (StatusKb("RssFile:") - file0) / 1024,
              StatusKb("VmHWM:") / 1024);
  return 0;
}

// Args: source (0 = released directory, 1 = native f32 file), int8.
void BM_AsrModelResident(benchmark::State& state) {
  const std::string& path = state.range(0) ? Models().large_f32 : Models().large_dir;
  std::array<char, 4096> self{};
  if (::readlink("/proc/self/exe", self.data(), self.size() - 1) <= 0) {
    state.SkipWithError("cannot find /proc/self/exe");
    return;
  }
  const std::string cmd = std::string(self.data()) + " --resident-probe='" + path + "' " +
                          (state.range(1) ? "int8" : "fp32");
  double rss = 0, anon = 0, file = 0, peak = 0;
  for (auto _ : state) {
    FILE* p = ::popen(cmd.c_str(), "r");
    if (p == nullptr || std::fscanf(p, "%lf %lf %lf %lf", &rss, &anon, &file, &peak) != 4) {
      if (p) ::pclose(p);
      state.SkipWithError("the probe process failed");
      return;
    }
    ::pclose(p);
  }
  state.counters["model_rss_MB"] = rss;    // what the loaded model adds to the process
  state.counters["model_anon_MB"] = anon;  // of which its own memory
  state.counters["model_file_MB"] = file;  // of which mapped file pages
  state.counters["peak_rss_MB"] = peak;    // the probe process's peak (during loading)
}

BENCHMARK(BM_LoadNative_F32)->Unit(benchmark::kMillisecond)->Iterations(10);
BENCHMARK(BM_LoadNative_F32_TouchAllPages)->Unit(benchmark::kMillisecond)->Iterations(5);
BENCHMARK(BM_LoadNative_Int8)->Unit(benchmark::kMillisecond)->Iterations(10);
BENCHMARK(BM_LoadReleasedDirectory)->Unit(benchmark::kMillisecond)->Iterations(2);
BENCHMARK(BM_LoadPuncNative_F32)->Unit(benchmark::kMillisecond)->Iterations(10);
BENCHMARK(BM_LoadPuncReleasedDirectory)->Unit(benchmark::kMillisecond)->Iterations(2);
BENCHMARK(BM_AsrModelResident)
    ->ArgNames({"native", "int8"})
    ->ArgsProduct({{0, 1}, {0, 1}})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);

}  // namespace

int main(int argc, char** argv) {
  const std::string probe = "--resident-probe=";
  if (argc == 3 && std::string(argv[1]).rfind(probe, 0) == 0) {
    try {
      return ResidentProbe(std::string(argv[1]).substr(probe.size()), std::string(argv[2]) == "int8");
    } catch (const std::exception& e) {
      std::fprintf(stderr, "%s\n", e.what());
      return 1;
    }
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
