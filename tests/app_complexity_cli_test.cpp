// `attention-lab complexity`: one definition of the neighbourhood r (size r, centred, clamped to n), said on stderr
// when it changes the numbers; r < 2 and k < 2 are refused by the parser.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "app_util.h"

using namespace attn;

namespace {

// The CSV's "layer,per_layer,sequential,max_path" row for a layer type.
std::vector<std::string> csv_row(const std::string& csv, const std::string& layer) {
  std::istringstream in(csv);
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(layer + ",", 0) == 0) {
      std::vector<std::string> cells;
      std::istringstream l(line);
      std::string c;
      while (std::getline(l, c, ',')) cells.push_back(c);
      return cells;
    }
  return {};
}

}  // namespace

TEST(CliComplexity, NeighbourhoodLargerThanNIsClampedWithANote) {
  // Regression: --n 10 --d 10 --r 20 reported restricted attention (r·n·d = 2000) as costlier than full attention
  // (n²·d = 1000). With r clamped to n = 10 both are 1000.
  const test::CliResult r = test::run_cli_args({"complexity", "--n", "10", "--d", "10", "--r", "20"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto full = csv_row(r.out, "self-attention"), restricted = csv_row(r.out, "restricted self-attention");
  ASSERT_EQ(full.size(), 4u) << r.out;
  ASSERT_EQ(restricted.size(), 4u) << r.out;
  EXPECT_EQ(full[1], "1000");
  EXPECT_EQ(restricted[1], "1000");  // r = 10: 10·10·10
  // Longest path with a centred window of 10 (±5): positions 0 and 9 are ⌈9/5⌉ = 2 hops apart.
  EXPECT_EQ(restricted[3], "2");
  EXPECT_NE(r.err.find("uses r = 10"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1);
  // stdout is still pure CSV: a header and four rows.
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 5);
}

TEST(CliComplexity, NoNoteWhenRFits) {
  const test::CliResult r = test::run_cli_args({"complexity", "--n", "32", "--d", "64", "--k", "3", "--r", "8"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(r.err.empty()) << r.err;
  const auto restricted = csv_row(r.out, "restricted self-attention");
  ASSERT_EQ(restricted.size(), 4u);
  EXPECT_EQ(restricted[1], std::to_string(8 * 32 * 64));
  EXPECT_EQ(restricted[3], "8");  // ±4 per hop: ⌈31/4⌉
}

TEST(CliComplexity, KernelAndNeighbourhoodBelowTwoAreRefused) {
  for (const char* bad : {"0", "1"}) {
    const test::CliResult k = test::run_cli_args({"complexity", "--n", "8", "--d", "8", "--k", bad});
    EXPECT_NE(k.code, 0) << bad;
    EXPECT_NE(k.err.find("--k"), std::string::npos) << k.err;
    const test::CliResult r = test::run_cli_args({"complexity", "--n", "8", "--d", "8", "--r", bad});
    EXPECT_NE(r.code, 0) << bad;
    EXPECT_NE(r.err.find("--r"), std::string::npos) << r.err;
  }
}
