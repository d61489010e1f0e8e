// A GPT-2-family checkpoint in the app: opened by a script, every tab draws it (the gallery with its scores), the
// controls it fixes are refused, the predictions strip is drawn, and toggling 1/√d_k repaints the heatmaps.
#include <gtest/gtest.h>

#include "gui_util.h"
#include "tiny_gpt2.h"

namespace fs = std::filesystem;
using namespace attn::test;

TEST(GuiGpt2, EveryTabDrawsACheckpointAndScalingIsAnIntervention) {
  const fs::path d = temp_dir("gpt2");
  TinyGpt2 shape;
  shape.n_layer = 3, shape.n_head = 4, shape.n_embd = 16, shape.n_positions = 64;
  write_tiny_gpt2(d / "tiny-gpt2", tiny_gpt2(Dtype::F32, 4, shape));
  std::string views;
  for (const char* v : {"stages", "heads", "gallery", "query", "softmax", "masks", "interventions", "steps",
                        "positional", "complexity", "paths", "norms", "ffn", "decoder"})
    views += std::string(R"({"view": ")") + v + R"("}, {"frames": 2}, {"expect": {"error": ""}}, )";
  const std::string script = R"([
    {"open_model": ")" + (d / "tiny-gpt2").string() + R"("},
    {"expect": {"model": "tiny-gpt2"}},
    {"text": " the cat in the hat sat on the mat"}, {"frames": 2},
    )" + views + R"(
    {"view": "stages"}, {"frames": 2}, {"screenshot": ")" + (d / "scaled.png").string() + R"("},
    {"set": "scale", "value": false}, {"frames": 2}, {"screenshot": ")" + (d / "unscaled.png").string() + R"("},
    {"view": "gallery"}, {"frames": 3}, {"screenshot": ")" + (d / "gallery.png").string() + R"("}
  ])";
  // d_model is fixed by the checkpoint: a script that sets it stops there with an error.
  const std::string refused = R"([{"open_model": ")" + (d / "tiny-gpt2").string() +
                              R"("}, {"set": "d_model", "value": 32}])";
  std::ofstream(d / "refused.json") << refused;
  attn::GuiOptions o;
  o.script = (d / "refused.json").string();
  o.config_dir = (d / "config-r").string();
  o.no_mouse = true;
  EXPECT_NE(attn::run_gui(o), 0);  // the script stops at the refused action
  ASSERT_EQ(run_script(d, script), 0);
  const Png a = load_png((d / "scaled.png").string()), b = load_png((d / "unscaled.png").string());
  EXPECT_GT(differing_pixels(a, b), 5000);  // the heatmaps and the predictions under the sentence change
  const Png g = load_png((d / "gallery.png").string());
  EXPECT_GT(distinct_colours(g, g.w / 3, 0, g.w, g.h), 100u);
  fs::remove_all(d);
}
