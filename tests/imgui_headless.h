// imgui_headless.h: an ImGui context with no window and no GL, for tests that draw real frames (ui_tests, app_tests):
// a display of the given size, 60 frames a second, the default font's atlas built (no texture is uploaded).
#pragma once
#include <imgui.h>

namespace attn::test {

struct HeadlessImGui {
  explicit HeadlessImGui(ImVec2 display = ImVec2(800, 600)) {
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.DisplaySize = display;
    io.DeltaTime = 1.0f / 60;
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
  }
  ~HeadlessImGui() { ImGui::DestroyContext(); }
  HeadlessImGui(const HeadlessImGui&) = delete;
  HeadlessImGui& operator=(const HeadlessImGui&) = delete;
};

}  // namespace attn::test
