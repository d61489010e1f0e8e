// layout_check.h: finds text that is cut off or drawn over other text in a rendered ImGui frame.
//
// ImGui 1.86 from Debian has no test engine and no item hooks, so the check reads what was drawn: after
// ImGui::Render(), every character is a quad of the draw data whose texture coordinates lie inside one glyph of the
// font atlas (shapes use the atlas's white pixel or its baked lines instead). From those quads:
//   - a glyph outside its draw command's clip rectangle, or one ImGui cut on the CPU (texture coordinates a strict
//     part of the glyph's), is text past its window, frame, column or plot area ("clipped");
//   - glyphs of different text runs that cover each other by more than a pixel are overlapping text.
// A run is a sequence of consecutive glyph quads of one draw command that follow each other on a line; its text is
// rebuilt from the glyph table (ImFontGlyph::Codepoint) so a finding names what a user would read.
// What is fine, and not reported: a line cut at the edge of a window that scrolls that way (the rest is reachable),
// and text inside a multi-line text box (a child window named "##…": it scrolls by design).
// Limits: ImGui drops glyphs entirely outside a clip rectangle, so text cut exactly between two glyphs is not seen;
// text drawn over shapes (lines, legends) is not checked.
#pragma once
#include <imgui.h>

#include <string>
#include <vector>

namespace attn {

// One window's draw list and what decides whether its edges may cut text.
struct LayoutList {
  const ImDrawList* list = nullptr;
  std::string window;          // its name, for the messages
  ImVec4 clip{0, 0, 0, 0};     // the window's own clip rectangle (x0, y0, x1, y1)
  bool scrolls_x = false, scrolls_y = false;  // content reaches past that edge: cut there is scrolled, not lost
  bool text_box = false;       // a multi-line text input's child window
};

// The findings, one line each, e.g.
//   clipped at the right edge by 23 px: "Attention Lab — Attention Is All You Need" (window Controls)
//   overlap: "query (rows) →" and "The" (window Views/view_…)
// Sorted and without repeats. `atlas_tex` is the font atlas's texture; glyphs come from every font of `atlas`.
std::vector<std::string> check_layout(const std::vector<LayoutList>& lists, const ImFontAtlas& atlas);

// The current frame's draw lists (call after ImGui::Render()) with their windows' names, clip rectangles and scroll
// state.
std::vector<LayoutList> frame_layout_lists();

}  // namespace attn
