// funasr-transcribe's output formats and input handling, without models.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "common/test_data.h"
#include "formats.h"
#include "inputs.h"
#include "progress_bar.h"

namespace {

using namespace funasr::cli;
using funasr::SentenceInfo;
using funasr::TranscriptionResult;

TranscriptionResult AsrResult() {
  TranscriptionResult r;
  r.key = "a";
  r.has_asr = true;
  r.has_timestamps = true;
  r.text = "你好，世界。";
  r.timestamps = {{100, 300}, {300, 500}, {600, 800}, {800, 1000}};
  SentenceInfo s1{"你好，", 100, 500, {{100, 300}, {300, 500}}};
  SentenceInfo s2{"世界。", 600, 1000, {{600, 800}, {800, 1000}}};
  r.sentences = {s1, s2};
  return r;
}

// The golden long-audio result (166 sentences) as a TranscriptionResult.
TranscriptionResult GoldenResult() {
  const std::string path =
      funasr_test::RequireData("reference/pipeline/bicif_vad_punc_long70s_classic/result.json");
  const auto j = nlohmann::json::parse(funasr_test::ReadTextFile(path))[0];
  TranscriptionResult r;
  r.key = j["key"];
  r.has_asr = r.has_timestamps = true;
  r.text = j["text"];
  for (const auto& s : j["sentence_info"]) {
    SentenceInfo si;
    si.text = s["text"];
    si.start_ms = s["start"];
    si.end_ms = s["end"];
    for (const auto& t : s["timestamp"]) si.timestamps.push_back({t[0], t[1]});
    r.sentences.push_back(si);
  }
  return r;
}

void ExpectWellFormed(const std::vector<Cue>& cues) {
  for (size_t i = 0; i < cues.size(); ++i) {
    EXPECT_GT(cues[i].end_ms, cues[i].start_ms) << "cue " << i << " has no duration";
    EXPECT_FALSE(cues[i].text.empty());
    if (i > 0) EXPECT_GE(cues[i].start_ms, cues[i - 1].end_ms) << "cue " << i << " overlaps";
  }
}

TEST(TranscribeFormats, ParseFormat) {
  EXPECT_EQ(ParseFormat("srt"), OutputFormat::kSrt);
  EXPECT_EQ(ParseFormat("jsonl"), OutputFormat::kJsonl);
  EXPECT_FALSE(ParseFormat("SRT").has_value());
  EXPECT_STREQ(FormatExtension(OutputFormat::kVtt), "vtt");
}

TEST(TranscribeFormats, Txt) {
  TranscriptionResult r = AsrResult();
  EXPECT_EQ(FormatTxt(r, false), "你好，世界。\n");
  EXPECT_EQ(FormatTxt(r, true), "a\t你好，世界。\n");
  TranscriptionResult vad;
  vad.key = "v";
  vad.vad_segments = {{70, 2340}, {2620, 6200}};
  EXPECT_EQ(FormatTxt(vad, false), "70\t2340\n2620\t6200\n");
  EXPECT_EQ(FormatTxt(vad, true), "v\t70\t2340\nv\t2620\t6200\n");
  vad.vad_segments.clear();
  EXPECT_EQ(FormatTxt(vad, false), "");
}

TEST(TranscribeFormats, JsonIsTheAutoModelDict) {
  TranscriptionResult r = AsrResult();
  const auto j = nlohmann::json::parse(FormatJson(r, -1));
  EXPECT_EQ(j["key"], "a");
  EXPECT_EQ(j["text"], "你好，世界。");
  EXPECT_EQ(j["timestamp"], nlohmann::json::parse("[[100,300],[300,500],[600,800],[800,1000]]"));
  ASSERT_EQ(j["sentence_info"].size(), 2u);
  EXPECT_EQ(j["sentence_info"][1]["start"], 600);
  EXPECT_EQ(FormatJson(r, -1).find('\n'), std::string::npos);  // jsonl: one line
  EXPECT_NE(FormatJson(r, 2).find('\n'), std::string::npos);
  TranscriptionResult vad;
  vad.key = "v";
  vad.vad_segments = {{1, 2}};
  EXPECT_EQ(FormatJson(vad, -1), R"({"key":"v","value":[[1,2]]})");
}

TEST(TranscribeFormats, SrtAndVttText) {
  const auto cues = BuildCues(AsrResult());
  ASSERT_EQ(cues.size(), 2u);
  EXPECT_EQ(FormatSrt(cues),
            "1\n00:00:00,100 --> 00:00:00,500\n你好，\n\n"
            "2\n00:00:00,600 --> 00:00:01,000\n世界。\n\n");
  EXPECT_EQ(FormatVtt(cues),
            "WEBVTT\n\n00:00:00.100 --> 00:00:00.500\n你好，\n\n"
            "00:00:00.600 --> 00:00:01.000\n世界。\n\n");
  std::vector<Cue> big = {{3723004, 3723005, "a<b> & c --> d"}};
  EXPECT_EQ(FormatSrt(big), "1\n01:02:03,004 --> 01:02:03,005\na<b> & c --> d\n\n");
  EXPECT_EQ(FormatVtt(big),
            "WEBVTT\n\n01:02:03.004 --> 01:02:03.005\na&lt;b&gt; &amp; c --&gt; d\n\n");
}

TEST(TranscribeFormats, CuesFromTheGoldenLongAudio) {
  const TranscriptionResult r = GoldenResult();
  const auto cues = BuildCues(r);
  ExpectWellFormed(cues);
  EXPECT_GE(cues.size(), r.sentences.size() - 10);  // a few sentences are punctuation only
  for (const auto& c : cues) EXPECT_LE(c.end_ms - c.start_ms, 7000 + 300);
  EXPECT_EQ(cues.front().start_ms, 690);
}

TEST(TranscribeFormats, NeverOneGiantCue) {
  // One 60 s "sentence" without punctuation or usable timestamps (a plain Paraformer
  // segment): split into readable cues spread over its span.
  TranscriptionResult r;
  r.has_asr = true;
  SentenceInfo s;
  s.start_ms = 1000;
  s.end_ms = 61000;
  for (int i = 0; i < 200; ++i) s.text += "字";
  r.sentences = {s};
  const auto cues = BuildCues(r);
  ExpectWellFormed(cues);
  ASSERT_GE(cues.size(), 9u);
  EXPECT_EQ(cues.front().start_ms, 1000);
  EXPECT_EQ(cues.back().end_ms, 61000);
  std::string joined;
  for (const auto& c : cues) {
    EXPECT_LE(c.end_ms - c.start_ms, 7000);
    joined += c.text;
  }
  EXPECT_EQ(joined, s.text);
  // English words keep their spaces and are never cut inside.
  SentenceInfo en;
  en.start_ms = 0;
  en.end_ms = 20000;
  for (int i = 0; i < 40; ++i) en.text += (i ? " " : "") + std::string("word") + std::to_string(i);
  r.sentences = {en};
  for (const auto& c : BuildCues(r)) {
    EXPECT_NE(c.text.front(), ' ');
    EXPECT_NE(c.text.back(), ' ');
    EXPECT_LE(c.text.size(), 42u);
  }
}

TEST(TranscribeFormats, NeverZeroLengthCues) {
  TranscriptionResult r;
  r.has_asr = true;
  r.sentences = {{"一。", 500, 500, {{500, 500}}},
                 {"二。", 500, 500, {{500, 500}}},
                 {"三。", 450, 900, {{450, 900}}},
                 {" 。", 900, 900, {}},
                 {"", 950, 960, {}}};
  const auto cues = BuildCues(r);
  ExpectWellFormed(cues);
  ASSERT_EQ(cues.size(), 4u);
  EXPECT_EQ(cues[0].text, "三。");  // in time order
  EXPECT_EQ(cues[1].text, "一。");
  EXPECT_EQ(cues[3].text, "。");
}

TEST(TranscribeFormats, CuesUseTokenTimestampsWhenSplitting) {
  TranscriptionResult r;
  r.has_asr = true;
  SentenceInfo s;
  s.text = " hello 世界，this is a test。";
  s.start_ms = 0;
  s.end_ms = 9000;
  s.timestamps = {{0, 1000}, {1000, 2000}, {2000, 3000}, {6000, 7000}, {7000, 7500},
                  {7500, 8000}, {8000, 9000}};
  r.sentences = {s};
  CueOptions o;
  o.max_cue_ms = 4000;
  const auto cues = BuildCues(r, o);
  ASSERT_EQ(cues.size(), 2u);
  EXPECT_EQ(cues[0].text, "hello 世界，");
  EXPECT_EQ(cues[0].start_ms, 0);
  EXPECT_EQ(cues[0].end_ms, 3000);
  EXPECT_EQ(cues[1].text, "this is a test。");
  EXPECT_EQ(cues[1].start_ms, 6000);
  EXPECT_EQ(cues[1].end_ms, 9000);
}

TEST(TranscribeInputs, Shards) {
  EXPECT_EQ(ParseShard("0/4").count, 4);
  EXPECT_EQ(ParseShard("3/4").index, 3);
  for (const char* bad : {"4/4", "-1/4", "1/0", "a/b", "1", "1/2/3", "1/2x", ""}) {
    EXPECT_THROW(ParseShard(bad), std::invalid_argument) << bad;
  }
  std::vector<InputItem> items(7);
  for (size_t i = 0; i < items.size(); ++i) items[i].key = std::to_string(i);
  std::vector<std::string> seen;
  for (int s = 0; s < 3; ++s) {
    for (const auto& it : SelectShard(items, {s, 3})) seen.push_back(it.key);
  }
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(seen, (std::vector<std::string>{"0", "1", "2", "3", "4", "5", "6"}));
  EXPECT_EQ(SelectShard(items, {1, 3}).size(), 2u);  // 1, 4
}

TEST(TranscribeInputs, WavScp) {
  const auto items = ParseWavScp("# list\nutt1 /data/a.wav\n\nutt2\tb c.wav  \r\n", "x.scp");
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].key, "utt1");
  EXPECT_EQ(items[0].path, "/data/a.wav");
  EXPECT_EQ(items[1].path, "b c.wav");
  EXPECT_THROW(ParseWavScp("utt1\n", "x.scp"), std::invalid_argument);
  try {
    ParseWavScp("u a.wav\nu b.wav\n", "list.scp");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("list.scp:2"), std::string::npos);
  }
  EXPECT_THROW(ExpandInputs({"/nonexistent/list.scp"}), std::invalid_argument);
  const auto plain = ExpandInputs({"dir/x.wav", "-", "notes.txt"});
  ASSERT_EQ(plain.size(), 3u);
  EXPECT_EQ(plain[0].key, "x");
  EXPECT_EQ(plain[1].key, "stdin");
  EXPECT_TRUE(plain[2].is_text);
}

TEST(TranscribeInputs, Hotwords) {
  EXPECT_EQ(ParseHotwords("阿里巴巴  达摩院", ""), (std::vector<std::string>{"阿里巴巴", "达摩院"}));
  EXPECT_EQ(ParseHotwords("", "# comment\n阿里巴巴 20\n\nmachine learning\n语音识别\t1.5\n42\n"),
            (std::vector<std::string>{"阿里巴巴", "machine", "learning", "语音识别", "42"}));
}

TEST(TranscribeProgress, Render) {
  EXPECT_EQ(ProgressBar::Render(0.5, 10), "[#####.....]  50%");
  EXPECT_EQ(ProgressBar::Render(1.5, 4), "[####] 100%");
  EXPECT_EQ(ProgressBar::Render(-1, 4), "[....]   0%");
  ProgressBar off(false);
  off.Start("k", 1, 1);
  off.Update(0.5, 3);
  off.Finish();  // disabled: draws nothing
}

}  // namespace
