// complexity_view.cpp: Table 1 of the paper evaluated live, operations against n on log-log axes with the
// crossover n = d, the multi-head cost broken down, and measured times with the fitted exponent.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "complexity.h"
#include "format.h"
#include "i18n.h"
#include "plot.h"
#include "teaching.h"
#include "timing_job.h"
#include "view_settings.h"
#include "text_flow.h"

namespace attn {

namespace {

constexpr int kMaxKernel = 4096;       // wider than any sentence the app holds (kMaxTokensLimit)
constexpr int kMaxSize = 1 << 20;      // n, d and r of the Complexity tab: the CLI's range, n²·d fits 64 bits

// One setting as typed: in [lo, hi], or set back there with why in the status line.
void check_range(UiState& ui, int* v, int lo, int hi, const std::string& name, const std::string& why_low,
                 const std::string& why_high) {
  if (*v >= lo && *v <= hi) return;
  const bool low = *v < lo;
  ui.status = printf_text(_("%s = %d refused: %s Set to %d."), name.c_str(), *v, (low ? why_low : why_high).c_str(),
                          low ? lo : hi);
  *v = low ? lo : hi;
}

const CacheSizes& machine_caches() {
  static const CacheSizes caches = cache_sizes();  // a property of the machine: read once
  return caches;
}

// Why the measured exponent is not the theory's 2, from the numbers on the plot: slopes between successive sizes,
// time per (query, key) cell, and the n at which the engine's n × n matrices outgrow this CPU's caches.
std::string measured_exponent_note(const std::vector<double>& ns, const std::vector<double>& ts, double fit) {
  const CacheSizes& caches = machine_caches();
  const std::vector<double> slopes = local_exponents(ns, ts);
  const uint64_t n_l2 = n_exceeding(caches.l2, kAttentionBytesPerCell), n_l3 = n_exceeding(caches.l3, kAttentionBytesPerCell);
  std::string s = printf_text(_("Why n^%s and not n²: theory counts multiply-adds, the clock also counts memory traffic. "
                                "Slope between successive sizes:"), fmt_fixed(fit, 2).c_str());
  double small = 0, large = 0;
  int n_small = 0, n_large = 0;
  for (size_t i = 0; i < slopes.size(); ++i) {
    s += (i ? " · " : " ") + fmt_fixed(ns[i], 0) + "→" + fmt_fixed(ns[i + 1], 0) + " " + fmt_fixed(slopes[i], 2);
    if (!std::isfinite(slopes[i])) continue;
    if (n_l2 && ns[i + 1] >= double(n_l2)) large += slopes[i], ++n_large;  // a step that ends out of L2
    else small += slopes[i], ++n_small;
  }
  const double ns_first = ts.front() / (ns.front() * ns.front()) * 1e9, ns_last = ts.back() / (ns.back() * ns.back()) * 1e9;
  s += printf_text(_(". Time per (query, key) cell: %s ns at n = %s, %s ns at n = %s (constant if time were ∝ n²). "),
                   fmt_fixed(ns_first, 2).c_str(), fmt_fixed(ns.front(), 0).c_str(), fmt_fixed(ns_last, 2).c_str(),
                   fmt_fixed(ns.back(), 0).c_str());
  s += _("Each head keeps 4 n × n float matrices (scores, scaled, masked, weights: 16·n² bytes). ");
  if (!n_l2) return s + _("This system does not report its cache sizes (sysconf), so where they stop fitting is not shown.");
  const std::string l2 = fmt_fixed(double(caches.l2) / 1024.0, 0), l3 = fmt_fixed(double(caches.l3) / 1048576.0, 0);
  s += n_l3 ? printf_text(_("They outgrow this CPU's L2 cache (%s KiB) from n = %s and its L3 (%s MiB) from n = %s (red lines). "),
                          l2.c_str(), std::to_string(n_l2).c_str(), l3.c_str(), std::to_string(n_l3).c_str())
            : printf_text(_("They outgrow this CPU's L2 cache (%s KiB) from n = %s (red lines). "), l2.c_str(),
                          std::to_string(n_l2).c_str());
  if (n_small && n_large) {
    const double a = small / n_small, b = large / n_large;
    s += printf_text(_("Mean slope while they fit in L2: %s; over the steps that end beyond it: %s. "), fmt_fixed(a, 2).c_str(),
                     fmt_fixed(b, 2).c_str());
    if (b > 2.1) s += _("Out of cache each cell costs more, so the time grows faster than n². ");
    else s += _("Out of cache the slope stays near 2 here: the arithmetic, not the memory, sets the pace. ");
    if (a < 1.9) s += _("At small n fixed costs per call (allocation, copying Q, K, V: n·d_k) weigh more, so the slope is below 2.");
  }
  return s;
}

}  // namespace

void check_path_inputs(UiState& ui) {
  check_range(ui, &ui.conv_k, 2, kMaxKernel, _("kernel k"),
              _("a convolution needs k ≥ 2 (k = 1 sees only its own position: no stack of layers connects two words)."),
              printf_text(_("k is at most %d (one layer wider than any sentence here)."), kMaxKernel));
  check_range(ui, &ui.restricted_r, 2, kMaxSize, _("neighbourhood r"),
              _("restricted attention needs r ≥ 2 (r = 1 is each word alone: no position reaches another)."),
              printf_text(_("r is at most %d (r larger than n counts as n anyway)."), kMaxSize));
  check_range(ui, &ui.cx_n, 1, kMaxSize, "n", _("a sequence has at least 1 token."), printf_text(_("n is at most %d here."), kMaxSize));
  check_range(ui, &ui.cx_d, 1, kMaxSize, "d", _("a width is at least 1."), printf_text(_("d is at most %d here."), kMaxSize));
}

void draw_complexity_view(const Views& v, UiState& ui) {
  (void)v;
  check_path_inputs(ui);
  text_wrapped("%s", _(
      "Table 1 of the paper: per layer, self-attention costs O(n²·d) (every pair of n tokens, a d-wide dot product), a "
      "recurrent layer O(n·d²) (a d×d matrix per step). Self-attention is cheaper while n < d, needs O(1) sequential "
      "steps instead of O(n), and connects any two positions in one step."));
  const float fh = ImGui::GetFontSize();
  // The four inputs on one line when it is wide enough, else on as many as they need.
  ImGui::SetNextItemWidth(fh * 8);
  setting_slider(view_setting("cx_n"), ui, _("n (sequence length)"), NAN, NAN, true);
  same_line_if_fits(labelled_width(fh * 8, _("d (width)")));
  ImGui::SetNextItemWidth(fh * 8);
  setting_slider(view_setting("cx_d"), ui, _("d (width)"), NAN, NAN, true);
  same_line_if_fits(labelled_width(fh * 5, _("kernel k")));
  ImGui::SetNextItemWidth(fh * 5);
  setting_slider(view_setting("kernel_k"), ui, _("kernel k"));
  same_line_if_fits(labelled_width(fh * 5, _("neighbourhood r")));
  ImGui::SetNextItemWidth(fh * 5);
  setting_slider(view_setting("neighbourhood_r"), ui, _("neighbourhood r"));
  check_path_inputs(ui);  // what was just typed
  const auto rows = complexity_table(uint64_t(ui.cx_n), uint64_t(ui.cx_d), uint64_t(ui.conv_k), uint64_t(ui.restricted_r));
  // core/complexity.cpp's layer names, marked here for xgettext (core does not translate: the CLI prints them too).
  static const char* const kLayerNames[] = {N_("self-attention"), N_("recurrent"), N_("convolutional"),
                                            N_("restricted self-attention")};
  (void)kLayerNames;
  const char* formulas[4][3] = {{"n²·d", "O(1)", "O(1)"}, {"n·d²", "O(n)", "O(n)"}, {"k·n·d²", "O(1)", "O(log_k n)"},
                                {"r·n·d", "O(1)", "O(n/r)"}};
  // Columns as wide as their numbers; a narrow view scrolls the table across (its height: 5 rows and the scrollbar).
  const ImGuiStyle& st = ImGui::GetStyle();
  const float table_h = 5 * (ImGui::GetTextLineHeight() + 2 * st.CellPadding.y) + st.ScrollbarSize + ImGui::GetTextLineHeight();
  if (ImGui::BeginTable("table1", 4, ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit |
                        ImGuiTableFlags_ScrollX, ImVec2(0, table_h))) {
    ImGui::TableSetupColumn(_("layer type"));
    ImGui::TableSetupColumn(_("complexity per layer"));
    ImGui::TableSetupColumn(_("sequential operations"));
    ImGui::TableSetupColumn(_("maximum path length"));
    ImGui::TableHeadersRow();
    for (size_t r = 0; r < rows.size(); ++r) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(_(rows[r].layer.c_str()));  // one of kLayerNames
      ImGui::TableNextColumn();
      ImGui::Text("%s = %s", formulas[r][0], fmt_fixed(double(rows[r].per_layer), 0).c_str());
      ImGui::TableNextColumn();
      ImGui::Text("%s = %llu", formulas[r][1], (unsigned long long)rows[r].sequential);
      ImGui::TableNextColumn();
      ImGui::Text("%s = %llu", formulas[r][2], (unsigned long long)rows[r].max_path);
    }
    ImGui::EndTable();
  }
  const uint64_t r_used = clamp_neighbourhood(uint64_t(ui.restricted_r), uint64_t(ui.cx_n));
  // (No ⌈⌉⌊⌋ on screen: the UI font lacks them.)
  const std::string half = std::to_string(r_used / 2);
  std::string note = printf_text(_("Maximum path length: the edges between the first and last of n positions, exactly. Restricted "
                                   "self-attention: each query sees a neighbourhood of r keys centred on it, ±%s positions (an "
                                   "even r is widened by one to stay symmetric), so a path takes (n − 1)/%s hops, rounded up: "
                                   "about 2n/r, O(n/r)."), half.c_str(), half.c_str());
  if (r_used != uint64_t(ui.restricted_r))
    note += printf_text(_(" r = %d is more than n = %d: it counts as r = %s (a neighbourhood cannot hold more keys than the "
                          "sequence)."), ui.restricted_r, ui.cx_n, std::to_string(r_used).c_str());
  text_wrapped("%s", note.c_str());
  const MultiHeadCost mh = multi_head_cost(uint64_t(ui.cx_n), uint64_t(ui.cx_d), 8);
  text_wrapped(_("Multi-head layer: projections 4·n·d² = %s + scores n²·d = %s + weighted sum n²·d = %s; the n×n weights take %s KiB per head."),
              fmt_fixed(double(mh.projections), 0).c_str(), fmt_fixed(double(mh.scores), 0).c_str(),
              fmt_fixed(double(mh.weighted_sum), 0).c_str(), fmt_fixed(double(mh.weights_bytes_per_head) / 1024.0, 1).c_str());

  ImVec2 avail = ImGui::GetContentRegionAvail();
  avail.y -= ImGui::GetTextLineHeightWithSpacing() * 4;  // the measured exponent's explanation, under the plots
  avail.y = std::max(avail.y, ImGui::GetFontSize() * 16);  // room for a legend above the frame: the panel scrolls
  PanelGrid grid(avail.x, 3, fh * 18);  // three plots across on a wide screen, one below the other at scale 2
  const float w3 = grid.w, h = avail.y - ImGui::GetFrameHeightWithSpacing();
  // Operations against n for each layer type (d fixed).
  PlotSpec ops;
  ops.title = printf_text(_("operations per layer against n (d = %d)"), ui.cx_d);
  ops.x_label = "n";
  ops.y_label = _("operations");
  ops.log_x = ops.log_y = true;
  const char* names[4] = {_("self-attention n²·d"), _("recurrent n·d²"), _("convolutional k·n·d²"), _("restricted r·n·d")};
  for (int k = 0; k < 4; ++k) {
    PlotSeries s;
    s.label = names[k];
    for (double n = 2; n <= 16384; n *= 2) {
      s.x.push_back(n);
      s.y.push_back(double(complexity_table(uint64_t(n), uint64_t(ui.cx_d), uint64_t(ui.conv_k), uint64_t(ui.restricted_r))[size_t(k)].per_layer));
    }
    ops.series.push_back(std::move(s));
  }
  ops.markers.push_back({double(ui.cx_d), true, "n = d", IM_COL32(200, 30, 30, 220)});
  ops.markers.push_back({double(ui.cx_n), true, _("your n"), IM_COL32(90, 90, 90, 200)});
  draw_plot("ops", ops, ImVec2(w3, avail.y));
  explain(ui, _("Left of the red line (n < d) self-attention does less work than a recurrent layer; right of it, more."));
  grid.next();
  // Multi-head breakdown as stacked bars against n.
  PlotSpec br;
  br.title = _("multi-head layer: projections vs n²·d terms");
  br.y_label = _("multiply-adds");
  br.log_y = true;
  PlotSeries total, proj;
  total.kind = proj.kind = SeriesKind::Bars;
  total.overlay = proj.overlay = true;
  proj.label = _("projections (4·n·d²)");
  int idx = 0;
  for (int n = 64; n <= 8192; n *= 2, ++idx) {
    const MultiHeadCost c = multi_head_cost(uint64_t(n), uint64_t(ui.cx_d), 8);
    br.x_categories.push_back(std::to_string(n));
    total.x.push_back(idx), total.y.push_back(double(c.total()));
    proj.x.push_back(idx), proj.y.push_back(double(c.projections));
  }
  total.label = _("total (top: the n²·d part)");
  total.color = palette(1), proj.color = palette(0);
  br.series.push_back(std::move(total));
  br.series.push_back(std::move(proj));
  draw_plot("breakdown", br, ImVec2(w3, avail.y));
  explain(ui, _("Blue: the projections (linear in n). The orange cap is the n²·d part, which takes over for long sequences."));
  grid.next();
  ImGui::BeginGroup();
  timing_job_controls(ui, kTimingWidth);
  PlotSpec meas;
  meas.title = _("measured: one head of attention, d_k = 64");
  meas.x_label = "n";
  meas.y_label = _("seconds");
  meas.log_x = meas.log_y = true;
  std::string why;
  if (!ui.timing_result.empty()) {
    std::vector<double> ns, ts;
    for (const TimingPoint& p : ui.timing_result) ns.push_back(p.n), ts.push_back(p.attention_s);
    double c = 0;
    // Fit on the large sizes, where the n² terms dominate the fixed costs.
    std::vector<double> ln, lt;
    for (size_t i = 0; i < ns.size(); ++i)
      if (ns[i] >= 256) ln.push_back(ns[i]), lt.push_back(ts[i]);
    const double p = fit_power_law(ln.size() >= 2 ? ln : ns, ln.size() >= 2 ? lt : ts, &c);
    meas.series.push_back({_("measured"), ns, ts, SeriesKind::Scatter, palette(0), 2.0f, true});
    std::vector<double> th;
    for (double n : ns) th.push_back(c * std::pow(n, p));
    meas.series.push_back({printf_text(_("fit: t ∝ n^%s"), fmt_fixed(p, 2).c_str()), ns, th, SeriesKind::Line, palette(1), 1.5f, false});
    const double c2 = ts.back() / (ns.back() * ns.back());
    std::vector<double> quad;
    for (double n : ns) quad.push_back(c2 * n * n);
    meas.series.push_back({_("theory: n²"), ns, quad, SeriesKind::Line, palette(6), 1.0f, false});
    const CacheSizes& caches = machine_caches();
    if (const uint64_t n2 = n_exceeding(caches.l2, kAttentionBytesPerCell)) meas.markers.push_back({double(n2), true, "> L2", 0});
    if (const uint64_t n3 = n_exceeding(caches.l3, kAttentionBytesPerCell)) meas.markers.push_back({double(n3), true, "> L3", 0});
    why = measured_exponent_note(ns, ts, p);
  }
  draw_plot("measured", meas, ImVec2(w3, h));
  ImGui::EndGroup();
  if (why.empty()) ImGui::TextDisabled("%s", _("Measure to see the time against n, the fitted exponent and why it is not exactly 2."));
  else text_wrapped("%s", why.c_str());
}

}  // namespace attn
