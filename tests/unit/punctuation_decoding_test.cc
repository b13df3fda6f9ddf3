// Word split, vocabulary lookup, windowing, carry-over, rendering and the realtime cache of
// the CT-Transformer punctuation models, checked against FunASR's recorded runs: the
// network is replaced by the per-window arg-max sequences FunASR produced, and every window
// must be fed exactly the ids FunASR fed it.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <deque>
#include <string>
#include <vector>

#include "common/test_data.h"
#include "funasr/error.h"
#include "text/punctuation_decoding.h"
#include "text/punctuation_words.h"
#include "text/token_index.h"

namespace funasr::text {
namespace {

using nlohmann::json;

json LoadJson(const std::string& rel) {
  const std::string path = funasr_test::RequireData(rel);
  if (path.empty()) return json();
  return json::parse(funasr_test::ReadTextFile(path));
}

PunctuationClasses GoldenClasses() {
  return PunctuationClasses({"<unk>", "_", "，", "。", "？", "、"}, 3, "test");
}

// Replays FunASR's forward calls: checks the window ids (and vad index) and returns the
// recorded arg-max.
class ReplayClassifier {
 public:
  explicit ReplayClassifier(const json& calls) {
    for (const json& c : calls) calls_.push_back(c);
  }
  std::vector<int> operator()(const std::vector<int32_t>& ids, int64_t vad_index) {
    EXPECT_FALSE(calls_.empty()) << "more windows than FunASR ran";
    if (calls_.empty()) return std::vector<int>(ids.size(), 1);
    json call = calls_.front();
    calls_.pop_front();
    EXPECT_EQ(ids, call["text_ids"].get<std::vector<int32_t>>()) << "window " << index_;
    if (call.contains("vad_indexes"))
      EXPECT_EQ(vad_index, call["vad_indexes"][0].get<int64_t>()) << "window " << index_;
    ++index_;
    return call["argmax"].get<std::vector<int>>();
  }
  bool done() const { return calls_.empty(); }

 private:
  std::deque<json> calls_;
  int index_ = 0;
};

std::vector<int> FlattenIds(const json& a) {
  std::vector<int> out;
  if (a.is_null()) return out;
  for (const json& x : a) {
    if (x.is_array()) {
      for (const json& y : x) out.push_back(y.get<int>());
    } else {
      out.push_back(x.get<int>());
    }
  }
  return out;
}

class TinyVocab {
 public:
  TinyVocab() {
    const json tokens = LoadJson("reference/models/ct-punc-tiny/tokens.json");
    index_ = TokenIndex::Build(tokens.get<std::vector<std::string>>(), "tokens.json");
    unk_ = index_.Find("<unk>");
  }
  std::vector<int32_t> Ids(const std::vector<std::string>& words) const {
    std::vector<int32_t> ids;
    for (const std::string& w : words) {
      const int64_t id = index_.Find(w);
      ids.push_back(static_cast<int32_t>(id < 0 ? unk_ : id));
    }
    return ids;
  }

 private:
  TokenIndex index_;
  int64_t unk_ = -1;
};

TEST(PunctuationWords, SplitsLikeFunASR) {
  EXPECT_EQ(SplitPunctuationWords("我的iPhone 12很好"),
            (std::vector<std::string>{"我", "的", "iPhone", "12", "很", "好"}));
  EXPECT_TRUE(SplitPunctuationWords("").empty());
  EXPECT_TRUE(SplitPunctuationWords(" \t\n\u3000\u00a0 \x1c").empty());
  // U+3000 and U+2009 separate; U+200B (zero width space) is not whitespace for Python.
  EXPECT_EQ(SplitPunctuationWords("ab\u3000cd\u2009e\u200bf"),
            (std::vector<std::string>{"ab", "cd", "e", "\u200b", "f"}));
  EXPECT_EQ(SplitPunctuationWords("hello,world!你好。ok"),
            (std::vector<std::string>{"hello,world!", "你", "好", "。", "ok"}));
  EXPECT_EQ(SplitPunctuationWords("😀x"), (std::vector<std::string>{"😀", "x"}));
}

TEST(PunctuationWords, InvalidUtf8IsAnError) {
  for (const std::string bad : {std::string("ab\xff"), std::string("\xe4\xbd"),
                                std::string("\xc0\x80"), std::string("\xed\xa0\x80"),
                                std::string("a\x80" "b"), std::string("\xf4\x90\x80\x80")}) {
    try {
      SplitPunctuationWords(bad);
      ADD_FAILURE() << "no error for invalid UTF-8";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
      EXPECT_NE(std::string(e.what()).find("UTF-8"), std::string::npos) << e.what();
    }
  }
}

TEST(TokenIndex, FindsEveryTokenAndRejectsDuplicates) {
  std::vector<std::string> tokens;
  for (int i = 0; i < 5000; ++i) tokens.push_back("w" + std::to_string(i * 7919));
  tokens.push_back("");
  tokens.push_back("你好");
  TokenIndex index = TokenIndex::Build(tokens, "t");
  ASSERT_EQ(index.size(), static_cast<int64_t>(tokens.size()));
  for (size_t i = 0; i < tokens.size(); ++i) {
    EXPECT_EQ(index.Find(tokens[i]), static_cast<int64_t>(i));
    EXPECT_EQ(index.Token(static_cast<int64_t>(i)), tokens[i]);
  }
  EXPECT_EQ(index.Find("w1"), -1);
  EXPECT_EQ(index.Find("你"), -1);
  EXPECT_EQ(TokenIndex().Find("x"), -1);
  tokens.push_back("w7919");
  EXPECT_THROW(TokenIndex::Build(tokens, "t"), Error);
}

TEST(PunctuationRender, CapitalizeIsPythonCapitalize) {
  EXPECT_EQ(CapitalizeAscii("iPhone"), "Iphone");
  EXPECT_EQ(CapitalizeAscii("12abC"), "12abc");
  EXPECT_EQ(CapitalizeAscii("x"), "X");
}

TEST(PunctuationRender, SpecWorkedExample) {
  // Spec §5 item 5: hello world 你 好 with [_ ， _ 。] -> " Hello world,你好。".
  const std::vector<int> pred = {1, 2, 1, 3};
  auto classify = [&](const std::vector<int32_t>&, int64_t) { return pred; };
  DecodedPunctuation r = DecodeOffline({"hello", "world", "你", "好"}, {0, 0, 0, 0},
                                       GoldenClasses(), {}, classify);
  EXPECT_EQ(r.text, " Hello world,你好。");
  EXPECT_EQ(r.punc_ids, pred);
}

TEST(PunctuationRender, EndOfTextRule) {
  const PunctuationClasses classes = GoldenClasses();
  auto run = [&](std::vector<std::string> words, std::vector<int> pred) {
    auto classify = [&](const std::vector<int32_t>&, int64_t) { return pred; };
    return DecodeOffline(words, std::vector<int32_t>(words.size(), 0), classes, {}, classify);
  };
  DecodedPunctuation r = run({"你", "好"}, {1, 5});  // 、 -> 。
  EXPECT_EQ(r.text, "你好。");
  EXPECT_EQ(r.punc_ids, (std::vector<int>{1, 3}));
  r = run({"ok"}, {2});  // , -> .
  EXPECT_EQ(r.text, " Ok.");
  EXPECT_EQ(r.punc_ids, (std::vector<int>{3}));
  r = run({"你", "好"}, {1, 4});  // ？ stays
  EXPECT_EQ(r.text, "你好？");
  EXPECT_EQ(r.punc_ids, (std::vector<int>{1, 4}));
  r = run({"ok", "go"}, {1, 1});  // ASCII end -> .
  EXPECT_EQ(r.text, " Ok go.");
  EXPECT_EQ(r.punc_ids, (std::vector<int>{1, 3}));
  r = run({"ok"}, {5});  // 、 after English is not mapped, then replaced by 。
  EXPECT_EQ(r.text, " Ok。");
  r = run({"你"}, {0});  // class 0 renders "<unk>", whose last character is ASCII
  EXPECT_EQ(r.text, "你<unk>.");
  EXPECT_EQ(r.punc_ids, (std::vector<int>{3}));
}

TEST(PunctuationRender, EmptyInputGivesEmptyResult) {
  auto never = [](const std::vector<int32_t>&, int64_t) -> std::vector<int> {
    ADD_FAILURE() << "classifier called";
    return {};
  };
  DecodedPunctuation r = DecodeOffline({}, {}, GoldenClasses(), {}, never);
  EXPECT_EQ(r.text, "");
  EXPECT_TRUE(r.punc_ids.empty());
}

TEST(PunctuationRender, AsciiPunctListIsNormalised) {
  PunctuationClasses c({"<unk>", "_", ",", "。", "?", "、"}, 3, "cfg");
  EXPECT_EQ(c.symbol(2), "，");
  EXPECT_TRUE(c.EndsSentence(4));
  EXPECT_THROW(PunctuationClasses({"_"}, 3, "cfg"), Error);
  EXPECT_THROW(PunctuationClasses({}, 0, "cfg"), Error);
}

TEST(PunctuationRender, OptionsAreValidated) {
  auto classify = [](const std::vector<int32_t>& ids, int64_t) {
    return std::vector<int>(ids.size(), 1);
  };
  PunctuationDecodingOptions o;
  o.split_size = 1;
  EXPECT_THROW(DecodeOffline({"a"}, {0}, GoldenClasses(), o, classify), Error);
  o.split_size = 20;
  o.max_window_tokens = 10;
  EXPECT_THROW(DecodeOffline({"a"}, {0}, GoldenClasses(), o, classify), Error);
}

TEST(PunctuationRender, WindowBoundKeepsWindowsSmall) {
  // A model that never predicts a sentence end or comma: FunASR would carry everything;
  // the bound cuts windows so none exceeds max_window_tokens + split_size.
  const size_t n = 5000;
  std::vector<std::string> words(n, "字");
  size_t longest = 0, total = 0;
  auto classify = [&](const std::vector<int32_t>& ids, int64_t) {
    longest = std::max(longest, ids.size());
    total += ids.size();
    return std::vector<int>(ids.size(), 1);
  };
  PunctuationDecodingOptions o;
  o.max_window_tokens = 100;
  DecodedPunctuation r = DecodeOffline(words, std::vector<int32_t>(n, 7), GoldenClasses(), o,
                                       classify);
  EXPECT_LE(longest, 120u);
  EXPECT_LT(total, n * 120 / 20 + 200);
  EXPECT_EQ(r.punc_ids.size(), n);
  EXPECT_EQ(r.text.size(), n * 3 + 3);  // every word once, then 。
}

// ---- offline golden cases ---------------------------------------------------------------

class OfflineGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(OfflineGolden, MatchesFunASR) {
  const std::string dir = "reference/ct-punc-tiny/" + GetParam() + "/";
  const json result = LoadJson(dir + "result.json");
  const json tokens = LoadJson(dir + "tokens.json");
  const json calls = LoadJson(dir + "punc_forward_calls.json");
  ASSERT_FALSE(result.is_null() || tokens.is_null() || calls.is_null());

  const std::string input = result["input"].get<std::string>();
  const std::vector<std::string> words = SplitPunctuationWords(input);
  EXPECT_EQ(words, tokens["split_words"].get<std::vector<std::string>>());
  const TinyVocab vocab;
  const std::vector<int32_t> ids = vocab.Ids(words);
  EXPECT_EQ(ids, tokens["token_ids"].get<std::vector<int32_t>>());

  ReplayClassifier replay(calls);
  DecodedPunctuation r =
      DecodeOffline(words, ids, GoldenClasses(), {},
                    [&](const std::vector<int32_t>& w, int64_t v) { return replay(w, v); });
  EXPECT_TRUE(replay.done()) << "fewer windows than FunASR ran";
  EXPECT_EQ(r.text, result["result"]["text"].get<std::string>());
  EXPECT_EQ(r.punc_ids, FlattenIds(result["result"]["punc_array"]));
}

INSTANTIATE_TEST_SUITE_P(CtPuncTiny, OfflineGolden,
                         ::testing::Values("empty", "single_char", "zh_short", "zh_long",
                                           "mixed_zh_en", "en_long"));

// ---- realtime golden cases --------------------------------------------------------------

// One FunASR CTTransformerStreaming call on `pre_text` + `input`, replaying `calls`.
DecodedPunctuation StreamStep(std::vector<std::string>& pre_text, const std::string& input,
                              const json& calls, const TinyVocab& vocab,
                              std::vector<std::string>* words_out = nullptr) {
  std::string joined;
  for (const std::string& w : pre_text) joined += w;
  const std::vector<std::string> words = SplitPunctuationWords(joined + " " + input);
  if (words_out) *words_out = words;
  ReplayClassifier replay(calls);
  DecodedPunctuation r =
      DecodeStreamingStep(pre_text, words, vocab.Ids(words), GoldenClasses(), {},
                          [&](const std::vector<int32_t>& w, int64_t v) { return replay(w, v); });
  EXPECT_TRUE(replay.done()) << "fewer windows than FunASR ran";
  return r;
}

class RealtimeGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(RealtimeGolden, FreshCacheMatchesFunASR) {
  const json g = LoadJson("reference/ct-punc-realtime-tiny/" + GetParam() + "/result.json");
  ASSERT_FALSE(g.is_null());
  const TinyVocab vocab;
  std::vector<std::string> pre_text, words;
  DecodedPunctuation r =
      StreamStep(pre_text, g["input"].get<std::string>(), g["punc_forward_calls"], vocab, &words);
  EXPECT_EQ(words, g["split_words"].get<std::vector<std::string>>());
  EXPECT_EQ(r.text, g["result"]["text"].get<std::string>());
  EXPECT_EQ(r.punc_ids, FlattenIds(g["result"]["punc_array"]));
}

INSTANTIATE_TEST_SUITE_P(CtPuncRealtimeTiny, RealtimeGolden,
                         ::testing::Values("single_char", "zh_short", "zh_long", "mixed_zh_en",
                                           "en_long"));

TEST(RealtimeGoldenSequence, ChunksWithSharedCacheMatchFunASR) {
  const json steps = LoadJson("reference/ct-punc-realtime-tiny/chunks_sequence/steps.json");
  const json concat =
      LoadJson("reference/ct-punc-realtime-tiny/chunks_sequence/concatenated_text.json");
  ASSERT_FALSE(steps.is_null() || concat.is_null());
  const TinyVocab vocab;
  std::vector<std::string> pre_text, words;
  std::string all;
  for (const json& step : steps) {
    SCOPED_TRACE("step " + std::to_string(step["step"].get<int>()));
    DecodedPunctuation r =
        StreamStep(pre_text, step["input"].get<std::string>(), step["punc_forward_calls"],
                   vocab, &words);
    EXPECT_EQ(words, step["split_words"].get<std::vector<std::string>>());
    EXPECT_EQ(vocab.Ids(words), step["token_ids"].get<std::vector<int32_t>>());
    EXPECT_EQ(r.text, step["result"]["text"].get<std::string>());
    EXPECT_EQ(r.punc_ids, FlattenIds(step["result"]["punc_array"]));
    EXPECT_EQ(pre_text, step["cache_pre_text_after"].get<std::vector<std::string>>());
    all += r.text;
  }
  EXPECT_EQ(all, concat["text"].get<std::string>());
}

TEST(RealtimeRender, EmptyPieceLeavesCacheAlone) {
  std::vector<std::string> pre_text = {"我", "们"};
  auto never = [](const std::vector<int32_t>&, int64_t) -> std::vector<int> {
    ADD_FAILURE() << "classifier called";
    return {};
  };
  DecodedPunctuation r =
      DecodeStreamingStep(pre_text, {"我", "们"}, {1, 2}, GoldenClasses(), {}, never);
  EXPECT_EQ(r.text, "");
  EXPECT_EQ(pre_text, (std::vector<std::string>{"我", "们"}));
}

}  // namespace
}  // namespace funasr::text
