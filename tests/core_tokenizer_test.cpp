// Tokenizer: words and punctuation, one token per CJK character, invalid UTF-8 → U+FFFD, truncation.
#include <gtest/gtest.h>

#include "tokenizer.h"

using namespace attn;
using V = std::vector<std::string>;

TEST(Tokenizer, EnglishWordsAndPunctuation) {
  const Tokenized t = tokenize("The animal didn't cross the street, because it was too tired.", 64);
  EXPECT_EQ(t.tokens, (V{"The", "animal", "didn't", "cross", "the", "street", ",", "because", "it", "was", "too", "tired", "."}));
  EXPECT_FALSE(t.truncated);
  EXPECT_EQ(t.invalid_bytes, 0);
}

TEST(Tokenizer, EachChineseCharacterIsOneToken) {
  const Tokenized t = tokenize("机器学习很有趣", 64);
  EXPECT_EQ(t.tokens, (V{"机", "器", "学", "习", "很", "有", "趣"}));
  EXPECT_EQ(tokenize("我爱NLP！", 64).tokens, (V{"我", "爱", "NLP", "！"}));
}

TEST(Tokenizer, InvalidUtf8BecomesReplacementCharacters) {
  const std::string fffd = "\xEF\xBF\xBD";
  for (const std::string& bad : {std::string("\xff"), std::string("\xc0\xaf"), std::string("\xed\xa0\x80"),
                                std::string("\xe6\x9c"), std::string("\x80")}) {
    const Tokenized t = tokenize("a " + bad + " b", 64);
    ASSERT_EQ(t.tokens.size(), 3u) << "input " << bad.size() << " bytes";
    EXPECT_EQ(t.tokens[0], "a");
    EXPECT_EQ(t.tokens[1], fffd);
    EXPECT_EQ(t.tokens[2], "b");
    EXPECT_EQ(t.invalid_bytes, 1);
  }
}

TEST(Tokenizer, DecodeUtf8KnownCodePoints) {
  const std::vector<char32_t> cps = decode_utf8("A\xc3\xa9\xe6\x9c\xba\xf0\x9f\x98\x80");  // A é 机 😀
  EXPECT_EQ(cps, (std::vector<char32_t>{0x41, 0xE9, 0x673A, 0x1F600}));
  std::string back;
  for (char32_t c : cps) append_utf8(back, c);
  EXPECT_EQ(back, "A\xc3\xa9\xe6\x9c\xba\xf0\x9f\x98\x80");
}

TEST(Tokenizer, TruncatesAtTheLimitAndSaysSo) {
  const Tokenized t = tokenize("one two three four five", 3);
  EXPECT_EQ(t.tokens, (V{"one", "two", "three"}));
  EXPECT_TRUE(t.truncated);
  EXPECT_FALSE(tokenize("one two three", 3).truncated);
}

TEST(Tokenizer, EmptyAndWhitespaceGiveNoTokens) {
  EXPECT_TRUE(tokenize("", 64).tokens.empty());
  EXPECT_TRUE(tokenize("   \t\n  ", 64).tokens.empty());
  EXPECT_TRUE(tokenize("\x01\x02\x7f", 64).tokens.empty());  // control characters are separators
}

TEST(Tokenizer, EmojiCombiningMarksAndRightToLeftDoNotCrash) {
  EXPECT_EQ(tokenize("I \xf0\x9f\x98\x80 you", 64).tokens.size(), 3u);
  EXPECT_EQ(tokenize("cafe\xcc\x81", 64).tokens, (V{"cafe\xcc\x81"}));  // e + combining acute stays in the word
  EXPECT_EQ(tokenize("\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d \xd7\xa2\xd7\x95\xd7\x9c\xd7\x9d", 64).tokens.size(), 2u);  // Hebrew
}

TEST(Tokenizer, HugePasteIsCutToTheLimit) {
  std::string big;
  for (int i = 0; i < 20000; ++i) big += "word ";
  const Tokenized t = tokenize(big, 512);
  EXPECT_EQ(t.tokens.size(), 512u);
  EXPECT_TRUE(t.truncated);
}
