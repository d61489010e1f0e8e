#include "axis_labels.h"

#include <algorithm>
#include <cmath>

#include "i18n.h"

namespace attn {

int label_step(float pitch, float extent, float gap) {
  if (!(pitch > 0) || !std::isfinite(pitch)) return 0;
  const double need = double(std::max(0.0f, extent)) + double(std::max(0.0f, gap));
  // A hair under the exact quotient counts as fitting: 3·(10/3) must not round up to a step of 4.
  const double k = std::ceil(need / double(pitch) - 1e-6);
  return int(std::clamp(k, 1.0, 1e9));
}

std::string ordinal(int k) {
  const int last2 = k % 100, last = k % 10;
  const char* suffix = (last2 >= 11 && last2 <= 13) ? "th" : last == 1 ? "st" : last == 2 ? "nd" : last == 3 ? "rd" : "th";
  return std::to_string(k) + suffix;
}

std::string every_nth(int k, bool translated) {
  if (!translated) return "every " + ordinal(k);
  // The catalogue's ordinal ("%dth" → Chinese "%d", the counter word is in "every %s"), in English the same as ordinal().
  const int last2 = k % 100, last = k % 10;
  const std::string nth = printf_text((last2 >= 11 && last2 <= 13) ? _("%dth") : last == 1 ? _("%dst") : last == 2 ? _("%dnd")
                                     : last == 3                    ? _("%drd") : _("%dth"), k);
  return printf_text(_("every %s"), nth.c_str());
}

std::string label_rule(int k_rows, int k_cols, bool translated) {
  const int kr = std::max(1, k_rows), kc = std::max(1, k_cols);
  if (kr == 1 && kc == 1) return "";
  if (!translated) {
    if (kr == kc) return every_nth(kr) + " token labelled; hover for all";
    auto part = [](int k) { return k == 1 ? std::string("all") : every_nth(k); };
    return "rows: " + part(kr) + ", columns: " + part(kc) + " labelled; hover for all";
  }
  if (kr == kc) return printf_text(_("%s token labelled; hover for all"), every_nth(kr, true).c_str());
  auto part = [](int k) { return k == 1 ? std::string(_("all")) : every_nth(k, true); };
  return printf_text(_("rows: %s, columns: %s labelled; hover for all"), part(kr).c_str(), part(kc).c_str());
}

std::string abbreviate(const std::string& label, float max_px, const TextWidth& width) {
  if (width(label) <= max_px) return label;
  static const std::string ellipsis = "\xE2\x80\xA6";  // …
  // Cut at the start of a UTF-8 character; widths grow with the prefix, so stop at the first cut that is too wide.
  size_t best = 0;
  for (size_t i = 1; i < label.size(); ++i) {
    if ((static_cast<unsigned char>(label[i]) & 0xC0) == 0x80) continue;  // inside a character
    if (best != 0 && width(label.substr(0, i) + ellipsis) > max_px) break;
    best = i;  // the first character is always kept
  }
  if (best == 0) return label;  // a single character
  return label.substr(0, best) + ellipsis;
}

AxisLabelLayout layout_axis_labels(const std::vector<std::string>& labels, bool columns, float origin, float pitch,
                                   int first, int last, float font_h, float max_len, const TextWidth& width) {
  AxisLabelLayout out;
  first = std::max(0, first);
  last = std::min(last, int(labels.size()));
  if (first >= last || !(pitch > 0)) {
    out.step = first >= last ? 1 : 0;
    return out;
  }
  const float gap = std::max(1.0f, font_h * 0.15f);
  std::vector<std::string> text(size_t(last - first));
  std::vector<float> w(text.size());
  float maxw = 0;
  for (int i = first; i < last; ++i) {
    text[size_t(i - first)] = abbreviate(labels[size_t(i)], max_len, width);
    w[size_t(i - first)] = width(text[size_t(i - first)]);
    maxw = std::max(maxw, w[size_t(i - first)]);
  }
  int k = label_step(pitch, font_h, gap);
  if (columns) {
    const int k_up = label_step(pitch, maxw, gap);
    out.rotated = k_up > k;
    if (!out.rotated) k = k_up;
  }
  out.step = k;
  out.depth = (columns && !out.rotated) ? font_h : maxw;
  const int start = (first + k - 1) / k * k;  // the first multiple of k in range: labels stay put while panning
  for (int i = start; i < last; i += k) {
    LabelBox b;
    b.index = i;
    b.text = text[size_t(i - first)];
    b.abbreviated = b.text != labels[size_t(i)];
    const float c = origin + (float(i) + 0.5f) * pitch, len = w[size_t(i - first)];
    if (!columns) b.x0 = -len, b.x1 = 0, b.y0 = c - font_h * 0.5f, b.y1 = c + font_h * 0.5f;
    else if (out.rotated) b.x0 = c - font_h * 0.5f, b.x1 = c + font_h * 0.5f, b.y0 = -len, b.y1 = 0;
    else b.x0 = c - len * 0.5f, b.x1 = c + len * 0.5f, b.y0 = -font_h, b.y1 = 0;
    out.boxes.push_back(std::move(b));
  }
  return out;
}

std::vector<int> stack_spans(const std::vector<std::pair<float, float>>& spans, float gap) {
  std::vector<int> row(spans.size(), 0);
  std::vector<std::vector<std::pair<float, float>>> taken;
  for (size_t s = 0; s < spans.size(); ++s) {
    int r = 0;
    for (;; ++r) {
      if (r == int(taken.size())) taken.emplace_back();
      bool free = true;
      for (const auto& t : taken[size_t(r)])
        if (spans[s].first < t.second + gap && t.first < spans[s].second + gap) free = false;
      if (free) break;
    }
    taken[size_t(r)].push_back(spans[s]);
    row[s] = r;
  }
  return row;
}

std::vector<int> thin_ticks(const std::vector<float>& centre, const std::vector<float>& extent,
                            const std::vector<bool>& major, float gap) {
  const size_t n = std::min({centre.size(), extent.size(), major.size()});
  std::vector<int> kept;
  auto clashes = [&](size_t i) {
    for (int k : kept)
      if (std::fabs(centre[i] - centre[size_t(k)]) < (extent[i] + extent[size_t(k)]) * 0.5f + gap) return true;
    return false;
  };
  for (int pass = 0; pass < 2; ++pass)
    for (size_t i = 0; i < n; ++i)
      if (major[i] == (pass == 0) && !clashes(i)) kept.push_back(int(i));
  std::sort(kept.begin(), kept.end());
  return kept;
}

}  // namespace attn
