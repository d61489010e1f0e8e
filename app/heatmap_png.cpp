#include "heatmap_png.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "axis_labels.h"
#include "image.h"

namespace attn {

namespace {

int cell_pixels(int rows, int cols) { return std::clamp(640 / std::max(1, std::max(rows, cols)), 2, 40); }

}  // namespace

double heatmap_png_peak_bytes(int rows, int cols) {
  const double cell = cell_pixels(rows, cols), margin = 400;  // labels (≤ 228 px), title, colour bar (110 px)
  return 2 * 3 * (cols * cell + margin) * (rows * cell + margin);
}

std::string write_heatmap_png(const Mat& m, const HeatmapPng& spec, const TextRenderer* text, const std::string& path) {
  const int rows = int(m.rows()), cols = int(m.cols());
  const int cell = cell_pixels(rows, cols);
  // Labels at any size: every k-th when a cell is thinner than a line (axis_labels.h), cut to 220 px with "…".
  const bool labels = text && text->ok();
  const int lh = labels ? text->line_height() : 0;
  const int step = labels ? std::max(1, label_step(float(cell), float(lh), 2)) : 1;
  const TextWidth width = [text](const std::string& s) { return float(text->width(s)); };
  auto shown = [&](const std::string& s) { return abbreviate(s, 220, width); };
  int label_w = 0;
  if (labels) {
    for (const auto& s : spec.row_labels) label_w = std::max(label_w, text->width(shown(s)));
    for (const auto& s : spec.col_labels) label_w = std::max(label_w, text->width(shown(s)));
    label_w = std::min(label_w, 220) + 8;
  }
  const int left = std::max(labels ? label_w + lh + 4 : 8, 8), top = (labels ? label_w : 0) + lh + 2 * lh + 8;
  const int bar_w = 18, right = 110;
  const int W = left + cols * cell + right, H = top + rows * cell + 2 * lh + 16;
  Image img(W, H);

  float lo = 0, hi = 0;
  bool first = true;
  for (int i = 0; i < rows; ++i)
    for (int j = 0; j < cols; ++j) {
      if (spec.blocked && (*spec.blocked)(i, j)) continue;
      const float v = m(i, j);
      if (!std::isfinite(v)) continue;
      lo = first ? v : std::min(lo, v), hi = first ? v : std::max(hi, v), first = false;
    }
  if (colormap_diverging(spec.cmap)) hi = std::max(std::fabs(lo), std::fabs(hi)), lo = -hi;

  for (int i = 0; i < rows; ++i)
    for (int j = 0; j < cols; ++j) {
      const int x = left + j * cell, y = top + i * cell;
      if (spec.blocked && (*spec.blocked)(i, j)) {
        img.fill_rect(x, y, x + cell, y + cell, {200, 200, 200});
        for (int k = 0; k < cell; ++k) img.blend(x + k, y + (cell - 1 - k), {90, 90, 90}, 1.0f);  // diagonal stroke
        continue;
      }
      img.fill_rect(x, y, x + cell, y + cell, colormap_value(spec.cmap, m(i, j), lo, hi));
    }
  const Rgb ink{20, 20, 20};
  if (text && text->ok()) {
    text->draw(img, 8, 4, spec.title, ink);
    const std::string rule = label_rule(step, step);
    text->draw(img, left, lh + 8, rule.empty() ? "key →" : "key →   " + rule.substr(0, rule.find(';')), {90, 90, 90});
    text->draw(img, 4, top + rows * cell, "query →", {90, 90, 90}, true);
  }
  if (labels) {
    for (int i = 0; i < rows && i < int(spec.row_labels.size()); i += step) {
      const std::string s = shown(spec.row_labels[size_t(i)]);
      text->draw(img, left - 4 - text->width(s), top + i * cell + (cell - lh) / 2, s, ink);
    }
    for (int j = 0; j < cols && j < int(spec.col_labels.size()); j += step)
      text->draw(img, left + j * cell + (cell - lh) / 2, top - 4, shown(spec.col_labels[size_t(j)]), ink, true);
  }
  // Colour bar with its range.
  const int bx = left + cols * cell + 12, by = top, bh = std::max(rows * cell, 60);
  for (int y = 0; y < bh; ++y) {
    const float t = 1.0f - float(y) / float(std::max(1, bh - 1));
    img.fill_rect(bx, by + y, bx + bar_w, by + y + 1, colormap_rgb(spec.cmap, t));
  }
  if (text && text->ok()) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.4g", double(hi));
    text->draw(img, bx + bar_w + 4, by - 2, buf, ink);
    std::snprintf(buf, sizeof buf, "%.4g", double(lo));
    text->draw(img, bx + bar_w + 4, by + bh - lh, buf, ink);
  }
  return write_png(img, path);
}

}  // namespace attn
