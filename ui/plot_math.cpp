#include "plot_math.h"

#include <algorithm>
#include <cstdio>
#include <limits>

namespace attn {

double Axis::to_pixel(double v, double p0, double p1) const {
  double t;
  if (log) t = (std::log10(std::max(v, 1e-300)) - std::log10(lo)) / (std::log10(hi) - std::log10(lo));
  else t = (v - lo) / (hi - lo);
  return p0 + t * (p1 - p0);
}

double Axis::from_pixel(double p, double p0, double p1) const {
  const double t = (p - p0) / (p1 - p0);
  if (log) return std::pow(10.0, std::log10(lo) + t * (std::log10(hi) - std::log10(lo)));
  return lo + t * (hi - lo);
}

std::vector<double> nice_ticks(double lo, double hi, int max_count) {
  std::vector<double> t;
  if (!(hi > lo) || !std::isfinite(lo) || !std::isfinite(hi) || max_count < 1) return t;
  const double raw = (hi - lo) / max_count;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = mag;
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * mag >= raw) { step = m * mag; break; }
  const double first = std::ceil(lo / step - 1e-9) * step;
  for (double v = first; v <= hi + step * 1e-9 && t.size() < 1000; v += step) t.push_back(std::fabs(v) < step * 1e-9 ? 0.0 : v);
  return t;
}

std::vector<double> log_ticks(double lo, double hi) {
  std::vector<double> t;
  if (!(lo > 0) || !(hi > lo)) return t;
  const int e0 = int(std::floor(std::log10(lo))), e1 = int(std::ceil(std::log10(hi)));
  const bool minor = (e1 - e0) <= 3;
  for (int e = e0; e <= e1; ++e)
    for (double m : {1.0, 2.0, 5.0}) {
      if (m != 1.0 && !minor) continue;
      const double v = m * std::pow(10.0, e);
      if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) t.push_back(v);
    }
  return t;
}

std::string tick_label(double v, bool log) {
  char b[32];
  if (log) {
    const double e = std::log10(v);
    if (std::fabs(e - std::round(e)) < 1e-9 && (e >= 4 || e <= -3)) std::snprintf(b, sizeof b, "1e%d", int(std::round(e)));
    else std::snprintf(b, sizeof b, "%g", v);
  } else {
    std::snprintf(b, sizeof b, "%g", v);
  }
  return b;
}

void data_range(const std::vector<const std::vector<double>*>& values, bool log, double pad, double* lo, double* hi) {
  double a = std::numeric_limits<double>::infinity(), b = -a;
  for (const auto* vs : values)
    for (double v : *vs)
      if (std::isfinite(v) && (!log || v > 0)) a = std::min(a, v), b = std::max(b, v);
  if (!(a <= b)) { *lo = log ? 1 : 0; *hi = log ? 10 : 1; return; }
  if (log) {
    if (a == b) a /= 2, b *= 2;
    const double la = std::log10(a), lb = std::log10(b), p = (lb - la) * pad;
    *lo = std::pow(10.0, la - p);
    *hi = std::pow(10.0, lb + p);
  } else {
    if (a == b) a -= 0.5, b += 0.5;
    const double p = (b - a) * pad;
    *lo = a - p;
    *hi = b + p;
  }
}

int nearest_point(const std::vector<double>& xs, const std::vector<double>& ys, const Axis& ax, const Axis& ay,
                  double x0, double x1, double y0, double y1, double px, double py, double max_dist) {
  int best = -1;
  double bd = max_dist * max_dist;
  for (size_t i = 0; i < xs.size() && i < ys.size(); ++i) {
    if (!std::isfinite(xs[i]) || !std::isfinite(ys[i])) continue;
    if ((ax.log && xs[i] <= 0) || (ay.log && ys[i] <= 0)) continue;
    const double dx = ax.to_pixel(xs[i], x0, x1) - px, dy = ay.to_pixel(ys[i], y0, y1) - py;
    const double d = dx * dx + dy * dy;
    if (d <= bd) bd = d, best = int(i);
  }
  return best;
}

namespace {

// Whether the segment (ax, ay)–(bx, by) meets the box {x0, x1, y0, y1}: Liang–Barsky clipping of the segment's
// parameter t ∈ [0, 1] against the four sides.
bool segment_meets_box(double ax, double ay, double bx, double by, const double box[4]) {
  double t0 = 0, t1 = 1;
  const double dx = bx - ax, dy = by - ay;
  const double p[4] = {-dx, dx, -dy, dy}, q[4] = {ax - box[0], box[1] - ax, ay - box[2], box[3] - ay};
  for (int i = 0; i < 4; ++i) {
    if (p[i] == 0) {
      if (q[i] < 0) return false;  // parallel to this side and outside it
      continue;
    }
    const double r = q[i] / p[i];
    if (p[i] < 0) t0 = std::max(t0, r);
    else t1 = std::min(t1, r);
    if (t0 > t1) return false;
  }
  return true;
}

}  // namespace

void legend_box(int corner, double x0, double x1, double y0, double y1, double w, double h, double margin, double* bx0,
                double* bx1, double* by0, double* by1) {
  *bx0 = corner % 2 ? x1 - margin - w : x0 + margin;
  *by0 = corner < 2 ? y0 + margin : y1 - margin - h;
  *bx1 = *bx0 + w;
  *by1 = *by0 + h;
}

int legend_corner(const std::vector<SeriesPoints>& series, const Axis& ax, const Axis& ay, double x0, double x1,
                  double y0, double y1, double w, double h, double margin, int* covered) {
  int count[4] = {0, 0, 0, 0};
  double box[4][4];
  for (int c = 0; c < 4; ++c) legend_box(c, x0, x1, y0, y1, w, h, margin, &box[c][0], &box[c][1], &box[c][2], &box[c][3]);
  // A rectangle [ax0, ax1] × [ay0, ay1] in pixels (a point when degenerate) against each corner's box.
  auto add = [&](double rx0, double rx1, double ry0, double ry1) {
    for (int c = 0; c < 4; ++c)
      count[c] += rx0 <= box[c][1] && rx1 >= box[c][0] && ry0 <= box[c][3] && ry1 >= box[c][2];
  };
  auto usable = [&](double x, double y) {
    return std::isfinite(x) && std::isfinite(y) && (!ax.log || x > 0) && (!ay.log || y > 0);
  };
  for (const SeriesPoints& s : series) {
    const size_t n = std::min(s.x->size(), s.y->size());
    double px = 0, py = 0;
    bool have_prev = false;
    for (size_t i = 0; i < n; ++i) {
      if (!usable((*s.x)[i], (*s.y)[i])) {
        have_prev = false;
        continue;
      }
      const double cx = ax.to_pixel((*s.x)[i], x0, x1), cy = ay.to_pixel((*s.y)[i], y1, y0);
      if (s.bar_width > 0) {
        const double a = ax.to_pixel((*s.x)[i] - s.bar_width / 2, x0, x1), b = ax.to_pixel((*s.x)[i] + s.bar_width / 2, x0, x1);
        const double base = ay.to_pixel(ay.log ? ay.lo : s.bar_base, y1, y0);
        add(std::min(a, b), std::max(a, b), std::min(cy, base), std::max(cy, base));
        continue;
      }
      add(cx, cx, cy, cy);
      if (s.line && have_prev)
        for (int c = 0; c < 4; ++c) count[c] += segment_meets_box(px, py, cx, cy, box[c]);
      px = cx, py = cy, have_prev = true;
    }
  }
  int best = 0;
  for (int c = 1; c < 4; ++c)
    if (count[c] < count[best]) best = c;
  if (covered) *covered = count[best];
  return best;
}

}  // namespace attn
