// app_util.h: what the app tests share: the command line run in this process, its exit code and output.
#pragma once
#include <sstream>
#include <string>
#include <vector>

#include "cli.h"

namespace attn::test {

struct CliResult {
  int code = 0;
  std::string out, err;
};

// run_cli on "attention-lab ARGS…", as main() would, with stdout and stderr captured.
inline CliResult run_cli_args(std::vector<std::string> args) {
  std::vector<char*> argv;
  args.insert(args.begin(), "attention-lab");
  for (auto& a : args) argv.push_back(a.data());
  std::ostringstream o, e;
  GuiOptions g;
  bool gui = false;
  const int rc = run_cli(int(argv.size()), argv.data(), o, e, &g, &gui);
  return {rc, o.str(), e.str()};
}

}  // namespace attn::test
