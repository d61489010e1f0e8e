// The Training tab and trained models in the real app under Xvfb: a short training run started by a script
// completes and its curves are drawn; a model file in the models folder is offered at start-up and drives the
// explorer.
#include <gtest/gtest.h>
#include <stb_image.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "cli.h"
#include "corpus.h"
#include "weights_file.h"
#include "gui_util.h"
#include "window.h"

using namespace attn;
using namespace attn::test;
namespace fs = std::filesystem;

namespace {


// Pixels close to a colour, in a rectangle.
int count_colour(const Png& p, int x0, int y0, int x1, int y1, int r, int g, int b) {
  int k = 0;
  for (int y = std::max(0, y0); y < std::min(p.h, y1); ++y)
    for (int x = std::max(0, x0); x < std::min(p.w, x1); ++x) {
      const uint8_t* c = p.at(x, y);
      k += std::abs(c[0] - r) + std::abs(c[1] - g) + std::abs(c[2] - b) < 40;
    }
  return k;
}

}  // namespace

TEST(GuiTraining, AShortRunCompletesAndDrawsItsCurves) {
  const fs::path d = temp_dir("train-run");
  const std::string before = (d / "before.png").string(), after = (d / "after.png").string();
  const std::string script = R"([
    {"view": "training"}, {"frames": 2}, {"screenshot": ")" + before + R"("},
    {"train": {"task": "reverse", "length": 6, "vocab": 8, "d_model": 16, "heads": 2, "layers": 1, "d_ff": 32,
               "batch": 8, "steps": 50, "warmup": 10, "seed": 2}},
    {"train_wait": 20}, {"expect": {"training_step": 20, "training_finished": false}}, {"frames": 2},
    {"train_wait": "done"}, {"expect": {"training_step": 50, "training_finished": true}},
    {"frames": 2}, {"screenshot": ")" + after + R"("},
    {"train_control": "use"}, {"expect": {"model": "reverse-6x8-trained", "error": ""}},
    {"view": "heads"}, {"frames": 2}, {"view": "decoder"}, {"frames": 2}, {"view": "interventions"}, {"frames": 2},
    {"model": "random"}, {"frames": 2}])";
  ASSERT_EQ(run_script(d, script), 0);
  const Png a = load_png(before), b = load_png(after);
  ASSERT_EQ(b.w, 1600);
  ASSERT_EQ(b.h, 1000);
  // The curves live in the top right of the tab: the loss line (blue) and the held-out curve (orange) appear.
  const int x0 = b.w / 3, y1 = b.h / 3;
  const int blue_before = count_colour(a, x0, 0, a.w, y1, 0, 114, 178);
  const int blue_after = count_colour(b, x0, 0, b.w, y1, 0, 114, 178);
  const int orange_after = count_colour(b, x0, 0, b.w, y1, 213, 94, 0);
  EXPECT_GT(blue_after, blue_before + 150) << "loss/accuracy lines";
  EXPECT_GT(orange_after, 100) << "held-out accuracy line";
}

TEST(GuiTraining, AModelInTheModelsFolderDrivesTheExplorer) {
  const fs::path d = temp_dir("train-shipped");
  fs::create_directories(d / "models");
  TrainedModel m;
  m.name = "induction-test";
  m.config.task.kind = TaskKind::Induction;
  m.config.task.length = 8;
  m.config.task.vocab = 10;
  m.config.d_model = 16, m.config.heads = 2, m.config.layers = 2, m.config.d_ff = 32;
  m.model = init_task_model(m.config);
  ASSERT_EQ(save_weights((d / "models" / "induction-test.safetensors").string(), m), "");
  setenv("ATTN_MODELS_DIR", (d / "models").c_str(), 1);
  const std::string shot = (d / "explorer.png").string();
  const int rc = run_script(d, R"([{"model": "induction-test"}, {"expect": {"model": "induction-test"}}, {"frames": 2},
      {"expect": {"error": ""}}, {"view": "heads"}, {"frames": 2}, {"text": "1 2 3 4 1 2 3 4"}, {"frames": 1},
      {"expect": {"error": ""}}, {"text": "1 2 banana"}, {"frames": 1}, {"expect": {"error": "banana"}},
      {"text": "1 2 3 4 1 2 3 4"}, {"frames": 2}, {"screenshot": ")" + shot + R"("}])",
                            1280, 800);
  unsetenv("ATTN_MODELS_DIR");
  ASSERT_EQ(rc, 0);
  EXPECT_EQ(load_png(shot).w, 1280);
}

// The Training tab's language model (issue 13 §4): a short run on WordNet's glosses finishes, its loss curve is drawn,
// and "Use in explorer" runs it through the other tabs.
TEST(GuiTraining, ALanguageModelRunDrawsItsLossAndIsUsedInTheExplorer) {
  if (!fs::exists(std::string(kWordnetDir) + "/data.noun")) GTEST_SKIP() << "wordnet-base is not installed";
  const fs::path d = temp_dir("train-lm");
  const std::string shot = (d / "lm.png").string();
  const std::string script = R"([
    {"view": "training"}, {"frames": 2},
    {"train_lm": {"layers": 1, "heads": 2, "d_model": 32, "d_ff": 64, "context": 16, "vocab": 512, "batch": 8,
                  "steps": 60, "warmup": 10}},
    {"frames": 3}, {"screenshot": ")" + shot + R"("},
    {"train_lm_use": true}, {"frames": 2}, {"expect": {"model": "wordnet-lm-trained", "error": ""}},
    {"view": "gallery"}, {"frames": 5}, {"view": "stages"}, {"frames": 2}, {"model": "random"}, {"frames": 2}])";
  ASSERT_EQ(run_script(d, script), 0);
  const Png p = load_png(shot);
  ASSERT_EQ(p.w, 1600);
  // The loss plot fills the top right: its training line (blue) and held-out points (orange).
  EXPECT_GT(count_colour(p, p.w / 3, 0, p.w, p.h / 2, 0, 114, 178), 150) << "training loss line";
  EXPECT_GT(count_colour(p, p.w / 3, 0, p.w, p.h / 2, 213, 94, 0), 20) << "held-out points";
  fs::remove_all(d);
}
