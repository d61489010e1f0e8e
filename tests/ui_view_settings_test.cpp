// The table's widget (ui/view_settings.h): whatever is typed into a slider, or was set elsewhere, stays inside the
// table's range. Headless ImGui frames: typing is simulated as a user's Ctrl+click does (the slider's text input).
#include <gtest/gtest.h>
#include <imgui.h>

#include <cmath>
#include <functional>

#include "view_settings.h"

using namespace attn;

namespace {

struct Headless {
  Headless() {
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.DisplaySize = ImVec2(800, 600);
    io.DeltaTime = 1.0f / 60;
    io.KeyMap[ImGuiKey_Enter] = 13;
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
  }
  ~Headless() { ImGui::DestroyContext(); }
  void frame(const std::function<void()>& body) {
    ImGui::NewFrame();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImGui::GetIO().DisplaySize);
    ImGui::Begin("w");
    body();
    ImGui::End();
    ImGui::Render();
  }
};

// Focuses the widget drawn by `draw` (a slider becomes its text input, as on Ctrl+click), types `text`, presses Enter.
void type_into(Headless& h, const std::function<void()>& draw, const char* text) {
  ImGuiIO& io = ImGui::GetIO();
  h.frame([&] {
    ImGui::SetKeyboardFocusHere();
    draw();
  });
  h.frame(draw);
  io.AddInputCharactersUTF8(text);
  h.frame(draw);
  io.KeysDown[13] = true;
  h.frame(draw);
  io.KeysDown[13] = false;
  h.frame(draw);
}

}  // namespace

TEST(SettingWidget, TypedValuesAreClampedIntoTheTablesRange) {
  Headless h;
  UiState ui;
  // The reproductions: d_k typed as 100000000 (bad_alloc), kernel k typed as 0 (SIGFPE), r as 0 (a hang).
  type_into(h, [&] { setting_slider(view_setting("lab_dk"), ui, "d_k", NAN, NAN, true); }, "100000000");
  EXPECT_EQ(ui.lab_dk, 1024);
  type_into(h, [&] { setting_slider(view_setting("kernel_k"), ui, "k"); }, "0");
  EXPECT_EQ(ui.conv_k, 2);
  type_into(h, [&] { setting_slider(view_setting("neighbourhood_r"), ui, "r"); }, "0");
  EXPECT_EQ(ui.restricted_r, 2);  // r = 1 is the query alone (no path): the range starts at 2
  Settings s;
  type_into(h, [&] { setting_slider(setting("temperature"), s, ui, "t", 0.05, 20, true); }, "-3");
  EXPECT_EQ(s.temperature, 0.05f);
  type_into(h, [&] { setting_slider(setting("temperature"), s, ui, "t", 0.05, 20, true); }, "2.5");
  EXPECT_EQ(s.temperature, 2.5f);  // and an ordinary value goes through
  // Presenter mode's projector scale: 1.5 … 2.5, whatever is typed.
  type_into(h, [&] { setting_slider(view_setting("presenter_scale"), ui, "projector scale"); }, "9");
  EXPECT_EQ(ui.presenter_scale, 2.5f);
  type_into(h, [&] { setting_slider(view_setting("presenter_scale"), ui, "projector scale"); }, "0.2");
  EXPECT_EQ(ui.presenter_scale, 1.5f);
}

TEST(SettingWidget, AValueSetElsewhereOutsideTheTableIsPulledBackButANarrowerSliderLeavesItsNeighboursAlone) {
  Headless h;
  UiState ui;
  ui.steps_per_second = NAN;
  ui.cx_n = 1000000;
  ui.restricted_r = 100;  // set on the Complexity tab (1 … 256); the paths view's slider shows 1 … 16
  h.frame([&] {
    setting_slider(view_setting("steps_per_second"), ui);
    setting_slider(view_setting("cx_n"), ui);
    setting_slider(view_setting("neighbourhood_r"), ui, "r", 1, 16);
  });
  EXPECT_EQ(ui.steps_per_second, 0.25f);
  EXPECT_EQ(ui.cx_n, 8192);
  EXPECT_EQ(ui.restricted_r, 100);
}
