// The real app under Xvfb: screenshots are not blank, a causal mask paints the upper triangle in the masked
// colour, a script that toggles every control runs without error, unchanged heatmaps are not re-uploaded.
#include <gtest/gtest.h>
#include <stb_image.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>

#include "cli.h"
#include "gui_util.h"
#include "window.h"

using namespace attn;
using namespace attn::test;
namespace fs = std::filesystem;

namespace {


// Pixels of exactly the masked-cell grey (TextureCache's kMaskedColour).
bool is_masked_grey(const uint8_t* p) { return p[0] == 150 && p[1] == 150 && p[2] == 150; }

}  // namespace

TEST(GuiApp, DefaultScreenIsNotBlank) {
  const fs::path d = temp_dir("blank");
  const std::string shot = (d / "s.png").string();
  ASSERT_EQ(run_script(d, R"([{"frames": 3}, {"screenshot": ")" + shot + R"("}])"), 0);
  const Png p = load_png(shot);
  ASSERT_EQ(p.w, 1600);
  ASSERT_EQ(p.h, 1000);
  // Many distinct colours: text, heatmaps, colour bars.
  EXPECT_GT(distinct_colours(p, 0, 0, p.w, p.h), 200u);
  // The right half (the views, not only the left panel) is drawn too.
  EXPECT_GT(distinct_colours(p, p.w / 2, 0, p.w, p.h), 100u);
}

TEST(GuiApp, CausalMaskPaintsTheUpperTriangle) {
  const fs::path d = temp_dir("causal");
  const std::string none = (d / "none.png").string(), causal = (d / "causal.png").string();
  ASSERT_EQ(run_script(d, R"([{"text": "one two three four five six seven eight"}, {"view": "masks"},
      {"set": "mask", "value": "none"}, {"frames": 2}, {"screenshot": ")" + none + R"("},
      {"set": "mask", "value": "causal"}, {"frames": 2}, {"screenshot": ")" + causal + R"("}])"), 0);
  const Png a = load_png(none), b = load_png(causal);
  ASSERT_GT(a.w, 0);
  ASSERT_GT(b.w, 0);
  auto grey_pixels = [](const Png& p) {
    int k = 0;
    for (int y = 0; y < p.h; ++y)
      for (int x = 0; x < p.w; ++x) k += is_masked_grey(p.at(x, y));
    return k;
  };
  // 8 tokens: 28 of 64 cells are blocked by the causal mask, none without it.
  EXPECT_LT(grey_pixels(a), 1000);  // only the colour bar's small "masked" swatch
  EXPECT_GT(grey_pixels(b), 5000);
  // The blocked region is the upper triangle (row i blocks keys j > i): every grey row ends at the same right
  // edge (the last key) while its left edge moves right going down (a staircase). A lower triangle would do the
  // opposite.
  // Rows of the heatmap: those with a long run of grey (the legend swatch is narrower than 30 px).
  auto grey_in_row = [&](int y) {
    int k = 0;
    for (int x = 0; x < b.w; ++x) k += is_masked_grey(b.at(x, y));
    return k;
  };
  int y_top = -1, y_mid = -1;
  for (int y = 0; y < b.h; ++y)
    if (grey_in_row(y) >= 30) {
      if (y_top < 0) y_top = y;
      y_mid = y;
    }
  ASSERT_GT(y_mid, y_top);
  y_mid = y_top + (y_mid - y_top) / 2;
  y_top += 3;
  auto leftmost = [&](int y) {
    for (int x = b.w / 4; x < b.w; ++x)  // right of the side panel, whose grey text can share a row
      if (is_masked_grey(b.at(x, y))) return x;
    return b.w;
  };
  auto rightmost = [&](int y) {
    for (int x = b.w - 1; x >= 0; --x)  // the swatch sits below the grid, not on these rows
      if (is_masked_grey(b.at(x, y))) return x;
    return -1;
  };
  EXPECT_LT(leftmost(y_top) + 60, leftmost(y_mid));        // left edges: a staircase
  EXPECT_NEAR(rightmost(y_top), rightmost(y_mid), 3);     // right edges: aligned at the last key
}

TEST(GuiApp, ScriptTogglingEveryControlRuns) {
  const fs::path d = temp_dir("toggle");
  const std::string shot = (d / "end.png").string();
  const std::string script = R"([
    {"text": "The animal didn't cross the street because it was too tired"},
    {"set": "scale", "value": false}, {"set": "scale", "value": true},
    {"set": "temperature", "value": 0.2}, {"set": "temperature", "value": 5}, {"set": "temperature", "value": 1},
    {"set": "hard", "value": true}, {"set": "hard", "value": false},
    {"set": "mask", "value": "causal"}, {"set": "mask", "value": "padding"}, {"set": "mask", "value": "custom"},
    {"mask_cell": [0, 1, true]}, {"mask_cell": [1, 0, true]}, {"set": "mask", "value": "none"},
    {"set": "mask_value", "value": "-inf"}, {"set": "mask_value", "value": "-1e9"},
    {"set": "pe", "value": "learned"}, {"set": "pe", "value": "none"}, {"set": "pe", "value": "sinusoidal"},
    {"set": "norm", "value": "pre"}, {"set": "norm", "value": "post"},
    {"set": "d_model", "value": 32}, {"set": "heads", "value": 8}, {"set": "layers", "value": 3},
    {"set": "d_ff", "value": 64}, {"set": "seed", "value": 7},
    {"set": "heads", "value": 3},
    {"set": "heads", "value": 4}, {"set": "d_model", "value": 64}, {"set": "layers", "value": 2},
    {"select": {"layer": 1, "head": 2}}, {"pin": [3, 1]}, {"head": [0, 1, false]},
    {"view": "stages"}, {"frames": 1}, {"view": "heads"}, {"set": "heads_lines", "value": true}, {"frames": 1},
    {"set": "heads_lines", "value": false}, {"set": "enlarge", "value": 1}, {"frames": 1},
    {"view": "query"}, {"frames": 1}, {"view": "softmax"}, {"set": "lab_dk", "value": 512}, {"frames": 1},
    {"view": "masks"}, {"frames": 1}, {"view": "interventions"}, {"frames": 1},
    {"view": "steps"}, {"step": 12}, {"play": true}, {"frames": 3}, {"play": false},
    {"view": "positional"}, {"frames": 1}, {"view": "complexity"}, {"frames": 1}, {"view": "paths"}, {"frames": 1},
    {"view": "norms"}, {"frames": 1}, {"set": "target", "value": "le chat"}, {"set": "decode_steps", "value": 2},
    {"view": "decoder"}, {"frames": 2}, {"set": "target", "value": null},
    {"text": "机器学习很有趣"}, {"frames": 2}, {"view": "stages"}, {"frames": 60},
    {"screenshot": ")" + (d / "zh.png").string() + R"("},
    {"set": "scale", "value": false}, {"frames": 2}, {"screenshot": ")" + (d / "zh-unscaled.png").string() + R"("},
    {"set": "scale", "value": true}, {"frames": 2}, {"screenshot": ")" + (d / "zh-again.png").string() + R"("},
    {"text": ""}, {"frames": 2}, {"expect": {"error": "no tokens"}},
    {"screenshot": ")" + shot + R"("}])";
  ASSERT_EQ(run_script(d, script), 0);
  const Png zh = load_png((d / "zh.png").string()), unscaled = load_png((d / "zh-unscaled.png").string()),
            again = load_png((d / "zh-again.png").string()), end = load_png(shot);
  // Switching the scaling off repaints the heatmaps (thousands of pixels change); switching it back gives the
  // same picture as before. (60 frames after the tab switch: the tab bar, wider than the window since the Head
  // gallery tab, scrolls to the selected tab over several frames, which made the two pictures differ there.)
  EXPECT_GT(differing_pixels(zh, unscaled), 5000);
  EXPECT_EQ(differing_pixels(zh, again), 0);
  // An empty sentence keeps the last good trace on screen: the heatmaps are still drawn, not a blank window.
  EXPECT_GT(distinct_colours(end, end.w / 2, 0, end.w, end.h), 100u);
}

TEST(GuiApp, BadScriptActionFailsWithItsIndex) {
  const fs::path d = temp_dir("bad");
  EXPECT_NE(run_script(d, R"([{"frames": 1}, {"set": "warp", "value": 9}])"), 0);
  EXPECT_NE(run_script(d, R"({"not": "a list"})"), 0);
}

TEST(GuiApp, SmallWindowRenders) {
  const fs::path d = temp_dir("small");
  const std::string shot = (d / "s.png").string();
  ASSERT_EQ(run_script(d, R"([{"frames": 2}, {"screenshot": ")" + shot + R"("}])", 1280, 800), 0);
  const Png p = load_png(shot);
  ASSERT_EQ(p.w, 1280);
  ASSERT_EQ(p.h, 800);
  EXPECT_GT(distinct_colours(p, p.w / 2, 0, p.w, p.h), 100u);  // the views are drawn, not only the panel
}

TEST(GuiApp, StartsWithAChineseSentence) {
  // Regression: the glyph check ran before the first frame, when ImGui has no current font, and crashed on any
  // non-ASCII start-up text (--text, or a Chinese sentence restored from the saved settings).
  const fs::path d = temp_dir("zh");
  const std::string shot = (d / "s.png").string();
  const std::string other = (d / "other.png").string();
  ASSERT_EQ(run_script(d, R"([{"frames": 2}, {"screenshot": ")" + shot + R"("}, {"text": "注意力机制"}, {"frames": 2},
      {"screenshot": ")" + other + R"("}])", 1600, 1000, "机器学习很有趣"), 0);
  const Png a = load_png(shot), b = load_png(other);
  EXPECT_GT(distinct_colours(a, a.w / 2, 0, a.w, a.h), 100u);
  // Another Chinese sentence changes the picture (labels and heatmaps): the glyphs are drawn, the trace is live.
  EXPECT_GT(differing_pixels(a, b), 2000);
}

// A lesson's highlight outlines cells on the token × token heatmaps: a row's outline is longer than one cell's, no
// outline without one, and a region that is not a list of cells and ranges is refused.
TEST(GuiApp, HighlightOutlinesCellsRowsAndRegions) {
  const fs::path d = temp_dir("highlight");
  const std::string none = (d / "none.png").string(), cell = (d / "cell.png").string(), row = (d / "row.png").string();
  ASSERT_EQ(run_script(d, R"([{"view": "stages"}, {"frames": 2}, {"screenshot": ")" + none + R"("},
      {"highlight": [{"cell": [2, 3]}]}, {"frames": 2}, {"screenshot": ")" + cell + R"("},
      {"highlight": [{"row": 2}]}, {"frames": 2}, {"screenshot": ")" + row + R"("}])"), 0);
  auto outline = [](const Png& p) {  // pixels of the outline's colour, (255, 230, 0): not on any colour map
    long n = 0;
    for (int y = 0; y < p.h; ++y)
      for (int x = 0; x < p.w; ++x) n += p.at(x, y)[0] == 255 && p.at(x, y)[1] == 230 && p.at(x, y)[2] == 0;
    return n;
  };
  const long n0 = outline(load_png(none)), n1 = outline(load_png(cell)), n2 = outline(load_png(row));
  EXPECT_EQ(n0, 0);
  EXPECT_GT(n1, 4 * 20) << "a cell outlined on each of the four stage heatmaps";
  EXPECT_GT(n2, 2 * n1) << "a row of 11 cells has a longer outline than one cell";
  EXPECT_NE(run_script(d, R"([{"highlight": [{"row": -1}]}])"), 0);
  EXPECT_NE(run_script(d, R"([{"highlight": [{"rows": [5, 2]}]}])"), 0);
  EXPECT_NE(run_script(d, R"([{"highlight": {"row": 1}}])"), 0);
}

// A script run saves what it set into its own --config-dir (tests read it back), never into the user's settings.
TEST(GuiApp, AScriptNeverWritesTheUsersOwnSettings) {
  const fs::path d = temp_dir("script-config");
  const fs::path home = d / "xdg";
  fs::create_directories(home);
  const char* old = std::getenv("XDG_CONFIG_HOME");
  const std::string saved_env = old ? old : "";
  setenv("XDG_CONFIG_HOME", home.c_str(), 1);
  std::ofstream(d / "s.json") << R"([{"set": "heads", "value": 2}, {"frames": 1}])";
  GuiOptions o;
  o.script = (d / "s.json").string();
  o.no_mouse = true, o.width = 800, o.height = 600, o.weights = "random";
  EXPECT_EQ(run_gui(o), 0);
  EXPECT_FALSE(fs::exists(home / "attention-lab" / "settings.json")) << "the user's own settings were written";
  o.config_dir = (d / "own").string();  // its own folder: remembered there
  EXPECT_EQ(run_gui(o), 0);
  EXPECT_TRUE(fs::exists(d / "own" / "settings.json"));
  if (old) setenv("XDG_CONFIG_HOME", saved_env.c_str(), 1);
  else unsetenv("XDG_CONFIG_HOME");
}
