#include "heatmap.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "axis_labels.h"
#include "format.h"
#include "i18n.h"
#include "tokenizer.h"

namespace attn {

namespace {

// Says what Dear ImGui 1.86 draws wrongly in a token (no shaper, no bidi, 16-bit characters) rather than let
// garbage pass for the text.
void token_render_note(const std::vector<std::string>* labels, int k) {
  if (!labels || k < 0 || k >= int(labels->size())) return;
  const std::string& tok = (*labels)[size_t(k)];
  const ScriptNeeds n = script_needs(tok);
  if (n.rtl || n.shaping)
    ImGui::TextDisabled(n.shaping ? _("\"%s\": letters that join or combine are drawn unshaped%s (Dear ImGui does no text shaping)")
                                  : _("\"%s\": right-to-left text is drawn unshaped%s (Dear ImGui does no text shaping)"),
                        tok.c_str(), n.rtl ? _(", left to right") : "");
  if (n.astral) {
    std::string cps;
    char buf[16];
    for (char32_t cp : decode_utf8(tok)) {
      if (cps.size() > 64) { cps += " \xE2\x80\xA6"; break; }
      std::snprintf(buf, sizeof buf, cps.empty() ? "U+%04X" : " U+%04X", unsigned(cp));
      cps += buf;
    }
    ImGui::TextDisabled(_("%s: characters beyond U+FFFF are drawn as \xEF\xBF\xBD (Dear ImGui 1.86 has 16-bit characters)"),
                        cps.c_str());
  }
}

}  // namespace

void value_range(const Mat& m, const BoolMat* blocked, bool diverging, float* lo, float* hi) {
  bool first = true;
  float a = 0, b = 0;
  for (int i = 0; i < m.rows(); ++i)
    for (int j = 0; j < m.cols(); ++j) {
      if (blocked && i < blocked->rows && j < blocked->cols && (*blocked)(i, j)) continue;
      const float v = m(i, j);
      if (!std::isfinite(v)) continue;
      a = first ? v : std::min(a, v);
      b = first ? v : std::max(b, v);
      first = false;
    }
  if (diverging) {
    b = std::max(std::fabs(a), std::fabs(b));
    a = -b;
  }
  if (!(b > a)) b = a + 1e-6f;
  *lo = a;
  *hi = b;
}

void add_text_vertical(ImDrawList* dl, ImVec2 pos, ImU32 col, const char* text) {
  // Draw horizontally, then rotate the new vertices by −90° around `pos` (x' = x0 + (y − y0), y' = y0 − (x − x0)).
  // RenderText with an unbounded clip rectangle: AddText would cull glyphs against the *unrotated* position.
  const int start = dl->VtxBuffer.Size;
  const float h = ImGui::GetFontSize();
  ImGui::GetFont()->RenderText(dl, h, pos, col, ImVec4(-1e9f, -1e9f, 1e9f, 1e9f), text, nullptr);
  for (int k = start; k < dl->VtxBuffer.Size; ++k) {
    ImVec2& p = dl->VtxBuffer[k].pos;
    const float dx = p.x - pos.x, dy = p.y - pos.y;
    p = ImVec2(pos.x + dy - h, pos.y - dx);
  }
}

void draw_colorbar(ImDrawList* dl, ImVec2 p0, ImVec2 p1, Colormap cmap, float lo, float hi, bool show_masked) {
  const int steps = 48;
  const float hgt = p1.y - p0.y;
  for (int s = 0; s < steps; ++s) {
    const float t0 = 1.0f - float(s) / steps, t1 = 1.0f - float(s + 1) / steps;
    const Rgb a = colormap_rgb(cmap, t0), b = colormap_rgb(cmap, t1);
    dl->AddRectFilledMultiColor(ImVec2(p0.x, p0.y + hgt * s / steps), ImVec2(p1.x, p0.y + hgt * (s + 1) / steps),
                                IM_COL32(a.r, a.g, a.b, 255), IM_COL32(a.r, a.g, a.b, 255),
                                IM_COL32(b.r, b.g, b.b, 255), IM_COL32(b.r, b.g, b.b, 255));
  }
  dl->AddRect(p0, p1, ImGui::GetColorU32(ImGuiCol_Border));
  const ImU32 ink = ImGui::GetColorU32(ImGuiCol_Text);
  const float fh = ImGui::GetFontSize();
  dl->AddText(ImVec2(p1.x + 4, p0.y - fh * 0.5f), ink, fmt_value(hi).c_str());
  dl->AddText(ImVec2(p1.x + 4, p0.y + hgt * 0.5f - fh * 0.5f), ink, fmt_value(0.5f * (lo + hi)).c_str());
  dl->AddText(ImVec2(p1.x + 4, p1.y - fh * 0.5f), ink, fmt_value(lo).c_str());
  if (show_masked) {
    const ImVec2 q0(p0.x, p1.y + fh * 0.8f), q1(p1.x, p1.y + fh * 1.8f);
    dl->AddRectFilled(q0, q1, IM_COL32(150, 150, 150, 255));
    dl->AddLine(ImVec2(q0.x, q1.y), ImVec2(q1.x, q0.y), IM_COL32(70, 70, 70, 255));
    dl->AddText(ImVec2(p1.x + 4, q0.y), ink, _("masked"));
  }
}

namespace {

bool g_spotlight = false;  // a display mode like the style, not model state: set by the explorer each frame

// Dims the grid outside row band [cell.y, cell.y + ch) and column band [cell.x, cell.x + cw), and outlines both bands.
void draw_spotlight(ImDrawList* dl, ImVec2 grid0, ImVec2 grid1, ImVec2 cell, float cw, float ch) {
  const float x0 = std::clamp(cell.x, grid0.x, grid1.x), x1 = std::clamp(cell.x + cw, grid0.x, grid1.x);
  const float y0 = std::clamp(cell.y, grid0.y, grid1.y), y1 = std::clamp(cell.y + ch, grid0.y, grid1.y);
  const ImU32 dim = IM_COL32(0, 0, 0, 150), edge = IM_COL32(255, 200, 50, 255);
  dl->AddRectFilled(grid0, ImVec2(x0, y0), dim);
  dl->AddRectFilled(ImVec2(x1, grid0.y), ImVec2(grid1.x, y0), dim);
  dl->AddRectFilled(ImVec2(grid0.x, y1), ImVec2(x0, grid1.y), dim);
  dl->AddRectFilled(ImVec2(x1, y1), grid1, dim);
  dl->AddRect(ImVec2(grid0.x, y0), ImVec2(grid1.x, y1), edge, 0, 0, 2.0f);
  dl->AddRect(ImVec2(x0, grid0.y), ImVec2(x1, grid1.y), edge, 0, 0, 2.0f);
}

}  // namespace

void set_heatmap_spotlight(bool on) { g_spotlight = on; }

static const std::vector<HeatmapRegion>* g_highlights = nullptr;  // like the spotlight: set by the explorer each frame
void set_heatmap_highlights(const std::vector<HeatmapRegion>* regions) { g_highlights = regions; }

HeatmapEvent draw_heatmap(const char* id, const HeatmapSpec& spec, ImVec2 size, TextureCache& cache,
                          const std::function<void(int, int)>& tooltip) {
  HeatmapEvent ev;
  ImGui::PushID(id);
  const ImGuiID gid = ImGui::GetID("heatmap");
  const Mat& m = *spec.m;
  const int rows = int(m.rows()), cols = int(m.cols());
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const float fh = ImGui::GetFontSize();
  const ImU32 ink = ImGui::GetColorU32(ImGuiCol_Text), faint = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  // Room for the title, labels, axis titles and colour bar whatever the caller had left: below that the grid would
  // shrink to a few pixels (a projector's scale on a small screen); the window scrolls instead.
  if (!spec.compact) size.y = std::max(size.y, fh * 13);

  // Zoom and pan are view state of this widget: ImGui's per-window storage, as its own widgets do.
  ImGuiStorage* st = ImGui::GetStateStorage();
  // Copied out and written back at the end: a pointer from GetFloatRef dies when the storage grows.
  float zoom_v = st->GetFloat(gid + 1, 1.0f), pan_x_v = st->GetFloat(gid + 2, 0.0f), pan_y_v = st->GetFloat(gid + 3, 0.0f);
  float* zoom = &zoom_v;
  float* pan_x = &pan_x_v;
  float* pan_y = &pan_y_v;

  // Margins: labels, axis titles, colour bar. Labels are thinned to every k-th, rotated and abbreviated
  // (axis_labels.h) so that some always show; the margin is what the labels of an estimated cell size take.
  const bool compact = spec.compact;
  const float title_h = (spec.title && *spec.title) ? fh + 4 : 0;
  const float max_len = fh * 6;  // longer tokens end in "…"; the tooltip has them whole
  const TextWidth text_w = [](const std::string& s) { return ImGui::CalcTextSize(s.c_str()).x; };
  const bool show_labels = spec.labels && !compact;
  const bool has_rows = show_labels && spec.row_labels && !spec.row_labels->empty();
  const bool has_cols = show_labels && spec.col_labels && !spec.col_labels->empty();
  float lab_w = 0, lab_h = 0;
  if (has_rows || has_cols) {
    const float est_w = std::max(0.5f, (size.x - fh * 9) / std::max(1, cols)) * *zoom;
    const float est_h = std::max(0.5f, (size.y - fh * 9) / std::max(1, rows)) * *zoom;
    const float est = spec.stretch ? est_w : std::min(est_w, est_h);
    if (has_rows) lab_w = layout_axis_labels(*spec.row_labels, false, 0, 1, 0, rows, fh, max_len, text_w).depth + 6;
    if (has_cols) lab_h = layout_axis_labels(*spec.col_labels, true, 0, est, 0, cols, fh, max_len, text_w).depth + 6;
  }
  const float axis = compact ? 0 : fh + 4;  // axis titles
  const float bar = (spec.colorbar && !compact) ? fh * 5.5f : 0;
  const ImVec2 grid0(origin.x + axis + lab_w, origin.y + title_h + axis + lab_h);
  const float avail_w = std::max(10.0f, size.x - (grid0.x - origin.x) - bar);
  const float avail_h = std::max(10.0f, size.y - (grid0.y - origin.y) - (compact ? 0 : fh * 0.5f));
  float fit_w = std::max(0.5f, avail_w / std::max(1, cols)), fit_h = std::max(0.5f, avail_h / std::max(1, rows));
  if (!spec.stretch) fit_w = fit_h = std::min(fit_w, fit_h);
  else fit_h = std::min(fit_h, fh * 2.0f), fit_w = std::min(fit_w, fh * 3.0f);  // readable, not absurdly large
  const float cw = fit_w * *zoom, ch = fit_h * *zoom;
  const float cell = std::min(cw, ch);  // for size thresholds
  const ImVec2 grid_size(std::min(avail_w, cw * cols), std::min(avail_h, ch * rows));
  const ImVec2 grid1(grid0.x + grid_size.x, grid0.y + grid_size.y);
  // Clamp the pan so the grid never leaves its box.
  *pan_x = std::clamp(*pan_x, 0.0f, std::max(0.0f, cw * cols - grid_size.x));
  *pan_y = std::clamp(*pan_y, 0.0f, std::max(0.0f, ch * rows - grid_size.y));
  const ImVec2 img0(grid0.x - *pan_x, grid0.y - *pan_y);

  if (title_h > 0) {  // cut to the widget's width (neighbouring heatmaps' titles never overprint), whole on hover
    const std::string t = abbreviate(spec.title, size.x - 4, text_w);
    dl->AddText(ImVec2(origin.x, origin.y), ink, t.c_str());
    if (t != spec.title && ImGui::IsMouseHoveringRect(origin, ImVec2(origin.x + size.x, origin.y + fh)) && ImGui::IsWindowHovered())
      ImGui::SetTooltip("%s", spec.title);
  }
  TextureKey key{m.data(), spec.version, rows, cols, spec.cmap, spec.lo, spec.hi, hash_mask(spec.blocked), spec.detail};
  const unsigned tex = cache.get(gid, key, m, spec.blocked);

  dl->PushClipRect(grid0, grid1, true);
  dl->AddImage((ImTextureID)(intptr_t)tex, img0, ImVec2(img0.x + cw * cols, img0.y + ch * rows));
  // Visible cell range, for overlays.
  const int i0 = std::max(0, int(*pan_y / ch)), i1 = std::min(rows, int((*pan_y + grid_size.y) / ch) + 1);
  const int j0 = std::max(0, int(*pan_x / cw)), j1 = std::min(cols, int((*pan_x + grid_size.x) / cw) + 1);
  if (spec.blocked && cell >= 6 && (i1 - i0) * (j1 - j0) <= 20000) {
    for (int i = i0; i < i1; ++i)
      for (int j = j0; j < j1; ++j)
        if ((*spec.blocked)(i, j)) {
          const ImVec2 a(img0.x + j * cw, img0.y + (i + 1) * ch), b(img0.x + (j + 1) * cw, img0.y + i * ch);
          dl->AddLine(a, b, IM_COL32(80, 80, 80, 200));
        }
  }
  if (cell >= 14 && (i1 - i0) * (j1 - j0) <= 4000) {  // thin grid lines between cells
    for (int i = i0; i <= i1; ++i)
      dl->AddLine(ImVec2(grid0.x, img0.y + i * ch), ImVec2(grid1.x, img0.y + i * ch), IM_COL32(255, 255, 255, 40));
    for (int j = j0; j <= j1; ++j)
      dl->AddLine(ImVec2(img0.x + j * cw, grid0.y), ImVec2(img0.x + j * cw, grid1.y), IM_COL32(255, 255, 255, 40));
  }
  if (spec.pinned_row >= 0 && spec.pinned_row < rows && spec.pinned_col < 0)  // a row alone (the FFN tab's token)
    dl->AddRect(ImVec2(grid0.x, img0.y + spec.pinned_row * ch), ImVec2(grid1.x, img0.y + (spec.pinned_row + 1) * ch),
                IM_COL32(255, 140, 0, 255), 0, 0, 2.0f);
  if (spec.pinned_row >= 0 && spec.pinned_row < rows && spec.pinned_col >= 0 && spec.pinned_col < cols) {
    const ImVec2 a(img0.x + spec.pinned_col * cw, img0.y + spec.pinned_row * ch);
    dl->AddRect(ImVec2(grid0.x, a.y), ImVec2(grid1.x, a.y + ch), IM_COL32(255, 140, 0, 120), 0, 0, 1.5f);
    dl->AddRect(ImVec2(a.x, grid0.y), ImVec2(a.x + cw, grid1.y), IM_COL32(255, 140, 0, 120), 0, 0, 1.5f);
    dl->AddRect(a, ImVec2(a.x + cw, a.y + ch), IM_COL32(255, 100, 0, 255), 0, 0, 2.5f);
  }
  // A lesson's regions, on maps of tokens against tokens: a bright outline with a dark edge, visible on any colour.
  if (g_highlights && spec.row_labels && spec.col_labels)
    for (const HeatmapRegion& r : *g_highlights) {
      const int r0 = r.r0 < 0 ? 0 : r.r0, r1 = r.r1 < 0 ? rows - 1 : std::min(r.r1, rows - 1);
      const int c0 = r.c0 < 0 ? 0 : r.c0, c1 = r.c1 < 0 ? cols - 1 : std::min(r.c1, cols - 1);
      if (r0 > r1 || c0 > c1) continue;  // outside this matrix
      const ImVec2 a(img0.x + c0 * cw, img0.y + r0 * ch), b(img0.x + (c1 + 1) * cw, img0.y + (r1 + 1) * ch);
      dl->AddRect(a, b, IM_COL32(20, 20, 20, 255), 0, 0, 5.0f);
      dl->AddRect(a, b, IM_COL32(255, 230, 0, 255), 0, 0, 2.5f);
    }
  dl->PopClipRect();
  dl->AddRect(ImVec2(grid0.x - 1, grid0.y - 1), ImVec2(grid1.x + 1, grid1.y + 1), ImGui::GetColorU32(ImGuiCol_Border));

  // Zoomed in: an overview of the whole matrix under the colour bar, the detail shown framed in it.
  const float thumb = fh * 4.5f;
  const bool overview = bar > 0 && *zoom > 1.001f && grid_size.y >= fh * 14;
  if (bar > 0) {
    const float bx = grid1.x + fh * 0.8f;
    float bar_end = overview ? grid1.y - thumb - fh * 4.0f : grid0.y + std::max(grid_size.y, fh * 6) - fh * 2.5f;
    // Never past the widget's box (its lowest label, and the "masked" swatch under it, included).
    bar_end = std::max(grid0.y + fh * 1.5f, std::min(bar_end, origin.y + size.y - (spec.blocked ? fh * 2.0f : fh * 0.6f)));
    draw_colorbar(dl, ImVec2(bx, grid0.y + fh * 0.5f), ImVec2(bx + fh * 0.9f, bar_end), spec.cmap, spec.lo, spec.hi,
                  spec.blocked != nullptr);
  }

  // Interaction: an invisible button over the grid.
  ImGui::SetCursorScreenPos(grid0);
  ImGui::InvisibleButton("grid", ImVec2(std::max(1.0f, grid_size.x), std::max(1.0f, grid_size.y)),
                         ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight);
  const bool hovered = ImGui::IsItemHovered();
  ImGuiIO& io = ImGui::GetIO();
  if (hovered) {
    const int j = int((io.MousePos.x - img0.x) / cw), i = int((io.MousePos.y - img0.y) / ch);
    if (i >= 0 && i < rows && j >= 0 && j < cols) {
      ev.hover_row = i, ev.hover_col = j;
      const ImVec2 a(img0.x + j * cw, img0.y + i * ch);
      if (g_spotlight) draw_spotlight(dl, grid0, grid1, a, cw, ch);
      dl->AddRect(a, ImVec2(a.x + cw, a.y + ch), IM_COL32(255, 255, 255, 255), 0, 0, 1.5f);
      if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) ev.clicked = true;
      if (ImGui::IsMouseDown(ImGuiMouseButton_Left)) ev.held = true;
      if (tooltip && !compact) {
        ImGui::BeginTooltip();
        tooltip(i, j);
        token_render_note(spec.row_labels, i);
        if (spec.col_labels != spec.row_labels || j != i) token_render_note(spec.col_labels, j);
        ImGui::EndTooltip();
      }
    }
    if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) ev.clicked_anywhere = true;
    if (!compact && io.MouseWheel != 0) {  // zoom around the mouse
      const float old = *zoom;
      *zoom = std::clamp(*zoom * (io.MouseWheel > 0 ? 1.25f : 0.8f), 1.0f, 64.0f);
      const float k = *zoom / old;
      *pan_x = (*pan_x + io.MousePos.x - grid0.x) * k - (io.MousePos.x - grid0.x);
      *pan_y = (*pan_y + io.MousePos.y - grid0.y) * k - (io.MousePos.y - grid0.y);
    }
    if (ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) *zoom = 1, *pan_x = 0, *pan_y = 0;
  }
  if (ImGui::IsItemActive() && ImGui::IsMouseDragging(ImGuiMouseButton_Right)) {
    *pan_x -= io.MouseDelta.x;
    *pan_y -= io.MouseDelta.y;
  }
  if (overview) {
    const float full_w = cw * cols, full_h = ch * rows, f = thumb / std::max(full_w, full_h);
    const ImVec2 t0(grid1.x + fh * 0.8f, grid1.y - full_h * f), t1(t0.x + full_w * f, grid1.y);
    dl->AddText(ImVec2(t0.x, t0.y - fh - 2), faint, _("overview"));
    dl->AddImage((ImTextureID)(intptr_t)tex, t0, t1);
    dl->AddRect(ImVec2(t0.x - 1, t0.y - 1), ImVec2(t1.x + 1, t1.y + 1), ImGui::GetColorU32(ImGuiCol_Border));
    dl->AddRect(ImVec2(t0.x + *pan_x * f, t0.y + *pan_y * f),
                ImVec2(t0.x + (*pan_x + grid_size.x) * f, t0.y + (*pan_y + grid_size.y) * f), IM_COL32(255, 140, 0, 255), 0, 0, 2.0f);
    ImGui::SetCursorScreenPos(t0);
    ImGui::InvisibleButton("overview", ImVec2(std::max(1.0f, t1.x - t0.x), std::max(1.0f, t1.y - t0.y)));
    if (ImGui::IsItemActive()) {  // click or drag: the detail centred there
      *pan_x = (io.MousePos.x - t0.x) / f - grid_size.x * 0.5f;
      *pan_y = (io.MousePos.y - t0.y) / f - grid_size.y * 0.5f;
    } else if (ImGui::IsItemHovered()) {
      ImGui::SetTooltip("%s", _("The whole matrix; the frame is the zoomed part. Click to move it; double-click the map to reset."));
    }
  }

  // Token labels of the visible cells, every k-th (k the smallest that fits at this zoom), and axis titles. The
  // hovered and the pinned row and column are always labelled, whole, over a patch of background.
  const ImU32 hot = IM_COL32(230, 100, 0, 255), patch = ImGui::GetColorU32(ImGuiCol_WindowBg);
  int k_rows = 1, k_cols = 1;
  int strip_row = -1, strip_col = -1;  // label under the mouse in a label strip
  const ImVec2 mp = io.MousePos;
  const bool win_hovered = ImGui::IsWindowHovered();
  if (has_rows) {
    const AxisLabelLayout L = layout_axis_labels(*spec.row_labels, false, img0.y, ch, i0, i1, fh, max_len, text_w);
    k_rows = std::max(1, L.step);
    if (win_hovered && mp.x >= origin.x && mp.x < grid0.x && mp.y >= grid0.y && mp.y < grid1.y)
      strip_row = std::clamp(int((mp.y - img0.y) / ch), 0, rows - 1);
    const float rx = grid0.x - 4;
    dl->PushClipRect(ImVec2(origin.x, grid0.y - fh * 0.5f), ImVec2(grid0.x, grid1.y + fh * 0.5f), true);
    for (const LabelBox& b : L.boxes) {
      if (b.index == spec.pinned_row || b.index == ev.hover_row || b.index == strip_row) continue;  // drawn whole below
      dl->AddText(ImVec2(rx + b.x0, b.y0), ink, b.text.c_str());
      const float y = (b.y0 + b.y1) * 0.5f;
      if (k_rows > 1) dl->AddLine(ImVec2(grid0.x - 2, y), ImVec2(grid0.x, y), ink);  // which row the label names
    }
    for (int i : {spec.pinned_row, ev.hover_row, strip_row}) {
      if (i < 0 || i >= rows || i >= int(spec.row_labels->size())) continue;
      const char* s = (*spec.row_labels)[size_t(i)].c_str();
      const float w = ImGui::CalcTextSize(s).x, y = img0.y + (i + 0.5f) * ch - fh * 0.5f;
      dl->AddRectFilled(ImVec2(std::min(rx - w, grid0.x - lab_w) - 2, y), ImVec2(rx + 2, y + fh), patch);  // the whole strip
      dl->AddText(ImVec2(rx - w, y), hot, s);
    }
    dl->PopClipRect();
  }
  if (has_cols) {
    const AxisLabelLayout L = layout_axis_labels(*spec.col_labels, true, img0.x, cw, j0, j1, fh, max_len, text_w);
    k_cols = std::max(1, L.step);
    if (win_hovered && mp.y >= origin.y + title_h + axis && mp.y < grid0.y && mp.x >= grid0.x && mp.x < grid1.x)
      strip_col = std::clamp(int((mp.x - img0.x) / cw), 0, cols - 1);
    const float by = grid0.y - 4;
    dl->PushClipRect(ImVec2(grid0.x - fh * 0.5f, origin.y + title_h + axis), ImVec2(grid1.x + fh * 0.5f, grid0.y), true);
    for (const LabelBox& b : L.boxes) {
      if (b.index == spec.pinned_col || b.index == ev.hover_col || b.index == strip_col) continue;  // drawn whole below
      const ImU32 c = ink;
      if (L.rotated) add_text_vertical(dl, ImVec2(b.x1, by), c, b.text.c_str());
      else dl->AddText(ImVec2(b.x0, by + b.y0), c, b.text.c_str());
      const float x = (b.x0 + b.x1) * 0.5f;
      if (k_cols > 1) dl->AddLine(ImVec2(x, grid0.y - 2), ImVec2(x, grid0.y), ink);
    }
    for (int j : {spec.pinned_col, ev.hover_col, strip_col}) {
      if (j < 0 || j >= cols || j >= int(spec.col_labels->size())) continue;
      const char* s = (*spec.col_labels)[size_t(j)].c_str();
      const float w = ImGui::CalcTextSize(s).x, x = img0.x + (j + 0.5f) * cw;
      if (L.rotated) {
        dl->AddRectFilled(ImVec2(x - fh * 0.5f - 1, std::min(by - w, grid0.y - lab_h) - 2), ImVec2(x + fh * 0.5f + 1, by + 2), patch);
        add_text_vertical(dl, ImVec2(x + fh * 0.5f, by), hot, s);
      } else {
        dl->AddRectFilled(ImVec2(x - w * 0.5f - 2, by - fh), ImVec2(x + w * 0.5f + 2, by + 2), patch);
        dl->AddText(ImVec2(x - w * 0.5f, by - fh), hot, s);
      }
    }
    dl->PopClipRect();
  }
  if (strip_row >= 0 || strip_col >= 0) {  // a label strip hovered: the whole token
    const std::vector<std::string>* labels = strip_row >= 0 ? spec.row_labels : spec.col_labels;
    const int k = strip_row >= 0 ? strip_row : strip_col;
    if (k < int(labels->size())) {
      ImGui::BeginTooltip();
      ImGui::Text("%s %d: %s", _(strip_row >= 0 ? spec.row_axis : spec.col_axis), k, (*labels)[size_t(k)].c_str());
      token_render_note(labels, k);
      ImGui::EndTooltip();
    }
  }
  if (compact && ev.hover_row >= 0) {  // small multiples have no room for labels: the hovered pair's, on the tile
    auto tag = [&](ImVec2 p, const std::string& s) {
      const ImVec2 ts = ImGui::CalcTextSize(s.c_str());
      p.x = std::clamp(p.x, grid0.x, std::max(grid0.x, grid1.x - ts.x));
      dl->AddRectFilled(ImVec2(p.x - 2, p.y), ImVec2(p.x + ts.x + 2, p.y + ts.y), patch);
      dl->AddText(p, hot, s.c_str());
    };
    const float yr = std::clamp(img0.y + (ev.hover_row + 0.5f) * ch - fh * 0.5f, grid0.y, grid1.y - fh);
    if (spec.col_labels && ev.hover_col < int(spec.col_labels->size()))
      tag(ImVec2(img0.x + (ev.hover_col + 0.5f) * cw - ImGui::CalcTextSize((*spec.col_labels)[size_t(ev.hover_col)].c_str()).x * 0.5f,
                 yr > grid0.y + fh * 1.5f ? grid0.y : grid1.y - fh),
          (*spec.col_labels)[size_t(ev.hover_col)]);
    if (spec.row_labels && ev.hover_row < int(spec.row_labels->size()))
      tag(ImVec2(img0.x + (ev.hover_col + 1) * cw + 4 < grid1.x - fh * 3 ? img0.x + (ev.hover_col + 1) * cw + 4 : grid0.x, yr),
          (*spec.row_labels)[size_t(ev.hover_row)]);
  }
  if (!compact) {
    // Axis names are translated here: callers pass HeatmapSpec's defaults ("query", "key", msgids elsewhere) or text
    // already translated (no msgid: _() returns it unchanged).
    const std::string cols_caption = printf_text(_("%s (columns) →"), _(spec.col_axis));
    dl->AddText(ImVec2(grid0.x, origin.y + title_h), faint, cols_caption.c_str());
    const std::string rule = label_rule(has_rows ? k_rows : 1, has_cols ? k_cols : 1, true);
    if (!rule.empty()) {  // the thinning rule, beside the column axis title, cut to the widget's width
      const float x = grid0.x + ImGui::CalcTextSize(cols_caption.c_str()).x + fh;
      const float room = origin.x + size.x - x;
      std::string r = rule;
      if (text_w(r) > room) r = rule.substr(0, std::min(rule.find(';'), rule.find("；")));  // "every 3rd token labelled"
      if (text_w(r) > room && k_rows == k_cols) r = every_nth(k_rows, true);
      if (text_w(r) > room) r = abbreviate(r, room, text_w);
      if (room > fh * 2) {
        dl->AddText(ImVec2(x, origin.y + title_h), faint, r.c_str());
        if (r != rule && win_hovered && ImGui::IsMouseHoveringRect(ImVec2(x, origin.y + title_h), ImVec2(x + room, origin.y + title_h + fh)))
          ImGui::SetTooltip("%s", rule.c_str());
      }
    }
    const std::string rows_caption = printf_text(_("%s (rows) →"), _(spec.row_axis));
    add_text_vertical(dl, ImVec2(origin.x + fh, grid0.y + ImGui::CalcTextSize(rows_caption.c_str()).x), faint, rows_caption.c_str());
  }
  st->SetFloat(gid + 1, zoom_v);
  st->SetFloat(gid + 2, pan_x_v);
  st->SetFloat(gid + 3, pan_y_v);
  ImGui::SetCursorScreenPos(origin);
  ImGui::Dummy(size);
  ImGui::PopID();
  return ev;
}

}  // namespace attn
