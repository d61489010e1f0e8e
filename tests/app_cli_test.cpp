// The CLI's argument handling (end-to-end export tests live beside it).
#include <gtest/gtest.h>

#include <sstream>

#include "cli.h"

using namespace attn;

namespace {
int run(std::vector<std::string> args, std::string* out, std::string* err) {
  std::vector<char*> argv;
  args.insert(args.begin(), "attention-lab");
  for (auto& a : args) argv.push_back(a.data());
  std::ostringstream o, e;
  GuiOptions g;
  bool gui = false;
  const int rc = run_cli(int(argv.size()), argv.data(), o, e, &g, &gui);
  *out = o.str();
  *err = e.str();
  return rc;
}
}  // namespace

TEST(Cli, HeadsNotDividingDModelIsAOneLineError) {
  std::string out, err;
  EXPECT_NE(run({"export", "--text", "a b", "--out", "/tmp/attn-never", "--heads", "3"}, &out, &err), 0);
  EXPECT_NE(err.find("must divide d_model"), std::string::npos) << err;
  EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1);
}
