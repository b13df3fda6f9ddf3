// BuildHotwordList vs FunASR's generate_hotwords_list: the hotword id lists recorded in the
// meta.json of every SeACo/Contextual golden case (incl. the 55-hotword case) and synthetic
// inputs run through FunASR's own function (tests/data/text/python_cases.json).
#include <gtest/gtest.h>

#include <fstream>

#include "funasr/error.h"
#include "parity/text_test_util.h"
#include "text/hotword_list.h"
#include "text/utf8.h"

namespace funasr::text {
namespace {

using funasr_test::FindData;
using funasr_test::LoadJson;

// load_seg_dict: key = first whitespace-separated field, pieces = the rest.
SegDict ParseSegDictLines(const std::vector<std::string>& lines) {
  SegDict d;
  for (const auto& line : lines) {
    auto fields = PythonSplit(line);
    if (fields.empty()) continue;
    d[fields[0]] = std::vector<std::string>(fields.begin() + 1, fields.end());
  }
  return d;
}

SegDict LoadSegDict(const std::string& path) {
  std::vector<std::string> lines;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return ParseSegDictLines(lines);
}

// Python's id lists without the empty entries it keeps for token-less hotwords (we drop them).
std::vector<std::vector<int64_t>> Ids(const nlohmann::json& j) {
  std::vector<std::vector<int64_t>> out;
  for (auto& ids : j.get<std::vector<std::vector<int64_t>>>())
    if (!ids.empty()) out.push_back(ids);
  return out;
}

TEST(HotwordList, GoldenMetaHotwordIds) {
  const TokenList& tokens = funasr_test::RealTokenList();
  int cases = 0;
  for (const std::string model : {"seaco-paraformer-tiny", "contextual-paraformer-tiny"}) {
    const std::string seg_path = FindData("reference/models/" + model + "/seg_dict");
    ASSERT_FALSE(seg_path.empty()) << model;
    const SegDict seg_dict = LoadSegDict(seg_path);
    for (const auto& c : funasr_test::ListCaseDirs("reference/" + model)) {
      const std::string meta_path = FindData("reference/" + model + "/" + c + "/meta.json");
      if (meta_path.empty()) continue;
      const auto meta = LoadJson(meta_path);
      const auto& kwargs = meta["generate_kwargs"];
      if (!kwargs.contains("hotword")) {
        EXPECT_TRUE(meta["hotword_list_ids"].is_null()) << c;
        continue;
      }
      SCOPED_TRACE(model + "/" + c);
      const HotwordList got = BuildHotwordList(
          ParseHotwordArgument(kwargs["hotword"].get<std::string>()), tokens, &seg_dict);
      const auto expected = Ids(meta["hotword_list_ids"]);
      EXPECT_EQ(got.ids, expected);
      EXPECT_EQ(got.texts.size() + 1, got.ids.size());
      EXPECT_EQ(got.ids.back(), std::vector<int64_t>{1});
      ++cases;
      if (c == "mix_20s_hotword55") EXPECT_EQ(expected.size(), 56u);
    }
  }
  std::printf("hotword lists: %d golden cases identical\n", cases);
  EXPECT_GE(cases, 4);
}

TEST(HotwordList, PythonSyntheticCases) {
  const std::string path = funasr_test::RequireData("text/python_cases.json");
  ASSERT_FALSE(path.empty());
  const auto all = LoadJson(path);
  const auto& hw = all["hotwords"];
  const SegDict seg_dict = ParseSegDictLines(hw["seg_dict"].get<std::vector<std::string>>());
  const TokenList& tokens = funasr_test::RealTokenList();
  int n = 0;
  for (const auto& rec : hw["string"]) {
    const std::string input = rec["input"].get<std::string>();
    SCOPED_TRACE(input);
    const auto specs = ParseHotwordString(input);
    EXPECT_EQ(BuildHotwordList(specs, tokens, &seg_dict).ids, Ids(rec["with_seg_dict"]));
    EXPECT_EQ(BuildHotwordList(specs, tokens, nullptr).ids, Ids(rec["without_seg_dict"]));
    ++n;
  }
  for (const auto& rec : hw["file"]) {
    const std::string content = rec["content"].get<std::string>();
    SCOPED_TRACE(content);
    const auto specs = ParseHotwordLines(content, "hw.txt");
    EXPECT_EQ(BuildHotwordList(specs, tokens, &seg_dict).ids, Ids(rec["with_seg_dict"]));
    EXPECT_EQ(BuildHotwordList(specs, tokens, nullptr).ids, Ids(rec["without_seg_dict"]));
    ++n;
  }
  EXPECT_GE(n, 12);
}

TEST(HotwordList, FilesAndDocumentedLimits) {
  const TokenList& tokens = funasr_test::RealTokenList();
  const SegDict seg_dict = {{"hello", {"hel@@", "lo"}}, {"阿", {"阿"}}, {"empty", {}}};
  const std::string dir = funasr_test::TempDir("text_hotword_list");
  const std::string file = dir + "/hotwords.txt";
  {
    std::ofstream out(file, std::ios::binary);
    out << "\xEF\xBB\xBF"
           "hello 阿\n\n   \nHELLO\r\n";
  }
  // BOM ignored, blank lines skipped, a line's words form one hotword.
  const HotwordList from_file = BuildHotwordList(ParseHotwordArgument(file), tokens, &seg_dict);
  ASSERT_EQ(from_file.ids.size(), 3u);
  EXPECT_EQ(from_file.ids[0],
            (std::vector<int64_t>{tokens.Id("hel@@"), tokens.Id("lo"), tokens.Id("阿")}));
  EXPECT_EQ(from_file.texts[0], "hello 阿");
  EXPECT_EQ(from_file.ids[2], std::vector<int64_t>{1});

  // Missing .txt file, URL, invalid UTF-8: clear errors.
  try {
    ParseHotwordArgument(dir + "/missing.txt");
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kIoError);
    EXPECT_NE(std::string(e.what()).find("missing.txt"), std::string::npos);
  }
  EXPECT_THROW(ParseHotwordArgument("https://example.com/hw.txt"), Error);
  try {
    ParseHotwordString("ok \xE4\xB8 bad");
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(std::string(e.what()).find("hotwords: invalid UTF-8 at byte 3"), std::string::npos)
        << e.what();
  }
  {
    std::ofstream out(dir + "/bad.txt", std::ios::binary);
    out << "fine\n\xFF\n";
  }
  EXPECT_THROW(ReadHotwordFile(dir + "/bad.txt"), Error);

  // Only unknown tokens: kept as <unk> (Python parity) and counted.
  const HotwordList unk = BuildHotwordList(ParseHotwordString("zzqx 中1x"), tokens, &seg_dict);
  EXPECT_EQ(unk.ids[0], std::vector<int64_t>{tokens.unk_id()});
  EXPECT_EQ(unk.num_all_unknown, 2u);
  // Duplicates are kept.
  EXPECT_EQ(BuildHotwordList(ParseHotwordString("阿 阿"), tokens, &seg_dict).ids.size(), 3u);
  // Empty input: only the no-bias entry.
  EXPECT_EQ(BuildHotwordList(ParseHotwordString("  "), tokens, &seg_dict).ids,
            (std::vector<std::vector<int64_t>>{{1}}));
  // A seg_dict entry without pieces leaves the hotword with no tokens: dropped and counted
  // (Python's LSTM packing would fail on it).
  const HotwordList dropped = BuildHotwordList(ParseHotwordString("empty 阿"), tokens, &seg_dict);
  EXPECT_EQ(dropped.ids, (std::vector<std::vector<int64_t>>{{tokens.Id("阿")}, {1}}));
  EXPECT_EQ(dropped.texts, std::vector<std::string>{"阿"});
  EXPECT_EQ(dropped.num_without_tokens, 1u);

  // Long hotwords are not truncated (Python); limits bound size and count.
  std::string long_word(300, 'x');
  for (auto& ch : long_word) ch = '1';  // digits: one token per character
  const SegDict digits = {{"1", {"1"}}};
  const HotwordList long_list = BuildHotwordList(ParseHotwordString(long_word), tokens, &digits);
  EXPECT_EQ(long_list.ids[0].size(), 300u);
  HotwordLimits limits;
  limits.max_tokens_per_hotword = 100;
  EXPECT_THROW(BuildHotwordList(ParseHotwordString(long_word), tokens, &digits, {}, limits), Error);
  std::string many;
  for (int i = 0; i < 5000; ++i) many += "阿 ";
  const HotwordList thousands = BuildHotwordList(ParseHotwordString(many), tokens, &seg_dict);
  EXPECT_EQ(thousands.ids.size(), 5001u);
  limits = HotwordLimits();
  limits.max_hotwords = 1000;
  EXPECT_THROW(BuildHotwordList(ParseHotwordString(many), tokens, &seg_dict, {}, limits), Error);
}

}  // namespace
}  // namespace funasr::text
