// The Feed-forward tab in a real window: random weights (ReLU: its exact zeros drawn in their own grey) and the shipped
// wordnet-lm (GELU: no exact zeros, so no grey), and the settings that must give a message instead of a crash.
#include <gtest/gtest.h>

#include "gui_util.h"

namespace fs = std::filesystem;
using namespace attn::test;

namespace {

const char* kSentence = R"({"text": "The animal didn't cross the street because it was too tired"})";

// Pixels of exactly the grey an exact 0 is drawn in (colormap.cpp's colour for NaN), in the tab's heatmap band.
long grey_pixels(const Png& p) {
  long k = 0;
  for (int y = p.h / 10; y < p.h / 2; ++y)
    for (int x = p.w / 4; x < p.w; ++x) {
      const uint8_t* q = p.at(x, y);
      k += q[0] == 128 && q[1] == 128 && q[2] == 128;
    }
  return k;
}

}  // namespace

TEST(GuiFfn, RandomWeightsDrawReluZerosAndBadSettingsGiveMessages) {
  const fs::path d = temp_dir("ffn");
  const std::string script = std::string("[") + kSentence + R"(, {"view": "ffn"}, {"pin": [7, 7]}, {"frames": 3},
    {"expect": {"error": ""}}, {"screenshot": ")" + (d / "relu.png").string() + R"("},
    {"select": {"layer": 1, "head": 0}}, {"frames": 2}, {"expect": {"error": ""}},
    {"set": "norm", "value": "pre"}, {"frames": 2}, {"expect": {"error": ""}},
    {"set": "d_ff", "value": 16384}, {"frames": 3}, {"expect": {"error": ""}},
    {"screenshot": ")" + (d / "wide.png").string() + R"("},
    {"set": "d_ff", "value": 1}, {"frames": 2}, {"expect": {"error": ""}},
    {"set": "layers", "value": 0}, {"frames": 2}, {"expect": {"error": ""}},
    {"screenshot": ")" + (d / "none.png").string() + R"("}])";
  ASSERT_EQ(run_script(d, script), 0);
  const Png relu = load_png((d / "relu.png").string()), wide = load_png((d / "wide.png").string()),
            none = load_png((d / "none.png").string());
  ASSERT_GT(relu.w, 0);
  EXPECT_GT(grey_pixels(relu), 5000);  // about half of the hidden units are exactly 0
  EXPECT_GT(distinct_colours(relu, relu.w / 4, relu.h / 10, relu.w, relu.h / 2), 100u);
  EXPECT_GT(distinct_colours(wide, wide.w / 4, wide.h / 10, wide.w, wide.h / 2), 100u);  // d_ff = 16384 still drawn
  EXPECT_LT(distinct_colours(none, none.w / 4, none.h / 10, none.w, none.h / 2), 40u);  // no layer: a message only
  fs::remove_all(d);
}

TEST(GuiFfn, TheShippedLanguageModelDrawsGelu) {
  const fs::path d = temp_dir("ffn-gelu");
  const std::string script = std::string(R"([{"model": "wordnet-lm"}, {"expect": {"model": "wordnet-lm"}}, )") +
                             kSentence + R"(, {"view": "ffn"}, {"select": {"layer": 1, "head": 0}}, {"pin": [9, 9]},
    {"frames": 3}, {"expect": {"error": ""}}, {"screenshot": ")" + (d / "gelu.png").string() + R"("}])";
  ASSERT_EQ(run_script(d, script), 0);
  const Png g = load_png((d / "gelu.png").string());
  ASSERT_GT(g.w, 0);
  EXPECT_GT(distinct_colours(g, g.w / 4, g.h / 10, g.w, g.h / 2), 100u);
  EXPECT_LT(grey_pixels(g), 200);  // GELU is never exactly 0 here: no unit drawn as a zero
  fs::remove_all(d);
}
