// The pipeline's orchestration against FunASR's golden long-audio runs, independent of the
// models: fake stages replay what FunASR's VAD, ASR and punctuation returned in each case
// (reference/pipeline/<case>/), and the pipeline must slice the audio exactly as AutoModel
// did, hand the punctuation model the same text, and return the same final result
// (text, timestamp, sentence_info) — however the segments are batched, whatever the block
// timing of the VAD, with several requests running at once.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "common/test_data.h"
#include "common/wav_reader.h"
#include "funasr/pipeline.h"
#include "pipeline/pipeline_impl.h"
#include "pipeline/transcriber.h"

namespace {

using funasr::TimeSpanMs;
using funasr::TranscriptionResult;
using funasr::pipeline::AsrSegmentOutput;
using json = nlohmann::json;

const char* kCases[] = {"bicif_vad_punc_long70s_classic", "bicif_vad_punc_long70s_dyn",
                        "seaco_hotword_vad_punc_long70s_classic",
                        "bicif_vad_punc_vad_example_classic"};

json LoadJson(const std::string& rel) {
  const std::string path = funasr_test::RequireData(rel);
  if (path.empty()) throw std::runtime_error("missing " + rel);
  return json::parse(funasr_test::ReadTextFile(path));
}

std::vector<TimeSpanMs> Spans(const json& a) {
  std::vector<TimeSpanMs> out;
  for (const auto& s : a) out.push_back({s[0].get<int64_t>(), s[1].get<int64_t>()});
  return out;
}

struct Golden {
  std::string name;
  std::string wav_rel;
  std::string key;  // AutoModel's key: the wav name
  std::vector<TimeSpanMs> vad;
  // per original segment index: expected sample count and ASR output
  std::vector<size_t> n_samples;
  std::vector<AsrSegmentOutput> asr;
  std::string punc_input;
  funasr::PunctuationOutput punc;
  json result;
};

Golden LoadGolden(const std::string& name) {
  Golden g;
  g.name = name;
  const std::string dir = "reference/pipeline/" + name + "/";
  g.wav_rel = name.find("vad_example") != std::string::npos ? "reference/wavs/vad_example.wav"
                                                            : "reference/wavs/long_70s.wav";
  g.key = name.find("vad_example") != std::string::npos ? "vad_example" : "long_70s";
  g.vad = Spans(LoadJson(dir + "vad_segments.json"));
  const json asr = LoadJson(dir + "asr_segments.json");
  g.n_samples.resize(g.vad.size());
  g.asr.resize(g.vad.size());
  for (size_t k = 0; k < asr["slices"].size(); ++k) {
    const json& slice = asr["slices"][k];
    const json& res = asr["per_segment_results_before_offset"][k][0];
    const size_t idx = slice["original_index"][0].get<size_t>();
    g.n_samples[idx] = slice["n_samples"][0].get<size_t>();
    g.asr[idx].text = res["text"].get<std::string>();
    if (res.contains("timestamp")) {
      g.asr[idx].has_timestamps = true;
      g.asr[idx].timestamps = Spans(res["timestamp"]);
    }
  }
  const json punc = LoadJson(dir + "punc.json");
  g.punc_input = punc["punc_input"][0].get<std::string>();
  g.punc.text = punc["punc_result"][0]["text"].get<std::string>();
  for (const auto& id : punc["punc_result"][0]["punc_array"]) g.punc.punc_ids.push_back(id.get<int>());
  g.result = LoadJson(dir + "result.json")[0];
  return g;
}

// VAD replay: reports each golden segment once the audio fed so far reaches its end plus
// `latency_ms` (or at the end), like a streaming VAD that needs trailing silence.
class ReplayVadSession : public funasr::pipeline::VadSession {
 public:
  ReplayVadSession(std::vector<TimeSpanMs> segs, int64_t latency_ms)
      : segs_(std::move(segs)), latency_ms_(latency_ms) {}
  std::vector<TimeSpanMs> Feed(const float*, size_t n, bool is_final) override {
    received_ += static_cast<int64_t>(n);
    std::vector<TimeSpanMs> out;
    while (next_ < segs_.size() &&
           (is_final || segs_[next_].end + latency_ms_ <= received_ / 16)) {
      out.push_back(segs_[next_++]);
    }
    return out;
  }
  int64_t earliest_pending_ms() const override {
    return next_ < segs_.size() ? segs_[next_].start : received_ / 16;
  }

 private:
  std::vector<TimeSpanMs> segs_;
  int64_t latency_ms_;
  size_t next_ = 0;
  int64_t received_ = 0;
};

class ReplayVad : public funasr::pipeline::VadStage {
 public:
  ReplayVad(std::vector<TimeSpanMs> segs, int64_t latency_ms)
      : segs_(std::move(segs)), latency_ms_(latency_ms) {}
  std::unique_ptr<funasr::pipeline::VadSession> Start(
      const funasr::pipeline::VadSettings&) const override {
    return std::make_unique<ReplayVadSession>(segs_, latency_ms_);
  }

 private:
  std::vector<TimeSpanMs> segs_;
  int64_t latency_ms_;
};

// ASR replay: identifies each input by its samples (which must equal AutoModel's slice
// speech[int(beg*16):int(end*16)] of the wav) and returns FunASR's output for it.
class ReplayAsr : public funasr::pipeline::AsrStage {
 public:
  ReplayAsr(const Golden& g, std::vector<float> wav) : g_(g), wav_(std::move(wav)) {}

  class Session : public funasr::pipeline::AsrSession {
   public:
    explicit Session(const ReplayAsr& owner) : owner_(owner) {}
    std::vector<AsrSegmentOutput> Recognize(
        const std::vector<const std::vector<float>*>& batch) override {
      std::vector<AsrSegmentOutput> out;
      for (const auto* samples : batch) out.push_back(owner_.Lookup(*samples));
      std::lock_guard<std::mutex> lock(owner_.mu_);
      owner_.batch_sizes_.push_back(batch.size());
      return out;
    }

   private:
    const ReplayAsr& owner_;
  };

  std::unique_ptr<funasr::pipeline::AsrSession> Start(
      const std::vector<std::string>&) const override {
    return std::make_unique<Session>(*this);
  }
  bool has_timestamps() const override { return true; }
  bool supports_hotwords() const override { return true; }

  AsrSegmentOutput Lookup(const std::vector<float>& samples) const {
    for (size_t i = 0; i < g_.vad.size(); ++i) {
      if (samples.size() != g_.n_samples[i]) continue;
      if (!wav_.empty()) {
        const size_t begin = static_cast<size_t>(g_.vad[i].start * 16);
        EXPECT_TRUE(std::equal(samples.begin(), samples.end(), wav_.begin() + begin))
            << "segment " << i << " samples differ from the wav slice";
      }
      return g_.asr[i];
    }
    ADD_FAILURE() << "no golden segment with " << samples.size() << " samples";
    return {};
  }

  mutable std::mutex mu_;
  mutable std::vector<size_t> batch_sizes_;

 private:
  const Golden& g_;
  std::vector<float> wav_;
};

class ReplayPunc : public funasr::pipeline::PuncStage {
 public:
  explicit ReplayPunc(const Golden& g) : g_(g) {}
  funasr::PunctuationOutput Punctuate(const std::string& text) const override {
    EXPECT_EQ(text, g_.punc_input) << "punctuation input differs";
    return g_.punc;
  }

 private:
  const Golden& g_;
};

// Audio of the golden wav (or silence of the same length when only the JSON is present).
std::vector<float> LoadAudio(const Golden& g, bool* have_wav) {
  const std::string path = funasr_test::FindData(g.wav_rel);
  *have_wav = !path.empty();
  if (*have_wav) return funasr_test::ReadWavPcm16(path).MonoFloat();
  // Without the wav the slices can only be checked by length: make it long enough.
  return std::vector<float>(static_cast<size_t>((g.vad.back().end + 1000) * 16), 0.0f);
}

json ResultJson(const TranscriptionResult& r) { return json::parse(funasr::ToAutoModelJson(r)); }

void ExpectSameAsGolden(const Golden& g, const TranscriptionResult& r) {
  const json got = ResultJson(r);
  EXPECT_EQ(got["key"], g.result["key"]) << g.name;
  EXPECT_EQ(got["text"], g.result["text"]) << g.name;
  EXPECT_TRUE(got["timestamp"] == g.result["timestamp"]) << g.name << ": timestamp differs";
  EXPECT_EQ(got["sentence_info"].size(), g.result["sentence_info"].size()) << g.name;
  // Keep failure output short: the dicts are large.
  EXPECT_TRUE(got == g.result) << g.name << ": whole AutoModel dict differs";
  EXPECT_EQ(r.vad_segments, g.vad) << g.name;
  size_t n_mismatch = 0;
  for (size_t i = 0; i < std::min(r.sentences.size(), g.result["sentence_info"].size()); ++i) {
    if (r.sentences[i].text != g.result["sentence_info"][i]["text"]) ++n_mismatch;
  }
  std::printf("[%s] %zu sentences, %zu timestamps, %zu sentence mismatches\n", g.name.c_str(),
              r.sentences.size(), r.timestamps.size(), n_mismatch);
}

struct Setup {
  Golden golden;
  std::vector<float> audio;
  bool have_wav = false;
  std::shared_ptr<ReplayAsr> asr;
  std::shared_ptr<const funasr::Pipeline> pipeline;
};

// Which stages are the real models (the others replay FunASR's recorded outputs).
struct RealStages {
  bool vad = false;
  bool punc = false;
};

std::unique_ptr<Setup> MakeSetup(const std::string& name, double batch_seconds,
                                 int64_t vad_latency_ms, RealStages real = {}) {
  auto s = std::make_unique<Setup>();
  s->golden = LoadGolden(name);
  s->audio = LoadAudio(s->golden, &s->have_wav);
  funasr::pipeline::Stages stages;
  if (real.vad) {
    stages.vad = funasr::pipeline::LoadVadStage(
        funasr_test::RequireData("reference/models/fsmn-vad"));
  } else {
    stages.vad = std::make_shared<ReplayVad>(s->golden.vad, vad_latency_ms);
  }
  s->asr = std::make_shared<ReplayAsr>(s->golden, s->have_wav ? s->audio : std::vector<float>{});
  stages.asr = s->asr;
  if (real.punc) {
    stages.punc = funasr::pipeline::LoadPuncStage(
        funasr_test::RequireData("reference/models/ct-punc-tiny"));
  } else {
    stages.punc = std::make_shared<ReplayPunc>(s->golden);
  }
  funasr::PipelineOptions options;
  options.batch_seconds = batch_seconds;
  // The golden runs: "_classic" = AutoModel(dynamic_silence=False), "_dyn" = defaults.
  options.vad_dynamic_silence = name.find("_classic") == std::string::npos;
  s->pipeline = funasr::pipeline::MakePipeline(stages, options);
  return s;
}

funasr::TranscribeOptions Key(const Setup& s) {
  funasr::TranscribeOptions o;
  o.key = s.golden.key;
  return o;
}

class PipelineReplay : public ::testing::TestWithParam<const char*> {};

TEST_P(PipelineReplay, BatchOneMatchesAutoModel) {
  auto s = MakeSetup(GetParam(), 0, 2000);
  if (!s->have_wav) std::printf("wav not found: slices checked by length only\n");
  const TranscriptionResult r =
      s->pipeline->TranscribePcm(s->audio.data(), s->audio.size(), 16000, Key(*s));
  ExpectSameAsGolden(s->golden, r);
  for (size_t b : s->asr->batch_sizes_) EXPECT_EQ(b, 1u);
}

TEST_P(PipelineReplay, DurationBudgetBatchesGiveTheSameResult) {
  for (double budget : {20.0, 300.0}) {
    auto s = MakeSetup(GetParam(), budget, 500);
    const TranscriptionResult r =
        s->pipeline->TranscribePcm(s->audio.data(), s->audio.size(), 16000, Key(*s));
    ExpectSameAsGolden(s->golden, r);
    size_t largest = 0;
    for (size_t b : s->asr->batch_sizes_) largest = std::max(largest, b);
    std::printf("budget %.0f s: %zu ASR calls, largest batch %zu\n", budget,
                s->asr->batch_sizes_.size(), largest);
    EXPECT_GT(largest, 1u);
  }
}

TEST_P(PipelineReplay, Pcm16InputGivesTheSameResult) {
  auto s = MakeSetup(GetParam(), 0, 2000);
  std::vector<int16_t> pcm;
  for (float x : s->audio) pcm.push_back(static_cast<int16_t>(x * 32768.0f));
  const TranscriptionResult r = s->pipeline->TranscribePcm16(pcm.data(), pcm.size(), 16000, Key(*s));
  ExpectSameAsGolden(s->golden, r);
}

// The real FSMN-VAD (bundled weights) and the golden ct-punc-tiny model inside the
// pipeline, only the ASR replayed: VAD segments, punctuation and sentence_info as FunASR.
TEST_P(PipelineReplay, RealVadAndPunctuationMatchAutoModel) {
  auto s = MakeSetup(GetParam(), 300, 0, RealStages{true, true});
  ASSERT_TRUE(s->have_wav) << "the real VAD needs the golden wav";
  const TranscriptionResult r =
      s->pipeline->TranscribePcm(s->audio.data(), s->audio.size(), 16000, Key(*s));
  ExpectSameAsGolden(s->golden, r);
}

INSTANTIATE_TEST_SUITE_P(Golden, PipelineReplay, ::testing::ValuesIn(kCases));

TEST(PipelineReplayThreads, ConcurrentRequestsEqualSerial) {
  auto s = MakeSetup(kCases[0], 20, 500);
  const std::string serial = funasr::ToAutoModelJson(
      s->pipeline->TranscribePcm(s->audio.data(), s->audio.size(), 16000));
  std::vector<std::string> got(4);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < got.size(); ++t) {
    threads.emplace_back([&, t] {
      funasr::TranscribeOptions o;
      o.num_threads = 1;
      got[t] = funasr::ToAutoModelJson(
          s->pipeline->TranscribePcm(s->audio.data(), s->audio.size(), 16000, o));
    });
  }
  for (auto& th : threads) th.join();
  for (const auto& g : got) EXPECT_EQ(g, serial);
}

TEST(PipelineReplayProgress, MonotoneFractionsEndAtOne) {
  auto s = MakeSetup(kCases[3], 20, 500);
  std::vector<funasr::PipelineProgress> seen;
  funasr::TranscribeOptions o;
  o.on_progress = [&](const funasr::PipelineProgress& p) {
    seen.push_back(p);
    return true;
  };
  s->pipeline->TranscribePcm(s->audio.data(), s->audio.size(), 16000, o);
  ASSERT_GE(seen.size(), 3u);
  for (size_t i = 1; i < seen.size(); ++i) {
    EXPECT_GE(seen[i].fraction, seen[i - 1].fraction);
    EXPECT_GE(seen[i].segments_decoded, seen[i - 1].segments_decoded);
  }
  EXPECT_DOUBLE_EQ(seen.back().fraction, 1.0);
  EXPECT_EQ(seen.back().segments_decoded, static_cast<int64_t>(s->golden.vad.size()));
  EXPECT_GT(seen[seen.size() / 2].fraction, 0.0);
}

TEST(PipelineReplayProgress, CallbackAndFlagCancel) {
  auto s = MakeSetup(kCases[3], 20, 500);
  funasr::TranscribeOptions o;
  int calls = 0;
  o.on_progress = [&](const funasr::PipelineProgress&) { return ++calls < 3; };
  try {
    s->pipeline->TranscribePcm(s->audio.data(), s->audio.size(), 16000, o);
    FAIL() << "not cancelled";
  } catch (const funasr::Error& e) {
    EXPECT_EQ(e.code(), funasr::ErrorCode::kCancelled);
  }
  EXPECT_EQ(calls, 3);

  std::atomic<bool> cancel{true};
  funasr::TranscribeOptions o2;
  o2.cancel = &cancel;
  try {
    s->pipeline->TranscribePcm(s->audio.data(), s->audio.size(), 16000, o2);
    FAIL() << "not cancelled";
  } catch (const funasr::Error& e) {
    EXPECT_EQ(e.code(), funasr::ErrorCode::kCancelled);
  }
}

}  // namespace
