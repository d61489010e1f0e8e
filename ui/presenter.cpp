#include "presenter.h"

#include <algorithm>
#include <cmath>

namespace attn {

void apply_theme(ImGuiStyle& style, float scale, bool high_contrast) {
  style = ImGuiStyle();
  if (!high_contrast) {
    ImGui::StyleColorsLight(&style);
    style.FrameRounding = 3;
    style.WindowRounding = 0;
    style.ScaleAllSizes(scale);
    return;
  }
  ImGui::StyleColorsDark(&style);
  ImVec4* c = style.Colors;
  const ImVec4 bg(0.03f, 0.03f, 0.04f, 1), panel(0.09f, 0.09f, 0.11f, 1), white(1, 1, 1, 1);
  const ImVec4 line(0.85f, 0.85f, 0.90f, 1), blue(0.05f, 0.32f, 0.75f, 1), blue_hi(0.12f, 0.42f, 0.90f, 1);
  c[ImGuiCol_Text] = white;
  c[ImGuiCol_TextDisabled] = ImVec4(0.80f, 0.80f, 0.82f, 1);  // secondary text stays readable from the back row
  c[ImGuiCol_WindowBg] = c[ImGuiCol_ChildBg] = bg;
  c[ImGuiCol_PopupBg] = panel;
  c[ImGuiCol_Border] = line;
  c[ImGuiCol_BorderShadow] = ImVec4(0, 0, 0, 0);
  c[ImGuiCol_FrameBg] = ImVec4(0.16f, 0.16f, 0.20f, 1);
  c[ImGuiCol_FrameBgHovered] = ImVec4(0.22f, 0.24f, 0.34f, 1);
  c[ImGuiCol_FrameBgActive] = ImVec4(0.26f, 0.30f, 0.44f, 1);
  c[ImGuiCol_TitleBg] = c[ImGuiCol_TitleBgCollapsed] = panel;
  c[ImGuiCol_TitleBgActive] = ImVec4(0.14f, 0.14f, 0.18f, 1);
  c[ImGuiCol_MenuBarBg] = panel;
  c[ImGuiCol_ScrollbarBg] = bg;
  c[ImGuiCol_ScrollbarGrab] = ImVec4(0.60f, 0.60f, 0.65f, 1);
  c[ImGuiCol_ScrollbarGrabHovered] = c[ImGuiCol_ScrollbarGrabActive] = ImVec4(0.85f, 0.85f, 0.90f, 1);
  c[ImGuiCol_CheckMark] = c[ImGuiCol_SliderGrabActive] = ImVec4(1.00f, 0.80f, 0.20f, 1);  // amber: visible on any frame
  c[ImGuiCol_SliderGrab] = ImVec4(0.95f, 0.70f, 0.15f, 1);
  c[ImGuiCol_Button] = c[ImGuiCol_Header] = c[ImGuiCol_Tab] = blue;
  c[ImGuiCol_ButtonHovered] = c[ImGuiCol_HeaderHovered] = c[ImGuiCol_TabHovered] = blue_hi;
  c[ImGuiCol_ButtonActive] = c[ImGuiCol_HeaderActive] = c[ImGuiCol_TabActive] = blue_hi;
  c[ImGuiCol_Separator] = c[ImGuiCol_SeparatorHovered] = c[ImGuiCol_SeparatorActive] = line;
  c[ImGuiCol_TableBorderStrong] = line;
  c[ImGuiCol_TableBorderLight] = ImVec4(0.55f, 0.55f, 0.60f, 1);
  c[ImGuiCol_TableRowBg] = ImVec4(0, 0, 0, 0);
  c[ImGuiCol_TableRowBgAlt] = ImVec4(1, 1, 1, 0.05f);
  c[ImGuiCol_PlotLines] = c[ImGuiCol_PlotHistogram] = ImVec4(1.00f, 0.80f, 0.20f, 1);
  c[ImGuiCol_TextSelectedBg] = ImVec4(0.12f, 0.42f, 0.90f, 0.6f);
  style.FrameRounding = 3;
  style.WindowRounding = 0;
  style.ScaleAllSizes(scale);
  // Thick lines: ScaleAllSizes leaves border widths alone.
  style.WindowBorderSize = style.ChildBorderSize = style.PopupBorderSize = 2;
  style.FrameBorderSize = 1.5f;
  style.TabBorderSize = 1.5f;
}

void handle_presenter_keys(UiState& ui) {
  if (ImGui::IsKeyPressed(kKeyF5, false)) ui.presenter = !ui.presenter;
  if (ImGui::IsKeyPressed(kKeyF11, false)) ui.fullscreen_request = true;
}

namespace {

double luminance(const ImVec4& c) {
  auto lin = [](float v) {
    const double s = std::clamp(double(v), 0.0, 1.0);
    return s <= 0.04045 ? s / 12.92 : std::pow((s + 0.055) / 1.055, 2.4);
  };
  return 0.2126 * lin(c.x) + 0.7152 * lin(c.y) + 0.0722 * lin(c.z);
}

}  // namespace

double contrast_ratio(const ImVec4& a, const ImVec4& b) {
  const double la = luminance(a), lb = luminance(b);
  return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

}  // namespace attn
