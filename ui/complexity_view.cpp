// complexity_view.cpp: Table 1 of the paper evaluated live, operations against n on log-log axes with the
// crossover n = d, the multi-head cost broken down, and measured times with the fitted exponent.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "complexity.h"
#include "format.h"
#include "plot.h"
#include "teaching.h"
#include "timing_job.h"
#include "view_settings.h"

namespace attn {

namespace {

constexpr int kMaxKernel = 4096;       // wider than any sentence the app holds (kMaxTokensLimit)
constexpr int kMaxSize = 1 << 20;      // n, d and r of the Complexity tab: the CLI's range, n²·d fits 64 bits

// One setting as typed: in [lo, hi], or set back there with why in the status line.
void check_range(UiState& ui, int* v, int lo, int hi, const std::string& name, const std::string& why_low,
                 const std::string& why_high) {
  if (*v >= lo && *v <= hi) return;
  const bool low = *v < lo;
  ui.status = name + " = " + std::to_string(*v) + " refused: " + (low ? why_low : why_high) + " Set to " +
              std::to_string(low ? lo : hi) + ".";
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
  std::string s = "Why n^" + fmt_fixed(fit, 2) + " and not n²: theory counts multiply-adds, the clock also counts memory traffic. Slope between successive sizes:";
  double small = 0, large = 0;
  int n_small = 0, n_large = 0;
  for (size_t i = 0; i < slopes.size(); ++i) {
    s += (i ? " · " : " ") + fmt_fixed(ns[i], 0) + "→" + fmt_fixed(ns[i + 1], 0) + " " + fmt_fixed(slopes[i], 2);
    if (!std::isfinite(slopes[i])) continue;
    if (n_l2 && ns[i + 1] >= double(n_l2)) large += slopes[i], ++n_large;  // a step that ends out of L2
    else small += slopes[i], ++n_small;
  }
  const double ns_first = ts.front() / (ns.front() * ns.front()) * 1e9, ns_last = ts.back() / (ns.back() * ns.back()) * 1e9;
  s += ". Time per (query, key) cell: " + fmt_fixed(ns_first, 2) + " ns at n = " + fmt_fixed(ns.front(), 0) + ", " +
       fmt_fixed(ns_last, 2) + " ns at n = " + fmt_fixed(ns.back(), 0) + " (constant if time were ∝ n²). ";
  s += "Each head keeps 4 n × n float matrices (scores, scaled, masked, weights: 16·n² bytes). ";
  if (!n_l2) return s + "This system does not report its cache sizes (sysconf), so where they stop fitting is not shown.";
  s += "They outgrow this CPU's L2 cache (" + fmt_fixed(double(caches.l2) / 1024.0, 0) + " KiB) from n = " + std::to_string(n_l2);
  if (n_l3) s += " and its L3 (" + fmt_fixed(double(caches.l3) / 1048576.0, 0) + " MiB) from n = " + std::to_string(n_l3);
  s += " (red lines). ";
  if (n_small && n_large) {
    const double a = small / n_small, b = large / n_large;
    s += "Mean slope while they fit in L2: " + fmt_fixed(a, 2) + "; over the steps that end beyond it: " + fmt_fixed(b, 2) + ". ";
    if (b > 2.1) s += "Out of cache each cell costs more, so the time grows faster than n². ";
    else s += "Out of cache the slope stays near 2 here: the arithmetic, not the memory, sets the pace. ";
    if (a < 1.9) s += "At small n fixed costs per call (allocation, copying Q, K, V: n·d_k) weigh more, so the slope is below 2.";
  }
  return s;
}

}  // namespace

void check_path_inputs(UiState& ui) {
  check_range(ui, &ui.conv_k, 2, kMaxKernel, "kernel k",
              "a convolution needs k ≥ 2 (k = 1 sees only its own position: no stack of layers connects two words).",
              "k is at most " + std::to_string(kMaxKernel) + " (one layer wider than any sentence here).");
  check_range(ui, &ui.restricted_r, 2, kMaxSize, "neighbourhood r",
              "restricted attention needs r ≥ 2 (r = 1 is each word alone: no position reaches another).",
              "r is at most " + std::to_string(kMaxSize) + " (r larger than n counts as n anyway).");
  check_range(ui, &ui.cx_n, 1, kMaxSize, "n", "a sequence has at least 1 token.", "n is at most " + std::to_string(kMaxSize) + " here.");
  check_range(ui, &ui.cx_d, 1, kMaxSize, "d", "a width is at least 1.", "d is at most " + std::to_string(kMaxSize) + " here.");
}

void draw_complexity_view(const Views& v, UiState& ui) {
  (void)v;
  check_path_inputs(ui);
  ImGui::TextWrapped(
      "Table 1 of the paper: per layer, self-attention costs O(n²·d) (every pair of n tokens, a d-wide dot product), a "
      "recurrent layer O(n·d²) (a d×d matrix per step). Self-attention is cheaper while n < d, needs O(1) sequential "
      "steps instead of O(n), and connects any two positions in one step.");
  const float fh = ImGui::GetFontSize();
  ImGui::SetNextItemWidth(fh * 8);
  setting_slider(view_setting("cx_n"), ui, "n (sequence length)", NAN, NAN, true);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(fh * 8);
  setting_slider(view_setting("cx_d"), ui, "d (width)", NAN, NAN, true);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(fh * 5);
  setting_slider(view_setting("kernel_k"), ui, "kernel k");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(fh * 5);
  setting_slider(view_setting("neighbourhood_r"), ui, "neighbourhood r");
  check_path_inputs(ui);  // what was just typed
  const auto rows = complexity_table(uint64_t(ui.cx_n), uint64_t(ui.cx_d), uint64_t(ui.conv_k), uint64_t(ui.restricted_r));
  const char* formulas[4][3] = {{"n²·d", "O(1)", "O(1)"}, {"n·d²", "O(n)", "O(n)"}, {"k·n·d²", "O(1)", "O(log_k n)"},
                                {"r·n·d", "O(1)", "O(n/r)"}};
  if (ImGui::BeginTable("table1", 4, ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp)) {
    ImGui::TableSetupColumn("layer type");
    ImGui::TableSetupColumn("complexity per layer");
    ImGui::TableSetupColumn("sequential operations");
    ImGui::TableSetupColumn("maximum path length");
    ImGui::TableHeadersRow();
    for (size_t r = 0; r < rows.size(); ++r) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(rows[r].layer.c_str());
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
  std::string note = "Maximum path length: the edges between the first and last of n positions, exactly. Restricted "
                     "self-attention: each query sees a neighbourhood of r keys centred on it, ±" + std::to_string(r_used / 2) +
                     " positions (an even r is widened by one to stay symmetric), so a path takes (n − 1)/" +
                     std::to_string(r_used / 2) + " hops, rounded up: about 2n/r, O(n/r).";
  if (r_used != uint64_t(ui.restricted_r))
    note += " r = " + std::to_string(ui.restricted_r) + " is more than n = " + std::to_string(ui.cx_n) +
            ": it counts as r = " + std::to_string(r_used) + " (a neighbourhood cannot hold more keys than the sequence).";
  ImGui::TextWrapped("%s", note.c_str());
  const MultiHeadCost mh = multi_head_cost(uint64_t(ui.cx_n), uint64_t(ui.cx_d), 8);
  ImGui::Text("Multi-head layer: projections 4·n·d² = %s + scores n²·d = %s + weighted sum n²·d = %s; the n×n weights take %s KiB per head.",
              fmt_fixed(double(mh.projections), 0).c_str(), fmt_fixed(double(mh.scores), 0).c_str(),
              fmt_fixed(double(mh.weighted_sum), 0).c_str(), fmt_fixed(double(mh.weights_bytes_per_head) / 1024.0, 1).c_str());

  ImVec2 avail = ImGui::GetContentRegionAvail();
  avail.y -= ImGui::GetTextLineHeightWithSpacing() * 4;  // the measured exponent's explanation, under the plots
  avail.y = std::max(avail.y, ImGui::GetFontSize() * 16);  // room for a legend above the frame: the panel scrolls
  const float sp = ImGui::GetStyle().ItemSpacing.x, w3 = (avail.x - 2 * sp) / 3, h = avail.y - ImGui::GetFrameHeightWithSpacing();
  // Operations against n for each layer type (d fixed).
  PlotSpec ops;
  ops.title = "operations per layer against n (d = " + std::to_string(ui.cx_d) + ")";
  ops.x_label = "n";
  ops.y_label = "operations";
  ops.log_x = ops.log_y = true;
  const char* names[4] = {"self-attention n²·d", "recurrent n·d²", "convolutional k·n·d²", "restricted r·n·d"};
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
  ops.markers.push_back({double(ui.cx_n), true, "your n", IM_COL32(90, 90, 90, 200)});
  draw_plot("ops", ops, ImVec2(w3, avail.y));
  explain(ui, "Left of the red line (n < d) self-attention does less work than a recurrent layer; right of it, more.");
  ImGui::SameLine();
  // Multi-head breakdown as stacked bars against n.
  PlotSpec br;
  br.title = "multi-head layer: projections vs n²·d terms";
  br.y_label = "multiply-adds";
  br.log_y = true;
  PlotSeries total, proj;
  total.label = "scores + weighted sum (2·n²·d)";
  total.kind = proj.kind = SeriesKind::Bars;
  total.overlay = proj.overlay = true;
  proj.label = "projections (4·n·d²)";
  int idx = 0;
  for (int n = 64; n <= 8192; n *= 2, ++idx) {
    const MultiHeadCost c = multi_head_cost(uint64_t(n), uint64_t(ui.cx_d), 8);
    br.x_categories.push_back(std::to_string(n));
    total.x.push_back(idx), total.y.push_back(double(c.total()));
    proj.x.push_back(idx), proj.y.push_back(double(c.projections));
  }
  total.label = "total (top: the n²·d part)";
  total.color = palette(1), proj.color = palette(0);
  br.series.push_back(std::move(total));
  br.series.push_back(std::move(proj));
  draw_plot("breakdown", br, ImVec2(w3, avail.y));
  explain(ui, "Blue: the projections (linear in n). The orange cap is the n²·d part, which takes over for long sequences.");
  ImGui::SameLine();
  ImGui::BeginGroup();
  timing_job_controls(ui, kTimingWidth);
  PlotSpec meas;
  meas.title = "measured: one head of attention, d_k = 64";
  meas.x_label = "n";
  meas.y_label = "seconds";
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
    meas.series.push_back({"measured", ns, ts, SeriesKind::Scatter, palette(0), 2.0f, true});
    std::vector<double> th;
    for (double n : ns) th.push_back(c * std::pow(n, p));
    meas.series.push_back({"fit: t ∝ n^" + fmt_fixed(p, 2), ns, th, SeriesKind::Line, palette(1), 1.5f, false});
    const double c2 = ts.back() / (ns.back() * ns.back());
    std::vector<double> quad;
    for (double n : ns) quad.push_back(c2 * n * n);
    meas.series.push_back({"theory: n²", ns, quad, SeriesKind::Line, palette(6), 1.0f, false});
    const CacheSizes& caches = machine_caches();
    if (const uint64_t n2 = n_exceeding(caches.l2, kAttentionBytesPerCell)) meas.markers.push_back({double(n2), true, "> L2", 0});
    if (const uint64_t n3 = n_exceeding(caches.l3, kAttentionBytesPerCell)) meas.markers.push_back({double(n3), true, "> L3", 0});
    why = measured_exponent_note(ns, ts, p);
  }
  draw_plot("measured", meas, ImVec2(w3, h));
  ImGui::EndGroup();
  if (why.empty()) ImGui::TextDisabled("Measure to see the time against n, the fitted exponent and why it is not exactly 2.");
  else ImGui::TextWrapped("%s", why.c_str());
}

}  // namespace attn
