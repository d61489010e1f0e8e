// axis_labels.h: which labels an axis draws, and where, so that none is lost and no two collide. Free of ImGui
// (text widths come in through a function) so the rules are unit-tested.
//
//   label_step        the smallest k such that every k-th label fits in k cells (the thinning rule)
//   label_rule        the sentence that says the rule on screen ("every 4th token labelled; hover for all")
//   abbreviate        a label cut to a pixel length, ending in "…"
//   layout_axis_labels the boxes of the labels drawn for cells [first, last) of a heatmap axis or a bar chart
//   stack_spans       rows for labels along a line (marker captions) so that none overprints another
#pragma once
#include <functional>
#include <string>
#include <vector>

namespace attn {

using TextWidth = std::function<float(const std::string&)>;

// The smallest k ≥ 1 with k·pitch ≥ extent + gap: labels extent pixels long along the axis, at cells k apart, keep
// gap pixels between them. pitch ≤ 0: 0 (nothing can be drawn).
int label_step(float pitch, float extent, float gap);

// "" for k ≤ 1; otherwise "every 4th token labelled; hover for all" (1st, 2nd, 3rd, 11th, 12th, 13th, 21st, …).
// Row and column steps that differ are both named: "rows: every 2nd, columns: every 4th token labelled; hover for all".
std::string ordinal(int k);
// translated: in the UI's language (the screen); untranslated: English (exported PNGs, whose font is ASCII).
std::string label_rule(int k_rows, int k_cols, bool translated = false);
std::string every_nth(int k, bool translated = false);  // "every 4th"

// The longest prefix of whole UTF-8 characters that, followed by "…", is at most max_px wide; the label itself
// when it fits. At least one character is kept.
std::string abbreviate(const std::string& label, float max_px, const TextWidth& width);

struct LabelBox {
  int index = 0;       // the cell the label names
  std::string text;    // as drawn (possibly abbreviated)
  float x0 = 0, y0 = 0, x1 = 0, y1 = 0;  // its box in axis space (below)
  bool abbreviated = false;
};

struct AxisLabelLayout {
  int step = 1;          // k: cells whose index is a multiple of k are labelled (0 when none fits at all)
  bool rotated = false;  // columns only: text reads bottom to top
  float depth = 0;       // pixels the labels take across the axis (the margin the grid must leave them)
  std::vector<LabelBox> boxes;
};

// Labels for cells [first, last) of an axis whose cell i spans [origin + i·pitch, origin + (i+1)·pitch].
// Axis space: rows run along y, their labels end at x = 0 (x < 0); columns run along x, their labels sit on y = 0
// (y < 0). Labels longer than max_len pixels are abbreviated. Columns stay upright when that needs no larger step
// than rotating them (a Chinese character, a digit), else they are rotated 90°.
AxisLabelLayout layout_axis_labels(const std::vector<std::string>& labels, bool columns, float origin, float pitch,
                                   int first, int last, float font_h, float max_len, const TextWidth& width);

// Horizontal spans [x0, x1) placed in rows 0, 1, 2, … so that no two in one row overlap (with gap pixels between),
// each in the lowest row free for it, in the order given. Returns each span's row.
std::vector<int> stack_spans(const std::vector<std::pair<float, float>>& spans, float gap);

// Indices of tick labels to keep, in order, so that none overlaps the previous kept one: label i covers
// [centre_i − extent_i/2, centre_i + extent_i/2] along the axis. Ticks flagged `major` are kept first; minor ticks
// are kept only where they fit between the kept major ones.
std::vector<int> thin_ticks(const std::vector<float>& centre, const std::vector<float>& extent,
                            const std::vector<bool>& major, float gap);

}  // namespace attn
