// complexity_view.cpp: Table 1 of the paper evaluated live, operations against n on log-log axes with the
// crossover n = d, the multi-head cost broken down, and measured times with the fitted exponent.
#include <imgui.h>

#include <cmath>

#include "complexity.h"
#include "format.h"
#include "plot.h"
#include "teaching.h"
#include "timing_job.h"
#include "view_settings.h"

namespace attn {

void draw_complexity_view(const Views& v, UiState& ui) {
  (void)v;
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
  const MultiHeadCost mh = multi_head_cost(uint64_t(ui.cx_n), uint64_t(ui.cx_d), 8);
  ImGui::Text("Multi-head layer: projections 4·n·d² = %s + scores n²·d = %s + weighted sum n²·d = %s; the n×n weights take %s KiB per head.",
              fmt_fixed(double(mh.projections), 0).c_str(), fmt_fixed(double(mh.scores), 0).c_str(),
              fmt_fixed(double(mh.weighted_sum), 0).c_str(), fmt_fixed(double(mh.weights_bytes_per_head) / 1024.0, 1).c_str());

  const ImVec2 avail = ImGui::GetContentRegionAvail();
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
  timing_job_controls(ui, 64);
  PlotSpec meas;
  meas.title = "measured: one head of attention, d_k = 64";
  meas.x_label = "n";
  meas.y_label = "seconds";
  meas.log_x = meas.log_y = true;
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
  }
  draw_plot("measured", meas, ImVec2(w3, h));
  ImGui::EndGroup();
}

}  // namespace attn
