// The teaching views' own guard on k, r, n and d (ui/teaching.h check_path_inputs): whatever reaches UiState
// (a slider, a script, a session), a value that would divide by 0 or loop is set back, with the reason.
#include <gtest/gtest.h>

#include "teaching.h"

using namespace attn;

TEST(PathInputs, KernelAndNeighbourhoodBelowTwoAreSetBackWithTheReason) {
  // The reproductions: k = 0 was SIGFPE, k = 1 and r = 0 froze the RNN vs attention view.
  for (int k : {0, 1, -5}) {
    UiState ui;
    ui.conv_k = k;
    check_path_inputs(ui);
    EXPECT_EQ(ui.conv_k, 2) << k;
    EXPECT_NE(ui.status.find("kernel k = " + std::to_string(k) + " refused"), std::string::npos) << ui.status;
  }
  for (int r : {0, 1}) {
    UiState ui;
    ui.restricted_r = r;
    check_path_inputs(ui);
    EXPECT_EQ(ui.restricted_r, 2) << r;
    EXPECT_NE(ui.status.find("neighbourhood r = " + std::to_string(r) + " refused"), std::string::npos) << ui.status;
  }
}

TEST(PathInputs, ValuesInRangeAreLeftAlone) {
  UiState ui;
  ui.conv_k = 3, ui.restricted_r = 5, ui.cx_n = 100, ui.cx_d = 64;
  check_path_inputs(ui);
  EXPECT_EQ(ui.conv_k, 3);
  EXPECT_EQ(ui.restricted_r, 5);
  EXPECT_EQ(ui.cx_n, 100);
  EXPECT_EQ(ui.cx_d, 64);
  EXPECT_TRUE(ui.status.empty()) << ui.status;
}

TEST(PathInputs, HugeSizesAreCapped) {
  // n²·d must fit 64 bits: n and d are capped at 2^20, as the CLI's complexity command does.
  UiState ui;
  ui.cx_n = 2000000000, ui.cx_d = -1;
  check_path_inputs(ui);
  EXPECT_EQ(ui.cx_n, 1 << 20);
  EXPECT_EQ(ui.cx_d, 1);
  EXPECT_NE(ui.status.find("d = -1 refused"), std::string::npos) << ui.status;
}
