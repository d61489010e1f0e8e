// heads_view.cpp: every head of a layer at once (small multiples), their average, click to enlarge,
// and a token-to-token line view (thickness and opacity by weight) as an alternative to the matrices.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "explorer.h"
#include "heatmap.h"
#include "i18n.h"
#include "plot.h"
#include "view_settings.h"
#include "text_flow.h"

namespace attn {
namespace {

// Queries on the left, keys on the right; a line i → j for each weight, by head colour.
void draw_lines(const Trace& t, const MultiHeadTrace& a, int only_head, UiState& ui, ImVec2 size) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 o = ImGui::GetCursorScreenPos();
  const int n = t.n();
  const float fh = ImGui::GetFontSize();
  const float row = std::max(2.0f, std::min(fh * 1.4f, (size.y - fh * 2) / std::max(1, n)));
  float lw = 0;
  for (const auto& s : t.tokens) lw = std::max(lw, ImGui::CalcTextSize(s.c_str()).x);
  lw = std::min(lw, fh * 10);
  const float xl = o.x + lw + 8, xr = o.x + std::min(size.x, lw * 2 + fh * 24) - lw - 8;
  dl->AddText(ImVec2(o.x, o.y), ImGui::GetColorU32(ImGuiCol_TextDisabled), _("query"));
  dl->AddText(ImVec2(xr + 8, o.y), ImGui::GetColorU32(ImGuiCol_TextDisabled), _("key"));
  const float y0 = o.y + fh * 1.5f;
  // Hovered query token (left column) focuses its lines.
  int focus = ui.pinned_q;
  const ImVec2 mp = ImGui::GetIO().MousePos;
  if (mp.x >= o.x && mp.x <= xl && mp.y >= y0 && mp.y < y0 + row * n) focus = int((mp.y - y0) / row);
  const bool labels = row >= fh * 0.8f;
  for (int i = 0; i < n; ++i) {
    const float y = y0 + row * i + row * 0.5f;
    if (labels) {
      const char* s = t.tokens[size_t(i)].c_str();
      const ImU32 c = i == focus ? IM_COL32(230, 100, 0, 255) : ImGui::GetColorU32(ImGuiCol_Text);
      dl->AddText(ImVec2(xl - 6 - ImGui::CalcTextSize(s).x, y - fh * 0.5f), c, s);
      dl->AddText(ImVec2(xr + 8, y - fh * 0.5f), ImGui::GetColorU32(ImGuiCol_Text), s);
    }
  }
  const int heads = int(a.heads.size());
  for (int h = 0; h < heads; ++h) {
    if (only_head >= 0 && h != only_head) continue;
    const ImU32 base = palette(h) & 0x00FFFFFF;
    const Mat& w = a.heads[size_t(h)].weights;
    for (int i = 0; i < n; ++i) {
      if (focus >= 0 && i != focus) continue;
      for (int j = 0; j < n; ++j) {
        const float x = w(i, j);
        if (!(x > 0.02f)) continue;
        const ImU32 c = base | (ImU32(std::clamp(x, 0.0f, 1.0f) * 230 + 25) << 24);
        dl->AddLine(ImVec2(xl, y0 + row * (i + 0.5f)), ImVec2(xr, y0 + row * (j + 0.5f)), c, 0.5f + 5.0f * x);
      }
    }
  }
  if (focus >= 0 && focus < n) ui.explain = _("Lines from the hovered query token to every key; thicker and darker = more weight.");
  ImGui::Dummy(ImVec2(size.x, std::max(size.y, y0 - o.y + row * n)));
}

}  // namespace

void draw_heads_view(const Views& v, UiState& ui) {
  const Trace& t = *v.trace;
  if (t.layers.empty()) {
    text_wrapped("%s", _("The model has 0 layers: set layers N ≥ 1 to see attention."));
    return;
  }
  const MultiHeadTrace& a = t.layers[size_t(ui.layer)].attn;
  const int heads = int(a.heads.size());
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 10);
  setting_slider(view_setting("layer"), ui, stable_label(_("layer"), "layer_heads").c_str(), 0, double(t.layers.size()) - 1);
  ImGui::SameLine();
  ImGui::Checkbox(_("line view"), &ui.heads_lines);
  explain(ui, _("Show attention as lines between tokens (like BertViz) instead of matrices."));
  text_afterf(true, _("Each head attends in its own d_k = %d-dimensional subspace: MultiHead = Concat(head_1…head_%d)·W_O"),
              t.d_k(), heads);
  if (ui.enlarged_head > heads) ui.enlarged_head = -1;

  const ImVec2 avail = ImGui::GetContentRegionAvail();
  if (ui.heads_lines) {
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 10);
    int shown = ui.enlarged_head >= 0 && ui.enlarged_head < heads ? ui.enlarged_head : -1;
    if (ImGui::SliderInt(_("head (-1 = all)"), &shown, -1, heads - 1)) ui.enlarged_head = shown;
    draw_lines(t, a, shown, ui, ImGui::GetContentRegionAvail());
    return;
  }
  if (ui.enlarged_head >= 0) {
    if (ImGui::Button(_("← back to all heads"))) ui.enlarged_head = -1;
    const bool avg = ui.enlarged_head == heads;
    const Mat& m = avg ? a.mean_weights : a.heads[size_t(std::min(ui.enlarged_head, heads - 1))].weights;
    HeatmapSpec spec;
    spec.m = &m;
    spec.blocked = &t.mask;
    spec.row_labels = spec.col_labels = &t.tokens;
    spec.cmap = ui.weights_cmap;
    value_range(m, &t.mask, false, &spec.lo, &spec.hi);
    spec.lo = 0;
    spec.version = ui.version;
    const std::string title = avg ? _("average of all heads") : printf_text(_("head %d"), ui.enlarged_head);
    spec.title = title.c_str();
    spec.pinned_row = ui.pinned_q, spec.pinned_col = ui.pinned_k;
    const HeadTrace* h = avg ? nullptr : &a.heads[size_t(ui.enlarged_head)];
    const HeatmapEvent ev = draw_heatmap("big", spec, ImGui::GetContentRegionAvail(), ui.textures, [&](int i, int j) {
      if (h) cell_arithmetic(t, *h, i, j);
      else ImGui::Text(_("mean weight over %d heads: %.4f"), heads, double(a.mean_weights(i, j)));
    });
    if (ev.clicked) ui.pinned_q = ev.hover_row, ui.pinned_k = ev.hover_col;
    return;
  }
  // Small multiples: heads + the average, in a grid that fits the panel, all on one colour scale (a weight reads
  // the same in every tile), drawn once beside them.
  const float fh = ImGui::GetFontSize(), bar_w = fh * 5.5f;
  const int tiles = heads + 1;
  int cols = 1;
  float best = 0;
  for (int c = 1; c <= tiles; ++c) {
    const int r = (tiles + c - 1) / c;
    const float s = std::min((avail.x - bar_w) / c, (avail.y - fh) / r);
    if (s > best) best = s, cols = c;
  }
  float shared_hi = 0;
  for (int k = 0; k < tiles; ++k) {
    float lo = 0, hi = 0;
    value_range(k == heads ? a.mean_weights : a.heads[size_t(k)].weights, &t.mask, false, &lo, &hi);
    shared_hi = std::max(shared_hi, hi);
  }
  const ImVec2 tiles0 = ImGui::GetCursorScreenPos();
  const float side = best - ImGui::GetStyle().ItemSpacing.x;
  for (int k = 0; k < tiles; ++k) {
    if (k % cols != 0) ImGui::SameLine();
    const bool avg = k == heads;
    const Mat& m = avg ? a.mean_weights : a.heads[size_t(k)].weights;
    HeatmapSpec spec;
    spec.m = &m;
    spec.blocked = &t.mask;
    spec.cmap = ui.weights_cmap;
    spec.lo = 0, spec.hi = shared_hi;
    spec.row_labels = spec.col_labels = &t.tokens;  // shown on hover
    spec.version = ui.version;
    const std::string id = avg ? "average" : "head " + std::to_string(k);  // the tile's ImGui ID, in every language
    const std::string title = avg ? _("average") : printf_text(_("head %d"), k);
    spec.title = title.c_str();
    spec.compact = true;
    spec.pinned_row = ui.pinned_q, spec.pinned_col = ui.pinned_k;
    ImGui::BeginGroup();
    const HeatmapEvent ev = draw_heatmap(id.c_str(), spec, ImVec2(side, side), ui.textures);
    ImGui::EndGroup();
    if (ev.hover_row >= 0) {
      ImGui::BeginTooltip();
      ImGui::Text(_("%s: query \"%s\" → key \"%s\" = %.4f\nclick to enlarge"), title.c_str(), t.tokens[size_t(ev.hover_row)].c_str(),
                  t.tokens[size_t(ev.hover_col)].c_str(), double(m(ev.hover_row, ev.hover_col)));
      ImGui::EndTooltip();
      ui.explain = _("Small multiples: every head of this layer at once. Heads specialise: some look at the previous token, some at one key word.");
    }
    if (ev.clicked_anywhere) {
      ui.enlarged_head = k;
      if (!avg) ui.head = k;
    }
  }
  // The shared colour bar, right of the first row of tiles.
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float bx = tiles0.x + float(cols) * best + fh * 0.5f, by = tiles0.y + fh * 2;
  dl->AddText(ImVec2(bx, tiles0.y), ImGui::GetColorU32(ImGuiCol_TextDisabled), _("all tiles"));  // one scale: fits the bar's column
  draw_colorbar(dl, ImVec2(bx, by), ImVec2(bx + fh * 0.9f, by + std::max(fh * 6, side - fh * 4)), ui.weights_cmap, 0, shared_hi,
                std::any_of(t.mask.cells.begin(), t.mask.cells.end(), [](uint8_t b) { return b != 0; }));
}

}  // namespace attn
