#include "plot.h"

#include "axis_labels.h"
#include "heatmap.h"

#include <algorithm>
#include <cstdio>

namespace attn {

ImU32 palette(int i) {
  static constexpr ImU32 kOkabeIto[] = {IM_COL32(0, 114, 178, 255),  IM_COL32(213, 94, 0, 255),
                                        IM_COL32(0, 158, 115, 255),  IM_COL32(204, 121, 167, 255),
                                        IM_COL32(230, 159, 0, 255),  IM_COL32(86, 180, 233, 255),
                                        IM_COL32(90, 90, 90, 255),   IM_COL32(240, 228, 66, 255)};
  return kOkabeIto[((i % 8) + 8) % 8];
}

PlotHover draw_plot(const char* id, const PlotSpec& spec, ImVec2 size) {
  PlotHover hover;
  ImGui::PushID(id);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 o = ImGui::GetCursorScreenPos();
  const float fh = ImGui::GetFontSize();
  const ImU32 ink = ImGui::GetColorU32(ImGuiCol_Text), faint = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  const ImU32 grid = IM_COL32(128, 128, 128, 50);

  // Ranges.
  std::vector<const std::vector<double>*> xs, ys;
  for (const PlotSeries& s : spec.series) xs.push_back(&s.x), ys.push_back(&s.y);
  Axis ax, ay;
  ax.log = spec.log_x;
  ay.log = spec.log_y;
  const bool bars = !spec.x_categories.empty();
  data_range(xs, ax.log, bars ? 0.0 : 0.02, &ax.lo, &ax.hi);
  if (bars) ax.lo = -0.6, ax.hi = double(spec.x_categories.size()) - 0.4;
  data_range(ys, ay.log, 0.06, &ay.lo, &ay.hi);
  bool has_bars = false;
  for (const PlotSeries& s : spec.series) has_bars |= s.kind == SeriesKind::Bars;
  if (has_bars && !ay.log) ay.lo = std::min(0.0, ay.lo), ay.hi = std::max(0.0, ay.hi);
  if (std::isfinite(spec.x_min)) ax.lo = spec.x_min;
  if (std::isfinite(spec.x_max)) ax.hi = spec.x_max;
  if (std::isfinite(spec.y_min)) ay.lo = spec.y_min;
  if (std::isfinite(spec.y_max)) ay.hi = spec.y_max;
  if (!(ax.hi > ax.lo)) ax.hi = ax.lo + 1;
  if (!(ay.hi > ay.lo)) ay.hi = ay.lo + 1;

  // Frame: title on top (wrapped, never clipped), the legend above the frame when no corner inside is free of
  // data, y label at left, x ticks and label below. Labels that do not fit are thinned (axis_labels.h).
  const TextWidth text_w = [](const std::string& s) { return ImGui::CalcTextSize(s.c_str()).x; };
  const std::vector<double> yt = ay.log ? log_ticks(ay.lo, ay.hi) : nice_ticks(ay.lo, ay.hi, std::max(2, int(size.y / (fh * 2.2f))));
  float ytw = 0;
  for (double v : yt) ytw = std::max(ytw, ImGui::CalcTextSize(tick_label(v, ay.log).c_str()).x);
  const float left = ytw + (spec.y_label.empty() ? 8 : fh + 12);
  const float title_x = text_w(spec.title) <= size.x - left ? o.x + left : o.x;
  const float title_wrap = std::max(fh * 4, o.x + size.x - title_x);
  const float top = spec.title.empty() ? 4 : ImGui::CalcTextSize(spec.title.c_str(), nullptr, false, title_wrap).y + 6;
  // Bar categories below the axis: every k-th, rotated or abbreviated when they do not fit their slots.
  const int ncat = int(spec.x_categories.size());
  const float cat_max = fh * 5;
  float cat_depth = fh * 1.4f;
  int cat_step = 1;
  if (bars) {
    const float est = std::max(0.5f, (size.x - left - 8) / (float(ncat) + 0.2f));
    const AxisLabelLayout est_l = layout_axis_labels(spec.x_categories, true, 0, est, 0, ncat, fh, cat_max, text_w);
    cat_depth = est_l.depth + 6;
    cat_step = est_l.step;
  }
  const bool rule_line = bars && cat_step > 1 && spec.x_label.empty();
  const float bottom = cat_depth + (spec.x_label.empty() && !rule_line ? 4 : fh + 4);
  // Legend entries: a swatch and the label; inside in a corner, or in rows above the frame.
  std::vector<int> entries;
  float lw = 0;
  for (size_t si = 0; si < spec.series.size(); ++si)
    if (spec.legend && !spec.series[si].label.empty()) entries.push_back(int(si)), lw = std::max(lw, text_w(spec.series[si].label));
  const float entry_h = fh + 2, margin = 6;
  const float bw = lw + fh * 2, bh = float(entries.size()) * entry_h + 4;
  ImVec2 p0(o.x + left, o.y + top), p1(o.x + size.x - 8, o.y + size.y - bottom);
  if (p1.x - p0.x < 20 || p1.y - p0.y < 20) {
    ImGui::Dummy(size);
    ImGui::PopID();
    return hover;
  }
  auto X = [&](double v) { return float(ax.to_pixel(v, p0.x, p1.x)); };
  auto Y = [&](double v) { return float(ay.to_pixel(v, p1.y, p0.y)); };

  // Vertical marker captions along the top of the frame, stacked so that none overprints another.
  std::vector<std::pair<float, float>> spans;
  std::vector<int> span_marker;
  for (size_t mi = 0; mi < spec.markers.size(); ++mi) {
    const PlotMarker& m = spec.markers[mi];
    if (!m.vertical || m.label.empty() || (ax.log && m.value <= 0) || m.value < ax.lo || m.value > ax.hi) continue;
    const float x = X(m.value) + 3, w = text_w(m.label);
    const float x0 = x + w > p1.x ? X(m.value) - 3 - w : x;  // at the right edge: left of its line
    spans.push_back({x0, x0 + w});
    span_marker.push_back(int(mi));
  }
  const std::vector<int> span_row = stack_spans(spans, fh * 0.5f);

  int corner = 0;
  bool legend_outside = false;
  float legend_rows_h = 0, legend_x = 0;  // outside: the rows' top is p0.y − legend_rows_h, from legend_x
  if (!entries.empty()) {
    std::vector<SeriesPoints> pts;
    int nbars = 0;
    for (const PlotSeries& s : spec.series) nbars += s.kind == SeriesKind::Bars;
    std::vector<std::vector<double>> bar_x(spec.series.size());
    for (size_t si = 0; si < spec.series.size(); ++si) {
      const PlotSeries& s = spec.series[si];
      if (s.kind != SeriesKind::Bars) {
        pts.push_back({&s.x, &s.y, s.kind == SeriesKind::Line});
        continue;
      }
      const size_t n = std::min(s.x.size(), s.y.size());
      const double slot = bars ? 1.0 : (n > 1 ? (s.x[1] - s.x[0]) : 1.0);
      const double w = s.overlay ? 0.8 * slot : 0.8 * slot / std::max(1, nbars);
      for (size_t i = 0; i < n; ++i)
        bar_x[si].push_back(s.overlay ? s.x[i] : s.x[i] + (s.bar_offset - 0.5 * (nbars - 1)) * w);
      pts.push_back({&bar_x[si], &s.y, false, w, 0.0});
    }
    // Marker captions are data too: their corners and middles, as points in data space.
    std::vector<double> label_x, label_y;
    for (size_t k = 0; k < spans.size(); ++k)
      for (float lx : {spans[k].first, (spans[k].first + spans[k].second) / 2, spans[k].second})
        for (float ly : {p0.y + 2 + float(span_row[k]) * (fh + 1), p0.y + 2 + float(span_row[k]) * (fh + 1) + fh}) {
          label_x.push_back(ax.from_pixel(lx, p0.x, p1.x));
          label_y.push_back(ay.from_pixel(ly, p1.y, p0.y));
        }
    for (const PlotMarker& m : spec.markers) {
      if (m.vertical || m.label.empty()) continue;
      const float tw = text_w(m.label);
      const float ly0 = Y(m.value) - fh - 1 < p0.y ? Y(m.value) + 1 : Y(m.value) - fh - 1;
      for (float lx : {p1.x - tw - 3, p1.x - tw / 2, p1.x - 3})
        for (float ly : {ly0, ly0 + fh}) {
          label_x.push_back(ax.from_pixel(lx, p0.x, p1.x));
          label_y.push_back(ay.from_pixel(ly, p1.y, p0.y));
        }
    }
    pts.push_back({&label_x, &label_y, false});
    int covered = 0;
    corner = legend_corner(pts, ax, ay, p0.x, p1.x, p0.y, p1.y, bw, bh, margin, &covered);
    if (covered > 0) {  // every corner hides data: the legend goes outside the frame
      float x = 0, all = 0;
      int rows = 1;
      for (int si : entries) {
        const float ew = fh * 1.5f + text_w(spec.series[size_t(si)].label) + fh;
        if (x > 0 && x + ew > p1.x - p0.x) ++rows, x = 0;
        x += ew, all += ew;
      }
      const float title_end = spec.title.empty() ? o.x : title_x + text_w(spec.title) + fh;
      if (top <= fh + 6 && title_end + all <= o.x + size.x) {  // on the title's line: no height taken
        legend_outside = true, legend_x = title_end, legend_rows_h = p0.y - o.y;
      } else {  // in rows between the title and the frame, when the frame keeps some height
        legend_rows_h = float(rows) * entry_h + 2;
        legend_outside = p1.y - p0.y - legend_rows_h >= fh * 2;
        if (legend_outside) p0.y += legend_rows_h, legend_x = p0.x;
      }
    }
  }

  dl->AddRectFilled(p0, p1, ImGui::GetColorU32(ImGuiCol_FrameBg));
  if (!spec.title.empty())
    dl->AddText(ImGui::GetFont(), fh, ImVec2(title_x, o.y), ink, spec.title.c_str(), nullptr, title_wrap);

  // y ticks: every grid line, labels thinned so that none overprints (powers of ten first on a log axis).
  {
    std::vector<float> c, e;
    std::vector<bool> major;
    for (double v : yt) {
      c.push_back(Y(v)), e.push_back(fh);
      major.push_back(!ay.log || std::fabs(std::log10(v) - std::round(std::log10(v))) < 1e-9);
      dl->AddLine(ImVec2(p0.x, Y(v)), ImVec2(p1.x, Y(v)), grid);
    }
    for (int i : thin_ticks(c, e, major, 0)) {
      const std::string t = tick_label(yt[size_t(i)], ay.log);
      dl->AddText(ImVec2(p0.x - 4 - text_w(t), c[size_t(i)] - fh * 0.5f), faint, t.c_str());
    }
  }
  if (bars) {
    const AxisLabelLayout L = layout_axis_labels(spec.x_categories, true, X(-0.5), X(1) - X(0), 0, ncat, fh, cat_max, text_w);
    for (const LabelBox& b : L.boxes) {
      if (L.rotated) add_text_vertical(dl, ImVec2(b.x1, p1.y + 4 - b.y0), faint, b.text.c_str());
      else dl->AddText(ImVec2(b.x0, p1.y + 2), faint, b.text.c_str());
    }
    if (rule_line) {
      const std::string r = abbreviate(label_rule(L.step, L.step, true), size.x, text_w);
      dl->AddText(ImVec2(o.x + size.x - text_w(r), o.y + size.y - fh - 2), faint, r.c_str());
    }
  } else {
    const std::vector<double> xt = ax.log ? log_ticks(ax.lo, ax.hi) : nice_ticks(ax.lo, ax.hi, std::max(2, int(size.x / (fh * 5))));
    std::vector<float> c, e;
    std::vector<bool> major;
    for (double v : xt) {
      c.push_back(X(v)), e.push_back(text_w(tick_label(v, ax.log)));
      major.push_back(!ax.log || std::fabs(std::log10(v) - std::round(std::log10(v))) < 1e-9);
      dl->AddLine(ImVec2(X(v), p0.y), ImVec2(X(v), p1.y), grid);
    }
    for (int i : thin_ticks(c, e, major, fh * 0.5f)) {
      const std::string t = tick_label(xt[size_t(i)], ax.log);
      // Centred under its line, but kept inside the widget (the last tick, "1500", must not be cut).
      const float x = std::clamp(c[size_t(i)] - e[size_t(i)] * 0.5f, o.x, o.x + size.x - e[size_t(i)]);
      dl->AddText(ImVec2(x, p1.y + 2), faint, t.c_str());
    }
  }
  if (!spec.x_label.empty()) {
    const float w = ImGui::CalcTextSize(spec.x_label.c_str()).x;
    dl->AddText(ImVec2((p0.x + p1.x - w) * 0.5f, o.y + size.y - fh - 2), ink, spec.x_label.c_str());
  }
  if (!spec.y_label.empty()) {
    // Rotated like the heatmap's axis title, cut to the frame's height.
    const std::string yl = abbreviate(spec.y_label, p1.y - p0.y + fh, text_w);
    add_text_vertical(dl, ImVec2(o.x + fh, (p0.y + p1.y) * 0.5f + text_w(yl) * 0.5f), ink, yl.c_str());
  }

  // Series.
  dl->PushClipRect(p0, p1, true);
  int nbar_series = 0;
  for (const PlotSeries& s : spec.series) nbar_series += s.kind == SeriesKind::Bars;
  for (size_t si = 0; si < spec.series.size(); ++si) {
    const PlotSeries& s = spec.series[si];
    const ImU32 c = s.color ? s.color : palette(int(si));
    const size_t n = std::min(s.x.size(), s.y.size());
    auto ok = [&](size_t i) {
      return std::isfinite(s.x[i]) && std::isfinite(s.y[i]) && (!ax.log || s.x[i] > 0) && (!ay.log || s.y[i] > 0);
    };
    if (s.kind == SeriesKind::Line) {
      for (size_t i = 1; i < n; ++i)
        if (ok(i - 1) && ok(i)) dl->AddLine(ImVec2(X(s.x[i - 1]), Y(s.y[i - 1])), ImVec2(X(s.x[i]), Y(s.y[i])), c, s.thickness);
    }
    if (s.kind == SeriesKind::Bars) {
      const double slot = bars ? 1.0 : (n > 1 ? (s.x[1] - s.x[0]) : 1.0);
      const double w = s.overlay ? 0.8 * slot : 0.8 * slot / std::max(1, nbar_series);
      for (size_t i = 0; i < n; ++i) {
        if (!ok(i)) continue;
        const double xc = s.overlay ? s.x[i] : s.x[i] + (s.bar_offset - 0.5 * (nbar_series - 1)) * w;
        const double base = ay.log ? ay.lo : 0.0;
        dl->AddRectFilled(ImVec2(X(xc - w * 0.5), Y(std::max(s.y[i], base))), ImVec2(X(xc + w * 0.5), Y(std::min(s.y[i], base))), c);
      }
    }
    if (s.kind == SeriesKind::Scatter || s.markers)
      for (size_t i = 0; i < n; ++i)
        if (ok(i)) dl->AddCircleFilled(ImVec2(X(s.x[i]), Y(s.y[i])), 3.0f, c);
  }
  for (const PlotMarker& m : spec.markers) {
    const ImU32 c = m.color ? m.color : IM_COL32(200, 30, 30, 200);
    if (m.vertical) {
      if ((ax.log && m.value <= 0) || m.value < ax.lo || m.value > ax.hi) continue;
      dl->AddLine(ImVec2(X(m.value), p0.y), ImVec2(X(m.value), p1.y), c, 1.5f);
    } else {
      if ((ay.log && m.value <= 0) || m.value < ay.lo || m.value > ay.hi) continue;
      const float y = Y(m.value);
      dl->AddLine(ImVec2(p0.x, y), ImVec2(p1.x, y), c, 1.5f);
      // At the right end of the line; smaller when the frame is narrower than the caption (never past its left edge).
      const float room = std::max(1.0f, p1.x - p0.x - 6), tw = ImGui::CalcTextSize(m.label.c_str()).x;
      const float fs = tw > room ? fh * room / tw : fh;
      dl->AddText(ImGui::GetFont(), fs, ImVec2(p1.x - std::min(tw, room) - 3, y - fs - 1 < p0.y ? y + 1 : y - fs - 1), c,
                  m.label.c_str());
    }
  }
  for (size_t k = 0; k < spans.size(); ++k) {  // captions on a patch, so a line under them does not cut them
    const PlotMarker& m = spec.markers[size_t(span_marker[k])];
    const ImVec2 q(spans[k].first, p0.y + 2 + float(span_row[k]) * (fh + 1));
    dl->AddRectFilled(ImVec2(q.x - 1, q.y), ImVec2(spans[k].second + 1, q.y + fh), (ImGui::GetColorU32(ImGuiCol_FrameBg) & 0x00FFFFFF) | 0xC0000000);
    dl->AddText(q, m.color ? m.color : IM_COL32(200, 30, 30, 200), m.label.c_str());
  }
  dl->PopClipRect();
  dl->AddRect(p0, p1, ImGui::GetColorU32(ImGuiCol_Border));

  // Legend: in a corner free of data, else in rows between the title and the frame.
  auto entry = [&](int si, ImVec2 at) {
    const PlotSeries& s = spec.series[size_t(si)];
    const ImU32 c = s.color ? s.color : palette(si);
    dl->AddRectFilled(ImVec2(at.x + 4, at.y + 2 + fh * 0.3f), ImVec2(at.x + 4 + fh, at.y + 2 + fh * 0.7f), c);
    dl->AddText(ImVec2(at.x + fh * 1.5f, at.y + 2), ink, s.label.c_str());
  };
  if (legend_outside) {
    float x = legend_x, y = p0.y - legend_rows_h;
    for (int si : entries) {
      const float ew = fh * 1.5f + text_w(spec.series[size_t(si)].label) + fh;
      if (x > legend_x && x + ew > o.x + size.x) x = p0.x, y += entry_h;
      entry(si, ImVec2(x, y));
      x += ew;
    }
  } else if (!entries.empty()) {
    double bx0, bx1, by0, by1;
    legend_box(corner, p0.x, p1.x, p0.y, p1.y, bw, bh, margin, &bx0, &bx1, &by0, &by1);
    dl->AddRectFilled(ImVec2(float(bx0), float(by0)), ImVec2(float(bx1), float(by1)), (ImGui::GetColorU32(ImGuiCol_WindowBg) & 0x00FFFFFF) | 0xD0000000);
    float y = float(by0);
    for (int si : entries) entry(si, ImVec2(float(bx0), y)), y += entry_h;
  }

  // Hover: nearest point of any series.
  ImGui::SetCursorScreenPos(p0);
  ImGui::InvisibleButton("plot", ImVec2(p1.x - p0.x, p1.y - p0.y));
  if (ImGui::IsItemHovered()) {
    const ImVec2 mp = ImGui::GetIO().MousePos;
    double best = 1e30;
    for (size_t si = 0; si < spec.series.size(); ++si) {
      const PlotSeries& s = spec.series[si];
      const int i = nearest_point(s.x, s.y, ax, ay, p0.x, p1.x, p1.y, p0.y, mp.x, mp.y, 24.0);
      if (i < 0) continue;
      const double dx = X(s.x[size_t(i)]) - mp.x, dy = Y(s.y[size_t(i)]) - mp.y, d = dx * dx + dy * dy;
      if (d < best) best = d, hover.series = int(si), hover.index = i;
    }
    if (hover.series >= 0) {
      const PlotSeries& s = spec.series[size_t(hover.series)];
      const double x = s.x[size_t(hover.index)], y = s.y[size_t(hover.index)];
      dl->AddCircle(ImVec2(X(x), Y(y)), 5.0f, ink, 12, 1.5f);
      char vx[32], vy[32];
      std::snprintf(vx, sizeof vx, spec.value_format, x);
      std::snprintf(vy, sizeof vy, spec.value_format, y);
      ImGui::BeginTooltip();
      if (!s.label.empty()) ImGui::TextUnformatted(s.label.c_str());
      if (bars && hover.index < int(spec.x_categories.size()))
        ImGui::Text("%s: %s", spec.x_categories[size_t(hover.index)].c_str(), vy);
      else
        ImGui::Text("%s = %s\n%s = %s", spec.x_label.empty() ? "x" : spec.x_label.c_str(), vx,
                    spec.y_label.empty() ? "y" : spec.y_label.c_str(), vy);
      ImGui::EndTooltip();
    }
  }
  ImGui::SetCursorScreenPos(o);
  ImGui::Dummy(size);
  ImGui::PopID();
  return hover;
}

}  // namespace attn
