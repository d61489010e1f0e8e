// The teaching views under values typed as a user could (Ctrl+click on a slider) or a script sets: each of the
// issue's crashes and hangs, replayed. Before the fix these killed the process (SIGFPE, std::bad_alloc) or froze it.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "gui_util.h"

using namespace attn::test;
namespace fs = std::filesystem;

namespace {

const char* kText = R"({"text": "one two three four five six seven eight nine ten"})";

// A script: the sentence, then `actions`, then a couple of frames.
std::string script(const std::string& actions) { return std::string("[") + kText + ", " + actions + R"(, {"frames": 2}])"; }

}  // namespace

TEST(GuiTeachingViews, KernelZeroOnPathsIsRefusedNotADivisionByZero) {
  const fs::path d = temp_dir("k0");
  EXPECT_EQ(run_script(d, script(R"({"view": "paths"}, {"frames": 1}, {"set": "kernel_k", "value": 0}, {"frames": 2},
      {"expect": {"status": "kernel k = 0 refused"}})")),
            0);
}

TEST(GuiTeachingViews, KernelOneOnPathsIsRefusedNotAnEndlessLoop) {
  const fs::path d = temp_dir("k1");
  EXPECT_EQ(run_script(d, script(R"({"view": "paths"}, {"set": "kernel_k", "value": 1}, {"frames": 2},
      {"expect": {"status": "kernel k = 1 refused"}})")),
            0);
}

TEST(GuiTeachingViews, NeighbourhoodZeroOnPathsIsRefused) {
  const fs::path d = temp_dir("r0");
  EXPECT_EQ(run_script(d, script(R"({"view": "paths"}, {"set": "neighbourhood_r", "value": 0}, {"frames": 2},
      {"expect": {"status": "neighbourhood r = 0 refused"}})")),
            0);
}

TEST(GuiTeachingViews, NeighbourhoodZeroOnComplexityThenPaths) {
  // The issue's path: r = 0 typed on the Complexity tab, which shares r, then the RNN tab froze.
  const fs::path d = temp_dir("r0cx");
  EXPECT_EQ(run_script(d, script(R"({"view": "complexity"}, {"set": "neighbourhood_r", "value": 0}, {"frames": 2},
      {"expect": {"status": "neighbourhood r = 0 refused"}}, {"view": "paths"}, {"frames": 2},
      {"set": "kernel_k", "value": -5}, {"view": "complexity"}, {"frames": 2},
      {"expect": {"status": "kernel k = -5 refused"}}, {"view": "paths"})")),
            0);
}

TEST(GuiTeachingViews, HugeDkInTheSoftmaxLabIsCapped) {
  // Regression: 100000000 allocated (64 + n)·d_k floats: std::bad_alloc, abort.
  const fs::path d = temp_dir("dk");
  EXPECT_EQ(run_script(d, script(R"({"view": "softmax"}, {"frames": 1}, {"set": "lab_dk", "value": 100000000}, {"frames": 2},
      {"expect": {"status": "d_k = 100000000 refused"}}, {"set": "lab_dk", "value": 0}, {"frames": 2},
      {"expect": {"status": "d_k = 0 refused"}})")),
            0);
}

TEST(GuiTeachingViews, OutOfRangeValueFailsTheExpectation) {
  // The expectation itself can fail: a value in range leaves the status without "refused".
  const fs::path d = temp_dir("ok");
  EXPECT_NE(run_script(d, script(R"({"view": "paths"}, {"set": "kernel_k", "value": 3}, {"frames": 2},
      {"expect": {"status": "refused"}})")),
            0);
}
