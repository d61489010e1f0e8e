// The CLI's argument handling (end-to-end export tests live beside it).
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "app_state.h"
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

// Issue 11's CLI reproductions.
TEST(Cli, NegativeSeedIsRefusedNotWrappedAround) {
  std::string out, err;
  EXPECT_EQ(run({"export", "--text", "a b", "--out", "/tmp/attn-never", "--seed", "-1"}, &out, &err), 2);
  EXPECT_EQ(err, "attention-lab: --seed needs a whole number between 0 and 18446744073709551615 (got '-1')\n");
  EXPECT_EQ(run({"train", "--task", "reverse", "--out", "/tmp/attn-never.safetensors", "--seed", "-1"}, &out, &err), 2);
  EXPECT_NE(err.find("--seed"), std::string::npos) << err;
}

TEST(Cli, UnknownViewIsAnErrorListingTheViews) {
  std::string out, err;
  EXPECT_EQ(run({"--view", "bogus"}, &out, &err), 2);
  EXPECT_EQ(err, "attention-lab: --view must be one of stages, heads, gallery, query, softmax, masks, interventions, steps, "
                 "positional, complexity, paths, norms, ffn, decoder, training (got 'bogus')\n");
  EXPECT_EQ(run({"--view", "masks", "--frames", "1"}, &out, &err), 0);  // parsing only: no window is opened here
}

TEST(Cli, ComplexityNotAWholeNumberSaysSo) {
  std::string out, err;
  EXPECT_EQ(run({"complexity", "--n", "1e3", "--d", "4"}, &out, &err), 2);
  EXPECT_EQ(err, "attention-lab: --n must be a whole number, written without a decimal point or exponent (got '1e3')\n");
  EXPECT_EQ(run({"complexity", "--n", "0", "--d", "4"}, &out, &err), 2);
  EXPECT_EQ(err, "attention-lab: --n must be between 1 and 1048576 (got 0)\n");
  EXPECT_EQ(run({"complexity", "--n", "1000", "--d", "4", "--k", "1"}, &out, &err), 2);
  EXPECT_NE(err.find("--k must be between 2"), std::string::npos) << err;
  EXPECT_EQ(run({"complexity", "--n", "1000", "--d", "4"}, &out, &err), 0) << err;
  EXPECT_NE(out.find("self-attention,4000000,1,1"), std::string::npos) << out;  // n²·d = 10⁶·4
}

TEST(Cli, HelpCitesADocThatExists) {
  std::string out, err;
  EXPECT_EQ(run({"--help"}, &out, &err), 0);
  EXPECT_NE(out.find("docs/script.md"), std::string::npos);
  std::ifstream doc(std::string(ATTN_SOURCE_DIR) + "/docs/script.md");
  EXPECT_TRUE(doc.good());
}

TEST(Cli, ExportOptionsComeFromTheTableWithTheirDefaults) {
  std::string out, err;
  EXPECT_EQ(run({"export", "--help"}, &out, &err), 0);
  for (const char* opt : {"--d-model", "--heads", "--layers", "--d-ff", "--seed", "--no-scale", "--temperature", "--mask",
                          "--mask-value", "--pe", "--norm", "--hard", "--max-tokens", "--pad-to", "--target",
                          "--decode-steps"})
    EXPECT_NE(out.find(opt), std::string::npos) << opt;
  EXPECT_EQ(run({"export", "--text", "a b", "--out", "/tmp/attn-never", "--heads", "1e3"}, &out, &err), 2);
  EXPECT_EQ(err, "attention-lab: --heads needs a whole number written without a decimal point or exponent (got '1e3')\n");
  EXPECT_EQ(run({"export", "--text", "a b", "--out", "/tmp/attn-never", "--mask", "custom"}, &out, &err), 2);
  EXPECT_NE(err.find("--mask must be none, causal or padding"), std::string::npos) << err;
}

TEST(Cli, MissingSessionOpensTheAppWithAMessage) {
  const std::string dir = "/tmp/attn-cli-session-" + std::to_string(::getpid());
  AppState s;
  GuiOptions o;
  o.config_dir = dir;
  o.session = dir + "/missing.json";
  EXPECT_EQ(app_init(s, o), "");
  EXPECT_NE(s.ui.status.find("session not opened"), std::string::npos) << s.ui.status;
  EXPECT_NE(s.ui.status.find("cannot open " + o.session), std::string::npos) << s.ui.status;
  EXPECT_TRUE(s.traces.has_trace);  // opened with the saved (here: default) document
  app_shutdown(s);
  std::filesystem::remove_all(dir);
}

TEST(Cli, PresenterFlagStartsInPresenterModeAndIsNotSaved) {
  std::vector<std::string> args = {"attention-lab", "--presenter"};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  std::ostringstream out, err;
  GuiOptions gui;
  const Command c = parse_cli(int(argv.size()), argv.data(), out, err, &gui);
  EXPECT_EQ(c.kind, Command::Gui) << err.str();
  EXPECT_TRUE(gui.presenter);
  GuiOptions plain;
  std::vector<char*> none = {argv[0]};
  parse_cli(1, none.data(), out, err, &plain);
  EXPECT_FALSE(plain.presenter);
  // A teacher prepares in the normal view: presenter mode is not in the saved settings, its projector scale is.
  const std::string dir = "/tmp/attn-cli-presenter-" + std::to_string(::getpid());
  {
    AppState s;
    GuiOptions o;
    o.config_dir = dir;
    ASSERT_EQ(app_init(s, o), "");
    s.ui.presenter = true;
    s.ui.presenter_scale = 1.75f;
    app_shutdown(s);
  }
  AppState s;
  GuiOptions o;
  o.config_dir = dir;
  ASSERT_EQ(app_init(s, o), "");
  EXPECT_FALSE(s.ui.presenter);
  EXPECT_EQ(s.ui.presenter_scale, 1.75f);
  std::filesystem::remove_all(dir);
}
