// Views under the background-job mechanism, with the real app under Xvfb: heavy derived data (the paths view's RNN
// influence, O(n²·d³)) never stalls a frame, and views index the trace they draw, not the settings being edited.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "cli.h"
#include "gui_util.h"
#include "window.h"

using namespace attn;
using namespace attn::test;
namespace fs = std::filesystem;

namespace {

std::string words(int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s += (i ? " w" : "w") + std::to_string(i);
  return s;
}

}  // namespace

// Issue 11: interventions with one head off, then a layer count the memory estimate refuses (typed into the control,
// as a user would: the edit reaches the document and the recompute refuses it): the previous trace (3 layers) stays
// on screen and the view must index it with its own 3 layers (it used the settings' count: exit 139).
TEST(GuiJobs, InterventionsDrawTheTraceAfterARefusedEdit) {
  const fs::path d = temp_dir("interventions");
  const std::string shot = (d / "s.png").string();
  const std::string script = R"([
    {"set": "d_model", "value": 768}, {"set": "heads", "value": 64}, {"set": "d_ff", "value": 3072},
    {"set": "max_tokens", "value": 512}, {"set": "layers", "value": 3},
    {"head": [0, 0, false]}, {"view": "interventions"}, {"frames": 2},
    {"type": "layers", "value": 8}, {"frames": 3}, {"expect": {"error": "MB this app allows"}},
    {"select": {"layer": 7, "head": 63}}, {"frames": 2},
    {"screenshot": ")" + shot + R"("}])";
  EXPECT_EQ(run_script(d, script), 0);
  EXPECT_EQ(load_png(shot).w, 1600);
}

// The paths view at d_model 512 and 60 tokens computed ‖∂h_j/∂x_i‖ for every pair on the UI thread (114 s in one
// frame). Now it runs in a job: with --bench-frames (no waiting for jobs) no frame may take more than a second,
// including the frames right after switching to the tab. Generous on purpose: this checks where the work runs.
TEST(GuiJobs, PathsViewAtDModel512DoesNotBlockAFrame) {
  const fs::path d = temp_dir("paths");
  std::ofstream(d / "script.json") << R"([
    {"set": "d_model", "value": 512}, {"set": "heads", "value": 8}, {"set": "d_ff", "value": 1024},
    {"set": "max_tokens", "value": 64}, {"set": "layers", "value": 1},
    {"frames": 25}, {"view": "paths"}, {"frames": 40}])";
  GuiOptions o;
  o.script = (d / "script.json").string();
  o.config_dir = (d / "config").string();
  o.no_mouse = true;
  o.width = 1280, o.height = 800;
  o.text = words(60);
  o.weights = "random";  // the settings above are the random model's
  o.bench_frames = 50;  // frames 21…70 are timed: the switch happens at about frame 31
  testing::internal::CaptureStdout();
  const int rc = run_gui(o);
  const std::string out = testing::internal::GetCapturedStdout();
  ASSERT_EQ(rc, 0) << out;
  const size_t at = out.find("max ");
  ASSERT_NE(at, std::string::npos) << out;
  const double max_ms = std::stod(out.substr(at + 4));
  EXPECT_LT(max_ms, 1000.0) << out;
}
