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

TEST(GuiI18n, UnknownLanguageIsRefusedByTheScript) {
  const fs::path d = temp_dir("i18n-bad");
  EXPECT_EQ(run_script(d, R"([{"lang": "tlh"}])"), 2);
  EXPECT_EQ(language(), "en");
}

}  // namespace
}  // namespace attn
