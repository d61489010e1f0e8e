#include "heatmap.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "format.h"
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
    ImGui::TextDisabled("\"%s\": %s drawn unshaped%s (Dear ImGui does no text shaping)", tok.c_str(),
                        n.shaping ? "letters that join or combine are" : "right-to-left text is",
                        n.rtl ? ", left to right" : "");
  if (n.astral) {
    std::string cps;
    char buf[16];
    for (char32_t cp : decode_utf8(tok)) {
      if (cps.size() > 64) { cps += " \xE2\x80\xA6"; break; }
      std::snprintf(buf, sizeof buf, cps.empty() ? "U+%04X" : " U+%04X", unsigned(cp));
      cps += buf;
    }
    ImGui::TextDisabled("%s: characters beyond U+FFFF are drawn as \xEF\xBF\xBD (Dear ImGui 1.86 has 16-bit characters)",
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
    dl->AddText(ImVec2(p1.x + 4, q0.y), ink, "masked");
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

  // Zoom and pan are view state of this widget: ImGui's per-window storage, as its own widgets do.
  ImGuiStorage* st = ImGui::GetStateStorage();
  // Copied out and written back at the end: a pointer from GetFloatRef dies when the storage grows.
  float zoom_v = st->GetFloat(gid + 1, 1.0f), pan_x_v = st->GetFloat(gid + 2, 0.0f), pan_y_v = st->GetFloat(gid + 3, 0.0f);
  float* zoom = &zoom_v;
  float* pan_x = &pan_x_v;
  float* pan_y = &pan_y_v;

  // Margins: labels, axis titles, colour bar.
  const bool compact = spec.compact;
  const float title_h = (spec.title && *spec.title) ? fh + 4 : 0;
  float lab_w = 0, lab_h = 0;
  const float fit0 = std::min((size.x - 120) / std::max(1, cols), (size.y - 120) / std::max(1, rows)) * *zoom;
  const float fit0_h = spec.stretch ? (size.y - 120) / std::max(1, rows) * *zoom : fit0;
  const bool show_labels = spec.labels && !compact && fit0_h >= fh * 0.8f && rows <= 1024;
  if (show_labels) {
    for (int i = 0; i < rows && spec.row_labels && i < int(spec.row_labels->size()); ++i)
      lab_w = std::max(lab_w, ImGui::CalcTextSize((*spec.row_labels)[size_t(i)].c_str()).x);
    for (int j = 0; j < cols && spec.col_labels && j < int(spec.col_labels->size()); ++j)
      lab_h = std::max(lab_h, ImGui::CalcTextSize((*spec.col_labels)[size_t(j)].c_str()).x);
    lab_w = std::min(lab_w, fh * 9) + 6;
    lab_h = std::min(lab_h, fh * 9) + 6;
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

  if (title_h > 0) dl->AddText(ImVec2(origin.x, origin.y), ink, spec.title);
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
  if (spec.pinned_row >= 0 && spec.pinned_row < rows && spec.pinned_col >= 0 && spec.pinned_col < cols) {
    const ImVec2 a(img0.x + spec.pinned_col * cw, img0.y + spec.pinned_row * ch);
    dl->AddRect(ImVec2(grid0.x, a.y), ImVec2(grid1.x, a.y + ch), IM_COL32(255, 140, 0, 120), 0, 0, 1.5f);
    dl->AddRect(ImVec2(a.x, grid0.y), ImVec2(a.x + cw, grid1.y), IM_COL32(255, 140, 0, 120), 0, 0, 1.5f);
    dl->AddRect(a, ImVec2(a.x + cw, a.y + ch), IM_COL32(255, 100, 0, 255), 0, 0, 2.5f);
  }
  dl->PopClipRect();
  dl->AddRect(ImVec2(grid0.x - 1, grid0.y - 1), ImVec2(grid1.x + 1, grid1.y + 1), ImGui::GetColorU32(ImGuiCol_Border));

  // Token labels (only those visible) and axis titles.
  if (show_labels && ch >= fh * 0.8f) {
    dl->PushClipRect(ImVec2(origin.x, grid0.y), ImVec2(grid0.x, grid1.y), true);
    for (int i = i0; i < i1 && spec.row_labels && i < int(spec.row_labels->size()); ++i) {
      const char* s = (*spec.row_labels)[size_t(i)].c_str();
      const float w = ImGui::CalcTextSize(s).x;
      const ImU32 c = (i == spec.pinned_row) ? IM_COL32(230, 100, 0, 255) : ink;
      dl->AddText(ImVec2(grid0.x - 4 - w, img0.y + i * ch + (ch - fh) * 0.5f), c, s);
    }
    dl->PopClipRect();
    dl->PushClipRect(ImVec2(grid0.x, origin.y + title_h), ImVec2(grid1.x, grid0.y), true);
    for (int j = j0; j < j1 && spec.col_labels && j < int(spec.col_labels->size()) && cw >= fh * 0.8f; ++j) {
      const char* s = (*spec.col_labels)[size_t(j)].c_str();
      const ImU32 c = (j == spec.pinned_col) ? IM_COL32(230, 100, 0, 255) : ink;
      const float w = ImGui::CalcTextSize(s).x;
      if (w <= cw - 2)  // short labels (a Chinese character, a digit) stay upright
        dl->AddText(ImVec2(img0.x + j * cw + (cw - w) * 0.5f, grid0.y - 4 - fh), c, s);
      else
        add_text_vertical(dl, ImVec2(img0.x + j * cw + (cw - fh) * 0.5f + fh, grid0.y - 4), c, s);
    }
    dl->PopClipRect();
  }
  if (!compact) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "%s (columns) →", spec.col_axis);
    dl->AddText(ImVec2(grid0.x, origin.y + title_h), faint, buf);
    std::snprintf(buf, sizeof buf, "%s (rows) →", spec.row_axis);
    add_text_vertical(dl, ImVec2(origin.x + fh, grid0.y + ImGui::CalcTextSize(buf).x), faint, buf);
  }
  if (bar > 0) {
    const float bx = grid1.x + fh * 0.8f;
    draw_colorbar(dl, ImVec2(bx, grid0.y + fh * 0.5f), ImVec2(bx + fh * 0.9f, grid0.y + std::max(grid_size.y, fh * 6) - fh * 2.5f),
                  spec.cmap, spec.lo, spec.hi, spec.blocked != nullptr);
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
  st->SetFloat(gid + 1, zoom_v);
  st->SetFloat(gid + 2, pan_x_v);
  st->SetFloat(gid + 3, pan_y_v);
  ImGui::SetCursorScreenPos(origin);
  ImGui::Dummy(size);
  ImGui::PopID();
  return ev;
}

}  // namespace attn
