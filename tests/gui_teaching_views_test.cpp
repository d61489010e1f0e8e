// The teaching views under the issue's crash inputs, replayed through a script: before the fix these killed the
// process (SIGFPE, std::bad_alloc) or froze it. The settings table refuses them now (the script stops with its
// sentence); the views' own guard is tested in ui_path_inputs_test.cpp. Edge values in range draw.
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

TEST(GuiTeachingViews, CrashInputsAreRefusedNotACrash) {
  // k = 0 (SIGFPE), k = 1 and r = 0 (a frozen window), d_k = 100000000 (bad_alloc), each on its tab.
  const char* cases[] = {R"({"view": "paths"}, {"frames": 1}, {"set": "kernel_k", "value": 0})",
                         R"({"view": "paths"}, {"frames": 1}, {"set": "kernel_k", "value": 1})",
                         R"({"view": "paths"}, {"frames": 1}, {"set": "neighbourhood_r", "value": 0})",
                         R"({"view": "complexity"}, {"frames": 1}, {"set": "neighbourhood_r", "value": 0}, {"view": "paths"})",
                         R"({"view": "softmax"}, {"frames": 1}, {"set": "lab_dk", "value": 100000000})"};
  for (const char* c : cases) {
    const fs::path d = temp_dir("bad");
    EXPECT_EQ(run_script(d, script(c)), 2) << c;  // the script's error, not a signal
  }
}

TEST(GuiTeachingViews, EdgeValuesDrawOnEveryTeachingTab) {
  // The smallest k and r, an r larger than the 10 tokens (counted as n, with a note), the largest lab d_k.
  const fs::path d = temp_dir("edge");
  EXPECT_EQ(run_script(d, script(R"({"set": "kernel_k", "value": 2}, {"set": "neighbourhood_r", "value": 2},
      {"view": "paths"}, {"frames": 2}, {"view": "complexity"}, {"frames": 2},
      {"set": "neighbourhood_r", "value": 256}, {"frames": 2}, {"view": "paths"}, {"frames": 2},
      {"set": "lab_dk", "value": 1024}, {"view": "softmax"}, {"frames": 3})")),
            0);
}
