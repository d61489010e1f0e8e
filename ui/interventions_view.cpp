// interventions_view.cpp: switch heads off (or keep only one) and see what changes downstream.
// The difference to the unmodified model is shown, not just the new picture.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "i18n.h"
#include "explorer.h"
#include "format.h"
#include "heatmap.h"
#include "plot.h"
#include "text_flow.h"

namespace attn {

bool draw_interventions_view(const Views& v, Document& doc, UiState& ui) {
  bool edited = false;
  Settings& s = doc.settings;
  const Trace& t = *v.trace;
  // The switches edit the settings; the plots draw the trace, whose shape can differ (an edit the memory estimate
  // refused leaves the previous trace on screen): each is indexed by its own counts.
  const int L = s.layers, H = s.heads;
  const int trace_layers = int(t.layers.size());
  if (L <= 0 || H <= 0 || trace_layers == 0) {
    text_wrapped("%s", _("The model has 0 layers: nothing to switch off."));
    return false;
  }
  if (s.head_enabled.size() != size_t(L) * size_t(H)) s.head_enabled.assign(size_t(L) * size_t(H), 1);
  text_wrapped("%s", _("Untick a head to remove its output from the concatenation (its slice becomes 0 before W_O). The "
                             "layer's output and every later layer change; the plots show by how much."));
  if (ImGui::Button(_("all heads on"))) { std::fill(s.head_enabled.begin(), s.head_enabled.end(), 1); edited = true; }
  ImGui::SameLine();
  if (ImGui::Button(_("keep only the selected head"))) {
    std::fill(s.head_enabled.begin(), s.head_enabled.end(), 0);
    for (int l = 0; l < L; ++l) s.head_enabled[size_t(l * H + std::clamp(ui.head, 0, H - 1))] = 1;
    edited = true;
  }
  explain(ui, _("Keep head `head` (left panel) in every layer and switch all others off."));
  for (int l = 0; l < L; ++l) {
    ImGui::Text(_("layer %d:"), l);
    for (int h = 0; h < H; ++h) {
      ImGui::SameLine();
      ImGui::PushID(l * 1000 + h);
      bool on = s.head_enabled[size_t(l * H + h)] != 0;
      if (ImGui::Checkbox(("H" + std::to_string(h)).c_str(), &on)) {
        s.head_enabled[size_t(l * H + h)] = on ? 1 : 0;
        edited = true;
      }
      ImGui::PopID();
    }
  }
  if (!v.baseline) {
    ImGui::TextDisabled("%s", _("Every head is on: switch one off to see the difference."));
    return edited;
  }
  const Trace& b = *v.baseline;
  if (b.layers.size() != t.layers.size() || b.n() != t.n()) return edited;
  // Relative change of each layer's output: ‖out − out_base‖ / ‖out_base‖, and per token.
  std::vector<double> xs, rel;
  for (int l = 0; l < trace_layers; ++l) {
    xs.push_back(l);
    const double base = b.layers[size_t(l)].output.norm();
    rel.push_back(base > 0 ? (t.layers[size_t(l)].output - b.layers[size_t(l)].output).norm() / base : 0.0);
  }
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float w2 = (avail.x - ImGui::GetStyle().ItemSpacing.x) / 2;
  PlotSpec p;
  p.title = _("relative change of each layer's output  ‖Δ‖ / ‖original‖");
  for (int l = 0; l < trace_layers; ++l) p.x_categories.push_back(printf_text(_("layer %d"), l));
  p.series.push_back({_("change"), xs, rel, SeriesKind::Bars, palette(1), 2.0f, false});
  p.legend = false;
  draw_plot("rel", p, ImVec2(w2, avail.y));
  ImGui::SameLine();
  // Difference of the selected layer's output, tokens × features.
  const int l = std::clamp(ui.layer, 0, trace_layers - 1);
  DiffCache& c = ui.diff_cache;
  if (c.version != ui.version || c.layer != l) {
    c.version = ui.version, c.layer = l;
    c.diff = t.layers[size_t(l)].output - b.layers[size_t(l)].output;
  }
  HeatmapSpec d;
  d.m = &c.diff;
  d.row_labels = &t.tokens;
  d.row_axis = _("token");
  d.col_axis = _("feature");
  d.cmap = ui.scores_cmap;
  value_range(c.diff, nullptr, true, &d.lo, &d.hi);
  d.version = ui.version;
  d.detail = l;
  d.stretch = true;
  const std::string title = printf_text(_("layer %d output minus the original (select the layer on the left)"), l);
  d.title = title.c_str();
  draw_heatmap("diff", d, ImVec2(w2, avail.y), ui.textures, [&](int i, int j) {
    ImGui::Text(_("token \"%s\", feature %d: %s → %s (Δ %s)"),
 t.tokens[size_t(i)].c_str(), j,
                fmt_value(b.layers[size_t(l)].output(i, j)).c_str(), fmt_value(t.layers[size_t(l)].output(i, j)).c_str(),
                fmt_value(c.diff(i, j)).c_str());
  });
  return edited;
}

}  // namespace attn
