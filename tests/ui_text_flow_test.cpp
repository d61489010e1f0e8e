// break_lines (ui/text_flow.h): where wrapped text ends its lines. Advances are made up so each case is worked by
// hand: every character 1 unit wide, a CJK character 2.
#include <gtest/gtest.h>

#include <string>

#include "text_flow.h"
#include "utf8.h"

using namespace attn;

namespace {

float unit(char32_t c) { return (c >= 0x2E80 && c <= 0x9FFF) || (c >= 0xFF00 && c <= 0xFFEF) ? 2.0f : 1.0f; }
std::string wrap(const std::string& s, float width) { return break_lines(s, width, unit); }

}  // namespace

TEST(BreakLines, EnglishBreaksAtTheLastSpaceThatFitsAndDropsIt) {
  // "the cat sat on" is 14 wide; 10 holds "the cat" (7) but not "the cat sat" (11).
  EXPECT_EQ(wrap("the cat sat on", 10), "the cat\nsat on");
  EXPECT_EQ(wrap("the cat sat on", 14), "the cat sat on");  // exactly fits: unchanged
  EXPECT_EQ(wrap("a b c d", 3), "a b\nc d");
}

TEST(BreakLines, ANumberIsNeverSplitAtItsPoint) {
  // ImGui 1.86 breaks after '.', giving "4." / "85"; here the only opportunity is the space.
  EXPECT_EQ(wrap("std 4.85 now", 9), "std 4.85\nnow");
}

TEST(BreakLines, ChineseBreaksBetweenAnyTwoCharacters) {
  // Six characters of width 2 in a line of 7: three per line (6), never a space needed.
  EXPECT_EQ(wrap("注意力机制很好", 7), "注意力\n机制很\n好");
}

TEST(BreakLines, NoLineStartsWithClosingPunctuation) {
  // "注意力，" : the comma may not start a line, so the break moves before "力".
  EXPECT_EQ(wrap("注意力，机制", 6), "注意\n力，机\n制");
}

TEST(BreakLines, NoLineEndsWithOpeningPunctuation) {
  // "是（键）": the break may not follow "（": it goes before it.
  EXPECT_EQ(wrap("查询是（键）", 8), "查询是\n（键）");
}

TEST(BreakLines, MixedTextBreaksBesideChineseAndAtSpaces) {
  // "d_k 很大" : the space and the Latin–CJK boundary are both opportunities.
  EXPECT_EQ(wrap("设 d_k 很大", 8), "设 d_k\n很大");
  EXPECT_EQ(wrap("d_k很大", 4), "d_k\n很大");  // "d_k很" is 5 wide
}

TEST(BreakLines, AWordLongerThanTheLineIsCutAndNewlinesAreKept) {
  EXPECT_EQ(wrap("abcdefgh", 3), "abc\ndef\ngh");
  EXPECT_EQ(wrap("ab\ncd ef", 10), "ab\ncd ef");
  EXPECT_EQ(wrap("  indented", 20), "  indented");  // leading spaces of the text stay
}

TEST(BreakLines, EveryLineFitsAndNoCharacterIsLost) {
  // A property over a long mixed paragraph and several widths: each line fits, and the lines joined hold every
  // character of the text but the spaces at which lines were broken.
  const std::string s = "Attention(Q, K, V) = softmax(Q·Kᵀ / √d_k)·V：每个查询向量 q 与每个键 k 做点积，再除以 √d_k，"
                        "然后 softmax 得到权重，最后对值 V 加权求和。 The output mixes the values.";
  auto without_spaces = [](const std::string& t) {
    std::string r;
    for (char c : t)
      if (c != ' ' && c != '\n') r += c;
    return r;
  };
  for (float width : {6.0f, 11.0f, 17.0f, 40.0f}) {
    const std::string out = wrap(s, width);
    size_t i = 0;
    for (;;) {
      const size_t nl = out.find('\n', i);
      const std::string line = out.substr(i, nl == std::string::npos ? std::string::npos : nl - i);
      float w = 0;
      for (char32_t c : decode_utf8(line)) w += unit(c);
      EXPECT_LE(w, width) << "line \"" << line << "\" at width " << width;
      if (nl == std::string::npos) break;
      i = nl + 1;
    }
    EXPECT_EQ(without_spaces(out), without_spaces(s)) << "width " << width;
  }
}
