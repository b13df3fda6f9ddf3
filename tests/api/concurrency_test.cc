// Concurrency (issue 9): one loaded pipeline (FSMN-VAD + SeACo-Paraformer + CT-Transformer)
// shared by 8 threads transcribing different files with different hotword lists and thread
// counts; every result is identical to the serial run of the same request. Also through the
// C API (one context, a state per thread, cancellation from another thread) and with models
// loaded by several threads at once. scripts/sanitize.sh thread runs these under
// ThreadSanitizer (the test names contain "Concurrent").
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "api/reliability_util.h"
#include "funasr/funasr.h"
#include "funasr/pipeline.h"

namespace funasr {
namespace {

using namespace funasr_reliability;

struct Request {
  std::string wav;
  std::vector<std::string> hotwords;
  int num_threads;  // kernel threads of this request (OpenMP teams inside a request)
};

// Eight different requests; sanitizer builds use shorter files (TSan runs ~10x slower).
std::vector<Request> Requests() {
  const std::string long_a = kSanitized ? "zh_3s" : "vad_example";
  const std::string long_b = kSanitized ? "en_3s" : "long_70s";
  return {
      {"asr_example_zh", {}, 1},
      {"zh_3s", {"阿里巴巴", "达摩院"}, 1},
      {"en_3s", {}, 2},
      {"mix_20s", {"语音识别"}, 1},
      {"short_0p6s", {"北京"}, 2},
      {long_a, {}, 1},
      {long_b, {"天气", "公园", "我们"}, 1},
      {"asr_example_zh", {"模型", "识别", "达摩"}, 2},
  };
}

PipelineConfig Config() {
  PipelineConfig c;
  c.vad_model = VadDir();
  c.asr_model = ModelDir(HotwordAsrModel());
  c.punc_model = ModelDir("ct-punc-tiny");
  return c;
}

std::shared_ptr<const Pipeline> SharedPipeline() {
  static std::shared_ptr<const Pipeline> p = Pipeline::Load(Config());
  return p;
}

std::string RunRequest(const Pipeline& p, const Request& r) {
  TranscribeOptions o;
  o.hotwords = r.hotwords;
  o.num_threads = r.num_threads;
  const TranscriptionResult res = p.TranscribeFile(WavPath(r.wav), o);
  // The JSON holds text, timestamps and sentences; the segments add the per-segment texts.
  std::string s = ToAutoModelJson(res);
  for (const auto& seg : res.segments) s += "|" + seg.text;
  return s;
}

TEST(PipelineConcurrency, EightThreadsOnOnePipelineEqualSerialRuns) {
  auto pipeline = SharedPipeline();
  const std::vector<Request> requests = Requests();
  std::vector<std::string> serial;
  for (const Request& r : requests) serial.push_back(RunRequest(*pipeline, r));
  // The hotword lists are not all ignored: the same audio with other hotwords may differ,
  // but each request must always give its own serial result.
  const int rounds = kSanitized ? 1 : 3;
  std::vector<std::vector<std::string>> got(requests.size());
  std::atomic<int> ready{0};
  std::vector<std::thread> threads;
  for (size_t i = 0; i < requests.size(); ++i) {
    threads.emplace_back([&, i] {
      ++ready;
      while (ready.load() < static_cast<int>(requests.size())) std::this_thread::yield();
      for (int k = 0; k < rounds; ++k) got[i].push_back(RunRequest(*pipeline, requests[i]));
    });
  }
  for (auto& t : threads) t.join();
  for (size_t i = 0; i < requests.size(); ++i) {
    ASSERT_EQ(got[i].size(), static_cast<size_t>(rounds));
    for (const std::string& g : got[i]) EXPECT_EQ(g, serial[i]) << requests[i].wav;
  }
  std::printf("  %zu requests x %d rounds on 8 threads equal their serial results\n",
              requests.size(), rounds);
}

// One request's file and PCM forms on different threads at once, and the same request on
// all threads at once.
TEST(PipelineConcurrency, SameRequestOnEveryThreadConcurrently) {
  auto pipeline = SharedPipeline();
  const Request r{"mix_20s", {"语音识别", "模型"}, 1};
  const std::string want = RunRequest(*pipeline, r);
  const std::vector<float> pcm = LoadAudio(WavPath(r.wav));
  std::vector<std::string> got(8);
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      if (i % 2 == 0) {
        got[i] = RunRequest(*pipeline, r);
      } else {
        TranscribeOptions o;
        o.hotwords = r.hotwords;
        o.num_threads = r.num_threads;
        o.key = r.wav;
        const TranscriptionResult res = pipeline->TranscribePcm(pcm.data(), pcm.size(), 16000, o);
        got[i] = ToAutoModelJson(res);
        for (const auto& seg : res.segments) got[i] += "|" + seg.text;
      }
    });
  }
  for (auto& t : threads) t.join();
  for (int i = 0; i < 8; ++i) EXPECT_EQ(got[i], want) << i;
}

// Loading the same models on several threads at once (process-wide one-time setup: oneDNN
// engine, Unicode tables, caches) gives working, identical pipelines.
TEST(PipelineConcurrency, ConcurrentLoadsGiveIdenticalPipelines) {
  const Request r{"zh_3s", {"阿里巴巴"}, 1};
  std::vector<std::string> got(4);
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      try {
        auto p = Pipeline::Load(Config());
        got[i] = RunRequest(*p, r);
      } catch (const std::exception& e) {
        got[i] = std::string("error: ") + e.what();
      }
    });
  }
  for (auto& t : threads) t.join();
  const std::string want = RunRequest(*SharedPipeline(), r);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(got[i], want) << i;
}

// The C API: one context, 8 threads each with its own state, results equal to the C++ API's.
TEST(CApiConcurrency, EightThreadsOnOneContext) {
  const std::string vad = VadDir(), asr = ModelDir(HotwordAsrModel()),
                    punc = ModelDir("ct-punc-tiny");
  funasr_context_params cp = funasr_context_default_params();
  cp.vad_model = vad.c_str();
  cp.asr_model = asr.c_str();
  cp.punc_model = punc.c_str();
  funasr_context* ctx = nullptr;
  ASSERT_EQ(funasr_context_create(&cp, &ctx), FUNASR_OK) << funasr_last_error();
  const std::vector<Request> requests = Requests();
  std::vector<std::string> want;
  for (const Request& r : requests) {
    TranscribeOptions o;
    o.hotwords = r.hotwords;
    o.num_threads = r.num_threads;
    want.push_back(ToAutoModelJson(SharedPipeline()->TranscribeFile(WavPath(r.wav), o)));
  }
  std::vector<std::string> got(requests.size());
  std::vector<int> status(requests.size(), -1);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < requests.size(); ++i) {
    threads.emplace_back([&, i] {
      const Request& r = requests[i];
      std::string hotwords;
      for (const auto& h : r.hotwords) hotwords += h + " ";
      funasr_state* state = nullptr;
      if (funasr_state_create(ctx, &state) != FUNASR_OK) return;
      funasr_transcribe_params tp = funasr_transcribe_default_params();
      tp.hotwords = hotwords.c_str();
      tp.n_threads = r.num_threads;
      funasr_result* res = nullptr;
      const std::string path = WavPath(r.wav);
      status[i] = funasr_transcribe_file(ctx, state, path.c_str(), &tp, &res);
      if (status[i] == FUNASR_OK) got[i] = funasr_result_json(res);
      funasr_result_free(res);
      funasr_state_free(state);
    });
  }
  for (auto& t : threads) t.join();
  for (size_t i = 0; i < requests.size(); ++i) {
    EXPECT_EQ(status[i], FUNASR_OK) << requests[i].wav;
    EXPECT_EQ(got[i], want[i]) << requests[i].wav;
  }
  funasr_context_free(ctx);
}

// funasr_state_cancel from another thread while requests run: each request either finishes
// normally or returns FUNASR_ERR_CANCELLED, and the states can be reset and reused.
TEST(CApiConcurrency, CancelFromAnotherThreadWhileTranscribing) {
  const std::string vad = VadDir(), asr = ModelDir(HotwordAsrModel());
  funasr_context_params cp = funasr_context_default_params();
  cp.vad_model = vad.c_str();
  cp.asr_model = asr.c_str();
  funasr_context* ctx = nullptr;
  ASSERT_EQ(funasr_context_create(&cp, &ctx), FUNASR_OK) << funasr_last_error();
  const std::string path = WavPath(kSanitized ? "mix_20s" : "long_70s");
  constexpr int kThreads = 4;
  std::vector<funasr_state*> states(kThreads, nullptr);
  for (auto& s : states) ASSERT_EQ(funasr_state_create(ctx, &s), FUNASR_OK);
  std::vector<int> status(kThreads, -1);
  std::atomic<int> started{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      ++started;
      funasr_result* res = nullptr;
      status[i] = funasr_transcribe_file(ctx, states[i], path.c_str(), nullptr, &res);
      funasr_result_free(res);
    });
  }
  while (started.load() < kThreads) std::this_thread::yield();
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  for (int i = 0; i < kThreads; i += 2) EXPECT_EQ(funasr_state_cancel(states[i]), FUNASR_OK);
  for (auto& t : threads) t.join();
  int cancelled = 0;
  for (int i = 0; i < kThreads; ++i) {
    EXPECT_TRUE(status[i] == FUNASR_OK || (i % 2 == 0 && status[i] == FUNASR_ERR_CANCELLED))
        << i << ": " << status[i] << " " << funasr_state_last_error(states[i]);
    cancelled += status[i] == FUNASR_ERR_CANCELLED;
  }
  std::printf("  %d of %d requests cancelled mid-way\n", cancelled, kThreads / 2);
  // Reset states run again to completion.
  for (int i = 0; i < kThreads; ++i) {
    EXPECT_EQ(funasr_state_reset(states[i]), FUNASR_OK);
    funasr_result* res = nullptr;
    EXPECT_EQ(funasr_transcribe_file(ctx, states[i], WavPath("zh_3s").c_str(), nullptr, &res),
              FUNASR_OK);
    funasr_result_free(res);
    funasr_state_free(states[i]);
  }
  funasr_context_free(ctx);
}

}  // namespace
}  // namespace funasr
