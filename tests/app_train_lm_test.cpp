// `attention-lab train-lm` (app/train_lm.h) on a tiny corpus: the folder it writes loads as a GPT-2 checkpoint, two
// runs give the same bytes, a run stopped (by --stop-after or by a real SIGINT) and resumed gives the bytes of an
// unbroken one, and bad input is refused with one line.
#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "app_util.h"
#include "bpe.h"
#include "cli.h"
#include "bpe_train.h"
#include "corpus.h"
#include "hf_checkpoint.h"
#include "lm_training_job.h"
#include "tiny_gpt2.h"

using namespace attn;
namespace fs = std::filesystem;

namespace {

class TrainLm : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("attn-train-lm-" + std::to_string(::getpid()) + "-" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_);
    // 2,100 short sentences from a small grammar (deterministic): 300 BPE tokens, and a held-out block (lines
    // 1900–1999, core/corpus.h).
    const char* subj[] = {"the cat", "a dog", "the old man", "my friend", "a small bird"};
    const char* verb[] = {"sees", "likes", "follows", "finds", "watches"};
    const char* obj[] = {"the ball", "a red box", "the river", "an apple", "the garden"};
    std::ofstream f(corpus());
    for (int i = 0; i < 2100; ++i)
      f << subj[i % 5] << ' ' << verb[(i / 5) % 5] << ' ' << obj[(i / 25) % 5] << " near house " << i % 37 << ".\n";
  }
  void TearDown() override { fs::remove_all(root_); }
  std::string corpus() const { return (root_ / "corpus.txt").string(); }
  // The folder is run/lm: its name is config.json's _name_or_path, so runs compared byte for byte share it.
  std::vector<std::string> args(const std::string& run, std::vector<std::string> more = {}) const {
    std::vector<std::string> a = {"train-lm", "--corpus", corpus(), "--out", (root_ / run / "lm").string(), "--vocab", "300",
                                  "--layers", "1", "--heads", "2", "--d-model", "16", "--d-ff", "32", "--context", "16",
                                  "--batch", "4", "--steps", "6", "--warmup", "2", "--eval-every", "2",
                                  "--eval-windows", "4"};
    a.insert(a.end(), more.begin(), more.end());
    return a;
  }
  static std::map<std::string, std::string> files(const fs::path& dir) {
    std::map<std::string, std::string> m;
    for (const auto& e : fs::directory_iterator(dir / "lm")) m[e.path().filename().string()] = test::read_text(e.path());
    return m;
  }
  fs::path root_;
};

}  // namespace

TEST_F(TrainLm, WritesAGpt2FolderThatLoadsAndTwoRunsAreIdentical) {
  const test::CliResult a = test::run_cli_args(args("a"));
  ASSERT_EQ(a.code, 0) << a.err;
  EXPECT_NE(a.out.find("held-out perplexity"), std::string::npos) << a.out;
  EXPECT_NE(a.err.find("step 6/6"), std::string::npos) << a.err;  // the progress line
  const test::CliResult b = test::run_cli_args(args("b"));
  ASSERT_EQ(b.code, 0) << b.err;
  const auto fa = files(root_ / "a"), fb = files(root_ / "b");
  std::vector<std::string> names;
  for (const auto& [name, bytes] : fa) names.push_back(name);
  EXPECT_EQ(names, (std::vector<std::string>{"config.json", "merges.txt", "model.safetensors", "training.json",
                                              "vocab.json"}));
  EXPECT_TRUE(fa == fb) << "two runs of the same command wrote different bytes";

  std::shared_ptr<const Model> m;
  CheckpointInfo info;
  ASSERT_EQ(load_hf_checkpoint((root_ / "a" / "lm").string(), &m, &info), "");
  EXPECT_EQ(info.dtype, "F16");
  EXPECT_EQ(m->config.vocab_size, 300);
  EXPECT_EQ(m->config.context, 16);
  EXPECT_EQ(m->config.layers, 1);
  EXPECT_EQ(m->bpe->size(), 300);
  EXPECT_EQ(m->bpe->symbol(299), "<|endoftext|>");

  const nlohmann::json j = nlohmann::json::parse(fa.at("training.json"));
  EXPECT_EQ(j["config"]["steps"], 6);
  ASSERT_EQ(j["curve"].size(), 3u);  // steps 2, 4, 6
  EXPECT_EQ(j["curve"][2]["step"], 6);
  const double held = j["held_out"]["loss"], uni = j["baselines"]["unigram"]["loss"];
  EXPECT_TRUE(std::isfinite(held));
  EXPECT_NEAR(double(j["held_out"]["perplexity"]), std::exp(held), 1e-9 * std::exp(held));
  // The held-out tokens: whole windows of 16 predictions.
  EXPECT_EQ(int(j["held_out"]["tokens"]) % 16, 0);
  EXPECT_GT(int(j["held_out"]["tokens"]), 0);
  EXPECT_LT(double(j["baselines"]["bigram"]["loss"]), uni);  // this grammar is very predictable from one token
}

TEST_F(TrainLm, StoppedAndResumedEqualsUnbroken) {
  ASSERT_EQ(test::run_cli_args(args("whole")).code, 0);
  const test::CliResult stopped = test::run_cli_args(args("part", {"--stop-after", "3"}));
  EXPECT_EQ(stopped.code, 130) << stopped.err;
  EXPECT_NE(stopped.out.find("interrupted at step 3 of 6"), std::string::npos) << stopped.out;
  EXPECT_TRUE(fs::exists(root_ / "part" / "lm" / kTrainStateFile));
  EXPECT_FALSE(fs::exists(root_ / "part" / "lm" / "config.json"));
  const test::CliResult resumed = test::run_cli_args(args("part", {"--resume"}));
  ASSERT_EQ(resumed.code, 0) << resumed.err;
  EXPECT_NE(resumed.err.find("resuming at step 3 of 6"), std::string::npos) << resumed.err;
  EXPECT_FALSE(fs::exists(root_ / "part" / "lm" / kTrainStateFile));  // done: the state is removed
  EXPECT_TRUE(files(root_ / "whole") == files(root_ / "part"));
}

namespace {
// An error stream that sends the process SIGINT when train-lm reports step 2: Ctrl+C in the middle of a run.
class InterruptAtStep2 : public std::stringbuf {
 protected:
  int sync() override {
    if (!sent_ && str().find("step 2/6") != std::string::npos) {
      sent_ = true;
      std::raise(SIGINT);
    }
    return 0;
  }
  bool sent_ = false;
};
}  // namespace

TEST_F(TrainLm, CtrlCSavesTheStateAndResumeFinishesTheSameModel) {
  ASSERT_EQ(test::run_cli_args(args("whole")).code, 0);
  std::vector<std::string> a = args("ctrl-c");
  a.insert(a.begin(), "attention-lab");
  std::vector<char*> argv;
  for (auto& s : a) argv.push_back(s.data());
  InterruptAtStep2 buf;
  std::ostream err(&buf);
  std::ostringstream out;
  GuiOptions g;
  bool gui = false;
  EXPECT_EQ(run_cli(int(argv.size()), argv.data(), out, err, &g, &gui), 130) << buf.str();
  EXPECT_NE(out.str().find("interrupted at step 2 of 6"), std::string::npos) << out.str();
  ASSERT_TRUE(fs::exists(root_ / "ctrl-c" / "lm" / kTrainStateFile));
  ASSERT_EQ(test::run_cli_args(args("ctrl-c", {"--resume"})).code, 0);
  EXPECT_TRUE(files(root_ / "whole") == files(root_ / "ctrl-c"));
}

TEST_F(TrainLm, BadInputIsRefusedWithOneLine) {
  // The error is the last line, after any progress lines.
  auto refused = [&](std::vector<std::string> a, const std::string& expect) {
    const test::CliResult r = test::run_cli_args(std::move(a));
    EXPECT_EQ(r.code, 2) << r.err;
    const size_t last = r.err.rfind('\n', r.err.size() - 2);
    const std::string line = r.err.substr(last == std::string::npos ? 0 : last + 1);
    EXPECT_EQ(line.rfind("attention-lab: ", 0), 0u) << r.err;
    EXPECT_NE(line.find(expect), std::string::npos) << "got: " << r.err << "\nexpected: " << expect;
  };
  auto with = [&](const std::string& option, const std::string& value) {  // args("x") with one option changed
    std::vector<std::string> a = args("x");
    *(std::find(a.begin(), a.end(), option) + 1) = value;
    return a;
  };
  std::vector<std::string> a = args("x");
  a[2] = (root_ / "missing.txt").string();
  refused(a, "no such folder or file");
  std::ofstream((root_ / "small.txt").string()) << "a b\nc d\n";
  a[2] = (root_ / "small.txt").string();
  refused(a, "the corpus is too small");
  refused(args("x", {"--resume"}), "no saved state to resume");
  refused(args("x", {"--dtype", "f8"}), "--dtype must be f16 or f32");
  refused(with("--heads", "3"), "must divide d_model");
  refused(with("--vocab", "100"), "vocabulary");
  // A state saved with other options is not resumed with these.
  ASSERT_EQ(test::run_cli_args(args("s", {"--stop-after", "2"})).code, 130);
  std::vector<std::string> other = args("s", {"--resume"});
  *(std::find(other.begin(), other.end(), "--d-ff") + 1) = "48";
  refused(other, "saved with other settings (--d-ff 32, now 48)");
}

// The Training tab's job (ui/lm_training_job.h) trains exactly what the core trainer trains on the same pipeline
// (WordNet's glosses, the BPE trained on them), publishes every step's loss, the held-out curve and every head's
// scores, and stops at the step a script asks for.
TEST(LmTrainingJobRun, MatchesTheCoreTrainerAndReportsEveryHead) {
  if (!fs::exists(std::string(kWordnetDir) + "/data.noun")) GTEST_SKIP() << "wordnet-base is not installed";
  LmConfig c;
  c.layers = 1, c.heads = 2, c.d_model = 32, c.d_ff = 64, c.context = 16, c.vocab = 512, c.batch = 8;
  c.steps = 30, c.warmup = 5;
  LmTrainingJob job(c, kWordnetDir, /*start_paused=*/true);
  ASSERT_TRUE(job.run_until(12, 120));
  LmTrainingSnapshot s;
  ASSERT_TRUE(job.latest(&s));
  EXPECT_EQ(s.error, "");
  EXPECT_EQ(s.step, 12);
  EXPECT_TRUE(s.paused);
  ASSERT_TRUE(job.run_until(c.steps, 120));
  job.latest(&s);
  EXPECT_TRUE(s.finished);
  EXPECT_EQ(s.step, 30);
  ASSERT_EQ(s.loss.size(), 30u);
  EXPECT_NEAR(s.loss[0], std::log(512.0), 0.3);  // σ = 0.02 weights guess nearly uniformly
  EXPECT_LT(s.loss.back(), s.loss[0]);
  EXPECT_EQ(s.eval_steps, (std::vector<double>{10, 20, 30}));  // every max(10, steps / 25) steps
  ASSERT_EQ(s.heads.mean.all.size(), 2u);
  EXPECT_EQ(s.heads_step, 30);
  EXPECT_TRUE(std::isfinite(s.heads.mean.all[0].prev));

  // The same run by hand through the core.
  Corpus corpus;
  ASSERT_EQ(build_wordnet_corpus(kWordnetDir, &corpus), "");
  BpeFiles files;
  ASSERT_EQ(train_byte_bpe(corpus.train, c.vocab, &files), "");
  auto bpe = std::make_shared<BpeTokenizer>();
  ASSERT_EQ(BpeTokenizer::from_files_text(files.vocab_json, files.merges_txt, bpe.get()), "");
  LmTrainer tr(c, std::make_shared<std::vector<int>>(bpe->encode(corpus.train)), init_lm(c, bpe));
  for (int i = 0; i < c.steps; ++i) tr.step();
  Model a = *s.model, b = tr.model();
  const std::vector<Param> pa = parameters(a), pb = parameters(b);
  ASSERT_EQ(pa.size(), pb.size());
  for (size_t k = 0; k < pa.size(); ++k)
    for (size_t i = 0; i < pa[k].size(); ++i) ASSERT_EQ(pa[k][i], pb[k][i]) << pa[k].name << " " << i;
}
