// text_flow.h: text that follows a control on its line without ever running past the window.
//
// ImGui's SameLine + Text draws the whole string on one line whatever the width left; on a projector (scale 2) or
// in Chinese it then runs past the window's edge. text_after puts the text after the previous item when it fits
// whole; when only part fits it wraps it in the space left (at least `kMinColumnEm` font sizes wide); otherwise it
// starts a line of its own, wrapped to the window.
#pragma once

namespace attn {

void text_after(const char* text, bool disabled = true);
// SameLine when an item `width` wide still fits on this line, else the next line.
void same_line_if_fits(float width);
void text_afterf(bool disabled, const char* fmt, ...) __attribute__((format(printf, 2, 3)));
// Plain wrapped text in the disabled (grey) colour: TextWrapped's counterpart of TextDisabled.
void text_disabled_wrapped(const char* text);

}  // namespace attn
