// heatmap.h: the heatmap widget: a GL texture (one texel a cell) with token labels on both axes,
// axis titles ("query" down the rows, "key" across the columns), a colour bar with its range, masked cells
// marked, hover read-out, click-to-pin, mouse-wheel zoom and right-drag pan (double-click resets).
#pragma once
#include <imgui.h>

#include <functional>
#include <string>
#include <vector>

#include "colormap.h"
#include "mat.h"
#include "texture_cache.h"

namespace attn {

struct HeatmapSpec {
  const Mat* m = nullptr;
  const BoolMat* blocked = nullptr;               // masked cells: grey with a diagonal stroke
  const std::vector<std::string>* row_labels = nullptr;
  const std::vector<std::string>* col_labels = nullptr;
  Colormap cmap = Colormap::Viridis;
  float lo = 0, hi = 1;                           // colour range (see value_range)
  uint64_t version = 0;                           // data version for the texture cache (the trace's)
  int64_t detail = 0;                             // the view's own selection that picked `m` (query, step, layer)
  const char* title = "";
  const char* row_axis = "query";
  const char* col_axis = "key";
  int pinned_row = -1, pinned_col = -1;
  bool colorbar = true;
  bool labels = true;
  bool compact = false;                           // small multiples: no labels, no colour bar, no axis titles
  bool stretch = false;                           // cells fill the box (not square): for tall or wide matrices
};

struct HeatmapEvent {
  int hover_row = -1, hover_col = -1;  // cell under the mouse
  bool clicked = false;                // left click on a cell (the caller pins it)
  bool held = false;                   // left button held over a cell (drag-editing)
  bool clicked_anywhere = false;       // left click inside the widget (small multiples: enlarge)
};

// Finite range of the unblocked cells; diverging maps get a range symmetric around 0.
void value_range(const Mat& m, const BoolMat* blocked, bool diverging, float* lo, float* hi);

// Draws into a box of `size` (pixels) at the cursor. tooltip(i, j) is called while cell (i, j) is hovered,
// inside an open tooltip, so it can ImGui::Text the arithmetic behind the value.
HeatmapEvent draw_heatmap(const char* id, const HeatmapSpec& spec, ImVec2 size, TextureCache& cache,
                          const std::function<void(int, int)>& tooltip = {});

// Cells a lesson step points at: rows r0…r1 and columns c0…c1 of a token × token map, inclusive (-1 on both ends:
// every row, or every column). Outlined on every heatmap whose rows and columns are tokens.
struct HeatmapRegion {
  int r0 = -1, r1 = -1, c0 = -1, c1 = -1;
};
// The regions to outline this frame (nullptr or empty: none); the explorer sets it from UiState::highlights.
void set_heatmap_highlights(const std::vector<HeatmapRegion>* regions);

// Presenter mode's spotlight: while on, hovering a cell dims the rest of the grid but its row and column, so a class
// sees which query and key the teacher points at. The explorer sets it once per frame from UiState::presenter.
void set_heatmap_spotlight(bool on);

// Text rotated 90° counter-clockwise (reads bottom to top), its bottom-left at `pos` after rotation.
void add_text_vertical(ImDrawList* dl, ImVec2 pos, ImU32 col, const char* text);

// A vertical colour bar with its range written beside it.
void draw_colorbar(ImDrawList* dl, ImVec2 p0, ImVec2 p1, Colormap cmap, float lo, float hi, bool show_masked);

}  // namespace attn
