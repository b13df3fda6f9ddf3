// Long-audio merge + sentence_info vs FunASR's AutoModel.inference_with_vad: the golden
// per-segment ASR results and punctuation ids of reference/pipeline/<variant>/ are fed into
// MergeSegmentTranscripts / JoinVadTexts / BuildSentenceInfo and compared with the golden
// timestamps, punctuation input text and sentence_info; plus synthetic cases run through
// FunASR's own timestamp_sentence / _join_vad_texts / _vad_segment_sentences.
#include <gtest/gtest.h>

#include "funasr/error.h"
#include "parity/text_test_util.h"
#include "text/segment_merge.h"
#include "text/sentence_info.h"

namespace funasr::text {
namespace {

using funasr_test::FindData;
using funasr_test::LoadJson;
using funasr_test::ToSpans;

SegmentAsrResult ToSegment(const nlohmann::json& r) {
  SegmentAsrResult s;
  s.text = r.value("text", std::string());
  if (r.contains("timestamp")) {
    s.has_timestamps = true;
    s.timestamps = ToSpans(r["timestamp"]);
  }
  return s;
}

void ExpectSentencesEqual(const std::vector<SentenceInfo>& got, const nlohmann::json& expected) {
  ASSERT_EQ(got.size(), expected.size());
  for (size_t i = 0; i < got.size(); ++i) {
    SCOPED_TRACE("sentence " + std::to_string(i));
    EXPECT_EQ(got[i].text, expected[i]["text"].get<std::string>());
    EXPECT_EQ(got[i].start_ms, expected[i]["start"].get<int64_t>());
    EXPECT_EQ(got[i].end_ms, expected[i]["end"].get<int64_t>());
    EXPECT_EQ(got[i].timestamps, ToSpans(expected[i]["timestamp"]));
  }
}

TEST(SentenceInfo, PipelineGoldens) {
  int variants = 0;
  size_t sentences = 0;
  for (const auto& v : funasr_test::ListCaseDirs("reference/pipeline")) {
    const std::string dir = "reference/pipeline/" + v + "/";
    const std::string asr_path = FindData(dir + "asr_segments.json");
    const std::string call_path = FindData(dir + "timestamp_sentence_call.json");
    if (asr_path.empty() || call_path.empty()) continue;
    SCOPED_TRACE(v);
    const auto vad = ToSpans(LoadJson(FindData(dir + "vad_segments.json")));
    const auto asr = LoadJson(asr_path);
    // Restore chronological order from the duration-sorted decoding order.
    std::vector<std::optional<SegmentAsrResult>> results(vad.size());
    const auto& slices = asr["slices"];
    const auto& per_segment = asr["per_segment_results_before_offset"];
    ASSERT_EQ(slices.size(), per_segment.size());
    for (size_t k = 0; k < slices.size(); ++k) {
      const size_t index = slices[k]["original_index"][0].get<size_t>();
      ASSERT_LT(index, vad.size());
      EXPECT_EQ(ToSpans(slices[k]["segments_ms"])[0], vad[index]);
      ASSERT_EQ(per_segment[k].size(), 1u);
      results[index] = ToSegment(per_segment[k][0]);
    }
    const MergedTranscript merged = MergeSegmentTranscripts(vad, results);
    EXPECT_EQ(merged.status, MergeStatus::kOk);
    const auto call = LoadJson(call_path);
    EXPECT_EQ(merged.timestamps, ToSpans(call["input"]["timestamps"]));
    const std::string result_path = FindData(dir + "result.json");
    nlohmann::json result;
    if (!result_path.empty()) {
      result = LoadJson(result_path)[0];
      EXPECT_EQ(merged.timestamps, ToSpans(result["timestamp"]));
    }

    std::vector<std::string> texts;
    std::vector<SegmentAsrResult> plain;
    for (const auto& r : results) {
      texts.push_back(r->text);
      plain.push_back(*r);
    }
    const auto punc = LoadJson(FindData(dir + "punc.json"));
    const std::string joined = JoinVadTexts(texts);
    EXPECT_EQ(joined, punc["punc_input"][0].get<std::string>());
    EXPECT_EQ(joined, call["input"]["text"].get<std::string>());

    PunctuationLabels po;
    po.input_text = joined;
    po.punc_ids = punc["punc_result"][0]["punc_array"].get<std::vector<int>>();
    EXPECT_EQ(po.punc_ids, call["input"]["punc_id_list"].get<std::vector<int>>());
    const std::vector<SentenceInfo> got = BuildSentenceInfo(vad, plain, merged, &po);
    ExpectSentencesEqual(got, call["output"]);
    if (!result_path.empty()) ExpectSentencesEqual(got, result["sentence_info"]);
    sentences += got.size();
    ++variants;
  }
  std::printf("pipeline: %d variants, %zu sentences identical\n", variants, sentences);
  EXPECT_GE(variants, 4);
}

TEST(SentenceInfo, PythonTimestampSentenceCases) {
  const std::string path = funasr_test::RequireData("text/python_cases.json");
  ASSERT_FALSE(path.empty());
  int n = 0;
  const auto all = LoadJson(path);
  for (const auto& rec : all["timestamp_sentence"]) {
    const auto punc = rec["punc_ids"].get<std::vector<int>>();
    const auto ts = ToSpans(rec["timestamps"]);
    const std::string text = rec["text"].get<std::string>();
    SentenceSplitOptions opt;
    opt.english_punctuation = rec["english"].get<bool>();
    SCOPED_TRACE(text + (opt.english_punctuation ? " (en)" : ""));
    if (rec.contains("error")) {
      EXPECT_NO_THROW(SplitSentences(punc, ts, text, opt));
      continue;
    }
    if (punc.empty()) continue;  // Python returns the word list as "text" there
    ExpectSentencesEqual(SplitSentences(punc, ts, text, opt), rec["sentences"]);
    ++n;
  }
  EXPECT_GE(n, 100);
}

TEST(SentenceInfo, PythonJoinAndVadSentenceCases) {
  const std::string path = funasr_test::RequireData("text/python_cases.json");
  ASSERT_FALSE(path.empty());
  const auto all = LoadJson(path);
  for (const auto& rec : all["join_vad_texts"]) {
    const auto texts = rec["texts"].get<std::vector<std::string>>();
    EXPECT_EQ(JoinVadTexts(texts), rec["joined"].get<std::string>());
  }
  for (const auto& rec : all["vad_segment_sentences"]) {
    const auto vad = ToSpans(rec["vad_segments"]);
    std::vector<SegmentAsrResult> results;
    for (size_t j = 0; j < vad.size(); ++j) {
      SegmentAsrResult s = ToSegment(rec["results"][j]);
      for (auto& t : s.timestamps) {  // fixture timestamps are absolute; ours segment-relative
        t.start -= vad[j].start;
        t.end -= vad[j].start;
      }
      results.push_back(s);
    }
    ExpectSentencesEqual(VadSegmentSentences(vad, results), rec["sentences"]);
  }
}

TEST(SentenceInfo, MergeEdgeCases) {
  const std::vector<TimeSpanMs> vad = {{100, 900}, {1500, 2000}};
  SegmentAsrResult a{"你 好", true, {{10, 50}, {50, 90}}};
  SegmentAsrResult empty_text{"", false, {}};  // FunASR's {"text": ""} for a 0-token segment
  MergedTranscript m = MergeSegmentTranscripts(vad, {a, empty_text});
  EXPECT_EQ(m.status, MergeStatus::kOk);
  EXPECT_EQ(m.text, "你 好 ");
  EXPECT_EQ(m.timestamps, (std::vector<TimeSpanMs>{{110, 150}, {150, 190}}));
  EXPECT_EQ(MergeSegmentTranscripts(vad, {a, std::nullopt}).status, MergeStatus::kMissingResult);
  EXPECT_EQ(MergeSegmentTranscripts({}, {}).status, MergeStatus::kNoSegments);
  EXPECT_EQ(MergeSegmentTranscripts(vad, {empty_text, empty_text}).status, MergeStatus::kBlank);
  EXPECT_THROW(MergeSegmentTranscripts(vad, {a}), Error);

  // Paraformer (no timestamps) with punctuation: ids cannot align -> one sentence per segment.
  SegmentAsrResult p1{"今天 天气", false, {}}, p2{"<|zh|> 很好 ", false, {}};
  const MergedTranscript pm = MergeSegmentTranscripts(vad, {p1, p2});
  PunctuationLabels po{JoinVadTexts({p1.text, p2.text}), {1, 1, 1, 3}};
  EXPECT_EQ(po.input_text, "今天 天气很好");
  const auto sentences = BuildSentenceInfo(vad, {p1, p2}, pm, &po);
  ASSERT_EQ(sentences.size(), 2u);
  EXPECT_EQ(sentences[1].text, "很好");
  EXPECT_EQ(sentences[1].start_ms, 1500);
  EXPECT_EQ(sentences[1].end_ms, 2000);
  // No punctuation model: VAD sentences without timestamps, none with timestamps.
  EXPECT_EQ(BuildSentenceInfo(vad, {p1, p2}, pm, nullptr).size(), 2u);
  EXPECT_TRUE(
      BuildSentenceInfo(vad, {a, a}, MergeSegmentTranscripts(vad, {a, a}), nullptr).empty());
  // Out-of-range punctuation id.
  EXPECT_THROW(SplitSentences({1, 7}, {{0, 1}, {1, 2}}, "a b"), Error);
}

}  // namespace
}  // namespace funasr::text
