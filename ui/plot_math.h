// plot_math.h: axis arithmetic for the plot widget, free of ImGui so it can be unit-tested.
#pragma once
#include <cmath>
#include <string>
#include <vector>

namespace attn {

struct Axis {
  double lo = 0, hi = 1;  // data range shown
  bool log = false;       // log10 scale (lo, hi > 0)
  // Pixel position for value v on [p0, p1] (p1 may be < p0 for a y axis growing upwards).
  double to_pixel(double v, double p0, double p1) const;
  double from_pixel(double p, double p0, double p1) const;
};

// "Nice" ticks (1, 2, 5 × 10^k steps) covering [lo, hi], at most about max_count of them.
std::vector<double> nice_ticks(double lo, double hi, int max_count);
// Log axis ticks: the powers of ten in [lo, hi] (and 2, 5 multiples when the range is under three decades).
std::vector<double> log_ticks(double lo, double hi);
std::string tick_label(double v, bool log);

// Range of finite values (positive only when log), padded by `pad` of the span; {0, 1} when empty.
void data_range(const std::vector<const std::vector<double>*>& values, bool log, double pad, double* lo, double* hi);

// Index of the point nearest to (px, py) in pixel space, or -1 when none is within max_dist pixels.
int nearest_point(const std::vector<double>& xs, const std::vector<double>& ys, const Axis& ax, const Axis& ay,
                  double x0, double x1, double y0, double y1, double px, double py, double max_dist);

// Where a legend box of w × h pixels covers the fewest data (0 top-left, 1 top-right, 2 bottom-left, 3 bottom-right;
// the first on ties), inside the plot [x0, x1] × [y0, y1] (y0 the top) with `margin` from the frame. Each series
// counts its points and, for lines, every segment that crosses a corner's box, so a curve passing under it counts;
// bars (bar_width > 0, in data units, from `bar_base` to y) count when their rectangle meets the corner's box.
// *covered (if given) receives that corner's count: above 0, no corner is free and the legend belongs outside.
struct SeriesPoints {
  const std::vector<double>* x;
  const std::vector<double>* y;
  bool line;
  double bar_width = 0;
  double bar_base = 0;
};
int legend_corner(const std::vector<SeriesPoints>& series, const Axis& ax, const Axis& ay, double x0, double x1,
                  double y0, double y1, double w, double h, double margin, int* covered = nullptr);
// The box legend_corner's corner c stands for: [*bx0, *bx1] × [*by0, *by1] in pixels (the legend is drawn in it).
void legend_box(int corner, double x0, double x1, double y0, double y1, double w, double h, double margin, double* bx0,
                double* bx1, double* by0, double* by1);

}  // namespace attn
