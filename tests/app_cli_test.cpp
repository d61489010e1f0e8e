// The CLI's argument handling (end-to-end export tests live beside it).
#include <gtest/gtest.h>

#include <sstream>

#include "app_util.h"
#include "cli.h"

using namespace attn;

namespace {
int run(std::vector<std::string> args, std::string* out, std::string* err) {
  const test::CliResult r = test::run_cli_args(std::move(args));
  *out = r.out;
  *err = r.err;
  return r.code;
}
}  // namespace

TEST(Cli, HeadsNotDividingDModelIsAOneLineError) {
  std::string out, err;
  EXPECT_NE(run({"export", "--text", "a b", "--out", "/tmp/attn-never", "--heads", "3"}, &out, &err), 0);
  EXPECT_NE(err.find("must divide d_model"), std::string::npos) << err;
  EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1);
}
