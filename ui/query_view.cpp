// query_view.cpp: the retrieval picture of Q, K, V for one query token.
// A query asks, every key answers with a match score q·k_j; softmax turns scores into weights; the answer is
// the weighted sum of the values Σ_j w_j·v_j.
#include <imgui.h>

#include <algorithm>
#include <string>

#include "explorer.h"
#include "format.h"
#include "heatmap.h"
#include "i18n.h"
#include "plot.h"
#include "text_flow.h"

namespace attn {

void draw_query_view(const Views& v, UiState& ui) {
  const Trace& t = *v.trace;
  const HeadTrace* h = selected_head(t, ui);
  if (!h) {
    text_wrapped("%s", _("The model has 0 layers: set layers N ≥ 1 to see attention."));
    return;
  }
  const int n = t.n(), dk = int(h->Q.cols());
  int q = std::clamp(ui.pinned_q >= 0 ? ui.pinned_q : 0, 0, n - 1);
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 12);
  if (ImGui::BeginCombo(stable_label(_("query token"), "query_token").c_str(), (std::to_string(q) + ": " + t.tokens[size_t(q)]).c_str())) {
    for (int i = 0; i < n; ++i)
      if (ImGui::Selectable((std::to_string(i) + ": " + t.tokens[size_t(i)]).c_str(), i == q)) {
        q = i;
        ui.pinned_q = i;
        if (ui.pinned_k < 0) ui.pinned_k = 0;
      }
    ImGui::EndCombo();
  }
  explain(ui, _("Pick the token that asks the question (the query). It is also the pinned row in every other view."));
  text_after(printf_text(_("layer %d, head %d · query = \"%s\" asks; each key k_j answers with q·k_j; the output mixes "
                           "the values"), ui.layer, ui.head, t.tokens[size_t(q)].c_str()).c_str());

  QueryCache& c = ui.query_cache;
  if (c.version != ui.version || c.layer != ui.layer || c.head != ui.head || c.query != q) {
    c.version = ui.version, c.layer = ui.layer, c.head = ui.head, c.query = q;
    c.q_times_k.resize(n, dk);
    for (int j = 0; j < n; ++j) c.q_times_k.row(j) = h->Q.row(q).cwiseProduct(h->K.row(j));
    c.weighted_v.resize(n + 1, dk);
    for (int j = 0; j < n; ++j) c.weighted_v.row(j) = h->weights(q, j) * h->V.row(j);
    c.weighted_v.row(n) = h->output.row(q);
  }

  // Bars: raw, scaled, softmax.
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float bar_h = std::max(140.0f, avail.y * 0.3f);
  const float w3 = (avail.x - 2 * ImGui::GetStyle().ItemSpacing.x) / 3;
  auto bars = [&](const char* id, const char* title, const Mat& m, ImU32 color) {
    PlotSpec p;
    p.title = title;
    p.x_categories = t.tokens;
    PlotSeries s;
    s.kind = SeriesKind::Bars;
    s.color = color;
    for (int j = 0; j < n; ++j) {
      s.x.push_back(j);
      s.y.push_back(std::isfinite(m(q, j)) && m(q, j) > -1e8f ? double(m(q, j)) : NAN);
    }
    p.series.push_back(std::move(s));
    p.legend = false;
    draw_plot(id, p, ImVec2(w3, bar_h));
  };
  bars("raw", _("1. match scores q·k_j"), h->scores, palette(0));
  explain(ui, _("How well the query matches each key: a dot product, large when the two vectors point the same way."));
  ImGui::SameLine();
  bars("scaled", t.settings.scale ? _("2. scaled ÷ √d_k·τ (blocked keys omitted)") : _("2. ÷ τ (scaling off; blocked omitted)"),
       h->masked, palette(1));
  explain(ui, _("The same scores divided by √d_k (and τ), so their spread does not grow with d_k."));
  ImGui::SameLine();
  bars("soft", t.settings.hard ? _("3. hard attention: one-hot") : _("3. softmax: probabilities (sum 1)"), h->weights, palette(2));
  explain(ui, _("softmax turns scores into a probability distribution over the keys: how much of each value to take."));

  // Element-wise q ⊙ k_j and the weighted sum of the values, as heatmaps (keys down, dimensions across).
  std::vector<std::string> dims;
  for (int d = 0; d < dk; ++d) dims.push_back(std::to_string(d));
  std::vector<std::string> keys_sum = t.tokens;
  keys_sum.push_back(_("= output"));
  const ImVec2 rest = ImGui::GetContentRegionAvail();
  const float w2 = (rest.x - ImGui::GetStyle().ItemSpacing.x) / 2;
  HeatmapSpec a;
  a.m = &c.q_times_k;
  a.row_labels = &t.tokens;
  a.col_labels = &dims;
  a.row_axis = _("key j");
  a.col_axis = _("dimension");
  a.cmap = ui.scores_cmap;
  value_range(c.q_times_k, nullptr, true, &a.lo, &a.hi);
  a.version = ui.version;
  a.detail = q;
  a.title = _("q ⊙ k_j: which dimensions make a score large (each row sums to q·k_j)");
  a.pinned_row = ui.pinned_k;
  a.stretch = true;
  const HeatmapEvent ea = draw_heatmap("qk", a, ImVec2(w2, rest.y), ui.textures, [&](int j, int d) {
    ImGui::Text("q[%d]·k_%d[%d] = %s × %s = %s", d, j, d, fmt_value(h->Q(q, d)).c_str(), fmt_value(h->K(j, d)).c_str(),
                fmt_value(c.q_times_k(j, d)).c_str());
    ImGui::Text(_("row sum = q·k_%d = %s"), j, fmt_value(h->scores(q, j)).c_str());
  });
  if (ea.clicked) ui.pinned_k = ea.hover_row, ui.pinned_q = q;
  ImGui::SameLine();
  HeatmapSpec b = a;
  b.m = &c.weighted_v;
  b.row_labels = &keys_sum;
  b.row_axis = _("key j (last row: Σ)");
  value_range(c.weighted_v, nullptr, true, &b.lo, &b.hi);
  b.title = _("w_j·v_j term by term; last row = Σ_j w_j·v_j (the head's output)");
  draw_heatmap("wv", b, ImVec2(w2, rest.y), ui.textures, [&](int j, int d) {
    if (j < n)
      ImGui::Text("w_%d · v_%d[%d] = %s × %s = %s", j, j, d, fmt_value(h->weights(q, j)).c_str(), fmt_value(h->V(j, d)).c_str(),
                  fmt_value(c.weighted_v(j, d)).c_str());
    else
      ImGui::Text(_("output[%d] = Σ_j w_j·v_j[%d] = %s"), d, d, fmt_value(c.weighted_v(j, d)).c_str());
  });
}

}  // namespace attn
