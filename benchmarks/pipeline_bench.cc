// Long-audio pipeline speed and memory: 10 minutes of audio (the golden long_70s.wav
// repeated) through the real FSMN-VAD, the tiny BiCif-Paraformer and the tiny CT-Transformer
// of the golden data (tests/data/reference/models), for several batch budgets, and VAD alone.
//
// Counters: RTF (compute seconds per audio second, lower is better), segments, and the audio
// the request held at most: window_s (audio kept for not-yet-complete segments) and pool_s
// (complete segments waiting for their batch) — both bounded by the options, not by the
// length of the input. The tiny models make this a measure of the pipeline's own overhead
// (reading, VAD, batching, merging, punctuation); paraformer_bench has the full-size ASR.
//
// Run: build/benchmarks/pipeline_bench
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "funasr/audio.h"
#include "funasr/pipeline.h"
#include "pipeline/pipeline_impl.h"
#include "pipeline/transcriber.h"

namespace {

using namespace funasr::pipeline;

std::string SourceDir() {
  std::string f = __FILE__;  // <source>/benchmarks/pipeline_bench.cc
  return f.substr(0, f.rfind("/benchmarks/"));
}
std::string Data(const std::string& rel) { return SourceDir() + "/tests/data/reference/" + rel; }

const std::vector<float>& TenMinutes() {
  static const std::vector<float> audio = [] {
    const std::vector<float> one = funasr::LoadAudio(Data("wavs/long_70s.wav"));
    std::vector<float> out;
    while (out.size() < static_cast<size_t>(600 * kSampleRate)) out.insert(out.end(), one.begin(), one.end());
    out.resize(static_cast<size_t>(600 * kSampleRate));
    return out;
  }();
  return audio;
}

class VectorSource : public AudioSource {
 public:
  explicit VectorSource(const std::vector<float>& x) : x_(x) {}
  size_t Read(float* out, size_t max) override {
    const size_t k = std::min(max, x_.size() - pos_);
    std::copy_n(x_.begin() + static_cast<ptrdiff_t>(pos_), k, out);
    pos_ += k;
    return k;
  }
  int64_t total_samples() const override { return static_cast<int64_t>(x_.size()); }

 private:
  const std::vector<float>& x_;
  size_t pos_ = 0;
};

const Stages& AllStages() {
  static const Stages stages = [] {
    Stages s;
    s.vad = LoadVadStage(Data("models/fsmn-vad"));
    s.asr = LoadAsrStage(Data("models/bicif-paraformer-tiny"), "auto");
    s.punc = LoadPuncStage(Data("models/ct-punc-tiny"));
    return s;
  }();
  return stages;
}

void Run(benchmark::State& state, const Stages& stages, double batch_seconds) {
  const auto& audio = TenMinutes();
  funasr::PipelineOptions options;
  options.batch_seconds = batch_seconds;
  options.num_threads = 1;
  funasr::TranscribeOptions request;
  TranscriberStats stats;
  size_t segments = 0;
  for (auto _ : state) {
    Transcriber t(stages, options, request);
    VectorSource source(audio);
    const auto r = t.Run(source, "bench");
    segments = stages.asr ? r.segments.size() : r.vad_segments.size();
    stats = t.stats();
    benchmark::DoNotOptimize(r.text.data());
  }
  const double audio_s = static_cast<double>(audio.size()) / kSampleRate;
  state.counters["RTF"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * audio_s, benchmark::Counter::kIsRate |
                                                             benchmark::Counter::kInvert);
  state.counters["segments"] = static_cast<double>(segments);
  state.counters["window_s"] = static_cast<double>(stats.peak_window_samples) / kSampleRate;
  state.counters["pool_s"] = static_cast<double>(stats.peak_pool_samples) / kSampleRate;
  state.counters["largest_batch"] = static_cast<double>(stats.largest_batch);
}

void BM_Pipeline10MinVadAsrPunc(benchmark::State& state) {
  Run(state, AllStages(), static_cast<double>(state.range(0)));
}
BENCHMARK(BM_Pipeline10MinVadAsrPunc)->Arg(0)->Arg(60)->Arg(300)->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_Pipeline10MinVadOnly(benchmark::State& state) {
  Stages vad_only;
  vad_only.vad = AllStages().vad;
  Run(state, vad_only, 0);
}
BENCHMARK(BM_Pipeline10MinVadOnly)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
