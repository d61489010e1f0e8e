// The layout check (app/layout_check.h) on headless ImGui frames built to hold exactly one known fault each: text
// past a window's edge, text over other text, a label cut to its button; and frames that hold none.
#include <gtest/gtest.h>
#include <imgui.h>

#include <functional>
#include <string>
#include <vector>

#include "imgui_headless.h"
#include "layout_check.h"

using namespace attn;

namespace {

struct Headless : test::HeadlessImGui {
  // Draws `body` in a fixed window of `size` at (10, 10) and returns the check's findings for the frame. Two frames:
  // ImGui sizes a window's scroll range from the previous frame's content.
  std::vector<std::string> check(ImVec2 size, const std::function<void()>& body, ImGuiWindowFlags flags = 0) {
    for (int f = 0; f < 2; ++f) {
      ImGui::NewFrame();
      ImGui::SetNextWindowPos(ImVec2(10, 10));
      ImGui::SetNextWindowSize(size);
      ImGui::Begin("w", nullptr, ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoSavedSettings | flags);
      body();
      ImGui::End();
      ImGui::Render();
    }
    return check_layout(frame_layout_lists(), *ImGui::GetIO().Fonts);
  }
};

std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (const std::string& x : v) s += x + "\n";
  return s;
}

}  // namespace

TEST(LayoutCheck, TextThatFitsHasNoFindings) {
  Headless h;
  const auto f = h.check(ImVec2(400, 200), [] {
    ImGui::TextUnformatted("Attention is all you need");
    ImGui::TextUnformatted("second line");
    ImGui::Button("OK");
    ImGui::SameLine();
    ImGui::TextUnformatted("(?)");
  });
  EXPECT_TRUE(f.empty()) << joined(f);
}

TEST(LayoutCheck, TextPastTheRightEdgeIsNamed) {
  Headless h;
  // ImGui's default font is 13 px: 36 characters are about 250 px, in a window 150 px wide without a horizontal
  // scrollbar.
  const auto f = h.check(ImVec2(150, 100), [] { ImGui::TextUnformatted("Scaled dot-product attention divides"); });
  ASSERT_EQ(f.size(), 1u) << joined(f);
  EXPECT_NE(f[0].find("clipped at the right edge"), std::string::npos) << f[0];
  // The run is named by the characters that are drawn (those past the edge are dropped by ImGui).
  EXPECT_NE(f[0].find("\"Scaled dot"), std::string::npos) << f[0];
  EXPECT_NE(f[0].find("(window w)"), std::string::npos) << f[0];
}

TEST(LayoutCheck, AWindowThatScrollsDownMayCutItsLastLine) {
  Headless h;
  auto body = [] {
    for (int i = 0; i < 30; ++i) ImGui::Text("line %d", i);
  };
  // Scrolls: the lines below are reachable.
  EXPECT_TRUE(h.check(ImVec2(200, 105), body).empty());
  // Text under a clip rectangle of its own (a plot area, a label column) is cut, scrolling or not.
  const auto f = h.check(ImVec2(300, 200), [] {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 p = ImGui::GetCursorScreenPos();
    dl->PushClipRect(p, ImVec2(p.x + 200, p.y + 6), true);
    dl->AddText(p, IM_COL32_WHITE, "cut at the bottom");
    dl->PopClipRect();
  });
  ASSERT_EQ(f.size(), 1u) << joined(f);
  EXPECT_NE(f[0].find("clipped at the bottom edge"), std::string::npos) << f[0];
  EXPECT_NE(f[0].find("cut at the bottom"), std::string::npos) << f[0];
}

TEST(LayoutCheck, OverlappingTextIsNamedWithBothRuns) {
  Headless h;
  const auto f = h.check(ImVec2(400, 200), [] {
    const ImVec2 p = ImGui::GetCursorPos();
    ImGui::TextUnformatted("didn't");
    ImGui::SetCursorPos(ImVec2(p.x + 20, p.y + 3));  // the collision of two labels, 20 px apart
    ImGui::TextUnformatted("cross");
  });
  ASSERT_EQ(f.size(), 1u) << joined(f);
  EXPECT_NE(f[0].find("overlap: \"didn't\" and \"cross\""), std::string::npos) << f[0];
}

TEST(LayoutCheck, TextSideBySideOrOnTheNextLineDoesNotOverlap) {
  Headless h;
  const auto f = h.check(ImVec2(400, 200), [] {
    ImGui::TextUnformatted("didn't");
    ImGui::SameLine(0, 0);  // touching, not covering
    ImGui::TextUnformatted("cross");
    ImGui::TextUnformatted("the street");
  });
  EXPECT_TRUE(f.empty()) << joined(f);
}

TEST(LayoutCheck, ALabelCutToItsButtonIsReported) {
  Headless h;
  // The button spans x 18…116: its edge crosses the "o" of "download" (pen at 114 in ImGui's 7-pixel default font),
  // which ImGui cuts on the CPU. (A label cut exactly between two glyphs leaves nothing to see: header comment.)
  const auto f = h.check(ImVec2(400, 200), [] { ImGui::Button("Open or download a GPT-2 model", ImVec2(98, 0)); });
  ASSERT_EQ(f.size(), 1u) << joined(f);
  EXPECT_EQ(f[0], "cut to fit its frame: \"Open or downlo\" (window w)");
}
