// The language switched at run time in the real window (issue 14 §3): the script's "lang" does what the Display
// section's combo does; the next frame is drawn in the new language, and switching back gives the same pixels.
#include <gtest/gtest.h>

#include "gui_util.h"
#include "i18n.h"

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

TEST(GuiI18n, UnknownLanguageIsRefusedByTheScript) {
  const fs::path d = temp_dir("i18n-bad");
  EXPECT_EQ(run_script(d, R"([{"lang": "tlh"}])"), 2);
  EXPECT_EQ(language(), "en");
}

}  // namespace
}  // namespace attn
