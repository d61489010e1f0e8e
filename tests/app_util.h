// app_util.h: what the app tests share: the command line run in this process, its exit code and output.
#pragma once
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

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

#ifdef ATTN_EXE
// Runs the real executable (no shell) and returns its exit code and peak resident set in bytes (wait4's ru_maxrss).
inline int run_measured(std::vector<std::string> args, double* peak_bytes) {
  args.insert(args.begin(), ATTN_EXE);
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int null_fd = ::open("/dev/null", O_WRONLY);
    ::dup2(null_fd, 1), ::dup2(null_fd, 2);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  int status = 0;
  rusage ru{};
  ::wait4(pid, &status, 0, &ru);
  *peak_bytes = double(ru.ru_maxrss) * 1024.0;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
#endif

}  // namespace attn::test
