// masks_view.cpp: none, causal, padding (a batch of two sentences) or a custom mask painted on a grid.
#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>

#include "i18n.h"
#include "explorer.h"
#include "format.h"
#include "heatmap.h"
#include "mask.h"
#include "utf8.h"
#include "text_flow.h"

namespace attn {
namespace {

void weights_heatmap(const char* id, const char* title, const Trace& t, const UiState& ui, ImVec2 size, UiState& uim) {
  const HeadTrace* h = selected_head(t, ui);
  if (!h) return;
  HeatmapSpec spec;
  spec.m = &h->weights;
  spec.blocked = &t.mask;
  spec.row_labels = spec.col_labels = &t.tokens;
  spec.cmap = ui.weights_cmap;
  spec.lo = 0, spec.hi = 1;
  spec.version = ui.version;
  spec.title = title;
  draw_heatmap(id, spec, size, uim.textures, [&](int i, int j) { cell_arithmetic(t, *h, i, j); });
}

}  // namespace

bool draw_masks_view(const Views& v, Document& doc, UiState& ui) {
  bool edited = false;
  Settings& s = doc.settings;
  const Trace& t = *v.trace;
  const char* kinds[] = {_("none"), _("causal"), _("padding (batch of two)"), _("custom (paint)")};
  // What is drawn is the trace's mask, which is what was applied: a trained model fixes it (causal for a
  // decoder-only model, none in a seq2seq encoder), so the buttons are disabled then, with the reason.
  const MaskKind applied = t.settings.mask;
  ImGui::BeginDisabled(v.selected != nullptr);
  const auto radio_w = [](const char* label) { return labelled_width(ImGui::GetFrameHeight(), label); };
  for (int k = 0; k < 4; ++k) {
    if (k) same_line_if_fits(radio_w(kinds[k]));
    if (ImGui::RadioButton(kinds[k], int(applied) == k)) { s.mask = MaskKind(k); edited = true; }
  }
  ImGui::EndDisabled();
  if (v.selected && ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ui.explain = printf_text(_("The trained model \"%s\" fixes its mask (%s): it was trained with it. Choose random weights in "
                               "the left panel to try other masks."), v.selected->name.c_str(), _(to_string(applied)));
  {  // "mask value: (•) -1e9 ( ) -inf" stays together
    const float sp = ImGui::GetStyle().ItemSpacing.x;
    const float need = ImGui::GetFontSize() * 2 + ImGui::CalcTextSize(_("mask value:")).x + 2 * sp + radio_w("-1e9") + radio_w("-inf");
    same_line_if_fits(need, ImGui::GetFontSize() * 2);
  }
  ImGui::TextUnformatted(_("mask value:"));
  ImGui::SameLine();
  if (ImGui::RadioButton("-1e9", s.mask_value == MaskValue::NegBillion)) { s.mask_value = MaskValue::NegBillion; edited = true; }
  ImGui::SameLine();
  if (ImGui::RadioButton("-inf", s.mask_value == MaskValue::NegInf)) { s.mask_value = MaskValue::NegInf; edited = true; }
  explain(ui, _("The value written into blocked cells before softmax. exp of either is exactly 0 in float."));

  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float w2 = (avail.x - ImGui::GetStyle().ItemSpacing.x) / 2;
  const float fh = ImGui::GetFontSize();
  switch (applied) {
    case MaskKind::None:
      text_wrapped("%s", _("No mask: every query may look at every key, including later ones. Fine in the encoder, which "
                                 "sees the whole sentence at once; wrong in the decoder, which must not peek at the words it is "
                                 "about to produce."));
      weights_heatmap("m_none", _("softmax weights (no mask)"), t, ui, ImVec2(avail.x, avail.y - fh * 3), ui);
      break;
    case MaskKind::Causal:
      text_wrapped("%s", _("Causal mask: query i may only look at keys j ≤ i. Every cell above the diagonal is blocked before "
                                 "softmax and its weight is exactly 0, so the model learns to predict each token from the ones before it."));
      weights_heatmap("m_causal", _("softmax weights (causal)"), t, ui, ImVec2(avail.x, avail.y - fh * 3), ui);
      break;
    case MaskKind::Padding: {
      text_wrapped("%s", _("A batch must hold sequences of one length, so the shorter sentence is filled with <pad> tokens. The "
                                 "padding mask blocks those keys, so real tokens never attend to padding."));
      ImGui::SetNextItemWidth(fh * 24);
      if (ImGui::InputText(stable_label(_("second sentence of the batch"), "batch_text").c_str(), &doc.batch_text))
        doc.batch_text = valid_utf8(doc.batch_text), edited = true;
      explain(ui, _("Both sentences are padded to the longer one's length."));
      const float hh = ImGui::GetContentRegionAvail().y;
      weights_heatmap("m_pad_a", _("sentence 1"), t, ui, ImVec2(w2, hh), ui);
      ImGui::SameLine();
      if (v.batch) weights_heatmap("m_pad_b", _("sentence 2 (padded)"), *v.batch, ui, ImVec2(w2, hh), ui);
      else ImGui::TextDisabled("%s", _("(the second sentence has no tokens)"));
      break;
    }
    case MaskKind::Custom: {
      text_wrapped("%s", _("Click or drag on the left grid to block (grey) or unblock cells: row = query, column = key. Block a "
                                 "whole row to see what a fully masked query does: its weights and output are defined as 0 (no NaN)."));
      const int n = t.n();
      if (s.custom_mask.rows != n || s.custom_mask.cols != n) {
        s.custom_mask = fit_custom_mask(s.custom_mask, n);
        edited = true;
      }
      if (ImGui::Button(_("clear"))) { std::fill(s.custom_mask.cells.begin(), s.custom_mask.cells.end(), 0); edited = true; }
      ImGui::SameLine();
      if (ImGui::Button(_("causal"))) {
        for (int i = 0; i < n; ++i)
          for (int j = 0; j < n; ++j) s.custom_mask(i, j) = j > i;
        edited = true;
      }
      ImGui::SameLine();
      if (ImGui::Button(_("block the pinned row")) && ui.pinned_q >= 0 && ui.pinned_q < n) {
        for (int j = 0; j < n; ++j) s.custom_mask(ui.pinned_q, j) = 1;
        edited = true;
      }
      explain(ui, _("Pin a row by clicking a cell in any heatmap, then block it entirely."));
      int full = 0;
      if (const HeadTrace* h = selected_head(t, ui))
        for (uint8_t f : h->row_fully_masked) full += f;
      if (full) {
        ImGui::SameLine();
        ImGui::TextColored(ImVec4(0.8f, 0.35f, 0, 1), _("%d fully masked row(s): weights and output defined as 0, never NaN"), full);
      }
      // The grid shows the mask itself (1 = blocked).
      const uint64_t hsh = hash_mask(&s.custom_mask);
      if (ui.mask_view.rows() != n || ui.mask_view_hash != hsh) {
        ui.mask_view.resize(n, n);
        for (int i = 0; i < n; ++i)
          for (int j = 0; j < n; ++j) ui.mask_view(i, j) = s.custom_mask(i, j) ? 1.0f : 0.0f;
        ui.mask_view_hash = hsh;
      }
      HeatmapSpec g;
      g.m = &ui.mask_view;
      g.blocked = &s.custom_mask;
      g.row_labels = g.col_labels = &t.tokens;
      g.cmap = Colormap::Cividis;
      g.lo = 0, g.hi = 1;
      g.version = hsh;
      g.title = _("custom mask: click/drag to paint");
      g.colorbar = false;
      const float hh = ImGui::GetContentRegionAvail().y;
      const HeatmapEvent ev = draw_heatmap("m_grid", g, ImVec2(w2, hh), ui.textures,
                                           [&](int i, int j) {
        ImGui::Text(s.custom_mask(i, j) ? _("query %d → key %d: blocked") : _("query %d → key %d: open"), i, j);
      });
      if (ev.clicked) ui.paint = s.custom_mask(ev.hover_row, ev.hover_col) ? 0 : 1;
      if (!ImGui::IsMouseDown(ImGuiMouseButton_Left)) ui.paint = -1;
      if (ev.held && ui.paint >= 0 && s.custom_mask(ev.hover_row, ev.hover_col) != ui.paint) {
        s.custom_mask(ev.hover_row, ev.hover_col) = uint8_t(ui.paint);
        edited = true;
      }
      ImGui::SameLine();
      weights_heatmap("m_custom", _("resulting softmax weights"),
 t, ui, ImVec2(w2, hh), ui);
      break;
    }
  }
  return edited;
}

}  // namespace attn
