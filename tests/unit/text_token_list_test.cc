#include <gtest/gtest.h>

#include "funasr/error.h"
#include "parity/text_test_util.h"
#include "text/token_list.h"

namespace funasr::text {
namespace {

TEST(TokenList, RealVocab8404) {
  const TokenList& list = funasr_test::RealTokenList();
  ASSERT_EQ(list.size(), 8404u);
  EXPECT_EQ(list.Token(0), "<blank>");
  EXPECT_EQ(list.Token(1), "<s>");
  EXPECT_EQ(list.Token(2), "</s>");
  EXPECT_EQ(list.unk_id(), 8403);
  EXPECT_EQ(list.Token(8377), "曩");  // SeACo NO_BIAS class
  EXPECT_EQ(list.Id("曩"), 8377);
  EXPECT_EQ(list.Id("not-a-token"), 8403);
  EXPECT_TRUE(list.Contains("and@@"));
  EXPECT_FALSE(list.Contains("xyz@@@"));
  const std::vector<int64_t> ids = {804, 4889, 2046};
  EXPECT_EQ(list.TokensToIds(list.IdsToTokens(ids)), ids);
  EXPECT_THROW(list.Token(8404), Error);
  EXPECT_THROW(list.Token(-1), Error);
}

TEST(TokenList, GoldenTokenIdsMapToGoldenTokens) {
  const TokenList& list = funasr_test::RealTokenList();
  int checked = 0;
  for (const auto& model : funasr_test::AsrModelDirs()) {
    for (const auto& c : funasr_test::ListCaseDirs("reference/" + model)) {
      const std::string p =
          funasr_test::FindData("reference/" + model + "/" + c + "/token_ids.json");
      if (p.empty()) continue;
      const auto j = funasr_test::LoadJson(p);
      EXPECT_EQ(list.IdsToTokens(j["token_ids"].get<std::vector<int64_t>>()),
                j["tokens"].get<std::vector<std::string>>())
          << model << "/" << c;
      ++checked;
    }
  }
  EXPECT_GE(checked, 13);
}

TEST(TokenList, RejectsBadLists) {
  try {
    TokenList({"<blank>", "a", "a", "<unk>"}, "x/tokens.json");
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kFormatError);
    EXPECT_NE(std::string(e.what()).find("x/tokens.json: token \"a\" (id 2) is duplicated"),
              std::string::npos)
        << e.what();
  }
  EXPECT_THROW(TokenList({"<blank>", "a"}, "t"), Error);   // no <unk>
  EXPECT_THROW(TokenList({}, "t"), Error);                 // empty
  EXPECT_THROW(TokenList({"<unk>", "\xC3"}, "t"), Error);  // invalid UTF-8
  TokenList custom({"<unk>", "<u>"}, "t", "<u>");
  EXPECT_EQ(custom.unk_id(), 1);
}

TEST(TokenList, DropSpecialIds) {
  EXPECT_EQ(DropSpecialIds({1, 5, 0, 2, 8403, 2, 7}), (std::vector<int64_t>{5, 8403, 7}));
}

}  // namespace
}  // namespace funasr::text
