#include "plot.h"

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

  // Frame: title on top, y label at left, x ticks and label below.
  const float top = spec.title.empty() ? 4 : fh + 6;
  const std::vector<double> yt = ay.log ? log_ticks(ay.lo, ay.hi) : nice_ticks(ay.lo, ay.hi, std::max(2, int(size.y / (fh * 2.2f))));
  float ytw = 0;
  for (double v : yt) ytw = std::max(ytw, ImGui::CalcTextSize(tick_label(v, ay.log).c_str()).x);
  const float left = ytw + (spec.y_label.empty() ? 8 : fh + 12);
  const float bottom = fh * (bars ? 2.6f : 1.4f) + (spec.x_label.empty() ? 4 : fh + 4);
  const ImVec2 p0(o.x + left, o.y + top), p1(o.x + size.x - 8, o.y + size.y - bottom);
  if (p1.x - p0.x < 20 || p1.y - p0.y < 20) {
    ImGui::Dummy(size);
    ImGui::PopID();
    return hover;
  }
  dl->AddRectFilled(p0, p1, ImGui::GetColorU32(ImGuiCol_FrameBg));
  if (!spec.title.empty()) dl->AddText(ImVec2(o.x + left, o.y), ink, spec.title.c_str());
  auto X = [&](double v) { return float(ax.to_pixel(v, p0.x, p1.x)); };
  auto Y = [&](double v) { return float(ay.to_pixel(v, p1.y, p0.y)); };

  for (double v : yt) {
    const float y = Y(v);
    dl->AddLine(ImVec2(p0.x, y), ImVec2(p1.x, y), grid);
    const std::string s = tick_label(v, ay.log);
    dl->AddText(ImVec2(p0.x - 4 - ImGui::CalcTextSize(s.c_str()).x, y - fh * 0.5f), faint, s.c_str());
  }
  if (bars) {
    for (size_t i = 0; i < spec.x_categories.size(); ++i) {
      const char* s = spec.x_categories[i].c_str();
      const float w = ImGui::CalcTextSize(s).x, x = X(double(i));
      const float slot = (p1.x - p0.x) / float(spec.x_categories.size());
      if (w <= slot * 1.9f || i % 2 == 0)
        dl->AddText(ImVec2(x - w * 0.5f, p1.y + 2 + ((w > slot) ? (i % 2) * fh : 0)), faint, s);
    }
  } else {
    const std::vector<double> xt = ax.log ? log_ticks(ax.lo, ax.hi) : nice_ticks(ax.lo, ax.hi, std::max(2, int(size.x / (fh * 5))));
    for (double v : xt) {
      const float x = X(v);
      dl->AddLine(ImVec2(x, p0.y), ImVec2(x, p1.y), grid);
      const std::string s = tick_label(v, ax.log);
      dl->AddText(ImVec2(x - ImGui::CalcTextSize(s.c_str()).x * 0.5f, p1.y + 2), faint, s.c_str());
    }
  }
  if (!spec.x_label.empty()) {
    const float w = ImGui::CalcTextSize(spec.x_label.c_str()).x;
    dl->AddText(ImVec2((p0.x + p1.x - w) * 0.5f, o.y + size.y - fh - 2), ink, spec.x_label.c_str());
  }
  if (!spec.y_label.empty()) {
    // Rotated like the heatmap's axis title.
    add_text_vertical(dl, ImVec2(o.x + fh, (p0.y + p1.y) * 0.5f + ImGui::CalcTextSize(spec.y_label.c_str()).x * 0.5f), ink,
                      spec.y_label.c_str());
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
      const float x = X(m.value);
      dl->AddLine(ImVec2(x, p0.y), ImVec2(x, p1.y), c, 1.5f);
      dl->AddText(ImVec2(x + 3, p0.y + 2), c, m.label.c_str());
    } else {
      if ((ay.log && m.value <= 0) || m.value < ay.lo || m.value > ay.hi) continue;
      const float y = Y(m.value);
      dl->AddLine(ImVec2(p0.x, y), ImVec2(p1.x, y), c, 1.5f);
      dl->AddText(ImVec2(p1.x - ImGui::CalcTextSize(m.label.c_str()).x - 3, y - fh - 1), c, m.label.c_str());
    }
  }
  dl->PopClipRect();
  dl->AddRect(p0, p1, ImGui::GetColorU32(ImGuiCol_Border));

  // Legend: inside the frame, in the corner where it hides the fewest data points.
  if (spec.legend) {
    float lw = 0;
    int shown = 0;
    for (const PlotSeries& s : spec.series)
      if (!s.label.empty()) lw = std::max(lw, ImGui::CalcTextSize(s.label.c_str()).x), ++shown;
    if (shown > 0) {
      const float bw = lw + fh * 2, bh = float(shown) * (fh + 2) + 4, margin = 6;
      std::vector<SeriesPoints> pts;
      for (const PlotSeries& s : spec.series) pts.push_back({&s.x, &s.y, s.kind == SeriesKind::Line});
      // Marker labels are data too: a label's ends and middle, as points in data space, so the legend leaves them
      // visible.
      std::vector<double> label_x, label_y;
      for (const PlotMarker& m : spec.markers) {
        if (m.label.empty()) continue;
        const float tw = ImGui::CalcTextSize(m.label.c_str()).x;
        const float lx0 = m.vertical ? X(m.value) + 3 : p1.x - tw - 3, ly = m.vertical ? p0.y + 2 + fh / 2 : Y(m.value) - fh / 2;
        for (float lx : {lx0, lx0 + tw / 2, lx0 + tw}) {
          label_x.push_back(ax.from_pixel(lx, p0.x, p1.x));
          label_y.push_back(ay.from_pixel(ly, p1.y, p0.y));
        }
      }
      pts.push_back({&label_x, &label_y, false});
      const int corner = legend_corner(pts, ax, ay, p0.x, p1.x, p0.y, p1.y, bw, bh, margin);
      const float bx = corner % 2 ? p1.x - margin - bw : p0.x + margin;
      float ly = corner < 2 ? p0.y + 4 : p1.y - 4 - bh;
      const ImVec2 b0(bx, ly), b1(bx + bw, ly + bh);
      dl->AddRectFilled(b0, b1, (ImGui::GetColorU32(ImGuiCol_WindowBg) & 0x00FFFFFF) | 0xD0000000);
      for (size_t si = 0; si < spec.series.size(); ++si) {
        const PlotSeries& s = spec.series[si];
        if (s.label.empty()) continue;
        const ImU32 c = s.color ? s.color : palette(int(si));
        dl->AddRectFilled(ImVec2(b0.x + 4, ly + 2 + fh * 0.3f), ImVec2(b0.x + 4 + fh, ly + 2 + fh * 0.7f), c);
        dl->AddText(ImVec2(b0.x + fh * 1.5f, ly + 2), ink, s.label.c_str());
        ly += fh + 2;
      }
    }
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
