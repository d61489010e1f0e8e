// The monkey test (ctest "monkey"): the real app, under Xvfb, runs seeded random actions (app/monkey.h) — every
// setting typed at random and edge values, tabs, pins, heads off, malformed Unicode and huge pastes, models, training,
// files. Each seed runs in a child process, so a crash, an abort or a sanitizer report fails the test with the seed and
// the action that was running. ATTN_MONKEY_SEEDS (default 3) and ATTN_MONKEY_ACTIONS (default 2000) set the size;
// a summary of every seed goes to monkey-summary.txt in the working directory (.ci/run prints it).
#include <gtest/gtest.h>
#include <spawn.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
extern char** environ;

namespace {

int env_int(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::atoi(v) : fallback;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string last_line(const std::string& s) {
  size_t end = s.find_last_not_of('\n');
  if (end == std::string::npos) return {};
  const size_t start = s.rfind('\n', end);
  return s.substr(start == std::string::npos ? 0 : start + 1, end - (start == std::string::npos ? 0 : start + 1) + 1);
}

struct ChildRun {
  int status = 0;
  std::string out, err, log;
};

// The app as a child process, stdout and stderr to files.
ChildRun run_monkey(const fs::path& dir, int seed, int actions) {
  fs::create_directories(dir);
  const std::string out = (dir / "out.txt").string(), err = (dir / "err.txt").string(), log = (dir / "actions.txt").string();
  std::vector<std::string> args = {ATTN_EXE, "--monkey", std::to_string(seed), "--monkey-actions", std::to_string(actions),
                                   "--monkey-log", log, "--config-dir", (dir / "config").string(), "--io-dir",
                                   (dir / "io").string(), "--size", "1280x800", "--no-mouse"};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&fa, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = 0;
  ChildRun r;
  if (posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ) != 0) {
    r.status = -1;
    return r;
  }
  posix_spawn_file_actions_destroy(&fa);
  waitpid(pid, &r.status, 0);
  r.out = slurp(out), r.err = slurp(err), r.log = slurp(log);
  return r;
}

}  // namespace

TEST(Monkey, SeededRandomActionsNeverCrashHangOrExceedTheCap) {
  const int seeds = env_int("ATTN_MONKEY_SEEDS", 3), actions = env_int("ATTN_MONKEY_ACTIONS", 2000);
  const fs::path root = fs::temp_directory_path() / ("attn-monkey-" + std::to_string(::getpid()));
  std::ofstream summary("monkey-summary.txt");
  long survived = 0;
  for (int seed = 1; seed <= seeds; ++seed) {
    const ChildRun r = run_monkey(root / std::to_string(seed), seed, actions);
    std::string what;
    if (r.status == -1) what = "could not start " ATTN_EXE;
    else if (WIFSIGNALED(r.status)) what = "killed by signal " + std::to_string(WTERMSIG(r.status));
    else if (WEXITSTATUS(r.status) != 0) what = "exit code " + std::to_string(WEXITSTATUS(r.status));
    if (!what.empty()) {
      ADD_FAILURE() << "monkey seed " << seed << ": " << what << "\n  last action started: " << last_line(r.log)
                    << "\n  reproduce: attention-lab --monkey " << seed << " --monkey-actions " << actions
                    << "\n  stderr (end): " << r.err.substr(r.err.size() > 3000 ? r.err.size() - 3000 : 0);
      summary << "seed " << seed << ": FAILED (" << what << ") at " << last_line(r.log) << "\n";
      continue;
    }
    const std::string line = last_line(r.out);
    EXPECT_NE(line.find(std::to_string(actions) + " actions survived"), std::string::npos) << r.out;
    survived += actions;
    summary << line << "\n";
    std::cout << line << "\n";
  }
  summary << "monkey: " << survived << " actions survived over " << seeds << " seeds\n";
  std::cout << "monkey: " << survived << " actions survived over " << seeds << " seeds\n";
  fs::remove_all(root);
}
