// valid_utf8 (text entering the app) and untrusted_text (file content quoted in a message), and the tokenizer on
// grapheme clusters: a user-perceived character is one token.
#include <gtest/gtest.h>

#include "tokenizer.h"
#include "utf8.h"

using namespace attn;
using V = std::vector<std::string>;

namespace {
const std::string kFffd = "\xEF\xBF\xBD";

bool has_control_byte(const std::string& s) {
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7F) return true;
  return false;
}
}  // namespace

TEST(ValidUtf8, Latin1ByteBecomesOneReplacement) {
  int replaced = -1;
  EXPECT_EQ(valid_utf8("caf\xe9 au lait", &replaced), "caf" + kFffd + " au lait");
  EXPECT_EQ(replaced, 1);
}

TEST(ValidUtf8, ValidTextIsUnchangedAndCountsZero) {
  const std::string ok = "A\xc3\xa9\xe6\x9c\xba\xf0\x9f\x98\x80 \xd7\xa9";  // A é 机 😀 ש
  int replaced = -1;
  EXPECT_EQ(valid_utf8(ok, &replaced), ok);
  EXPECT_EQ(replaced, 0);
  EXPECT_EQ(valid_utf8(""), "");
}

TEST(ValidUtf8, EachMalformedSequenceIsOneReplacement) {
  // Overlong '/', surrogate D800, cut-short 3-byte sequence, stray continuation, 0xFF: five sequences.
  int replaced = 0;
  const std::string out = valid_utf8("\xc0\xaf|\xed\xa0\x80|\xe6\x9c|\x80|\xff", &replaced);
  EXPECT_EQ(replaced, 5);
  EXPECT_EQ(out, kFffd + "|" + kFffd + "|" + kFffd + "|" + kFffd + "|" + kFffd);
  int again = -1;
  EXPECT_EQ(valid_utf8(out, &again), out);  // idempotent: the result is valid
  EXPECT_EQ(again, 0);
}

TEST(UntrustedText, EscapesControlsAndTerminalSequences) {
  EXPECT_EQ(untrusted_text("a\nb\r\tc"), "a\\nb\\r\\tc");
  EXPECT_EQ(untrusted_text("x\x1b[31mred"), "x\\x1B[31mred");
  EXPECT_EQ(untrusted_text(std::string("nul\0del\x7f", 8)), "nul\\x00del\\x7F");
  EXPECT_EQ(untrusted_text("c1\xc2\x9b" "2J"), "c1\\x9B2J");                  // U+009B: the one-byte CSI
  EXPECT_EQ(untrusted_text("abc\xe2\x80\xae" "fdp.exe"), "abc\\u202Efdp.exe");  // right-to-left override
  EXPECT_EQ(untrusted_text("caf\xe9"), "caf" + kFffd);
  EXPECT_EQ(untrusted_text("plain caf\xc3\xa9 \xd7\xa9"), "plain caf\xc3\xa9 \xd7\xa9");  // printable text is kept
}

TEST(UntrustedText, CapsLengthInCharactersNotBytes) {
  const std::string e_acute = "\xc3\xa9";
  std::string long_text;
  for (int i = 0; i < 100; ++i) long_text += e_acute;
  std::string want;
  for (int i = 0; i < 10; ++i) want += e_acute;
  EXPECT_EQ(untrusted_text(long_text, 10), want + "\xE2\x80\xA6");
  EXPECT_EQ(untrusted_text(want, 10), want);  // exactly at the cap: no ellipsis
  const std::string capped = untrusted_text(std::string(1000, '\n'));
  EXPECT_EQ(capped, [] { std::string s; for (int i = 0; i < 80; ++i) s += "\\n"; return s + "\xE2\x80\xA6"; }());
  EXPECT_FALSE(has_control_byte(capped));
}

TEST(TokenizerGraphemes, FamilyEmojiIsOneToken) {
  const std::string family = "\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa7";  // 👨‍👩‍👧
  EXPECT_EQ(tokenize("we " + family + " ok", 64).tokens, (V{"we", family, "ok"}));
  EXPECT_EQ(tokenize(family + family, 64).tokens, (V{family, family}));  // two families side by side: two tokens
}

TEST(TokenizerGraphemes, FlagIsOneTokenAndTwoFlagsAreTwo) {
  const std::string fr = "\xf0\x9f\x87\xab\xf0\x9f\x87\xb7", de = "\xf0\x9f\x87\xa9\xf0\x9f\x87\xaa";  // 🇫🇷 🇩🇪
  EXPECT_EQ(tokenize(fr, 64).tokens, (V{fr}));
  EXPECT_EQ(tokenize(fr + de, 64).tokens, (V{fr, de}));  // regional indicators pair up, left to right
}

TEST(TokenizerGraphemes, CombiningMarksStayWithTheirLetter) {
  EXPECT_EQ(tokenize("e\xcc\x81", 64).tokens, (V{"e\xcc\x81"}));
  EXPECT_EQ(tokenize("cafe\xcc\x81, ok", 64).tokens, (V{"cafe\xcc\x81", ",", "ok"}));
  // Skin-tone modifier on a thumbs-up: one token.
  EXPECT_EQ(tokenize("\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd", 64).tokens.size(), 1u);
}

TEST(TokenizerGraphemes, HebrewArabicDevanagariWordsAreOneTokenEach) {
  const std::string shalom = "\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d", olam = "\xd7\xa2\xd7\x95\xd7\x9c\xd7\x9d";
  EXPECT_EQ(tokenize(shalom + " " + olam, 64).tokens, (V{shalom, olam}));
  const std::string salaam = "\xd8\xb3\xd9\x84\xd8\xa7\xd9\x85";  // سلام
  EXPECT_EQ(tokenize(salaam + ".", 64).tokens, (V{salaam, "."}));
  const std::string namaste = "\xe0\xa4\xa8\xe0\xa4\xae\xe0\xa4\xb8\xe0\xa5\x8d\xe0\xa4\xa4\xe0\xa5\x87";  // नमस्ते (virama, vowel sign)
  EXPECT_EQ(tokenize(namaste, 64).tokens, (V{namaste}));
}

TEST(TokenizerGraphemes, InvisibleCharactersAreNotTokens) {
  EXPECT_EQ(tokenize("a \xe2\x80\x8d b", 64).tokens, (V{"a", "b"}));          // a stray ZWJ
  EXPECT_EQ(tokenize("a\xe2\x80\x8b" "b", 64).tokens, (V{"a", "b"}));         // zero-width space separates
  EXPECT_EQ(tokenize("\xef\xbb\xbfhello", 64).tokens, (V{"hello"}));          // byte-order mark
}

TEST(ScriptNeeds, FromUnicodeProperties) {
  const ScriptNeeds hebrew = script_needs("\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d");  // bidi R, letters do not join
  EXPECT_TRUE(hebrew.rtl);
  EXPECT_FALSE(hebrew.shaping);
  EXPECT_FALSE(hebrew.astral);
  const ScriptNeeds arabic = script_needs("x \xd8\xb3\xd9\x84\xd8\xa7\xd9\x85");  // bidi AL: joins
  EXPECT_TRUE(arabic.rtl);
  EXPECT_TRUE(arabic.shaping);
  const ScriptNeeds hindi = script_needs("\xe0\xa4\xa8\xe0\xa4\xae\xe0\xa4\xb8\xe0\xa5\x8d\xe0\xa4\xa4\xe0\xa5\x87");
  EXPECT_FALSE(hindi.rtl);
  EXPECT_TRUE(hindi.shaping);  // virama U+094D makes a conjunct
  EXPECT_TRUE(script_needs("\xf0\x9f\x87\xab\xf0\x9f\x87\xb7").astral);  // a flag: regional indicators
  const ScriptNeeds plain = script_needs("caf\xc3\xa9 \xe6\x9c\xba 123 \xe2\x98\xba");  // ☺ is in the BMP
  EXPECT_FALSE(plain.rtl || plain.shaping || plain.astral);
}
