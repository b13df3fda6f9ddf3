// The public FSMN-VAD API (include/funasr/vad.h): published results on the official
// example, option overrides, stream events, edge cases, bounded memory, thread safety.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "common/test_data.h"
#include "common/test_wav.h"
#include "funasr/error.h"
#include "funasr/vad.h"
#include "io/model_files.h"
#include "io/native_model_writer.h"
#include "models/vad/fsmn_vad_session.h"

namespace funasr {
namespace {

using funasr_test::FindData;

// FunASR's published segments for vad_example.wav (classic = fixed 800 ms end silence).
const char* kPublished =
    "[[70,2340][2620,6200][6480,23670][23950,26250][26780,28990][29950,31430][31750,37600]"
    "[38210,46900][47310,49630][49910,56460][56740,59540][59820,70450]]";

std::string Str(const std::vector<VadSegment>& v) {
  std::string s = "[";
  for (const auto& x : v)
    s += "[" + std::to_string(x.start_ms) + "," + std::to_string(x.end_ms) + "]";
  return s + "]";
}

std::shared_ptr<const VadModel> Model() {
  static std::shared_ptr<const VadModel> model = [] {
    const std::string path = FindData("models/fsmn-vad");
    return path.empty() ? nullptr : VadModel::Load(path);
  }();
  return model;
}

const std::vector<float>& Wav(const std::string& name) {
  static std::map<std::string, std::vector<float>> cache;
  auto it = cache.find(name);
  if (it != cache.end()) return it->second;
  const std::string path = FindData("reference/wavs/" + name + ".wav");
  return cache[name] = path.empty() ? std::vector<float>{} : funasr_test::ReadWavInt16(path);
}

// Pairs stream events into closed segments; fails on a malformed event sequence.
std::vector<VadSegment> PairEvents(const std::vector<VadSegment>& events) {
  std::vector<VadSegment> out;
  int64_t open = -1;
  for (const auto& e : events) {
    if (e.start_ms >= 0 && e.end_ms >= 0) {
      EXPECT_EQ(open, -1) << "complete segment while one is open";
      out.push_back(e);
    } else if (e.start_ms >= 0) {
      EXPECT_EQ(open, -1) << "start while one is open";
      open = e.start_ms;
    } else {
      EXPECT_GE(open, 0) << "end without start";
      EXPECT_GE(e.end_ms, 0) << "event {-1,-1}";
      out.push_back(VadSegment{open, e.end_ms});
      open = -1;
    }
  }
  EXPECT_EQ(open, -1) << "stream ended with an open segment";
  return out;
}

// Sorted, non-overlapping, non-empty segments within [0, duration].
void ExpectWellFormed(const std::vector<VadSegment>& segs, int64_t duration_ms) {
  int64_t prev_end = 0;
  for (const auto& s : segs) {
    EXPECT_GE(s.start_ms, prev_end) << Str(segs);
    EXPECT_LT(s.start_ms, s.end_ms) << Str(segs);
    EXPECT_LE(s.end_ms, duration_ms) << Str(segs);
    prev_end = s.end_ms;
  }
}

std::vector<VadSegment> StreamAll(const VadModel& model, const std::vector<float>& audio,
                                  size_t chunk, const VadOptions& options = {}) {
  auto stream = model.CreateStream(options);
  std::vector<VadSegment> events;
  for (size_t pos = 0; pos < audio.size() || pos == 0; pos += chunk) {
    const size_t n = std::min(chunk, audio.size() - std::min(pos, audio.size()));
    const bool last = pos + chunk >= audio.size();
    auto ev = stream->AcceptWaveform(audio.data() + pos, n, last);
    events.insert(events.end(), ev.begin(), ev.end());
    if (last) break;
  }
  return events;
}

#define REQUIRE_MODEL()                                        \
  auto model = Model();                                        \
  if (!model) GTEST_SKIP() << "models/fsmn-vad not present";

TEST(VadApi, PublishedSegmentsOnVadExample) {
  REQUIRE_MODEL();
  const auto& audio = Wav("vad_example");
  ASSERT_FALSE(audio.empty());
  EXPECT_EQ(Str(model->Detect(audio, VadOptions::Classic())), kPublished);
  // Passing max_end_silence_time switches the dynamic schedule off, as in FunASR.
  VadOptions fixed;
  fixed.max_end_silence_time_ms = 800;
  EXPECT_EQ(Str(model->Detect(audio, fixed)), kPublished);
  // Streaming, classic: any chunking gives the same segments.
  for (size_t chunk : {9600u, 1600u, 16000u * 7 + 13}) {
    VadOptions o = VadOptions::Classic();
    EXPECT_EQ(Str(PairEvents(StreamAll(*model, audio, chunk, o))), kPublished) << chunk;
    o.chunk_size_ms = 200;
    EXPECT_EQ(Str(PairEvents(StreamAll(*model, audio, chunk, o))), kPublished) << chunk;
  }
  // FunASR's current default (dynamic schedule) gives its own golden result.
  EXPECT_EQ(Str(model->Detect(audio)),
            "[[70,59970][59970,60950][60950,62250][62250,62860][62860,63680][63690,67040]"
            "[67040,70450]]");
}

TEST(VadApi, LegacyModelDirectoryGivesTheSameResult) {
  const std::string legacy = FindData("models/fsmn-vad-legacy");
  if (legacy.empty()) GTEST_SKIP() << "models/fsmn-vad-legacy not present";
  auto model = VadModel::Load(legacy);
  EXPECT_EQ(model->sample_rate(), 16000);
  const auto& audio = Wav("vad_example");
  ASSERT_FALSE(audio.empty());
  EXPECT_EQ(Str(model->Detect(audio, VadOptions::Classic())), kPublished);
}

TEST(VadApi, NativeModelFilesLoadAndMatch) {
  const std::string dir = FindData("models/fsmn-vad");
  if (dir.empty()) GTEST_SKIP() << "models/fsmn-vad not present";
  const auto& audio = Wav("vad_example");
  ASSERT_FALSE(audio.empty());
  auto files = io::ModelFiles::Open(dir);
  const std::string tmp = funasr_test::TempDir("vad_native");
  for (const char* dtype : {"f32", "f16", "int8"}) {
    const std::string path = tmp + "/fsmn-vad-" + dtype + ".funasr";
    io::WriteNativeModel(*files, path, io::ParseNativeDType(dtype));
    auto model = VadModel::Load(path);
    auto classic = model->Detect(audio, VadOptions::Classic());
    auto dynamic = model->Detect(audio);
    std::printf("[vad] native %s: classic %s\n", dtype, Str(classic).c_str());
    ExpectWellFormed(classic, 70471);
    ExpectWellFormed(dynamic, 70471);
    if (std::string(dtype) != "int8") EXPECT_EQ(Str(classic), kPublished) << dtype;
  }
}

TEST(VadApi, WrongModelOrPathIsAClearError) {
  const std::string punc = FindData("reference/models/ct-punc-tiny");
  if (!punc.empty()) {
    try {
      VadModel::Load(punc);
      ADD_FAILURE() << "a punctuation model loaded as VAD";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kUnsupported) << e.what();
      EXPECT_NE(std::string(e.what()).find("CTTransformer"), std::string::npos) << e.what();
    }
  }
  EXPECT_THROW(VadModel::Load("/nonexistent/fsmn-vad"), Error);
}

TEST(VadApi, BadOptionsAreRejected) {
  REQUIRE_MODEL();
  std::vector<float> audio(16000, 0.f);
  VadOptions o;
  o.max_single_segment_time_ms = 0;
  EXPECT_THROW(model->Detect(audio, o), Error);
  o = VadOptions();
  o.chunk_size_ms = -5;
  EXPECT_THROW(model->CreateStream(o), Error);
  o = VadOptions();
  o.window_size_ms = 5;  // less than one 10 ms frame
  EXPECT_THROW(model->Detect(audio, o), Error);
  auto s = model->CreateStream();
  EXPECT_THROW(s->AcceptWaveform(nullptr, 10, false), Error);
}

TEST(VadApi, OptionsAreOverriddenPerCall) {
  REQUIRE_MODEL();
  const auto& audio = Wav("vad_example");
  ASSERT_FALSE(audio.empty());
  VadOptions split = VadOptions::Classic();
  split.max_single_segment_time_ms = 5000;
  auto segs = model->Detect(audio, split);
  ExpectWellFormed(segs, 70471);
  EXPECT_GT(segs.size(), 12u);
  for (const auto& s : segs) EXPECT_LE(s.end_ms - s.start_ms, 5010) << Str(segs);
  // Longer end silence merges segments; the model itself is unchanged afterwards.
  VadOptions merge;
  merge.max_end_silence_time_ms = 3000;
  auto merged = model->Detect(audio, merge);
  ExpectWellFormed(merged, 70471);
  EXPECT_LT(merged.size(), 12u);
  EXPECT_EQ(Str(model->Detect(audio, VadOptions::Classic())), kPublished);
}

TEST(VadApi, SilenceAndLowNoiseGiveNoSegments) {
  REQUIRE_MODEL();
  std::vector<float> silence(16000 * 10, 0.f);
  EXPECT_EQ(Str(model->Detect(silence)), "[]");
  EXPECT_EQ(Str(model->Detect(silence, VadOptions::Classic())), "[]");
  EXPECT_EQ(Str(StreamAll(*model, silence, 3200)), "[]");
  std::mt19937 rng(3);
  std::normal_distribution<float> noise(0.f, 3e-4f);  // ~ -70 dBFS hiss
  std::vector<float> hiss(16000 * 10);
  for (float& x : hiss) x = noise(rng);
  auto segs = model->Detect(hiss);
  ExpectWellFormed(segs, 10000);
  EXPECT_EQ(Str(segs), "[]");
  EXPECT_EQ(Str(PairEvents(StreamAll(*model, hiss, 1600))), "[]");
}

TEST(VadApi, EmptyAndShorterThanOneFrame) {
  REQUIRE_MODEL();
  EXPECT_TRUE(model->Detect(std::vector<float>{}).empty());
  std::vector<float> tiny(100, 0.3f);
  EXPECT_TRUE(model->Detect(tiny).empty());
  EXPECT_TRUE(model->Detect(std::vector<float>(399, 0.1f)).empty());
  // Two frames (< lfr_m rows available at the end): FunASR scores nothing.
  EXPECT_TRUE(model->Detect(std::vector<float>(400 + 160, 0.1f)).empty());
  auto s = model->CreateStream();
  EXPECT_TRUE(s->AcceptWaveform(nullptr, 0, false).empty());
  EXPECT_TRUE(s->AcceptWaveform(tiny, false).empty());
  EXPECT_TRUE(s->AcceptWaveform(nullptr, 0, true).empty());
  EXPECT_EQ(s->received_ms(), 0);  // reset after the final call
}

TEST(VadApi, ClipStartingAndEndingMidSpeech) {
  REQUIRE_MODEL();
  const auto& audio = Wav("vad_example");
  ASSERT_FALSE(audio.empty());
  // 1.0 s .. 5.0 s of the example lies inside the published segment [70, 2340] ->
  // [2620, 6200]: speech at both cut points.
  std::vector<float> clip(audio.begin() + 16000, audio.begin() + 16000 * 5);
  for (const VadOptions& o : {VadOptions(), VadOptions::Classic()}) {
    auto segs = model->Detect(clip, o);
    ExpectWellFormed(segs, 4000);
    ASSERT_FALSE(segs.empty());
    EXPECT_EQ(segs.front().start_ms, 0) << Str(segs);  // speech from the first frame
    EXPECT_EQ(segs.back().end_ms, 3980) << Str(segs);   // closed at the last frame
    EXPECT_EQ(Str(PairEvents(StreamAll(*model, clip, 1234, o))), Str(segs));
  }
}

TEST(VadApi, TinyChunksGiveTheSameEventsAsFunAsrChunks) {
  REQUIRE_MODEL();
  const auto& audio = Wav("asr_example_zh");
  ASSERT_FALSE(audio.empty());
  for (const VadOptions& base : {VadOptions(), VadOptions::Classic()}) {
    VadOptions o = base;
    o.chunk_size_ms = 600;
    auto ref = StreamAll(*model, audio, 9600, o);
    EXPECT_EQ(Str(ref), "[[610,-1][-1,5530]]");
    EXPECT_EQ(Str(StreamAll(*model, audio, 1, o)), Str(ref));
    EXPECT_EQ(Str(StreamAll(*model, audio, 37, o)), Str(ref));
  }
  // Without a chunk size every call is processed as it comes, 1-sample calls included.
  EXPECT_EQ(Str(PairEvents(StreamAll(*model, audio, 1, VadOptions::Classic()))), "[[610,5530]]");
}

TEST(VadApi, LongStreamKeepsMemoryFlat) {
  REQUIRE_MODEL();
  const auto& speech = Wav("vad_example");
  ASSERT_FALSE(speech.empty());
  auto model_internal = vad::FsmnVadModel::Load(FindData("models/fsmn-vad"));
  vad::FsmnVadSession session(model_internal, VadOptions(), /*streaming_format=*/true);
  // 10 minutes of speech with pauses in 100 ms chunks (the benchmark runs hours).
  const size_t chunk = 1600;
  const size_t total = 16000 * 600;
  std::vector<VadSegment> events;
  size_t scratch_after_first_minute = 0;
  std::vector<float> buf(chunk);
  for (size_t pos = 0; pos < total; pos += chunk) {
    for (size_t i = 0; i < chunk; ++i) buf[i] = speech[(pos + i) % speech.size()];
    const bool last = pos + chunk >= total;
    auto ev = session.Accept(buf.data(), chunk, last);
    events.insert(events.end(), ev.begin(), ev.end());
    if (last) break;  // the final call resets the session
    EXPECT_LE(session.buffered_segments(), 2u);
    EXPECT_LT(session.pending_samples(), 16000u);
    if (pos == 16000 * 60) scratch_after_first_minute = session.scratch_floats();
    if (pos > 16000 * 60) ASSERT_EQ(session.scratch_floats(), scratch_after_first_minute);
  }
  auto segs = PairEvents(events);
  ExpectWellFormed(segs, 600000);
  EXPECT_GT(segs.size(), 20u);
}

TEST(VadApi, ThreadsSharingOneModelMatchSerialResults) {
  REQUIRE_MODEL();
  std::vector<std::string> wavs = {"vad_example", "asr_example_zh", "mix_20s", "zh_3s"};
  std::vector<std::vector<float>> audio;
  for (const auto& w : wavs)
    if (!Wav(w).empty()) audio.push_back(Wav(w));
  ASSERT_GE(audio.size(), 2u);
  std::vector<std::string> serial;
  for (const auto& a : audio) {
    serial.push_back(Str(model->Detect(a)) + Str(StreamAll(*model, a, 3200)));
  }
  std::vector<std::string> parallel(audio.size() * 2);
  std::vector<std::thread> threads;
  for (size_t rep = 0; rep < 2; ++rep)
    for (size_t i = 0; i < audio.size(); ++i)
      threads.emplace_back([&, i, rep] {
        parallel[rep * audio.size() + i] =
            Str(model->Detect(audio[i])) + Str(StreamAll(*model, audio[i], 3200));
      });
  for (auto& t : threads) t.join();
  for (size_t rep = 0; rep < 2; ++rep)
    for (size_t i = 0; i < audio.size(); ++i)
      EXPECT_EQ(parallel[rep * audio.size() + i], serial[i]) << i;
}

}  // namespace
}  // namespace funasr
