// The language switched at run time in the real window (issue 14 §3): the script's "lang" does what the Display
// section's combo does; the next frame is drawn in the new language, and switching back gives the same pixels.
#include <gtest/gtest.h>
#include <imgui.h>

#include <map>

#include "explorer.h"
#include "fonts.h"
#include "gui_util.h"
#include "i18n.h"
#include "utf8.h"

namespace attn {
namespace {
namespace fs = std::filesystem;
using namespace attn::test;

TEST(GuiI18n, SwitchingLanguageRedrawsNextFrameAndBackGivesTheSamePixels) {
  const fs::path d = temp_dir("i18n");
  const std::string a = (d / "zh1.png").string(), b = (d / "en.png").string(), c = (d / "zh2.png").string();
  const std::string script = R"([{"view": "masks"}, {"lang": "zh_CN"}, {"expect": {"language": "zh_CN"}}, {"frames": 3},
    {"screenshot": ")" + a + R"("}, {"lang": "en"}, {"expect": {"language": "en"}}, {"frames": 3},
    {"screenshot": ")" + b + R"("}, {"lang": "zh_CN"}, {"frames": 3}, {"screenshot": ")" + c + R"("}, {"lang": "en"}])";
  ASSERT_EQ(run_script(d, script), 0);
  set_language("en");
  const Png zh1 = load_png(a), en = load_png(b), zh2 = load_png(c);
  ASSERT_EQ(zh1.w, 1600);
  EXPECT_EQ(differing_pixels(zh1, zh2), 0) << "Chinese, English, Chinese again: the two Chinese frames must be equal";
  // The left panel and the tab bar are words: Chinese and English differ over many pixels.
  EXPECT_GT(differing_pixels(zh1, en), 5000);
}

// Switched at run time, the atlas must hold every glyph of the translation, as when the app starts in Chinese: the
// two frames are identical (a switch that kept the English atlas drew '?' for characters only the translation uses).
TEST(GuiI18n, ASwitchAtRunTimeDrawsEveryGlyphAsAStartInChinese) {
  const fs::path d = temp_dir("i18n-glyphs");
  const std::string a = (d / "switched.png").string(), b = (d / "started.png").string();
  ASSERT_EQ(run_script(d, R"([{"view": "masks"}, {"lang": "zh_CN"}, {"frames": 3}, {"screenshot": ")" + a + R"("}])"), 0);
  std::ofstream(d / "start.json") << R"([{"view": "masks"}, {"frames": 3}, {"screenshot": ")" + b + R"("}])";
  GuiOptions o;
  o.script = (d / "start.json").string();
  o.config_dir = (d / "config2").string();
  o.no_mouse = true;
  o.width = 1600, o.height = 1000;
  o.weights = "random";
  o.lang = "zh_CN";
  ASSERT_EQ(run_gui(o), 0);
  set_language("en");
  const Png switched = load_png(a), started = load_png(b);
  ASSERT_EQ(switched.w, 1600);
  EXPECT_EQ(differing_pixels(switched, started), 0);
}

// An ImGui context with no window whose font is the app's CJK font holding every character of the translation: a
// frame's text can then be read back from its draw lists (each glyph is a textured quad whose corners are the glyph's
// atlas coordinates), so a test sees the words actually drawn, in which window.
struct CjkFrames {
  std::map<std::pair<float, float>, char32_t> glyph_at;  // (U0, V0) of each glyph → its code point
  explicit CjkFrames(ImVec2 display) {
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.DisplaySize = display;
    io.DeltaTime = 1.0f / 60;
    const FontFile f = find_ui_font();
    ImFontGlyphRangesBuilder b;
    b.AddRanges(io.Fonts->GetGlyphRangesDefault());
    const std::string before = language();
    set_language("zh_CN");  // the catalogue's characters, whichever language the test starts in
    b.AddText(catalogue_text().c_str());
    set_language(before);
    b.AddText("→×−·…√ᵀ");
    b.BuildRanges(&ranges);
    ImFontConfig cfg;
    cfg.FontNo = f.index;
    font = f.has_cjk ? io.Fonts->AddFontFromFileTTF(f.path.c_str(), 18, &cfg, ranges.Data) : nullptr;
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
    if (font)
      for (const ImFontGlyph& g : font->Glyphs) glyph_at[{g.U0, g.V0}] = char32_t(g.Codepoint);
  }
  ~CjkFrames() { ImGui::DestroyContext(); }
  // The characters window `name` (and its child windows) drew in the last frame, in drawing order, spaces left out.
  std::u32string drawn(const std::string& name) const {
    std::u32string out;
    const ImDrawData* dd = ImGui::GetDrawData();
    for (int l = 0; dd && l < dd->CmdListsCount; ++l) {
      const ImDrawList* dl = dd->CmdLists[l];
      if (std::string(dl->_OwnerName).rfind(name, 0) != 0) continue;
      const ImDrawIdx* ix = dl->IdxBuffer.Data;
      // A glyph is ImDrawList::PrimRectUV: indices a, a+1, a+2, a, a+2, a+3; vertex a at (U0, V0), a+2 at (U1, V1).
      for (int i = 0; i + 6 <= dl->IdxBuffer.Size;) {
        const ImDrawIdx a = ix[i];
        if (ix[i + 1] == a + 1 && ix[i + 2] == a + 2 && ix[i + 3] == a && ix[i + 4] == a + 2 && ix[i + 5] == a + 3) {
          const ImVec2 uv0 = dl->VtxBuffer[a].uv, uv1 = dl->VtxBuffer[a + 2].uv;
          const auto it = glyph_at.find({uv0.x, uv0.y});
          if (it != glyph_at.end() && (uv0.x != uv1.x || uv0.y != uv1.y)) {
            out += it->second;
            i += 6;
            continue;
          }
        }
        i += 3;
      }
    }
    return out;
  }
  ImVector<ImWchar> ranges;
  ImFont* font = nullptr;
};

// `text` as drawn: its code points without spaces (ImGui draws no quad for a space).
std::u32string glyphs(const std::string& text) {
  std::u32string out;
  for (char32_t c : decode_utf8(text))
    if (c != U' ') out += c;
  return out;
}

// The explorer's own words (status line, hints, the presenter's navigation, the lessons drawer) are drawn in Chinese
// when the language is zh_CN, and in English otherwise; read back from the frame's draw lists, not from the code.
TEST(GuiI18n, StatusLinePresenterButtonsAndTheDrawerAreDrawnInTheLanguage) {
  CjkFrames f(ImVec2(1600, 1000));
  if (!f.font) GTEST_SKIP() << "no CJK font (fonts-noto-cjk)";
  Document doc;
  UiState ui;
  Views views;
  ui.lessons.drawer = true;  // no lessons loaded: the drawer says so, in its own words
  auto frame = [&] {
    ImGui::NewFrame();
    draw_explorer(views, doc, ui);
    ImGui::Render();
  };
  auto has = [&](const char* window, const std::string& text) {
    return f.drawn(window).find(glyphs(text)) != std::u32string::npos;
  };
  for (const char* lang : {"zh_CN", "en"}) {
    SCOPED_TRACE(lang);
    ASSERT_TRUE(set_language(lang));
    const bool zh = std::string(lang) == "zh_CN";
    ui.presenter = false;
    views.error.clear();
    frame(), frame();
    EXPECT_EQ(has("Status", "悬停在任何元素上可查看说明。单击热力图单元格可固定一对查询/键；滚轮缩放，右键拖动平移。"), zh);
    EXPECT_EQ(has("Status", "Hover anything for an explanation."), !zh);
    EXPECT_EQ(has("Lessons", "没有课程："), zh);
    EXPECT_EQ(has("Lessons", "No lessons:"), !zh);
    EXPECT_EQ(has("Views", "尚无追踪数据："), zh);

    views.error = "heads = 5";
    ui.presenter = true;
    frame(), frame();
    EXPECT_EQ(has("Status", "未应用：heads = 5。仍显示上一次有效的结果。"), zh);
    EXPECT_EQ(has("Status", "Not applied: heads = 5. Showing the last good result."), !zh);
    EXPECT_EQ(has("Status", "演示模式：F5 退出，F11 切换全屏。"), zh);
    EXPECT_EQ(has("Status", "Presenter mode: F5 leaves it"), !zh);
    EXPECT_EQ(has("Views", "退出演示 (F5)"), zh);
    EXPECT_EQ(has("Views", "Leave (F5)"), !zh);
  }
  set_language("en");
}

TEST(GuiI18n, UnknownLanguageIsRefusedByTheScript) {
  const fs::path d = temp_dir("i18n-bad");
  EXPECT_EQ(run_script(d, R"([{"lang": "tlh"}])"), 2);
  EXPECT_EQ(language(), "en");
}

}  // namespace
}  // namespace attn
