// Axis label layout (ui/axis_labels.h): thinning to every k-th label, the rule text, abbreviation, rotation, and
// stacking, against hand-computed cases and, over a range of sizes, the properties that make labels never vanish and
// never collide. Text widths come from a fixed-pitch measure: 8 px for an ASCII character, 16 px for any other
// (a Chinese character is about one em wide).
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "axis_labels.h"

using namespace attn;

namespace {

float fixed_width(const std::string& s) {
  float w = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if ((c & 0xC0) == 0x80) continue;  // continuation byte
    w += c < 0x80 ? 8.0f : 16.0f;
  }
  return w;
}

std::vector<std::string> split_utf8(const std::string& s) {
  std::vector<std::string> out;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) out.back() += s[i];
    else out.emplace_back(1, s[i]);
  }
  return out;
}

const std::vector<std::string> kSentence = {"The", "animal", "didn't", "cross", "the", "street",
                                            "because", "it", "was", "too", "tired"};
const std::string kChinese = "注意力机制让模型在处理每个词时都能关注句子中的其他词语";

bool overlap(const LabelBox& a, const LabelBox& b) { return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1; }

}  // namespace

TEST(AxisLabels, StepIsTheSmallestThatFits) {
  EXPECT_EQ(label_step(20, 16, 2), 1);   // 18 ≤ 20
  EXPECT_EQ(label_step(10, 16, 2), 2);   // 18 / 10 → 2
  EXPECT_EQ(label_step(6, 16, 2), 3);    // 18 / 6 = 3 exactly
  EXPECT_EQ(label_step(5.9f, 16, 2), 4);
  EXPECT_EQ(label_step(1.25f, 16, 2), 15);  // 512 tokens in 640 px: 18 / 1.25 = 14.4 → 15
  EXPECT_EQ(label_step(10.0f / 3, 8, 2), 3);  // exactly three cells: not rounded up to 4
  EXPECT_EQ(label_step(0, 16, 2), 0);    // no room at all
}

TEST(AxisLabels, RuleTextNamesTheStep) {
  EXPECT_EQ(label_rule(1, 1), "");
  EXPECT_EQ(label_rule(4, 4), "every 4th token labelled; hover for all");
  EXPECT_EQ(label_rule(2, 2), "every 2nd token labelled; hover for all");
  EXPECT_EQ(label_rule(1, 3), "rows: all, columns: every 3rd labelled; hover for all");
  const std::vector<std::pair<int, std::string>> ord = {{1, "1st"},   {2, "2nd"},   {3, "3rd"},   {4, "4th"},
                                                        {11, "11th"}, {12, "12th"}, {13, "13th"}, {21, "21st"},
                                                        {22, "22nd"}, {23, "23rd"}, {101, "101st"}, {111, "111th"}};
  for (const auto& [k, s] : ord) EXPECT_EQ(ordinal(k), s);
}

TEST(AxisLabels, AbbreviatesWholeCharactersWithAnEllipsis) {
  // "…" is one non-ASCII character: 16 px. "international" is 13 × 8 = 104 px.
  EXPECT_EQ(abbreviate("international", 104, fixed_width), "international");  // fits: untouched
  EXPECT_EQ(abbreviate("international", 56, fixed_width), "inter\xE2\x80\xA6");  // 5 × 8 + 16 = 56
  EXPECT_EQ(abbreviate("international", 55, fixed_width), "inte\xE2\x80\xA6");   // 4 × 8 + 16 = 48
  EXPECT_EQ(abbreviate("注意力机制", 48, fixed_width), "注意\xE2\x80\xA6");       // 2 × 16 + 16; never half a character
  EXPECT_EQ(abbreviate("international", 1, fixed_width), "i\xE2\x80\xA6");        // at least one character
  EXPECT_EQ(abbreviate("注", 1, fixed_width), "注");
}

TEST(AxisLabels, HandComputedSentenceAndChineseLayouts) {
  // 11 tokens, 20 px cells, 16 px font (gap 2.4): rows fit one a cell; "because" (56 px) cannot stand upright in
  // 20 px (it would need a step of ⌈58.4/20⌉ = 3), rotated it is 16 px thick: every column, rotated.
  AxisLabelLayout rows = layout_axis_labels(kSentence, false, 0, 20, 0, 11, 16, 96, fixed_width);
  EXPECT_EQ(rows.step, 1);
  ASSERT_EQ(rows.boxes.size(), 11u);
  EXPECT_FLOAT_EQ(rows.boxes[6].x0, -56);  // right-aligned at 0
  EXPECT_FLOAT_EQ(rows.boxes[6].y0, 6 * 20 + 10 - 8);
  EXPECT_FLOAT_EQ(rows.depth, 56);
  AxisLabelLayout cols = layout_axis_labels(kSentence, true, 0, 20, 0, 11, 16, 96, fixed_width);
  EXPECT_EQ(cols.step, 1);
  EXPECT_TRUE(cols.rotated);
  EXPECT_FLOAT_EQ(cols.boxes[6].y0, -56);
  // Scale 1.5 at 1280 × 800: 24 px font, 14 px cells: ⌈(24 + 3.6)/14⌉ = 2, every 2nd, 6 labels (0, 2, …, 10).
  AxisLabelLayout big = layout_axis_labels(kSentence, false, 0, 14, 0, 11, 24, 144, fixed_width);
  EXPECT_EQ(big.step, 2);
  EXPECT_EQ(big.boxes.size(), 6u);
  EXPECT_EQ(label_rule(big.step, big.step), "every 2nd token labelled; hover for all");
  // 27 Chinese characters in 340 px: 12.6 px cells. A character is 16 px either way up, so the columns stay
  // upright, every 2nd (⌈18.4/12.6⌉ = 2).
  const std::vector<std::string> zh = split_utf8(kChinese);
  ASSERT_EQ(zh.size(), 27u);
  AxisLabelLayout zc = layout_axis_labels(zh, true, 0, 340.0f / 27, 0, 27, 16, 96, fixed_width);
  EXPECT_FALSE(zc.rotated);
  EXPECT_EQ(zc.step, 2);
  EXPECT_EQ(zc.boxes.size(), 14u);
  EXPECT_FLOAT_EQ(zc.depth, 16);
  // A long token is abbreviated to max_len, and says so.
  AxisLabelLayout ab = layout_axis_labels({"internationalisation", "a"}, false, 0, 30, 0, 2, 16, 64, fixed_width);
  EXPECT_TRUE(ab.boxes[0].abbreviated);
  EXPECT_EQ(ab.boxes[0].text, "intern\xE2\x80\xA6");
  EXPECT_FALSE(ab.boxes[1].abbreviated);
}

TEST(AxisLabels, ZoomedInRegionIsLabelledFromMultiplesOfTheStep) {
  // 512 tokens zoomed so that a cell is 5 px: step ⌈18.4/5⌉ = 4; visible cells 101 … 180 get labels 104, 108, …
  std::vector<std::string> many;
  for (int i = 0; i < 512; ++i) many.push_back("w" + std::to_string(i));
  AxisLabelLayout z = layout_axis_labels(many, false, -400, 5, 101, 181, 16, 96, fixed_width);
  EXPECT_EQ(z.step, 4);
  ASSERT_FALSE(z.boxes.empty());
  EXPECT_EQ(z.boxes.front().index, 104);
  EXPECT_EQ(z.boxes.back().index, 180);
  EXPECT_EQ(z.boxes.size(), 20u);
}

TEST(AxisLabels, NoTwoLabelsOverlapAndNoneIsLostOverARangeOfSizes) {
  std::vector<std::vector<std::string>> inputs = {kSentence, split_utf8(kChinese)};
  std::vector<std::string> t64, t512;
  for (int i = 0; i < 64; ++i) t64.push_back(kSentence[size_t(i) % kSentence.size()]);
  for (int i = 0; i < 512; ++i) t512.push_back(kSentence[size_t(i) % kSentence.size()] + std::to_string(i));
  inputs.push_back(t64);
  inputs.push_back(t512);
  for (const auto& labels : inputs)
    for (float font_h : {13.0f, 16.0f, 24.0f, 32.0f})
      for (float pitch = 0.75f; pitch <= 60; pitch *= 1.3f)
        for (bool columns : {false, true}) {
          const int n = int(labels.size());
          const AxisLabelLayout l = layout_axis_labels(labels, columns, 7, pitch, 0, n, font_h, font_h * 6, fixed_width);
          SCOPED_TRACE(testing::Message() << "n " << n << " font " << font_h << " pitch " << pitch << " columns " << columns);
          ASSERT_GE(l.step, 1);
          // Every k-th label is drawn: none vanishes.
          EXPECT_EQ(int(l.boxes.size()), (n + l.step - 1) / l.step);
          for (size_t b = 0; b < l.boxes.size(); ++b) EXPECT_EQ(l.boxes[b].index, int(b) * l.step);
          for (const LabelBox& b : l.boxes) EXPECT_LE(fixed_width(b.text), font_h * 6 + 0.01f);  // abbreviated to max_len
          // No two drawn labels overlap (boxes are the drawn text's extent).
          for (size_t a = 0; a < l.boxes.size(); ++a)
            for (size_t b = a + 1; b < l.boxes.size() && b < a + 3; ++b) EXPECT_FALSE(overlap(l.boxes[a], l.boxes[b]));
          // k is the smallest that fits: one less would put neighbours closer than the label's extent plus the gap.
          // Upright columns: the widest label's width; rows and rotated columns: the font's height.
          float extent = font_h;
          if (columns && !l.rotated) {
            extent = 0;
            for (const LabelBox& b : l.boxes) extent = std::max(extent, b.x1 - b.x0);
          }
          if (l.step > 1) {
            EXPECT_LT(float(l.step - 1) * pitch, extent + std::max(1.0f, font_h * 0.15f));
            EXPECT_NE(label_rule(l.step, l.step).find("every " + ordinal(l.step) + " "), std::string::npos);
          } else {
            EXPECT_EQ(label_rule(l.step, l.step), "");
          }
        }
}

TEST(AxisLabels, StackedSpansNeverOverprint) {
  // "n = d" and "your n" at the same x (n = d = 512), then one far to the right, then one overlapping both.
  const std::vector<std::pair<float, float>> s = {{0, 50}, {0, 60}, {100, 150}, {45, 60}};
  EXPECT_EQ(stack_spans(s, 2), (std::vector<int>{0, 1, 0, 2}));
  EXPECT_EQ(stack_spans({{0, 10}, {12, 20}}, 2), (std::vector<int>{0, 0}));  // 2 px apart: same row
  EXPECT_EQ(stack_spans({{0, 10}, {11, 20}}, 2), (std::vector<int>{0, 1}));
}

TEST(AxisLabels, TickThinningKeepsMajorsFirstAndNeverOverlaps) {
  // Log ticks 1, 2, 5, 10, 20, 50, 100 at 0, 9, 21, 30, 39, 51, 60 px; labels 16 px tall, gap 2.
  const std::vector<float> c = {0, 9, 21, 30, 39, 51, 60}, e(7, 16);
  const std::vector<bool> major = {true, false, false, true, false, false, true};
  EXPECT_EQ(thin_ticks(c, e, major, 2), (std::vector<int>{0, 3, 6}));  // every minor is within 18 px of a major
  const std::vector<float> wide = {0, 30, 70, 100};                    // room for the minor 30 between 0 and 70
  EXPECT_EQ(thin_ticks(wide, std::vector<float>(4, 16), {true, false, true, true}, 2), (std::vector<int>{0, 1, 2, 3}));
  EXPECT_EQ(thin_ticks({0, 10, 20}, std::vector<float>(3, 16), {true, true, true}, 2), (std::vector<int>{0, 2}));
}
