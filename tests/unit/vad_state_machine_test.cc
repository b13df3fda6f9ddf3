// VadStateMachine + DynamicSilenceSchedule against FunASR's golden per-frame data: the
// golden silence posteriors and decibels are fed in FunASR's own forward() blocks
// (forward_calls.json) and the frame decisions, thresholds, stream events and segments must
// match exactly.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "common/test_data.h"
#include "models/vad/vad_config.h"
#include "models/vad/vad_state_machine.h"

namespace funasr::vad {
namespace {

using funasr_test::FindData;
using funasr_test::LoadNpy;
using nlohmann::json;

json LoadJson(const std::string& path) { return json::parse(funasr_test::ReadTextFile(path)); }

std::vector<VadSegment> ToSegments(const json& j) {
  std::vector<VadSegment> v;
  for (const auto& s : j) v.push_back(VadSegment{s[0].get<int64_t>(), s[1].get<int64_t>()});
  return v;
}

std::string Str(const std::vector<VadSegment>& v) {
  std::string s = "[";
  for (const auto& x : v) s += "[" + std::to_string(x.start_ms) + "," + std::to_string(x.end_ms) + "]";
  return s + "]";
}

// Pairs stream events into closed segments the way the golden harness did.
std::vector<VadSegment> PairEvents(const std::vector<VadSegment>& events) {
  std::vector<VadSegment> out;
  int64_t open = -1;
  for (const auto& e : events) {
    if (e.start_ms >= 0 && e.end_ms >= 0) {
      out.push_back(e);
    } else if (e.start_ms >= 0) {
      open = e.start_ms;
    } else if (e.end_ms >= 0) {
      out.push_back(VadSegment{open, e.end_ms});
      open = -1;
    }
  }
  return out;
}

struct GoldenCase {
  std::string dir;  // e.g. reference/fsmn-vad/zh_3s_offline_dyn
};

class VadStateMachineGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(VadStateMachineGolden, MatchesFunAsr) {
  const std::string dir = "reference/" + GetParam();
  const std::string calls_path = FindData(dir + "/forward_calls.json");
  if (calls_path.empty()) GTEST_SKIP() << "golden data not available: " << dir;
  const bool dynamic = GetParam().find("_dyn") != std::string::npos;
  const bool streaming = GetParam().find("_stream") != std::string::npos;
  const double chunk_ms = streaming ? 600 : 60000;

  auto scores = LoadNpy(FindData(dir + "/scores_sil.npy"));
  auto decibel = LoadNpy(FindData(dir + "/decibel.npy"));
  auto frame_state = LoadNpy(FindData(dir + "/frame_state.npy"));
  json calls = LoadJson(calls_path);
  auto want_segments = ToSegments(LoadJson(FindData(dir + "/segments.json")));
  ASSERT_EQ(scores.numel(), decibel.numel());

  VadConfig config;  // the released config.yaml equals FunASR's defaults
  VadStateMachine machine(config);
  DynamicSilenceSchedule schedule(config.speech_to_sil_time_thres);
  std::vector<int> trace;
  machine.set_frame_state_trace(&trace);

  std::vector<VadSegment> events;  // stream events or offline segments, in order
  std::vector<std::vector<VadSegment>> per_call;
  int64_t pos = 0;
  for (size_t c = 0; c < calls.size(); ++c) {
    const auto& call = calls[c];
    if (dynamic) schedule.BeforeChunk(&machine, chunk_ms);
    EXPECT_EQ(machine.end_silence_ms(), call["max_end_sil_frame_cnt_thresh"].get<double>())
        << "call " << c;
    EXPECT_EQ(machine.speech_noise_thres(), call["speech_noise_thres"].get<double>())
        << "call " << c;
    const int64_t n = call["n_frames"].get<int64_t>();
    const bool is_final = call["is_final"].get<bool>();
    ASSERT_LE(pos + n, scores.numel());
    machine.AcceptFrames(scores.f32.data() + pos, n, 1, decibel.f32.data() + pos, is_final);
    pos += n;
    std::vector<VadSegment> out;
    machine.CollectSegments(streaming, is_final, &out);
    if (dynamic) schedule.AfterChunk(!out.empty());
    events.insert(events.end(), out.begin(), out.end());
    per_call.push_back(out);
    EXPECT_LE(machine.buffered_segments(), 2u);
  }
  EXPECT_EQ(pos, scores.numel());

  ASSERT_EQ(trace.size(), frame_state.i64.size());
  int mismatches = 0;
  for (size_t i = 0; i < trace.size(); ++i) mismatches += trace[i] != frame_state.i64[i];
  EXPECT_EQ(mismatches, 0) << "frame states differ";

  if (streaming) {
    // Golden per-chunk events; chunks = forward calls except where FunASR split one input
    // chunk (a final chunk of exactly chunk_size is processed as chunk + empty flush).
    json chunk_events = LoadJson(FindData(dir + "/chunk_events.json"));
    std::vector<VadSegment> want_events;
    for (const auto& ce : chunk_events) {
      auto v = ToSegments(ce["value"]);
      want_events.insert(want_events.end(), v.begin(), v.end());
    }
    EXPECT_EQ(Str(events), Str(want_events));
    if (chunk_events.size() == calls.size()) {
      for (size_t c = 0; c < calls.size(); ++c)
        EXPECT_EQ(Str(per_call[c]), Str(ToSegments(chunk_events[c]["value"]))) << "chunk " << c;
    }
    EXPECT_EQ(Str(PairEvents(events)), Str(want_segments));
  } else {
    EXPECT_EQ(Str(events), Str(want_segments));
  }
  std::printf("[vad] %s: %zu segments %s\n", GetParam().c_str(), want_segments.size(),
              Str(want_segments).c_str());
}

std::vector<std::string> AllCases() {
  std::vector<std::string> cases;
  for (const char* wav :
       {"zh_3s", "en_3s", "mix_20s", "long_70s", "short_0p6s", "asr_example_zh", "vad_example"})
    for (const char* mode : {"offline", "stream600ms"})
      for (const char* sched : {"dyn", "classic"})
        cases.push_back(std::string("fsmn-vad/") + wav + "_" + mode + "_" + sched);
  for (const char* c : {"zh_3s_offline_dyn", "zh_3s_offline_classic", "mix_20s_offline_dyn",
                        "mix_20s_offline_classic", "mix_20s_stream600ms_dyn",
                        "long_70s_offline_dyn", "long_70s_offline_classic"})
    cases.push_back(std::string("fsmn-vad-random/") + c);
  return cases;
}

INSTANTIATE_TEST_SUITE_P(All, VadStateMachineGolden, ::testing::ValuesIn(AllCases()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string s = info.param;
                           for (char& ch : s)
                             if (!isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           return s;
                         });

// Feeds constant-probability runs (spec §5 worked check 4).
std::vector<VadSegment> RunSynthetic(const std::vector<std::pair<int, float>>& runs,
                                     const VadConfig& config, bool streaming, int block = 60,
                                     bool dynamic = false) {
  std::vector<float> p;
  for (auto [n, v] : runs) p.insert(p.end(), n, v);
  std::vector<float> db(p.size(), -30.f);
  VadStateMachine m(config);
  DynamicSilenceSchedule schedule(config.speech_to_sil_time_thres);
  std::vector<VadSegment> out;
  for (size_t pos = 0; pos < p.size(); pos += block) {
    const int64_t n = std::min<int64_t>(block, p.size() - pos);
    const bool fin = pos + n == p.size();
    if (dynamic) schedule.BeforeChunk(&m, block * 10.0);
    m.AcceptFrames(p.data() + pos, n, 1, db.data() + pos, fin);
    size_t before = out.size();
    m.CollectSegments(streaming, fin, &out);
    if (dynamic) schedule.AfterChunk(out.size() > before);
  }
  return out;
}

TEST(VadStateMachine, SpecWorkedExample) {
  VadConfig c;
  auto segs = RunSynthetic({{100, 0.9f}, {200, 0.05f}, {300, 0.9f}}, c, false);
  EXPECT_EQ(Str(segs), "[[740,3160]]");
  EXPECT_EQ(Str(RunSynthetic({{100, 0.9f}, {200, 0.05f}, {300, 0.9f}}, c, false, 60, true)),
            "[[740,3160]]");
  EXPECT_EQ(Str(RunSynthetic({{100, 0.9f}, {200, 0.05f}, {300, 0.9f}}, c, true)),
            "[[740,-1][-1,3160]]");
}

TEST(VadStateMachine, SilenceOnlyGivesNothing) {
  VadConfig c;
  EXPECT_EQ(Str(RunSynthetic({{1000, 0.99f}}, c, false)), "[]");
  EXPECT_EQ(Str(RunSynthetic({{1000, 0.99f}}, c, true)), "[]");
  // p_sil exactly 1 and 0 (ln 0): silence and speech, no crash.
  EXPECT_EQ(Str(RunSynthetic({{500, 1.0f}}, c, false)), "[]");
  EXPECT_EQ(Str(RunSynthetic({{50, 1.0f}, {100, 0.0f}}, c, false)), "[[240,1500]]");
}

TEST(VadStateMachine, SpeechToTheEndIsClosedAtTheLastFrame) {
  VadConfig c;
  // Starts mid-speech: start clamps to frame 0; ends mid-speech: end = frame count.
  EXPECT_EQ(Str(RunSynthetic({{300, 0.01f}}, c, false)), "[[0,3000]]");
  EXPECT_EQ(Str(RunSynthetic({{300, 0.01f}}, c, true)), "[[0,-1][-1,3000]]");
}

TEST(VadStateMachine, LongSpeechIsSplitAtMaxSingleSegmentTime) {
  VadConfig c;
  c.max_single_segment_time = 5000;
  auto segs = RunSynthetic({{1700, 0.01f}}, c, false);
  // 501-frame pieces, contiguous (spec §3.6.3 "Forced split").
  EXPECT_EQ(Str(segs), "[[0,5010][5010,10020][10020,15030][15030,17000]]");
  for (const auto& s : segs) EXPECT_LE(s.end_ms - s.start_ms, 5010);
}

TEST(VadStateMachine, SingleUtteranceModeStopsAfterFirstSegment) {
  VadConfig c;
  c.detect_mode = 0;
  auto segs = RunSynthetic({{100, 0.9f}, {200, 0.05f}, {300, 0.9f}, {200, 0.05f}, {100, 0.9f}},
                           c, false);
  EXPECT_EQ(Str(segs), "[[740,3160]]");
  // Leading silence longer than max_start_silence_time: no segment at all.
  c.max_start_silence_time = 500;
  EXPECT_EQ(Str(RunSynthetic({{100, 0.9f}, {200, 0.05f}}, c, false)), "[]");
}

TEST(VadStateMachine, DecibelGateMakesQuietFramesSilence) {
  VadConfig c;
  c.decibel_thres = -20;  // the synthetic frames are at -30 dB
  EXPECT_EQ(Str(RunSynthetic({{300, 0.01f}}, c, false)), "[]");
}

}  // namespace
}  // namespace funasr::vad
