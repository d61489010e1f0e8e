// Presenter mode without a window (ui/presenter.h, ui/explorer.cpp): F5 and F11 through ImGui's key state, the side
// panel hidden and given back, the scale the window builds fonts at, and the high-contrast theme's contrast.
#include <gtest/gtest.h>
#include <imgui.h>
#include <imgui_internal.h>

#include "explorer.h"
#include "imgui_headless.h"
#include "presenter.h"

using namespace attn;

namespace {

// A headless ImGui context at 1280×720 drawing the explorer with no trace yet (every view then shows its "No trace
// yet" line, which needs no GL texture).
struct Explorer : test::HeadlessImGui {
  Document doc;
  UiState ui;
  Views views;
  Explorer() : HeadlessImGui(ImVec2(1280, 720)) { views.error = "none in this test"; }
  // One frame; `key_down` is held during it and released after (ImGui sees the release in the next frame).
  void frame(int key_down = -1) {
    ImGuiIO& io = ImGui::GetIO();
    if (key_down >= 0) io.KeysDown[key_down] = true;
    ImGui::NewFrame();
    draw_explorer(views, doc, ui);
    ImGui::Render();
    if (key_down >= 0) io.KeysDown[key_down] = false;
  }
  // The window called `name` drew in the last frame.
  static bool shown(const char* name) {
    const ImGuiWindow* w = ImGui::FindWindowByName(name);
    return w && w->Active;
  }
};

}  // namespace

TEST(Presenter, F5TogglesItAndF11AsksTheWindowForFullscreen) {
  Explorer e;
  e.frame();
  EXPECT_FALSE(e.ui.presenter);
  e.frame(kKeyF5);
  EXPECT_TRUE(e.ui.presenter);
  e.frame();        // released
  EXPECT_TRUE(e.ui.presenter);
  e.frame(kKeyF5);  // and pressed again
  EXPECT_FALSE(e.ui.presenter);
  e.frame();        // no key: no change
  EXPECT_FALSE(e.ui.presenter);
  EXPECT_FALSE(e.ui.fullscreen_request);
  e.frame(kKeyF11);
  EXPECT_TRUE(e.ui.fullscreen_request);  // app/ carries it out after the frame and clears it
}

TEST(Presenter, HeldF5DoesNotRepeat) {
  Explorer e;
  ImGui::GetIO().KeysDown[kKeyF5] = true;
  for (int i = 0; i < 120; ++i) e.frame();  // two seconds held: past ImGui's key-repeat delay
  EXPECT_TRUE(e.ui.presenter);
}

TEST(Presenter, HidesTheSidePanelAndGivesItBack) {
  Explorer e;
  e.frame();
  e.frame();
  ASSERT_TRUE(Explorer::shown("Controls"));
  const ImGuiWindow* views = ImGui::FindWindowByName("Views");
  ASSERT_NE(views, nullptr);
  const float panel_w = ImGui::FindWindowByName("Controls")->Size.x;
  EXPECT_GT(panel_w, 200);
  EXPECT_NEAR(views->Pos.x, panel_w, 1);
  EXPECT_NEAR(views->Size.x, 1280 - panel_w, 1);  // ImGui rounds window sizes

  e.ui.presenter = true;
  e.frame();
  e.frame();
  EXPECT_FALSE(Explorer::shown("Controls"));
  EXPECT_FLOAT_EQ(views->Pos.x, 0);
  EXPECT_FLOAT_EQ(views->Size.x, 1280);

  e.ui.presenter = false;
  e.frame();
  e.frame();
  EXPECT_TRUE(Explorer::shown("Controls"));
  EXPECT_NEAR(views->Pos.x, panel_w, 1);
}

TEST(Presenter, TheWindowDrawsAtTheProjectorScaleOnlyWhileItIsOn) {
  UiState ui;
  ui.ui_scale = 1.25f;
  ui.presenter_scale = 2.25f;
  EXPECT_EQ(effective_ui_scale(ui), 1.25f);
  ui.presenter = true;
  EXPECT_EQ(effective_ui_scale(ui), 2.25f);
  ui.presenter = false;
  EXPECT_EQ(effective_ui_scale(ui), 1.25f);  // leaving restores the user's own scale, which presenter mode never wrote
  EXPECT_EQ(UiState().presenter_scale, 2.0f);
}

TEST(Presenter, EveryTabIsInTheNavigationEitherWay) {
  // The wrapping row (normal) and the one-line list (presenter) both select by ui.view, which scripts set.
  for (bool presenter : {false, true}) {
    Explorer e;
    e.ui.presenter = presenter;
    for (int i = 0; i < kViewCount; ++i) {
      e.ui.view = View(i);
      e.ui.view_requested = true;
      e.frame();
      EXPECT_EQ(e.ui.view, View(i)) << presenter;
      EXPECT_FALSE(e.ui.view_requested);
    }
  }
}

TEST(Theme, ContrastRatioMatchesTheWcagFormula) {
  EXPECT_NEAR(contrast_ratio(ImVec4(1, 1, 1, 1), ImVec4(0, 0, 0, 1)), 21.0, 1e-9);
  EXPECT_NEAR(contrast_ratio(ImVec4(0, 0, 0, 1), ImVec4(1, 1, 1, 1)), 21.0, 1e-9);  // either order
  EXPECT_NEAR(contrast_ratio(ImVec4(0.3f, 0.6f, 0.2f, 1), ImVec4(0.3f, 0.6f, 0.2f, 1)), 1.0, 1e-9);
  // sRGB 0.5 is linear ((0.5 + 0.055) / 1.055)^2.4 = 0.21404: (0.21404 + 0.05) / 0.05 = 5.281 against black.
  EXPECT_NEAR(contrast_ratio(ImVec4(0.5f, 0.5f, 0.5f, 1), ImVec4(0, 0, 0, 1)), 5.2808, 1e-3);
}

TEST(Theme, HighContrastTextIsReadableOnEveryBackgroundItIsDrawnOn) {
  ImGui::CreateContext();
  ImGuiStyle st;
  apply_theme(st, 2.0f, true);
  const ImVec4* c = st.Colors;
  for (ImGuiCol text : {ImGuiCol_Text, ImGuiCol_TextDisabled})
    for (ImGuiCol bg : {ImGuiCol_WindowBg, ImGuiCol_ChildBg, ImGuiCol_PopupBg, ImGuiCol_FrameBg})
      EXPECT_GE(contrast_ratio(c[text], c[bg]), 7.0) << ImGui::GetStyleColorName(text) << " on " << ImGui::GetStyleColorName(bg);
  for (ImGuiCol bg : {ImGuiCol_Button, ImGuiCol_Header, ImGuiCol_Tab, ImGuiCol_TabActive})
    EXPECT_GE(contrast_ratio(c[ImGuiCol_Text], c[bg]), 4.5) << ImGui::GetStyleColorName(bg);
  // Lines and marks stand out from the background (WCAG's 3:1 for graphics).
  for (ImGuiCol line : {ImGuiCol_Border, ImGuiCol_Separator, ImGuiCol_CheckMark, ImGuiCol_SliderGrab})
    EXPECT_GE(contrast_ratio(c[line], c[ImGuiCol_WindowBg]), 3.0) << ImGui::GetStyleColorName(line);
  // A heatmap's darkest viridis cell (#440154) is told apart from the background by the grid's border, not by itself.
  EXPECT_GE(contrast_ratio(c[ImGuiCol_Border], ImVec4(0x44 / 255.f, 0x01 / 255.f, 0x54 / 255.f, 1)), 3.0);
  // Thick lines, and every size scaled like the usual theme's.
  EXPECT_GE(st.WindowBorderSize, 2.0f);
  EXPECT_GE(st.FrameBorderSize, 1.5f);
  const ImGuiStyle base;
  EXPECT_FLOAT_EQ(st.FramePadding.x, base.FramePadding.x * 2);
  EXPECT_FLOAT_EQ(st.ItemSpacing.y, base.ItemSpacing.y * 2);
  ImGuiStyle light;
  apply_theme(light, 2.0f, false);
  EXPECT_FLOAT_EQ(light.FramePadding.x, base.FramePadding.x * 2);
  EXPECT_LT(contrast_ratio(light.Colors[ImGuiCol_WindowBg], ImVec4(1, 1, 1, 1)), 1.2);  // the usual light theme
  ImGui::DestroyContext();
}
