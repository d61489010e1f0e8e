// plot.h: a small reusable plot widget over ImDrawList (ImPlot is not packaged for Debian).
// Line, bar and scatter series; linear or log axes with readable ticks; a legend; markers for special values;
// hover read-out of the nearest point. The arithmetic (ticks, transforms, nearest point) is in plot_math.h
// so it is tested without a window.
#pragma once
#include <imgui.h>

#include <string>
#include <vector>

#include "plot_math.h"

namespace attn {

enum class SeriesKind { Line, Bars, Scatter };

struct PlotSeries {
  std::string label;
  std::vector<double> x, y;
  SeriesKind kind = SeriesKind::Line;
  ImU32 color = 0;      // 0: the palette's next colour
  float thickness = 2.0f;
  bool markers = false;
  float bar_offset = 0;  // grouped bars: offset in bar widths
  bool overlay = false;   // bars drawn full width at their x (draw totals first to stack)
};

struct PlotMarker {
  double value = 0;
  bool vertical = true;  // vertical line at x = value, else horizontal at y = value
  std::string label;
  ImU32 color = 0;
};

struct PlotSpec {
  std::string title, x_label, y_label;
  bool log_x = false, log_y = false;
  double x_min = NAN, x_max = NAN, y_min = NAN, y_max = NAN;  // NaN: fit the data
  std::vector<std::string> x_categories;                       // bar charts: label under x = 0, 1, 2, …
  std::vector<PlotSeries> series;
  std::vector<PlotMarker> markers;
  bool legend = true;
  const char* value_format = "%.4g";
};

struct PlotHover {
  int series = -1, index = -1;
};

// Colour-blind-safe categorical palette (Okabe–Ito).
ImU32 palette(int i);

PlotHover draw_plot(const char* id, const PlotSpec& spec, ImVec2 size);

}  // namespace attn
