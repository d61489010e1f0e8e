// The layout check (app/layout_check.h) on every tab of the real app: at 1280×720 and 1920×1080, at UI scale 1 and 2
// and in presenter mode (its projector scale, 2 by default), in English and in Chinese, and with the lessons drawer
// open, no text may be cut off or drawn over other text. A failure names the tab, the size, the scale, the language and the text.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "gui_util.h"
#include "ui_state.h"

using namespace attn;
using namespace attn::test;
namespace fs = std::filesystem;

namespace {

struct LayoutCase {
  int w, h;
  float scale;     // ui_scale, or presenter_scale when presenter is on
  bool presenter;
  std::string lang;
  bool lesson = false;  // with the lessons drawer open on a step (lesson 3, step 2: a question and a highlight)
  std::string name() const {
    return std::to_string(w) + "x" + std::to_string(h) + " scale " + (scale == 1 ? "1" : "2") +
           (presenter ? " presenter" : "") + (lesson ? " lesson" : "") + " " + lang;
  }
};

// Both sizes, scale 1 and 2, presenter mode, in English and in Chinese.
const std::vector<LayoutCase> kCases = [] {
  std::vector<LayoutCase> v;
  for (const char* lang : {"en", "zh_CN"})
    for (const LayoutCase& c : {LayoutCase{1280, 720, 1, false, ""}, LayoutCase{1920, 1080, 1, false, ""}, LayoutCase{1280, 720, 2, false, ""},
                                LayoutCase{1920, 1080, 2, false, ""}, LayoutCase{1280, 720, 2, true, ""}, LayoutCase{1920, 1080, 2, true, ""}})
      v.push_back({c.w, c.h, c.scale, c.presenter, lang});
  // A lesson shown on a projector, and the drawer beside the side panel (which gives way when the views would be
  // narrower than 28 em).
  for (const char* lang : {"en", "zh_CN"})
    for (const LayoutCase& c : {LayoutCase{1280, 720, 2, true, ""}, LayoutCase{1920, 1080, 1, false, ""}, LayoutCase{1280, 720, 2, false, ""}})
      v.push_back({c.w, c.h, c.scale, c.presenter, lang, true});
  return v;
}();

// Runs the app once for a case, visiting every tab; returns each tab's findings.
std::map<std::string, std::vector<std::string>> run_case(const LayoutCase& c) {
  const fs::path dir = temp_dir("layout-" + std::to_string(c.w) + "-" + std::to_string(int(c.scale)) + (c.presenter ? "p" : "") + (c.lesson ? "l" : "") + c.lang);
  std::string script = R"([{"lang": ")" + c.lang + R"("}, {"text": "The animal didn't cross the street because it was too tired"},)";
  script += c.presenter ? R"({"set": "presenter_scale", "value": )" + std::to_string(c.scale) + R"(}, {"set": "presenter", "value": true},)"
                        : R"({"set": "ui_scale", "value": )" + std::to_string(c.scale) + "},";
  if (c.lesson) script += R"({"lesson": 3}, {"lesson_step": 2},)";
  script += R"({"frames": 2})";
  for (int i = 0; i < kViewCount; ++i) {
    const std::string id = view_id(View(i));
    script += R"(, {"view": ")" + id + R"("}, {"frames": 2}, {"layout_check": ")" + (dir / (id + ".txt")).string() + R"("})";
  }
  script += "]";
  std::map<std::string, std::vector<std::string>> out;
  EXPECT_EQ(run_script(dir, script, c.w, c.h), 0) << c.name();
  for (int i = 0; i < kViewCount; ++i) {
    const std::string id = view_id(View(i));
    std::ifstream in(dir / (id + ".txt"));
    EXPECT_TRUE(in.good()) << "no findings file for tab " << id << " at " << c.name();
    std::vector<std::string>& v = out[id];
    for (std::string line; std::getline(in, line);) v.push_back(line);
  }
  return out;
}

}  // namespace

TEST(GuiLayout, NoTextIsCutOffOrOverlapsOnAnyTab) {
  for (const LayoutCase& c : kCases)
    for (const auto& [tab, lines] : run_case(c))
      for (const std::string& l : lines) ADD_FAILURE() << "tab " << tab << " at " << c.name() << ": " << l;
}

// Presenter mode on the real window: dark and without the light side panel while on; leaving it gives back the very
// same screen (theme, scale, panel), pixel for pixel.
TEST(GuiPresenter, TurnsTheScreenDarkAndLeavingRestoresItPixelForPixel) {
  const fs::path d = temp_dir("presenter");
  const std::string a = (d / "a.png").string(), b = (d / "b.png").string(), c = (d / "c.png").string();
  ASSERT_EQ(run_script(d, R"([{"view": "stages"}, {"frames": 3}, {"screenshot": ")" + a + R"("},
      {"set": "presenter", "value": true}, {"frames": 3}, {"screenshot": ")" + b + R"("},
      {"set": "presenter", "value": false}, {"frames": 3}, {"screenshot": ")" + c + R"("}])", 1280, 720), 0);
  const Png before = load_png(a), on = load_png(b), after = load_png(c);
  ASSERT_EQ(on.w, 1280);
  EXPECT_EQ(differing_pixels(before, after), 0);
  auto mean = [](const Png& p, int x0, int x1) {
    double s = 0;
    long n = 0;
    for (int y = 0; y < p.h; y += 2)
      for (int x = x0; x < x1; x += 2, ++n) s += (p.at(x, y)[0] + p.at(x, y)[1] + p.at(x, y)[2]) / 3.0;
    return s / double(n);
  };
  // The left panel (light theme) against the same strip in presenter mode (views over a near-black background).
  // (The strip then holds a heatmap of light and dark cells: its mean stays well under the light panel's.)
  EXPECT_GT(mean(before, 0, 250), 180);
  EXPECT_LT(mean(on, 0, 250), 110);
  EXPECT_LT(mean(on, 0, on.w), 70);
}
