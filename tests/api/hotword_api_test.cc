// Hotwords through the public ASR API (include/funasr/asr.h): FunASR's AutoModel results from
// the wav for every SeACo and contextual golden case, with hotwords per request and
// prepared once; the list FunASR built (meta.json ids); empty lists; models without hotword
// support; limits (too many / too long / invalid UTF-8), unknown-only and duplicate
// hotwords, 10,000 hotwords, hotword files, concurrent requests with their own lists.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <thread>

#include "common/test_data.h"
#include "funasr/asr.h"
#include "funasr/audio.h"
#include "funasr/error.h"
#include "io/model_files.h"
#include "io/native_model_writer.h"

namespace {

using funasr::AsrOptions;
using funasr::AsrResult;
using funasr::ErrorCode;
using funasr_test::FindData;

std::shared_ptr<const funasr::AsrModel> Load(const std::string& name) {
  const std::string dir = FindData("reference/models/" + name);
  EXPECT_FALSE(dir.empty()) << name;
  return funasr::AsrModel::Load(dir);
}

std::shared_ptr<const funasr::AsrModel> Seaco() {
  static auto m = Load("seaco-paraformer-tiny");
  return m;
}
std::shared_ptr<const funasr::AsrModel> Contextual() {
  static auto m = Load("contextual-paraformer-tiny");
  return m;
}

std::vector<float> Wav(const std::string& c) {
  const std::string p = FindData("reference/wavs/" + c + ".wav");
  EXPECT_FALSE(p.empty()) << c;
  return funasr::LoadAudio(p);
}

nlohmann::json Json(const std::string& rel) {
  const std::string p = FindData(rel);
  EXPECT_FALSE(p.empty()) << rel;
  return nlohmann::json::parse(funasr_test::ReadTextFile(p));
}

void ExpectMatchesGolden(const AsrResult& r, const std::string& dir) {
  const nlohmann::json g = Json(dir + "result.json")[0];
  EXPECT_EQ(r.text, g["text"].get<std::string>()) << dir;
  if (g.contains("timestamp")) {
    std::vector<std::vector<int64_t>> ts;
    for (const funasr::TimeSpanMs& s : r.timestamps) ts.push_back({s.start, s.end});
    EXPECT_EQ(ts, g["timestamp"].get<std::vector<std::vector<int64_t>>>()) << dir;
  } else {
    EXPECT_TRUE(r.timestamps.empty()) << dir;
  }
  EXPECT_EQ(r.token_ids, Json(dir + "token_ids.json")["token_ids"].get<std::vector<int64_t>>())
      << dir;
}

ErrorCode CodeOf(const std::function<void()>& f, const std::string& expect_in_message = "") {
  try {
    f();
  } catch (const funasr::Error& e) {
    std::printf("  error: %s\n", e.what());
    if (!expect_in_message.empty()) {
      EXPECT_NE(std::string(e.what()).find(expect_in_message), std::string::npos) << e.what();
    }
    return e.code();
  }
  return ErrorCode::kOk;
}

struct Case {
  std::string model;  // reference folder
  std::string name;
};

class HotwordApi : public ::testing::TestWithParam<Case> {};

TEST_P(HotwordApi, MatchesAutoModelFromWav) {
  const Case& c = GetParam();
  auto asr = c.model == "seaco-paraformer-tiny" ? Seaco() : Contextual();
  ASSERT_TRUE(asr->supports_hotwords());
  const std::string dir = "reference/" + c.model + "/" + c.name + "/";
  const nlohmann::json meta = Json(dir + "meta.json");
  std::string wav_name = meta["wav"].get<std::string>();  // "wavs/<name>.wav"
  wav_name = wav_name.substr(5, wav_name.size() - 9);
  const std::vector<float> wav = Wav(wav_name);
  AsrOptions o;
  if (meta["generate_kwargs"].contains("hotword")) {
    o.hotwords = funasr::SplitHotwords(meta["generate_kwargs"]["hotword"].get<std::string>());
    // The list generate_hotwords_list built, token by token.
    auto ctx = asr->PrepareHotwords(o.hotwords);
    auto ids = meta["hotword_list_ids"].get<std::vector<std::vector<int64_t>>>();
    ids.pop_back();  // [<s>]
    ASSERT_EQ(ctx->size(), ids.size());
    const auto vocab =
        Json("reference/models/" + c.model + "/tokens.json").get<std::vector<std::string>>();
    for (size_t i = 0; i < ids.size(); ++i) {
      std::vector<std::string> want;
      for (int64_t id : ids[i]) want.push_back(vocab[static_cast<size_t>(id)]);
      EXPECT_EQ(ctx->hotword_tokens()[i], want) << ctx->hotwords()[i];
    }
    std::printf("%s: %zu hotwords, %zu all-<unk>, %zu bytes prepared\n", c.name.c_str(),
                ctx->size(), ctx->num_all_unknown(), ctx->memory_bytes());
    // Prepared once == per request.
    AsrOptions prepared;
    prepared.hotword_context = ctx;
    ExpectMatchesGolden(asr->Recognize(wav, prepared), dir);
  }
  ExpectMatchesGolden(asr->Recognize(wav, o), dir);
}

INSTANTIATE_TEST_SUITE_P(Cases, HotwordApi,
                         ::testing::Values(Case{"seaco-paraformer-tiny", "zh_3s_nohotword"},
                                           Case{"seaco-paraformer-tiny", "zh_3s_hotword"},
                                           Case{"seaco-paraformer-tiny", "short_0p6s_nohotword"},
                                           Case{"seaco-paraformer-tiny", "short_0p6s_hotword"},
                                           Case{"seaco-paraformer-tiny", "mix_20s_nohotword"},
                                           Case{"seaco-paraformer-tiny", "mix_20s_hotword"},
                                           Case{"seaco-paraformer-tiny", "mix_20s_hotword55"},
                                           Case{"contextual-paraformer-tiny", "zh_3s_nohotword"},
                                           Case{"contextual-paraformer-tiny", "zh_3s_hotword"},
                                           Case{"contextual-paraformer-tiny", "mix_20s_nohotword"}),
                         [](const auto& info) {
                           return std::string(
                                      info.param.model.substr(0, info.param.model.find('-'))) +
                                  "_" + info.param.name;
                         });

TEST(HotwordApiBehaviour, EmptyListGivesThePlainResult) {
  for (auto asr : {Seaco(), Contextual()}) {
    const std::vector<float> wav = Wav("zh_3s");
    const AsrResult plain = asr->Recognize(wav);
    AsrOptions blank;
    blank.hotwords = {"", "  \t "};
    AsrOptions empty_ctx;
    empty_ctx.hotword_context = asr->PrepareHotwords({});
    EXPECT_EQ(empty_ctx.hotword_context->size(), 0u);
    for (const AsrOptions& o : {blank, empty_ctx}) {
      const AsrResult r = asr->Recognize(wav, o);
      EXPECT_EQ(r.token_ids, plain.token_ids) << asr->model_class();
      EXPECT_EQ(r.text, plain.text);
      EXPECT_TRUE(r.timestamps == plain.timestamps);
    }
  }
}

TEST(HotwordApiBehaviour, ModelsWithoutHotwordSupport) {
  auto asr = Load("bicif-paraformer-tiny");
  EXPECT_FALSE(asr->supports_hotwords());
  const std::vector<float> wav = Wav("short_0p6s");
  AsrOptions o;
  o.hotwords = {"阿里巴巴"};
  EXPECT_EQ(CodeOf([&] { asr->Recognize(wav, o); }, "takes no hotwords"),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(CodeOf([&] { asr->PrepareHotwords({"阿里巴巴"}); }), ErrorCode::kInvalidArgument);
  AsrOptions ctx;
  ctx.hotword_context = Seaco()->PrepareHotwords({"阿里巴巴"});
  EXPECT_EQ(CodeOf([&] { asr->Recognize(wav, ctx); }), ErrorCode::kInvalidArgument);
  AsrOptions blank;  // blank entries are no hotwords
  blank.hotwords = {" "};
  EXPECT_NO_THROW(asr->Recognize(wav, blank));
}

TEST(HotwordApiBehaviour, WrongContextOrBoth) {
  const std::vector<float> wav = Wav("short_0p6s");
  AsrOptions foreign;
  foreign.hotword_context = Contextual()->PrepareHotwords({"阿里巴巴"});
  EXPECT_EQ(CodeOf([&] { Seaco()->Recognize(wav, foreign); }, "another model"),
            ErrorCode::kInvalidArgument);
  // The same directory loaded twice is another model instance.
  auto again = Load("seaco-paraformer-tiny");
  AsrOptions other_instance;
  other_instance.hotword_context = again->PrepareHotwords({"阿里巴巴"});
  EXPECT_EQ(CodeOf([&] { Seaco()->Recognize(wav, other_instance); }), ErrorCode::kInvalidArgument);
  AsrOptions both;
  both.hotwords = {"达摩院"};
  both.hotword_context = Seaco()->PrepareHotwords({"阿里巴巴"});
  EXPECT_EQ(CodeOf([&] { Seaco()->Recognize(wav, both); }, "not both"),
            ErrorCode::kInvalidArgument);
}

TEST(HotwordApiBehaviour, Limits) {
  auto asr = Seaco();
  // Too many hotwords.
  std::vector<std::string> many(funasr::kMaxHotwords + 1, "好");
  EXPECT_EQ(CodeOf([&] { asr->PrepareHotwords(many); }, "limit"), ErrorCode::kInvalidArgument);
  // A hotword longer than kMaxHotwordTokens tokens (one token per CJK character).
  std::string long_word;
  for (size_t i = 0; i <= funasr::kMaxHotwordTokens; ++i) long_word += "好";
  EXPECT_EQ(CodeOf(
                [&] {
                  asr->PrepareHotwords({"阿里巴巴", long_word});
                },
                "tokens"),
            ErrorCode::kInvalidArgument);
  std::string at_limit;
  for (size_t i = 0; i < funasr::kMaxHotwordTokens; ++i) at_limit += "好";
  EXPECT_EQ(asr->PrepareHotwords({at_limit})->size(), 1u);
  // Invalid UTF-8.
  EXPECT_EQ(CodeOf([&] { asr->PrepareHotwords({"ab\xff"}); }), ErrorCode::kInvalidArgument);
  AsrOptions bad;
  bad.hotwords = {"\xe4\xbd"};
  EXPECT_EQ(CodeOf([&] { asr->Recognize(Wav("short_0p6s"), bad); }), ErrorCode::kInvalidArgument);
  EXPECT_EQ(CodeOf([&] { funasr::SplitHotwords("x \xc3"); }), ErrorCode::kInvalidArgument);
}

TEST(HotwordApiBehaviour, UnknownOnlyAndDuplicateHotwordsAreKeptAsFunAsrDoes) {
  auto asr = Seaco();
  // "qqqzzz" is in neither seg_dict nor the vocabulary -> one <unk>; "@#" is not CJK -> <unk>;
  // "龘" (U+9F98) is CJK but not in the vocabulary -> <unk>.
  auto ctx = asr->PrepareHotwords({"qqqzzz", "@#", "龘", "阿里巴巴", "阿里巴巴"});
  ASSERT_EQ(ctx->size(), 5u);
  EXPECT_EQ(ctx->num_all_unknown(), 3u);
  EXPECT_EQ(ctx->hotword_tokens()[0], std::vector<std::string>{"<unk>"});
  EXPECT_EQ(ctx->hotword_tokens()[3], ctx->hotword_tokens()[4]);
  AsrOptions o;
  o.hotword_context = ctx;
  EXPECT_NO_THROW(asr->Recognize(Wav("zh_3s"), o));
}

TEST(HotwordApiBehaviour, TenThousandHotwords) {
  for (auto asr : {Seaco(), Contextual()}) {
    std::vector<std::string> list;
    const std::string chars = "阿里巴达摩院帕拉福玛语音识别天和夏冬星东木小慢北人大月";
    const std::vector<std::string> cps = [&] {
      std::vector<std::string> v;
      for (size_t i = 0; i < chars.size(); i += 3) v.push_back(chars.substr(i, 3));
      return v;
    }();
    for (size_t i = 0; i < 10000; ++i) {
      std::string w;
      for (size_t k = 0; k < 2 + i % 3; ++k) w += cps[(i * 7 + k * 13 + i / 29) % cps.size()];
      list.push_back(w);
    }
    auto ctx = asr->PrepareHotwords(list);
    EXPECT_EQ(ctx->size(), 10000u);
    std::printf("%s: 10000 hotwords prepared, %.1f MB\n", asr->model_class().c_str(),
                ctx->memory_bytes() / 1048576.0);
    EXPECT_LT(ctx->memory_bytes(), size_t{80} << 20);
    AsrOptions o;
    o.hotword_context = ctx;
    const AsrResult r = asr->Recognize(Wav("short_0p6s"), o);
    EXPECT_FALSE(r.token_ids.empty());
  }
}

TEST(HotwordApiBehaviour, HotwordFileAndString) {
  EXPECT_EQ(funasr::SplitHotwords(" 阿里巴巴\t达摩院\n recognition "),
            (std::vector<std::string>{"阿里巴巴", "达摩院", "recognition"}));
  const std::string path = funasr_test::TempDir("hotword_api") + "/hotwords.txt";
  {
    std::ofstream f(path, std::ios::binary);
    f << "\xEF\xBB\xBF阿里巴巴\r\n\n  speech   recognition \n达摩院";
  }
  const std::vector<std::string> lines = funasr::ReadHotwordFile(path);
  EXPECT_EQ(lines, (std::vector<std::string>{"阿里巴巴", "speech recognition", "达摩院"}));
  // A line's words form one hotword.
  auto ctx = Seaco()->PrepareHotwords(lines);
  ASSERT_EQ(ctx->size(), 3u);
  EXPECT_EQ(ctx->hotwords()[1], "speech recognition");
  EXPECT_EQ(CodeOf([&] { funasr::ReadHotwordFile(path + ".missing"); }), ErrorCode::kIoError);
}

TEST(HotwordApiBehaviour, ConcurrentRequestsWithTheirOwnLists) {
  auto asr = Seaco();
  const std::vector<float> wav = Wav("zh_3s");
  const std::vector<std::vector<std::string>> lists = {
      {}, {"阿里巴巴", "达摩院", "帕拉福玛", "语音识别", "recognition"}, {"天和夏", "冬星"}};
  std::vector<AsrResult> serial;
  for (const auto& l : lists) {
    AsrOptions o;
    o.hotwords = l;
    o.num_threads = 1;
    serial.push_back(asr->Recognize(wav, o));
  }
  EXPECT_NE(serial[0].token_ids, serial[1].token_ids) << "the hotwords change nothing";
  std::vector<AsrResult> got(lists.size() * 3);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < got.size(); ++i) {
    threads.emplace_back([&, i] {
      AsrOptions o;
      o.hotwords = lists[i % lists.size()];
      o.num_threads = 1;
      got[i] = asr->Recognize(wav, o);
    });
  }
  for (auto& t : threads) t.join();
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].token_ids, serial[i % lists.size()].token_ids) << i;
    EXPECT_EQ(got[i].text, serial[i % lists.size()].text) << i;
    EXPECT_TRUE(got[i].timestamps == serial[i % lists.size()].timestamps) << i;
  }
}

TEST(HotwordApiBehaviour, BatchWithHotwords) {
  auto asr = Seaco();
  const std::vector<std::vector<float>> wavs = {Wav("zh_3s"), Wav("short_0p6s"), {}};
  AsrOptions o;
  o.hotwords = funasr::SplitHotwords("阿里巴巴 达摩院 帕拉福玛 语音识别 recognition");
  const std::vector<AsrResult> batch = asr->RecognizeBatch(wavs, o);
  ASSERT_EQ(batch.size(), 3u);
  ExpectMatchesGolden(batch[0], "reference/seaco-paraformer-tiny/zh_3s_hotword/");
  ExpectMatchesGolden(batch[1], "reference/seaco-paraformer-tiny/short_0p6s_hotword/");
  EXPECT_TRUE(batch[2].text.empty());
}

}  // namespace

namespace {

TEST(HotwordApiBehaviour, Int8ModelsTakeHotwords) {
  for (const std::string name : {"seaco-paraformer-tiny", "contextual-paraformer-tiny"}) {
    funasr::LoadOptions lo;
    lo.int8 = true;
    auto asr = funasr::AsrModel::Load(FindData("reference/models/" + name), lo);
    AsrOptions o;
    o.hotwords = funasr::SplitHotwords("阿里巴巴 达摩院 帕拉福玛 语音识别 recognition");
    const AsrResult r = asr->Recognize(Wav("zh_3s"), o);
    const auto want = Json("reference/" + name + "/zh_3s_hotword/token_ids.json")["token_ids"]
                          .get<std::vector<int64_t>>();
    size_t same = 0;
    for (size_t i = 0; i < std::min(want.size(), r.token_ids.size()); ++i)
      same += want[i] == r.token_ids[i];
    std::printf("%s int8 with hotwords: %zu of %zu tokens as fp32 FunASR\n", name.c_str(), same,
                want.size());
    EXPECT_GE(same * 10, want.size() * 8) << name;  // int8 may flip near-ties only
  }
}

}  // namespace

namespace {

TEST(HotwordApiBehaviour, NativeModelFiles) {
  // Released directory -> libfunasr native file (weights, tokens, seg_dict): same results.
  for (const std::string name : {"seaco-paraformer-tiny", "contextual-paraformer-tiny"}) {
    const std::string path = funasr_test::TempDir("hotword_native") + "/" + name + ".fnm";
    funasr::io::WriteNativeModel(
        *funasr::io::ModelFiles::Open(FindData("reference/models/" + name)), path,
        funasr::io::NativeDType::kF32);
    auto asr = funasr::AsrModel::Load(path);
    ASSERT_TRUE(asr->supports_hotwords());
    AsrOptions o;
    o.hotwords = funasr::SplitHotwords("阿里巴巴 达摩院 帕拉福玛 语音识别 recognition");
    auto ctx = asr->PrepareHotwords(o.hotwords);
    EXPECT_EQ(ctx->hotword_tokens()[4],
              (std::vector<std::string>{"rec@@", "o@@", "g@@", "ni@@", "tion"}))
        << "seg_dict lost";
    ExpectMatchesGolden(asr->Recognize(Wav("zh_3s"), o), "reference/" + name + "/zh_3s_hotword/");
  }
}

}  // namespace
