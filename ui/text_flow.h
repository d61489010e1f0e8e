// text_flow.h: text that follows a control on its line without ever running past the window.
//
// ImGui's SameLine + Text draws the whole string on one line whatever the width left; on a projector (scale 2) or
// in Chinese it then runs past the window's edge. text_after puts the text after the previous item when it fits
// whole; when only part fits it wraps it in the space left (at least `kMinColumnEm` font sizes wide); otherwise it
// starts a line of its own, wrapped to the window.
#pragma once
#include <functional>
#include <string>

namespace attn {

// Wrapped text that also breaks between Chinese characters. ImGui 1.86 breaks lines only at spaces and after ".,;!?",
// so a Chinese sentence (no spaces) ran on to its next space and left a short line before it ("… ≤ i" / the rest),
// and "4.85" could be split after its point. Here a line may break at a space (which is dropped) or beside any CJK
// character, but never before closing punctuation (，。）》…) nor after opening punctuation (（《“…); a word longer
// than the line is cut where it must be.
// break_lines returns `text` with '\n' where the lines end, for lines at most `width` wide by `advance`.
std::string break_lines(const std::string& text, float width, const std::function<float(char32_t)>& advance);
// ImGui::TextWrapped's counterpart: printf-style, wrapped at the window's right edge (or the pushed wrap position).
void text_wrapped(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
// The same for a plain string (no format), optionally in the disabled colour.
void text_wrapped_str(const char* text, bool disabled = false);

// See the top of this file.
void text_after(const char* text, bool disabled = true);
void text_afterf(bool disabled, const char* fmt, ...) __attribute__((format(printf, 2, 3)));

// SameLine (with ImGui's spacing, or `spacing` pixels) when an item `width` wide still fits on this line, else the
// next line.
void same_line_if_fits(float width, float spacing = -1.0f);
// The width of a framed item `item_w` wide with its label on the right (a slider, an input, a radio button).
float labelled_width(float item_w, const char* label);
// The width of a button with this label (as ImGui::Button sizes it).
float button_width(const char* label);

// Panels of a view laid out in as many columns (up to `max_cols`) as keep each at least `min_w` wide: three across
// on a wide screen, one below the other on a projector's scale. Call next() before every panel but the first; the
// view scrolls when the rows do not fit.
struct PanelGrid {
  PanelGrid(float avail_w, int max_cols, float min_w);
  void next();
  int cols = 1;
  float w = 0;  // each panel's width
  // Within the current panel (a group): SameLine when an item `width` wide still fits before the panel's right edge.
  void same_line_if_fits(float width) const;

 private:
  int k_ = 0;
  float x0_ = 0;  // the current panel's left edge (window coordinates)
};

}  // namespace attn
