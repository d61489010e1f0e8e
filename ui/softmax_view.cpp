// softmax_view.cpp: why the scores are divided by √d_k, as numbers the user can watch.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "i18n.h"
#include "explorer.h"
#include "format.h"
#include "plot.h"
#include "softmax_stats.h"
#include "timing_job.h"
#include "view_settings.h"
#include "text_flow.h"

namespace attn {
namespace {

void histogram(const Mat& m, const BoolMat& mask, float divisor, double lo, double hi, int bins, std::vector<double>* out) {
  out->assign(size_t(bins), 0.0);
  int count = 0;
  for (int i = 0; i < m.rows(); ++i)
    for (int j = 0; j < m.cols(); ++j) {
      if (mask(i, j)) continue;
      const double x = m(i, j) / divisor;
      const int b = std::clamp(int((x - lo) / (hi - lo) * bins), 0, bins - 1);
      (*out)[size_t(b)] += 1, ++count;
    }
  for (double& v : *out) v /= std::max(1, count);
}

// The selected head's statistics (in a job): its scores through softmax with and without the √d_k (masks as set).
SoftmaxStats compute_stats(const Mat& scores, const Mat& Q, const Mat& K, const BoolMat& mask, int d_k, float tau) {
  SoftmaxStats c;
  const float sq = std::sqrt(float(d_k));
  auto weights = [&](float div) {
    Mat x = scores / div, p(x.rows(), x.cols());
    for (int i = 0; i < x.rows(); ++i) softmax_row(x.row(i).data(), &mask.cells[size_t(i) * size_t(mask.cols)], int(x.cols()), p.row(i).data());
    return p;
  };
  const Mat ws = weights(sq * tau), wu = weights(tau);
  c.ent_scaled = row_entropies(ws), c.ent_unscaled = row_entropies(wu);
  c.jac_scaled = row_jacobian_norms(ws), c.jac_unscaled = row_jacobian_norms(wu);
  c.spread = score_spread(scores, Q, K, mask.cells.size() == size_t(scores.size()) ? mask.cells.data() : nullptr);
  float mx = 0;
  for (int i = 0; i < scores.size(); ++i) mx = std::max(mx, std::fabs(scores.data()[i] / tau));
  const int bins = 40;
  const double lo = -mx, hi = mx + 1e-6;
  histogram(scores, mask, sq * tau, lo, hi, bins, &c.hist_scaled);
  histogram(scores, mask, tau, lo, hi, bins, &c.hist_unscaled);
  for (int b = 0; b < bins; ++b) c.hist_x.push_back(lo + (b + 0.5) * (hi - lo) / bins);
  return c;
}

// Random q, k of unit-variance components for d_k = 1 … 1024 against n keys (in a job).
DkSweep compute_sweep(int n, const JobToken& tok) {
  constexpr int kPoints = 11;  // d_k = 2⁰ … 2¹⁰
  DkSweep c;
  for (int dk = 1; dk <= 1024 && !tok.cancelled(); dk *= 2) {
    const DkSweepPoint s = dk_sweep_point(dk, n, 64, true, 7), u = dk_sweep_point(dk, n, 64, false, 7);
    c.dks.push_back(dk);
    c.max_w_scaled.push_back(s.max_weight), c.max_w_unscaled.push_back(u.max_weight);
    c.jac_sweep_scaled.push_back(s.jacobian_norm), c.jac_sweep_unscaled.push_back(u.jacobian_norm);
    c.std_unscaled.push_back(u.score_std);
    tok.progress(int(c.dks.size()), kPoints);
  }
  return c;
}

double mean(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return v.empty() ? 0 : s / double(v.size());
}

// Typed (Ctrl+click) or scripted d_k outside the lab's range is set back, with why, in the status line.
void check_lab_dk(UiState& ui) {
  if (ui.lab_dk >= 1 && ui.lab_dk <= kMaxSweepDk) return;
  const int to = ui.lab_dk < 1 ? 1 : kMaxSweepDk;
  ui.status = printf_text(ui.lab_dk < 1 ? _("d_k = %d refused: the lab takes d_k from 1 to %d (a dot product needs at least one "
                                            "component). Set to %d.")
                                        : _("d_k = %d refused: the lab takes d_k from 1 to %d (it draws 64 + n random vectors of "
                                            "d_k numbers; by d_k = 1024 unscaled softmax is already one-hot). Set to %d."),
                          ui.lab_dk, kMaxSweepDk, to);
  ui.lab_dk = to;
}

// The lab's first d_k at which the unscaled gradient ‖J‖ falls below half the scaled one (−1: none).
int first_vanishing(const DkSweep& c, double* std_there) {
  for (size_t i = 0; i < c.dks.size(); ++i)
    if (c.jac_sweep_unscaled[i] < 0.5 * c.jac_sweep_scaled[i]) {
      *std_there = c.std_unscaled[i];
      return int(c.dks[i]);
    }
  return -1;
}

// Which regime the numbers are in, stated from them: mean ‖J‖ unscaled against scaled, the unscaled spread, and
// (for the head, rows ≥ 0) how many rows lose more than half their ‖J‖ without scaling.
std::string regime(double std_unscaled, double j_scaled, double j_unscaled, int rows_saturated = 0, int rows = 0) {
  const double q = j_unscaled / std::max(1e-12, j_scaled);
  const std::string ratio = fmt_fixed(q, 2);
  const std::string count =
      rows > 0 ? printf_text(_("%d of %d rows have ‖J‖ under half their scaled value; "), rows_saturated, rows) : "";
  if (q < 0.5 || (rows > 0 && 2 * rows_saturated >= rows))
    return printf_text(_("saturated without scaling: %smean ‖J‖ unscaled is %s× the scaled one (vanishing gradient in the "
                         "saturated rows)."), count.c_str(), ratio.c_str());
  if (rows_saturated > 0 || q < 0.8)
    return printf_text(rows > 0 ? _("partly saturated without scaling: %smean ‖J‖ unscaled is %s× the scaled one (rows split "
                                    "between a few keys get a larger ‖J‖: it peaks between uniform and one-hot).")
                                : _("partly saturated without scaling: %smean ‖J‖ unscaled is %s× the scaled one."),
                       count.c_str(), ratio.c_str());
  if (std_unscaled < 2)
    return printf_text(q > 1 ? _("small scores (std not ≫ 1): rows stay far from one-hot either way, so scaling barely matters "
                                 "(‖J‖ unscaled/scaled = %s); ‖J‖ is even larger unscaled: it peaks between uniform (1/√n) "
                                 "and one-hot (0).")
                             : _("small scores (std not ≫ 1): rows stay far from one-hot either way, so scaling barely matters "
                                 "(‖J‖ unscaled/scaled = %s)."),
                       ratio.c_str());
  return printf_text(_("scaling changes ‖J‖ little here (unscaled/scaled = %s)."), ratio.c_str());
}

}  // namespace

void draw_softmax_view(const Views& v, UiState& ui) {
  const Trace& t = *v.trace;
  const HeadTrace* h = selected_head(t, ui);
  if (!h) {
    text_wrapped("%s", _("The model has 0 layers: set layers N ≥ 1 to see attention."));
    return;
  }
  // Derived data comes from jobs (never computed here); until the first result the plots are empty.
  SoftmaxCache& jobs = ui.softmax_cache;
  const int n = std::max(2, t.n());
  const std::tuple<uint64_t, int, int> stats_key{ui.version, ui.layer, ui.head};
  jobs.stats.poll(), jobs.sweep.poll(), jobs.point.poll();
  if (!jobs.stats.started(stats_key))
    jobs.stats.start(ui.jobs, stats_key, [scores = h->scores, Q = h->Q, K = h->K, mask = t.mask, d_k = int(h->Q.cols()), tau = t.settings.temperature](
                                             const JobToken&) { return compute_stats(scores, Q, K, mask, d_k, tau); });
  if (!jobs.sweep.started(n)) jobs.sweep.start(ui.jobs, n, [n](const JobToken& tok) { return compute_sweep(n, tok); });
  const SoftmaxStats none;
  const SoftmaxStats& c = jobs.stats.result() ? *jobs.stats.result() : none;
  const DkSweep no_sweep;
  const DkSweep& sw = jobs.sweep.result() ? *jobs.sweep.result() : no_sweep;
  check_lab_dk(ui);
  const double tau = t.settings.temperature, sq = std::sqrt(double(t.d_k()));
  const double std_u = c.spread.row_std / tau, std_s = std_u / sq;
  int saturated = 0, rows_with_keys = 0;  // rows whose ‖J‖ falls under half without scaling (fully masked rows: 0, skipped)
  for (size_t i = 0; i < c.jac_scaled.size() && i < c.jac_unscaled.size(); ++i)
    if (c.jac_scaled[i] > 0) rows_with_keys++, saturated += c.jac_unscaled[i] < 0.5 * c.jac_scaled[i];
  double std_vanish = 0;
  const int dk_vanish = first_vanishing(sw, &std_vanish);
  text_wrapped(
      _("If q and k have components of mean 0 and variance 1, q·k = Σ q_i·k_i has variance d_k. When a row's scores spread "
        "over many units (std ≫ 1) softmax is nearly one-hot and its Jacobian diag(p) − p·pᵀ nearly 0: gradients vanish. "
        "Dividing by √d_k keeps the std near 1.%s"),
      dk_vanish > 0 ? printf_text(_(" In the lab below (unit-variance q, k) unscaled ‖J‖ falls under half the scaled one from "
                                    "d_k = %d, where std(q·k) = %s."), dk_vanish, fmt_fixed(std_vanish, 1).c_str()).c_str()
                    : "");
  text_wrapped(
      _("This head (layer %d, head %d, d_k = %d, τ = %s): q, k components have std %s and %s, so a row's scores spread by "
        "std %s unscaled and %s scaled (÷ √d_k·τ = %s) — %s Mean row entropy %s scaled vs %s unscaled (uniform: log n = %s); "
        "mean ‖J‖ %s vs %s."),
      ui.layer, ui.head, t.d_k(), fmt_fixed(tau, 2).c_str(), fmt_fixed(c.spread.q_std, 2).c_str(), fmt_fixed(c.spread.k_std, 2).c_str(),
      fmt_fixed(std_u, 2).c_str(), fmt_fixed(std_s, 2).c_str(), fmt_fixed(sq * tau, 2).c_str(),
      regime(std_u, mean(c.jac_scaled), mean(c.jac_unscaled), saturated, rows_with_keys).c_str(), fmt_fixed(mean(c.ent_scaled), 3).c_str(),
      fmt_fixed(mean(c.ent_unscaled), 3).c_str(), fmt_fixed(std::log(double(std::max(1, t.n()))), 3).c_str(),
      fmt_fixed(mean(c.jac_scaled), 3).c_str(), fmt_fixed(mean(c.jac_unscaled), 3).c_str());
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float fh = ImGui::GetFontSize();
  PanelGrid grid(avail.x, 3, fh * 18);  // three across on a wide screen; one below the other at a projector's scale
  const float w3 = grid.w, h1 = std::max(fh * 14, (avail.y - fh * 3) * 0.5f);

  PlotSpec hist;
  hist.title = _("distribution of this head's scores") + computing_note(jobs.stats);
  hist.x_label = _("score");
  hist.y_label = _("fraction of cells");
  hist.series.push_back({_("÷ √d_k·τ (scaled)"), c.hist_x, c.hist_scaled, SeriesKind::Line, palette(0), 2.0f, true});
  hist.series.push_back({_("÷ τ only (unscaled)"), c.hist_x, c.hist_unscaled, SeriesKind::Line, palette(1), 2.0f, true});
  draw_plot("hist", hist, ImVec2(w3, h1));
  explain(ui, _("Unscaled scores spread √d_k times wider than scaled ones."));
  grid.next();
  std::vector<double> rows;  // of the shown result, which may lag the trace while its job runs
  for (size_t i = 0; i < c.ent_scaled.size(); ++i) rows.push_back(double(i));
  const bool dots = rows.size() <= 64;  // a dot per query row only while they stay apart (512 rows: 2,048 circles a frame)
  PlotSpec ent;
  ent.title = _("softmax entropy of each query row");
  ent.x_label = _("query position");
  ent.y_label = _("entropy (nats)");
  ent.series.push_back({_("scaled"), rows, c.ent_scaled, SeriesKind::Line, palette(0), 2.0f, dots});
  ent.series.push_back({_("unscaled"), rows, c.ent_unscaled, SeriesKind::Line, palette(1), 2.0f, dots});
  ent.markers.push_back({std::log(double(t.n())), false, _("uniform: log n"), IM_COL32(120, 120, 120, 200)});
  ent.y_min = 0;
  draw_plot("ent", ent, ImVec2(w3, h1));
  explain(ui, _("Entropy 0 = one-hot (all weight on one key); log n = uniform. Unscaled rows sit closer to 0."));
  grid.next();
  PlotSpec jac;
  jac.title = _("size of the softmax gradient ‖J‖_F per row");
  jac.x_label = _("query position");
  jac.y_label = "‖diag(p) − p·pᵀ‖";
  jac.series.push_back({_("scaled"), rows, c.jac_scaled, SeriesKind::Line, palette(0), 2.0f, dots});
  jac.series.push_back({_("unscaled"), rows, c.jac_unscaled, SeriesKind::Line, palette(1), 2.0f, dots});
  jac.y_min = 0;
  draw_plot("jac", jac, ImVec2(w3, h1));
  explain(ui, _("How much the weights move when the scores move: the gradient that reaches Q and K. Near 0 = vanishing."));

  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 14);
  setting_slider(view_setting("lab_dk"), ui, _("d_k (random q, k with unit-variance components)"), NAN, NAN, true);
  check_lab_dk(ui);  // what was just typed (the table clamps it too)
  explain(ui, _("Drag d_k: unscaled, the largest weight heads to 1 and the gradient to 0 as d_k grows; scaled, both stay put."));
  const std::pair<int, int> point_key{std::clamp(ui.lab_dk, 1, 1024), n};  // Ctrl+click types any number
  if (!jobs.point.started(point_key))
    jobs.point.start(ui.jobs, point_key, [point_key](const JobToken&) {
      return DkPoint{dk_sweep_point(point_key.first, point_key.second, 64, true, 7),
                     dk_sweep_point(point_key.first, point_key.second, 64, false, 7)};
    });
  const DkPoint no_point;
  const DkPoint& pt = jobs.point.result() ? *jobs.point.result() : no_point;
  const DkSweepPoint& ps = pt.scaled;
  const DkSweepPoint& pu = pt.unscaled;
  // On its own line: beside the slider it wrapped into a tall narrow column that squeezed the plots below.
  text_wrapped(_("std(q·k) = %s (√d_k = %s) · max weight %s vs %s · ‖J‖ %s vs %s (scaled vs unscaled): %s"),
                     fmt_fixed(pu.score_std, 2).c_str(), fmt_fixed(std::sqrt(double(ui.lab_dk)), 2).c_str(),
                     fmt_fixed(ps.max_weight, 3).c_str(), fmt_fixed(pu.max_weight, 3).c_str(), fmt_fixed(ps.jacobian_norm, 3).c_str(),
                     fmt_fixed(pu.jacobian_norm, 3).c_str(), regime(pu.score_std, ps.jacobian_norm, pu.jacobian_norm).c_str());
  ImVec2 rest = ImGui::GetContentRegionAvail();
  rest.y = std::max(rest.y, fh * 14);  // readable at any UI scale: the panel scrolls instead
  PanelGrid grid2(rest.x, 2, fh * 18);
  const float w2 = grid2.w;
  PlotSpec mw;
  mw.title = _("largest softmax weight vs d_k") + computing_note(jobs.sweep);
  mw.x_label = "d_k";
  mw.y_label = _("mean max weight");
  mw.log_x = true;
  mw.y_min = 0, mw.y_max = 1.05;
  mw.series.push_back({_("scaled"), sw.dks, sw.max_w_scaled, SeriesKind::Line, palette(0), 2.0f, true});
  mw.series.push_back({_("unscaled"), sw.dks, sw.max_w_unscaled, SeriesKind::Line, palette(1), 2.0f, true});
  mw.markers.push_back({double(ui.lab_dk), true, "d_k", IM_COL32(200, 30, 30, 200)});
  draw_plot("mw", mw, ImVec2(w2, rest.y));
  grid2.next();
  PlotSpec jn;
  jn.title = _("softmax gradient ‖J‖ vs d_k");
  jn.x_label = "d_k";
  jn.y_label = _("mean ‖J‖_F");
  jn.log_x = true;
  jn.y_min = 0;
  jn.series.push_back({_("scaled"), sw.dks, sw.jac_sweep_scaled, SeriesKind::Line, palette(0), 2.0f, true});
  jn.series.push_back({_("unscaled"), sw.dks, sw.jac_sweep_unscaled, SeriesKind::Line, palette(1), 2.0f, true});

  jn.markers.push_back({double(ui.lab_dk), true, "d_k", IM_COL32(200, 30, 30, 200)});
  draw_plot("jn", jn, ImVec2(w2, rest.y));
}

}  // namespace attn
