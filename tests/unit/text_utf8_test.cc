#include <gtest/gtest.h>

#include "funasr/error.h"
#include "text/unicode_tables.h"
#include "text/utf8.h"

namespace funasr::text {
namespace {

TEST(Utf8, DecodeEncodeRoundTrip) {
  const std::string s = "a\u00e9\u4e2d\U0002B5AF!";
  const std::u32string cps = DecodeUtf8(s);
  ASSERT_EQ(cps.size(), 5u);
  EXPECT_EQ(cps[1], 0xE9u);
  EXPECT_EQ(cps[2], 0x4E2Du);
  EXPECT_EQ(cps[3], 0x2B5AFu);
  EXPECT_EQ(EncodeUtf8(cps), s);
  EXPECT_EQ(CodePointCount(s), 5u);
  const auto chars = SplitUtf8Chars(s);
  ASSERT_EQ(chars.size(), 5u);
  EXPECT_EQ(chars[2], "\u4e2d");
  EXPECT_EQ(chars[3], "\U0002B5AF");
}

TEST(Utf8, RejectsMalformedInputWithClearMessage) {
  const std::pair<std::string, std::string> bad[] = {
      {std::string("ab\xC3", 3), "truncated sequence"},
      {std::string("\x80x", 2), "unexpected continuation byte"},
      {std::string("\xC0\xAF", 2), "invalid lead byte"},  // overlong '/'
      {std::string("\xE0\x80\xAF", 3), "overlong encoding"},
      {std::string("\xED\xA0\x80", 3), "encoded surrogate"},
      {std::string("\xF4\x90\x80\x80", 4), "code point above U+10FFFF"},
      {std::string("\xFF", 1), "invalid lead byte"},
      {std::string("\xE4\xB8", 2), "truncated sequence"},
  };
  for (const auto& [bytes, reason] : bad) {
    EXPECT_FALSE(IsValidUtf8(bytes));
    try {
      DecodeUtf8(bytes, "hotword file x.txt");
      ADD_FAILURE() << "accepted invalid UTF-8";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
      const std::string msg = e.what();
      EXPECT_NE(msg.find("hotword file x.txt: invalid UTF-8 at byte"), std::string::npos) << msg;
      EXPECT_NE(msg.find(reason), std::string::npos) << msg;
    }
  }
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF
}

TEST(Utf8, PythonWhitespaceSplitAndStrip) {
  // Python: "  a\u3000b\x85c\u2028 d \n".split() == ['a', 'b', 'c', 'd']
  const auto words = PythonSplit("  a\u3000b\u0085c\u2028 d \n");
  ASSERT_EQ(words.size(), 4u);
  EXPECT_EQ(words[0], "a");
  EXPECT_EQ(words[3], "d");
  EXPECT_TRUE(PythonSplit(" \t\u00a0 ").empty());
  EXPECT_EQ(PythonStrip("\u3000 x y\u200b \u00a0"), "x y\u200b");  // U+200B is not whitespace
  EXPECT_FALSE(IsPythonSpace(0xFEFF));
  EXPECT_TRUE(IsPythonSpace(0x1F));
  EXPECT_TRUE(IsPythonSpace(0x200A));
}

TEST(Utf8, PythonAlphaAndLower) {
  EXPECT_TRUE(IsPythonAlpha(U'a'));
  EXPECT_FALSE(IsPythonAlpha(U'1'));
  EXPECT_FALSE(IsPythonAlpha(U'\''));
  EXPECT_TRUE(IsPythonAlpha(0x4E2D));   // CJK is alphabetic (Lo)
  EXPECT_TRUE(IsPythonAlpha(0x2B5AF));  // CJK Ext. B
  EXPECT_TRUE(IsPythonAlpha(0xE9));     // é
  EXPECT_FALSE(IsPythonAlpha(0x3002));  // 。
  EXPECT_FALSE(IsPythonAlpha(0x2160));  // Ⅻ-style roman numerals are Nl
  EXPECT_TRUE(IsPythonAlpha(0x01C5));   // ǅ (Lt)
  EXPECT_FALSE(IsPythonAlpha(std::u32string_view()));
  EXPECT_EQ(PythonLower(std::string("HeLLo ÀÉ İ Σ Ǆ ǅ Ⅻ")), "hello àé i\u0307 σ ǆ ǆ ⅻ");
  EXPECT_EQ(PythonLower(std::string("中文123")), "中文123");
  EXPECT_STREQ(unicode_tables::kUnicodeVersion, "14.0.0");
}

TEST(Utf8, ReplaceAllIsPythonReplace) {
  EXPECT_EQ(ReplaceAll("a@@@b@@", "@@", ""), "a@b");
  EXPECT_EQ(ReplaceAll("<s></s>", "</s>", ""), "<s>");
  EXPECT_EQ(ReplaceAll("xyz", "q", "r"), "xyz");
}

}  // namespace
}  // namespace funasr::text
