// tokens.json / tokens.txt, am.mvn, seg_dict and config.yaml readers.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>

#include "common/test_data.h"
#include "io/cmvn_file.h"
#include "io/config_file.h"
#include "io/model_class.h"
#include "io/model_files.h"
#include "io/seg_dict.h"
#include "io/token_list.h"

namespace funasr::io {
namespace {

template <typename F>
std::string ErrorOf(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(TokenList, RealAsrVocabularyJsonAndTxtAgree) {
  std::string json = funasr_test::FindData("models/paraformer-zh-assets/tokens.json");
  std::string txt = funasr_test::FindData("models/paraformer-zh-assets/tokens.txt");
  if (json.empty() || txt.empty()) GTEST_SKIP() << "paraformer-zh-assets not available";
  auto a = LoadTokenList(json);
  auto b = LoadTokenList(txt);
  ASSERT_EQ(a.size(), 8404u);
  EXPECT_EQ(a, b);
  EXPECT_EQ(a[0], "<blank>");
  EXPECT_EQ(a[1], "<s>");
  EXPECT_EQ(a[2], "</s>");
  EXPECT_EQ(a[8403], "<unk>");
  EXPECT_EQ(a[8377], "曩");
}

TEST(TokenList, RealPunctuationVocabularyLoadsFast) {
  std::string json = funasr_test::FindData("models/ct-punc-assets/tokens.json");
  std::string txt = funasr_test::FindData("models/ct-punc-assets/tokens.txt");
  if (json.empty() || txt.empty()) GTEST_SKIP() << "ct-punc-assets not available";
  auto t0 = std::chrono::steady_clock::now();
  auto a = LoadTokenList(json);
  auto t1 = std::chrono::steady_clock::now();
  auto b = LoadTokenList(txt);
  auto t2 = std::chrono::steady_clock::now();
  ASSERT_EQ(a.size(), 272727u);
  EXPECT_EQ(a, b);  // tokens.txt starts with a UTF-8 BOM, which must not end up in token 0
  EXPECT_EQ(b[0], "<blank>");
  EXPECT_EQ(a.back(), "<unk>");
  std::printf("272,727-word vocabulary: tokens.json %.1f ms, tokens.txt %.1f ms\n",
              std::chrono::duration<double, std::milli>(t1 - t0).count(),
              std::chrono::duration<double, std::milli>(t2 - t1).count());
}

TEST(TokenList, JsonEscapesAndErrors) {
  auto t = ParseTokensJson(R"( ["a\"b", "\u00e9", "\ud83d\ude00", "x\/y", "\\n"] )", "t.json");
  ASSERT_EQ(t.size(), 5u);
  EXPECT_EQ(t[0], "a\"b");
  EXPECT_EQ(t[1], "\xc3\xa9");
  EXPECT_EQ(t[2], "\xf0\x9f\x98\x80");
  EXPECT_EQ(t[3], "x/y");
  EXPECT_EQ(t[4], "\\n");
  EXPECT_NE(ErrorOf([] { ParseTokensJson("[]", "t.json"); }).find("t.json: empty token list"),
            std::string::npos);
  EXPECT_NE(ErrorOf([] { ParseTokensTxt("", "t.txt"); }).find("t.txt: empty token list"),
            std::string::npos);
  EXPECT_NE(ErrorOf([] { ParseTokensTxt("\xEF\xBB\xBF", "t.txt"); }).find("empty token list"),
            std::string::npos);
  EXPECT_NE(ErrorOf([] { ParseTokensJson(R"(["a", 3])", "t.json"); }).find("token 1 is not a string"),
            std::string::npos);
  EXPECT_NE(ErrorOf([] { ParseTokensJson(R"(["a")", "t.json"); }).find("t.json: invalid JSON"),
            std::string::npos);
  EXPECT_NE(ErrorOf([] { ParseTokensJson(R"(["\ud83d"])", "t.json"); }).find("surrogate"),
            std::string::npos);
  EXPECT_NE(ErrorOf([] { ParseTokensJson(R"({"a": 1})", "t.json"); }).find("expected '['"),
            std::string::npos);
  EXPECT_NE(ErrorOf([] { ParseTokensJson(R"(["a"] x)", "t.json"); }).find("after the array"),
            std::string::npos);
  auto crlf = ParseTokensTxt("a\r\nb \r\n", "t.txt");
  EXPECT_EQ(crlf, (std::vector<std::string>{"a", "b"}));
}

TEST(Cmvn, RealFilesParse) {
  Cmvn vad = LoadCmvn(funasr_test::RequireData("models/fsmn-vad/am.mvn"));
  ASSERT_EQ(vad.dim(), 400u);
  EXPECT_EQ(vad.shift[0], std::strtof("-8.311879", nullptr));
  EXPECT_EQ(vad.shift[80], vad.shift[0]);  // 5 LFR copies of the 80-dim statistics
  Cmvn asr = LoadCmvn(funasr_test::RequireData("reference/models/paraformer-tiny/am.mvn"));
  EXPECT_EQ(asr.dim(), 560u);
  EXPECT_EQ(asr.scale.size(), 560u);
  EXPECT_GT(asr.scale[0], 0.f);
}

TEST(Cmvn, MalformedFilesAreRefused) {
  const std::string good =
      "<Nnet>\n<Splice> 2 2\n[ 0 ]\n<AddShift> 2 2\n<LearnRateCoef> 0 [ -1 -2 ]\n"
      "<Rescale> 2 2\n<LearnRateCoef> 0 [ 0.5 0.25 ]\n</Nnet>\n";
  Cmvn c = ParseCmvn(good, "am.mvn");
  EXPECT_EQ(c.shift, (std::vector<float>{-1, -2}));
  EXPECT_EQ(c.scale, (std::vector<float>{0.5f, 0.25f}));
  auto err = [&](std::string text) { return ErrorOf([&] { ParseCmvn(text, "am.mvn"); }); };
  EXPECT_NE(err("").find("am.mvn: no <AddShift>"), std::string::npos);
  EXPECT_NE(err("<AddShift> 2 2\n<LearnRateCoef> 0 [ 1 2 ]\n").find("no <Rescale>"), std::string::npos);
  std::string bad_num = good;
  bad_num.replace(bad_num.find("-2"), 2, "zz");
  EXPECT_NE(err(bad_num).find("<AddShift> value 1 'zz' is not a number"), std::string::npos);
  std::string bad_dim = good;
  bad_dim.replace(bad_dim.find("<Rescale> 2"), 11, "<Rescale> 3");
  EXPECT_NE(err(bad_dim).find("declares dimension"), std::string::npos) << err(bad_dim);
  std::string no_bracket = good;
  no_bracket.replace(no_bracket.find("0.25 ]"), 6, "0.25");
  EXPECT_NE(err(no_bracket).find("expected '<LearnRateCoef> 0 [ ... ]'"), std::string::npos);
  std::string mismatch =
      "<AddShift> 2 2\n<LearnRateCoef> 0 [ 1 2 ]\n<Rescale> 1 1\n<LearnRateCoef> 0 [ 1 ]\n";
  EXPECT_NE(err(mismatch).find("<AddShift> has 2 values but <Rescale> has 1"), std::string::npos);
}

TEST(SegDict, ParsesWordPieces) {
  SegDict d = LoadSegDict(funasr_test::RequireData("reference/models/paraformer-tiny/seg_dict"));
  EXPECT_EQ(d.size(), 7965u);
  EXPECT_EQ(d.at("week"), (std::vector<std::string>{"wee@@", "k"}));
  EXPECT_EQ(d.at("recognition"), (std::vector<std::string>{"rec@@", "o@@", "g@@", "ni@@", "tion"}));
  SegDict e = ParseSegDict("a\tb c\n\n  \nx y\nx z\n", "seg_dict");
  EXPECT_EQ(e.at("a"), (std::vector<std::string>{"b", "c"}));
  EXPECT_EQ(e.at("x"), (std::vector<std::string>{"z"}));
  EXPECT_EQ(e.size(), 2u);
}

TEST(ConfigReader, TypedValuesDefaultsAndErrors) {
  YAML::Node n = ParseConfigYaml(
      "model: Paraformer\n"
      "encoder_conf:\n  output_size: 512\n  dropout_rate: 0.1\n  normalize_before: true\n"
      "  input_layer: pe\n  kernels: [1, 2, 3]\n  bad_int: 1.5\n  bad_list: [1, x]\n"
      "  flag01: 1\n  nothing:\n  sub: {a: 1}\n"
      "punc_list: [a, b]\n",
      "dir/config.yaml");
  ConfigReader root(n, "dir/config.yaml");
  ConfigReader enc = root.Section("encoder_conf");
  EXPECT_EQ(enc.GetInt("output_size", 0), 512);
  EXPECT_EQ(enc.GetInt("num_blocks", 50), 50);
  EXPECT_DOUBLE_EQ(enc.GetDouble("dropout_rate", 0), 0.1);
  EXPECT_DOUBLE_EQ(enc.GetDouble("output_size", 0), 512.0);
  EXPECT_TRUE(enc.GetBool("normalize_before", false));
  EXPECT_TRUE(enc.GetBool("flag01", false));
  EXPECT_EQ(enc.GetString("input_layer", ""), "pe");
  EXPECT_EQ(enc.GetString("nothing", "dflt"), "dflt");  // `key:` with no value = absent
  EXPECT_EQ(enc.GetIntList("kernels", {}), (std::vector<int64_t>{1, 2, 3}));
  EXPECT_EQ(root.GetStringList("punc_list", {}), (std::vector<std::string>{"a", "b"}));
  EXPECT_FALSE(root.Has("decoder_conf"));
  EXPECT_EQ(root.Section("decoder_conf").GetInt("num_blocks", 16), 16);  // absent section
  EXPECT_EQ(enc.Section("sub").GetInt("a", 0), 1);

  EXPECT_EQ(ErrorOf([&] { enc.GetInt("bad_int", 0); }),
            "dir/config.yaml: encoder_conf.bad_int: expected an integer, found '1.5'");
  EXPECT_EQ(ErrorOf([&] { enc.GetIntList("bad_list", {}); }),
            "dir/config.yaml: encoder_conf.bad_list[1]: expected an integer, found 'x'");
  EXPECT_EQ(ErrorOf([&] { enc.GetBool("input_layer", false); }),
            "dir/config.yaml: encoder_conf.input_layer: expected true/false, found 'pe'");
  EXPECT_EQ(ErrorOf([&] { enc.GetString("kernels", ""); }),
            "dir/config.yaml: encoder_conf.kernels: expected a string, found a list");
  EXPECT_EQ(ErrorOf([&] { root.Section("punc_list"); }),
            "dir/config.yaml: punc_list: expected a mapping, found a list");
  EXPECT_EQ(ErrorOf([&] { enc.Section("sub").GetDouble("a", 0), enc.Section("sub").Fail("a", "no"); }),
            "dir/config.yaml: encoder_conf.sub.a: no");
}

TEST(ConfigFile, BadYamlNamesTheFileAndLine) {
  std::string e = ErrorOf([] { ParseConfigYaml("model: [a\nencoder: x\n", "c.yaml"); });
  EXPECT_EQ(e.rfind("c.yaml: invalid YAML: ", 0), 0u) << e;
  EXPECT_NE(e.find("line"), std::string::npos) << e;
  EXPECT_NE(ErrorOf([] { ParseConfigYaml("- a\n- b\n", "c.yaml"); }).find("not a mapping"),
            std::string::npos);
  EXPECT_NE(ErrorOf([] { ParseConfigYaml("", "c.yaml"); }).find("c.yaml"), std::string::npos);
}

TEST(ModelClass, ModernAndLegacyConfigs) {
  auto cls = [](const std::string& yaml) { return IdentifyModelClass(ParseConfigYaml(yaml, "c")); };
  EXPECT_EQ(cls("model: SeacoParaformer\n"), "SeacoParaformer");
  EXPECT_EQ(cls("model: e2evad \nencoder: fsmn\n"), "FsmnVADStreaming");
  EXPECT_EQ(cls("model: paraformer\nencoder: sanm\n"), "Paraformer");
  EXPECT_EQ(cls("model: bicif_paraformer\n"), "BiCifParaformer");
  EXPECT_EQ(cls("model: contextual_paraformer\n"), "ContextualParaformer");
  EXPECT_EQ(cls("punctuation: target_delay\n"), "CTTransformer");
  EXPECT_EQ(cls("punctuation: vad_realtime\n"), "CTTransformerStreaming");
  EXPECT_EQ(cls("model: Whisper\n"), "Whisper");
  EXPECT_EQ(cls("encoder: x\n"), "");
  std::string onnx = funasr_test::FindData("models/paraformer-zh-assets/asr_onnx_release.yaml");
  if (!onnx.empty())
    EXPECT_EQ(IdentifyModelClass(ParseConfigYaml(ReadFileToString(onnx), onnx)), "Paraformer");
  EXPECT_TRUE(IsKnownModelClass("CTTransformerStreaming"));
  EXPECT_FALSE(IsKnownModelClass("Whisper"));
}

TEST(ConfigFile, LegacyPunctuationConfigGetsModernAliases) {
  YAML::Node n = ParseConfigYaml(
      "punctuation: target_delay\npunctuation_conf:\n  embed_unit: 256\n  att_unit: 256\n"
      "  head: 8\n  unit: 1024\n  layer: 4\npunc_list: ['<unk>', _, ',']\n"
      "token_list: ['<blank>', '<s>', '</s>', a, '<unk>']\n",
      "punc.yaml");
  AddLegacyConfigAliases(n);
  auto tokens = TakeInlineTokenList(n, "punc.yaml");
  EXPECT_EQ(tokens.size(), 5u);
  ConfigReader r(n, "punc.yaml");
  EXPECT_FALSE(r.Has("token_list"));
  EXPECT_EQ(r.Section("encoder_conf").GetInt("attention_heads", 0), 8);
  EXPECT_EQ(r.Section("encoder_conf").GetInt("num_blocks", 0), 4);
  EXPECT_EQ(r.Section("encoder_conf").GetInt("linear_units", 0), 1024);
  EXPECT_EQ(r.Section("model_conf").GetInt("embed_unit", 0), 256);
  EXPECT_EQ(r.Section("model_conf").GetStringList("punc_list", {}).size(), 3u);
}

}  // namespace
}  // namespace funasr::io

namespace funasr::io {
namespace {

// The fast inline token_list extraction reads exactly what yaml-cpp reads.
TEST(ConfigFile, InlineTokenListFastPathAgreesWithYaml) {
  const std::string text =
      "model: paraformer\n"
      "token_list:\n"
      "- <blank>\n- <s>\n- </s>\n- ',and'\n- \"can\\x92t\"\n- '''cause'\n- a b\n- x:y\n- trailing  \n"
      "- \"#hash\"\n- '-dash'\n- 你好\n- <unk>\n"
      "init: null\n"
      "encoder_conf:\n  token_list: not this one\n";
  YAML::Node full = ParseConfigYaml(text, "c.yaml");
  std::vector<std::string> expected = TakeInlineTokenList(full, "c.yaml");
  std::string stripped = text;
  std::vector<std::string> fast = ExtractInlineTokenList(stripped, "c.yaml");
  EXPECT_EQ(fast, expected);
  ASSERT_EQ(fast.size(), 13u);
  EXPECT_EQ(fast[4], "can\xc2\x92t");
  YAML::Node rest = ParseConfigYaml(stripped, "c.yaml");
  EXPECT_FALSE(ConfigReader(rest, "c.yaml").Has("token_list"));
  EXPECT_EQ(ConfigReader(rest, "c.yaml").GetString("model", ""), "paraformer");
  EXPECT_EQ(ConfigReader(rest, "c.yaml").Section("encoder_conf").GetString("token_list", ""), "not this one");
  // Indented block and no block at all.
  std::string indented = "token_list:\n  - a\n  - b\nmodel: x\n";
  EXPECT_EQ(ExtractInlineTokenList(indented, "c"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(indented, "model: x\n");
  std::string none = "model: x\ntoken_list: tokens.txt\n";
  EXPECT_TRUE(ExtractInlineTokenList(none, "c").empty());
  EXPECT_EQ(none, "model: x\ntoken_list: tokens.txt\n");
}

TEST(ConfigFile, LegacyPuncConfigWithInlineVocabularyLoadsFast) {
  std::string cfg = funasr_test::FindData("models/ct-punc-assets/config_oldformat_with_token_list.yaml");
  std::string json = funasr_test::FindData("models/ct-punc-assets/tokens.json");
  if (cfg.empty() || json.empty()) GTEST_SKIP() << "ct-punc-assets not available";
  auto t0 = std::chrono::steady_clock::now();
  std::string text = ReadFileToString(cfg);
  std::vector<std::string> tokens = ExtractInlineTokenList(text, cfg);
  YAML::Node n = ParseConfigYaml(text, cfg);
  auto t1 = std::chrono::steady_clock::now();
  EXPECT_EQ(IdentifyModelClass(n), "CTTransformer");
  ASSERT_EQ(tokens.size(), 272727u);
  // Exactly what a full yaml-cpp parse yields (which takes seconds). (tokens.json of
  // ct-punc-assets differs in 57 entries: it kept the YAML quotes, e.g. "',and'".)
  YAML::Node full = ParseConfigYaml(ReadFileToString(cfg), cfg);
  EXPECT_EQ(tokens, TakeInlineTokenList(full, cfg));
  std::printf("legacy punc config with 272,727 inline tokens: %.1f ms\n",
              std::chrono::duration<double, std::milli>(t1 - t0).count());
}

}  // namespace
}  // namespace funasr::io
