// Numbers for the screen (ui/format.h): a probability is never shown as a bare "0.0%" when it is not zero.
#include <gtest/gtest.h>

#include <cmath>

#include "format.h"

using namespace attn;

TEST(Format, PercentKeepsSmallProbabilitiesVisible) {
  EXPECT_EQ(fmt_percent(0.65), "65%");
  EXPECT_EQ(fmt_percent(0.07), "7.0%");
  EXPECT_EQ(fmt_percent(0.0003), "0.03%");
  EXPECT_EQ(fmt_percent(4e-7), "4e-05%");
  EXPECT_EQ(fmt_percent(0.0), "0%");
  EXPECT_EQ(fmt_percent(1.0), "100%");
  EXPECT_EQ(fmt_percent(std::nan("")), "NaN (undefined)");
}
