// Unit tests of the pipeline's parts: batching rule, text rules, the no-VAD segmenter,
// the sample window, and the memory bound of a request on a long stream.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "common/test_data.h"
#include "funasr/pipeline.h"
#include "pipeline/batch_planner.h"
#include "pipeline/pipeline_impl.h"
#include "pipeline/quiet_point_segmenter.h"
#include "pipeline/sample_window.h"
#include "pipeline/transcriber.h"

namespace {

using funasr::TimeSpanMs;
using namespace funasr::pipeline;

std::vector<std::pair<size_t, size_t>> Ranges(const std::vector<BatchRange>& b) {
  std::vector<std::pair<size_t, size_t>> out;
  for (const auto& r : b) out.emplace_back(r.begin, r.end);
  return out;
}

TEST(BatchPlanner, CpuBudgetZeroDecodesEachAlone) {
  auto b = PlanBatches({100, 200, 300}, 0, 60000);
  EXPECT_EQ(Ranges(b), (std::vector<std::pair<size_t, size_t>>{{0, 1}, {1, 2}, {2, 3}}));
}

TEST(BatchPlanner, BudgetRuleAsAutoModel) {
  // Hand-run of AutoModel's loop with batch_size 1000 ms: j=0 (100*1<1000) open,
  // j=1 (300*2=600) open, j=2 (400*3=1200) closes [0,3); max_len <- 400;
  // j=3 (500*1=500) open, j=4 last closes [3,5).
  auto b = PlanBatches({100, 300, 400, 500, 600}, 1000, 60000);
  EXPECT_EQ(Ranges(b), (std::vector<std::pair<size_t, size_t>>{{0, 3}, {3, 5}}));
  // Segments at/over the threshold close their batch.
  b = PlanBatches({100, 200, 70000, 80000}, 1e9, 60000);
  EXPECT_EQ(Ranges(b), (std::vector<std::pair<size_t, size_t>>{{0, 3}, {3, 4}}));
  // The quirk: a new batch's max_len starts at the closing segment's length.
  b = PlanBatches({10, 10, 900, 10}, 1000, 60000);
  // j=0: 10 open; j=1: 20 open; j=2: 900*3=2700 closes [0,3), max_len=900; j=3 last.
  EXPECT_EQ(Ranges(b), (std::vector<std::pair<size_t, size_t>>{{0, 3}, {3, 4}}));
  EXPECT_TRUE(PlanBatches({}, 1000, 60000).empty());
}

TEST(BatchPlanner, StableSortByDuration) {
  std::vector<TimeSpanMs> spans = {{0, 500}, {600, 700}, {800, 1300}, {1400, 1500}};
  EXPECT_EQ(SortByDuration(spans), (std::vector<size_t>{1, 3, 0, 2}));
}

TEST(QuietPointSegmenter, ShortAudioIsOneUtterance) {
  QuietPointSegmenter seg(60000);
  std::vector<float> x(16000 * 5, 0.1f);
  EXPECT_TRUE(seg.Feed(x.data(), x.size(), false).empty());
  auto pieces = seg.Feed(nullptr, 0, true);
  ASSERT_EQ(pieces.size(), 1u);
  EXPECT_EQ(pieces[0], (TimeSpanMs{0, 5000}));
}

TEST(QuietPointSegmenter, CutsLongAudioAtTheQuietestFrame) {
  // 25 s of tone with silent gaps at 7.3 s and 16.1 s; limit 10 s, so cuts must land in
  // those gaps (each in the last quarter before its limit).
  const int sr = 16000;
  std::vector<float> x(static_cast<size_t>(sr) * 25);
  for (size_t i = 0; i < x.size(); ++i) x[i] = 0.3f * std::sin(0.05f * static_cast<float>(i));
  auto silence = [&](double from_s, double to_s) {
    for (size_t i = static_cast<size_t>(from_s * sr); i < static_cast<size_t>(to_s * sr); ++i) {
      x[i] = 0;
    }
  };
  silence(8.0, 8.2);
  silence(16.1, 16.3);
  QuietPointSegmenter seg(10000);
  std::vector<TimeSpanMs> pieces;
  for (size_t at = 0; at < x.size(); at += 7777) {  // odd block sizes
    const size_t n = std::min<size_t>(7777, x.size() - at);
    for (auto p : seg.Feed(x.data() + at, n, at + n == x.size())) pieces.push_back(p);
  }
  ASSERT_EQ(pieces.size(), 3u);
  EXPECT_EQ(pieces[0].start, 0);
  EXPECT_GE(pieces[0].end, 8000);
  EXPECT_LE(pieces[0].end, 8200);
  EXPECT_EQ(pieces[1].start, pieces[0].end);
  EXPECT_GE(pieces[1].end, 16100);
  EXPECT_LE(pieces[1].end, 16300);
  EXPECT_EQ(pieces[2].start, pieces[1].end);
  EXPECT_EQ(pieces[2].end, 25000);
  for (auto p : pieces) EXPECT_LT(p.end - p.start, 10000);
}

TEST(QuietPointSegmenter, UniformAudioStillRespectsTheLimit) {
  QuietPointSegmenter seg(1000);
  std::vector<float> x(16000 * 10, 0.5f);
  auto pieces = seg.Feed(x.data(), x.size(), true);
  ASSERT_GE(pieces.size(), 10u);
  int64_t at = 0;
  for (auto p : pieces) {
    EXPECT_EQ(p.start, at);
    EXPECT_GT(p.end, p.start);
    EXPECT_LT(p.end - p.start, 1000);
    at = p.end;
  }
  EXPECT_EQ(at, 10000);
  EXPECT_THROW(QuietPointSegmenter(10), funasr::Error);
}

TEST(SampleWindow, KeepsOnlyTheTail) {
  SampleWindow w;
  std::vector<float> x(1000);
  for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(i);
  w.Append(x.data(), 600);
  w.DiscardBefore(500);
  w.Append(x.data() + 600, 400);
  EXPECT_EQ(w.begin(), 500);
  EXPECT_EQ(w.end(), 1000);
  auto c = w.Copy(700, 1200);  // clipped at the end
  ASSERT_EQ(c.size(), 300u);
  EXPECT_EQ(c.front(), 700.0f);
  EXPECT_THROW(w.Copy(100, 600), funasr::Error);
  EXPECT_TRUE(w.Copy(900, 800).empty());
}

// A 3-hour synthetic stream (never held in memory) with a segment every 7 s.
class SyntheticSource : public AudioSource {
 public:
  explicit SyntheticSource(int64_t n) : n_(n) {}
  size_t Read(float* out, size_t max) override {
    const size_t k = static_cast<size_t>(std::min<int64_t>(static_cast<int64_t>(max), n_ - pos_));
    for (size_t i = 0; i < k; ++i) out[i] = 0.01f * static_cast<float>((pos_ + i) % 100);
    pos_ += static_cast<int64_t>(k);
    return k;
  }
  int64_t total_samples() const override { return n_; }

 private:
  int64_t n_;
  int64_t pos_ = 0;
};

class PeriodicVadSession : public VadSession {
 public:
  std::vector<TimeSpanMs> Feed(const float*, size_t n, bool) override {
    received_ms_ += static_cast<int64_t>(n) / 16;
    std::vector<TimeSpanMs> out;
    while (next_ + 6000 <= received_ms_) {
      out.push_back({next_ + 500, next_ + 6000});
      next_ += 7000;
    }
    return out;
  }
  int64_t earliest_pending_ms() const override { return next_; }

 private:
  int64_t received_ms_ = 0;
  int64_t next_ = 0;
};
class PeriodicVad : public VadStage {
 public:
  std::unique_ptr<VadSession> Start(const VadSettings&) const override {
    return std::make_unique<PeriodicVadSession>();
  }
};
class LengthAsr : public AsrStage {
 public:
  class Session : public AsrSession {
   public:
    std::vector<AsrSegmentOutput> Recognize(
        const std::vector<const std::vector<float>*>& batch) override {
      std::vector<AsrSegmentOutput> out;
      for (const auto* s : batch) {
        AsrSegmentOutput o;
        o.text = "n" + std::to_string(s->size());
        o.has_timestamps = true;
        o.timestamps = {{0, static_cast<int64_t>(s->size() / 16)}};
        out.push_back(o);
      }
      return out;
    }
  };
  std::unique_ptr<AsrSession> Start(const std::vector<std::string>&) const override {
    return std::make_unique<Session>();
  }
  bool has_timestamps() const override { return true; }
  bool supports_hotwords() const override { return false; }
};

TEST(Transcriber, MemoryIsBoundedByBatchNotByAudio) {
  Stages stages;
  stages.vad = std::make_shared<PeriodicVad>();
  stages.asr = std::make_shared<LengthAsr>();
  funasr::PipelineOptions options;
  options.batch_seconds = 60;
  funasr::TranscribeOptions request;
  Transcriber t(stages, options, request);
  const int64_t hours3 = int64_t{3} * 3600 * 16000;
  SyntheticSource source(hours3);
  const auto r = t.Run(source, "long");
  EXPECT_EQ(r.segments.size(), static_cast<size_t>(3 * 3600 / 7) + 1);
  EXPECT_EQ(r.duration_ms, 3.0 * 3600 * 1000);
  // Window: one 60 s block plus the not-yet-complete tail; pool: about the budget.
  std::printf("peak window %.1f s, peak pool %.1f s, %zu batches, largest %zu\n",
              t.stats().peak_window_samples / 16000.0, t.stats().peak_pool_samples / 16000.0,
              t.stats().batches, t.stats().largest_batch);
  EXPECT_LE(t.stats().peak_window_samples, static_cast<size_t>(70 * 16000));
  EXPECT_LE(t.stats().peak_pool_samples, static_cast<size_t>(120 * 16000));
  EXPECT_EQ(r.timestamps.front(), (TimeSpanMs{500, 6000}));
  EXPECT_EQ(r.sentences.size(), r.segments.size());  // no punctuation: one per segment
}

TEST(Transcriber, NoVadSplitsLongAudioIntoBoundedPieces) {
  Stages stages;
  stages.asr = std::make_shared<LengthAsr>();
  funasr::PipelineOptions options;
  options.max_segment_ms = 30000;
  auto pipeline = MakePipeline(stages, options);
  std::vector<float> x(16000 * 95, 0.2f);
  const auto r = pipeline->TranscribePcm(x.data(), x.size(), 16000);
  ASSERT_EQ(r.segments.size(), 4u);
  EXPECT_TRUE(r.vad_segments.empty());  // no VAD ran
  int64_t at = 0;
  for (const auto& s : r.segments) {
    EXPECT_EQ(s.span.start, at);
    EXPECT_LT(s.span.end - s.span.start, 30000);
    at = s.span.end;
  }
  EXPECT_EQ(at, 95000);
}

TEST(Transcriber, EmptyAndSilentInputs) {
  Stages stages;
  stages.asr = std::make_shared<LengthAsr>();
  auto pipeline = MakePipeline(stages, {});
  const auto r = pipeline->TranscribePcm(nullptr, 0, 16000);
  EXPECT_TRUE(r.has_asr);
  EXPECT_EQ(r.text, "");
  EXPECT_TRUE(r.segments.empty());
  EXPECT_EQ(funasr::ToAutoModelJson(r), R"({"key":"pcm","text":"","timestamp":[]})");
}

TEST(Pipeline, BadOptionsAndMissingStages) {
  Stages none;
  EXPECT_THROW(MakePipeline(none, {}), funasr::Error);
  Stages stages;
  stages.asr = std::make_shared<LengthAsr>();
  funasr::PipelineOptions o;
  o.max_segment_ms = 5;
  EXPECT_THROW(MakePipeline(stages, o), funasr::Error);
  o = {};
  o.batch_seconds = -1;
  EXPECT_THROW(MakePipeline(stages, o), funasr::Error);
  auto p = MakePipeline(stages, {});
  try {
    p->Punctuate("abc");
    FAIL();
  } catch (const funasr::Error& e) {
    EXPECT_EQ(e.code(), funasr::ErrorCode::kInvalidArgument);
  }
  std::vector<float> x(100);
  EXPECT_THROW(p->TranscribePcm(x.data(), x.size(), 0), funasr::Error);
  funasr::PipelineConfig config;
  try {
    funasr::Pipeline::Load(config);
    FAIL();
  } catch (const funasr::Error& e) {
    EXPECT_EQ(e.code(), funasr::ErrorCode::kInvalidArgument);
    EXPECT_NE(std::string(e.what()).find("no model"), std::string::npos);
  }
  config.asr_model = "/nonexistent/model";
  config.dtype = "f64";
  EXPECT_THROW(funasr::Pipeline::Load(config), funasr::Error);
}

TEST(Pipeline, KeyFromPath) {
  EXPECT_EQ(KeyFromPath("/a/b/long_70s.wav"), "long_70s");
  EXPECT_EQ(KeyFromPath("x.tar.gz"), "x.tar");
  EXPECT_EQ(KeyFromPath(".hidden"), ".hidden");
  EXPECT_EQ(KeyFromPath("-"), "stdin");
}

}  // namespace
