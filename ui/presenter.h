// presenter.h: presenter mode's window-free pieces: the two themes, the keys (F5, F11), the nav row's layout rule,
// and the contrast arithmetic the high-contrast theme is checked with.
//   apply_theme          the app's ImGui style at a scale: the usual light theme, or the high-contrast one
//   handle_presenter_keys F5 toggles presenter mode, F11 asks app/ to toggle fullscreen
//   contrast_ratio       WCAG 2 contrast ratio of two colours (1 … 21)
#pragma once
#include <imgui.h>

#include "ui_state.h"

namespace attn {

// The style at `scale` (ScaleAllSizes), from a fresh ImGuiStyle. high_contrast: near-black background, white text,
// light grey for secondary text, bright 2-pixel borders and separators, saturated buttons: every text colour of the
// theme has a contrast ratio of at least 7 against the backgrounds it is drawn on (tests check it).
void apply_theme(ImGuiStyle& style, float scale, bool high_contrast);

// GLFW's key codes: ImGui 1.86's GLFW backend indexes io.KeysDown by them (ui/ includes no GLFW header).
constexpr int kKeyF5 = 294, kKeyF11 = 300;

// Call once per frame between NewFrame and Render: F5 toggles ui.presenter, F11 sets ui.fullscreen_request (app/
// carries it out after the frame and clears it). Key repeat is ignored: holding F5 does not flicker.
void handle_presenter_keys(UiState& ui);

// (L1 + 0.05) / (L2 + 0.05) of the colours' relative luminances (sRGB, alpha ignored), the lighter one first.
double contrast_ratio(const ImVec4& a, const ImVec4& b);

}  // namespace attn
