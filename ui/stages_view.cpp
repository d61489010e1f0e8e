// stages_view.cpp: the four stages of one head side by side: raw Q·Kᵀ, scaled, masked, softmax weights.
#include <imgui.h>

#include <algorithm>
#include <cmath>

#include "i18n.h"
#include "explorer.h"
#include "format.h"
#include "heatmap.h"
#include "text_flow.h"

namespace attn {

void cell_arithmetic(const Trace& t, const HeadTrace& h, int i, int j) {
  const std::string& q = t.tokens[size_t(std::min(i, t.n() - 1))];
  const std::string& k = (h.K.rows() == t.n()) ? t.tokens[size_t(j)] : printf_text(_("key %d"), j);
  ImGui::Text(_("query %d \"%s\"  →  key %d \"%s\""), i, q.c_str(), j, k.c_str());
  ImGui::Separator();
  ImGui::Text(_("q_i·k_j  = %s   (sum of %d products)"), fmt_value(h.scores(i, j)).c_str(), int(h.Q.cols()));
  if (t.settings.scale)
    ImGui::Text("÷ √d_k·τ = ÷ (√%d · %s) = ÷ %s  →  %s", int(h.Q.cols()), fmt_value(t.settings.temperature).c_str(),
                fmt_value(h.divisor).c_str(), fmt_value(h.scaled(i, j)).c_str());
  else
    ImGui::Text(_("÷ τ = ÷ %s (scaling off)  →  %s"), fmt_value(h.divisor).c_str(), fmt_value(h.scaled(i, j)).c_str());
  const BoolMat* mask = (h.K.rows() == t.n() && t.mask.rows == t.n()) ? &t.mask : nullptr;
  const bool blocked = mask && (*mask)(i, j);
  if (blocked) ImGui::Text(_("mask: BLOCKED → %s"), fmt_value(h.masked(i, j)).c_str());
  else ImGui::Text(_("mask: open → %s"), fmt_value(h.masked(i, j)).c_str());
  if (h.row_fully_masked[size_t(i)]) {
    ImGui::TextColored(ImVec4(0.8f, 0.3f, 0, 1), "%s", _("every key of this row is blocked: weights and output are defined as 0"));
    return;
  }
  // softmax = exp(x_j − max) / Σ exp(x − max), shown with the row's numbers.
  float mx = -INFINITY;
  for (int c = 0; c < h.masked.cols(); ++c)
    if (!(mask && (*mask)(i, c))) mx = std::max(mx, h.masked(i, c));
  double sum = 0;
  for (int c = 0; c < h.masked.cols(); ++c)
    if (!(mask && (*mask)(i, c))) sum += std::exp(double(h.masked(i, c)) - mx);
  if (!blocked)
    ImGui::Text("softmax = exp(%s − %s) / %s = %s", fmt_value(h.masked(i, j)).c_str(), fmt_value(mx).c_str(),
                fmt_fixed(sum, 4).c_str(), fmt_value(float(std::exp(double(h.masked(i, j)) - mx) / sum)).c_str());
  else
    ImGui::TextUnformatted(_("softmax = 0 (blocked)"));
  if (t.settings.hard) ImGui::Text(_("hard attention → weight %s (1 only at the row's argmax)"), fmt_value(h.weights(i, j)).c_str());
  else ImGui::Text(_("weight = %s"), fmt_value(h.weights(i, j)).c_str());
}

void draw_stages_view(const Views& v, Document& doc, UiState& ui) {
  (void)doc;
  const Trace& t = *v.trace;
  const HeadTrace* h = selected_head(t, ui);
  if (!h) {
    text_wrapped("%s", _("The model has 0 layers: set layers N ≥ 1 to see attention."));
    return;
  }
  text_wrapped(_("Layer %d, head %d:  Attention(Q, K, V) = softmax(Q·Kᵀ / √d_k)·V   with d_k = %d%s"), ui.layer, ui.head,
                     t.d_k(), t.settings.scale ? "" : _("   (scaling OFF)"));
  // A 2 × 2 grid when each heatmap gets room for its labels and colour bar; otherwise (a projector's scale on a small
  // screen) one column of full-width heatmaps that scrolls.
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float gap = ImGui::GetStyle().ItemSpacing.x, fh = ImGui::GetFontSize();
  const bool grid = (avail.x - gap) * 0.5f >= 16 * fh && (avail.y - ImGui::GetStyle().ItemSpacing.y) * 0.5f >= 11 * fh;
  const ImVec2 cell = grid ? ImVec2((avail.x - gap) * 0.5f, (avail.y - ImGui::GetStyle().ItemSpacing.y) * 0.5f)
                           : ImVec2(avail.x, std::max(avail.y * 0.5f, std::min(avail.x * 0.75f, 16 * fh)));
  struct Panel {
    const char* id;
    const Mat* m;
    const char* title;
    bool signed_map;
    bool show_mask;
  };
  const Panel panels[4] = {
      {"raw", &h->scores, _("1. raw scores  q_i·k_j"), true, false},
      {"scaled", &h->scaled, t.settings.scale ? _("2. scaled  ÷ √d_k·τ") : _("2. scaled  ÷ τ (√d_k off)"), true, false},
      {"masked", &h->masked, _("3. masked (blocked = mask value)"), true, true},
      {"weights", &h->weights, t.settings.hard ? _("4. hard attention (one-hot argmax)") : _("4. softmax weights (rows sum to 1)"), false, true},
  };
  for (int p = 0; p < 4; ++p) {
    if (grid && p % 2 == 1) ImGui::SameLine();
    const Panel& P = panels[p];
    HeatmapSpec spec;
    spec.m = P.m;
    spec.blocked = P.show_mask ? &t.mask : nullptr;
    spec.row_labels = spec.col_labels = &t.tokens;
    spec.cmap = P.signed_map ? ui.scores_cmap : ui.weights_cmap;
    value_range(*P.m, spec.blocked, P.signed_map, &spec.lo, &spec.hi);
    if (!P.signed_map) spec.lo = 0;  // weights: honest zero at the bottom of the bar
    spec.version = ui.version;
    spec.title = P.title;
    spec.pinned_row = ui.pinned_q;
    spec.pinned_col = ui.pinned_k;
    const HeatmapEvent ev = draw_heatmap(P.id, spec, cell, ui.textures, [&](int i, int j) { cell_arithmetic(t, *h, i, j); });
    if (ev.clicked) {
      const bool same = ui.pinned_q == ev.hover_row && ui.pinned_k == ev.hover_col;
      ui.pinned_q = same ? -1 : ev.hover_row;
      ui.pinned_k = same ? -1 : ev.hover_col;
    }
    if (ev.hover_row >= 0) {
      ui.hover_q = ev.hover_row, ui.hover_k = ev.hover_col;
      ui.explain = p == 3 ? _("Row i is query token i's distribution over the keys: how much of each value vector it mixes in.")
                          : _("Each cell is how well query i matches key j: the dot product q_i·k_j of two d_k-dimensional vectors.");

    }
  }
}

}  // namespace attn
