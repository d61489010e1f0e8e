// The UI's language (ui/i18n.h, issue 14 §3): gettext lookups from the .mo file msgfmt built from po/zh_CN.po, the
// run-time switch, --lang, the environment, and the remembered choice. The expected Chinese is po/zh_CN.po's.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <sstream>
#include <vector>
#include <filesystem>
#include <string>

#include "app_state.h"
#include "app_util.h"
#include "axis_labels.h"
#include "i18n.h"

namespace attn {
namespace {
namespace fs = std::filesystem;

// Sets an environment variable for one scope and puts back what was there (and English) after.
struct EnvVar {
  std::string name, old;
  bool had = false;
  EnvVar(const char* n, const char* v) : name(n) {
    if (const char* o = std::getenv(n)) had = true, old = o;
    if (v) setenv(n, v, 1);
    else unsetenv(n);
  }
  ~EnvVar() {
    if (had) setenv(name.c_str(), old.c_str(), 1);
    else unsetenv(name.c_str());
    set_language("en");
  }
};

// An English environment whatever the one the tests run in: LANGUAGE unset, LANG=en_US.UTF-8.
struct EnglishEnv {
  EnvVar language{"LANGUAGE", nullptr}, all{"LC_ALL", nullptr}, messages{"LC_MESSAGES", nullptr}, lang{"LANG", "en_US.UTF-8"};
};

TEST(I18n, CatalogueIsBuiltWhereTheAppLooks) {
  ASSERT_FALSE(locale_dir().empty()) << "no attention-lab.mo found: the build's msgfmt step did not run";
  EXPECT_TRUE(fs::is_regular_file(locale_dir() + "/zh_CN/LC_MESSAGES/attention-lab.mo"));
}

TEST(I18n, ChineseWhenSetAndEnglishOtherwiseSwitchingBothWays) {
  EnvVar keep("LANGUAGE", nullptr);
  ASSERT_TRUE(set_language("en"));
  EXPECT_STREQ(_("Masks"), "Masks");
  ASSERT_TRUE(set_language("zh_CN"));
  EXPECT_EQ(language(), "zh_CN");
  EXPECT_STREQ(_("Masks"), "掩码");
  EXPECT_STREQ(_("Positional encoding"), "位置编码");
  EXPECT_STREQ(_("%d tokens"), "%d 个词元");
  EXPECT_STREQ(_("no such string in the catalogue"), "no such string in the catalogue");  // no translation: the msgid
  EXPECT_STREQ(_(""), "");  // not the catalogue's header
  ASSERT_TRUE(set_language("en"));  // back, in the same process: glibc's cached lookups must not stick
  EXPECT_STREQ(_("Masks"), "Masks");
  ASSERT_TRUE(set_language("zh_CN.UTF-8"));
  EXPECT_STREQ(_("Masks"), "掩码");
  EXPECT_FALSE(set_language("fr"));  // refused, and nothing changed
  EXPECT_EQ(language(), "zh_CN");
  EXPECT_STREQ(_("Masks"), "掩码");
}

// The heatmap's thinning rule on screen follows the language; the one exported PNGs print stays English (their font
// is ASCII), and in English the screen's equals it word for word.
TEST(I18n, LabelRuleOnScreenIsTranslatedAndThePngsStaysEnglish) {
  EnvVar keep("LANGUAGE", nullptr);
  ASSERT_TRUE(set_language("en"));
  for (const auto& [kr, kc] : {std::pair{4, 4}, {2, 2}, {1, 3}, {12, 21}, {1, 1}}) EXPECT_EQ(label_rule(kr, kc, true), label_rule(kr, kc));
  ASSERT_TRUE(set_language("zh_CN"));
  EXPECT_EQ(label_rule(4, 4, true), "每 4 个词元标注一个；悬停查看全部");
  EXPECT_EQ(label_rule(1, 3, true), "已标注：行全部，列每 3 个；悬停查看全部");
  EXPECT_EQ(every_nth(22, true), "每 22 个");
  EXPECT_EQ(label_rule(4, 4), "every 4th token labelled; hover for all");  // the PNG's
  EXPECT_EQ(label_rule(1, 1, true), "");
}

TEST(I18n, NamesFromTheEnvironment) {
  EXPECT_EQ(normalize_language("zh_CN.UTF-8"), "zh_CN");
  EXPECT_EQ(normalize_language("zh"), "zh_CN");
  EXPECT_EQ(normalize_language("C.UTF-8"), "en");
  EXPECT_EQ(normalize_language("en_GB.UTF-8"), "en");
  EXPECT_EQ(normalize_language("fr_FR"), "");
  EnvVar lang("LANG", "en_US.UTF-8"), all("LC_ALL", nullptr), msg("LC_MESSAGES", nullptr);
  {
    EnvVar l("LANGUAGE", "zh_CN");
    EXPECT_EQ(language_from_env(), "zh_CN");
  }
  {
    EnvVar l("LANGUAGE", "fr:zh_CN:en");  // a priority list: the first language we have
    EXPECT_EQ(language_from_env(), "zh_CN");
  }
  {
    EnvVar l("LANGUAGE", nullptr);
    EXPECT_EQ(language_from_env(), "en");
    EnvVar z("LANG", "zh_CN.UTF-8");
    EXPECT_EQ(language_from_env(), "zh_CN");
  }
}

TEST(I18n, RunTimeSwitchAsksForTheGlyphsOfTheNewLanguage) {
  EnglishEnv keep;
  UiState ui;
  ASSERT_TRUE(apply_language(ui, "en"));
  EXPECT_EQ(catalogue_text(), "");
  ui.ui_scale_changed = false;
  ASSERT_TRUE(apply_language(ui, "zh_CN"));
  EXPECT_EQ(ui.language, "zh_CN");
  EXPECT_TRUE(ui.ui_scale_changed);  // a new atlas, with the translation's characters
  EXPECT_STREQ(_("Display"), "显示");
  const std::string all = catalogue_text();
  EXPECT_NE(all.find("显示"), std::string::npos);
  EXPECT_NE(all.find("注意力"), std::string::npos);
  EXPECT_FALSE(apply_language(ui, "klingon"));
  EXPECT_EQ(ui.language, "zh_CN");
  ASSERT_TRUE(apply_language(ui, ""));  // follow the environment again
  EXPECT_EQ(ui.language, "");
  EXPECT_EQ(language(), "en");
  EXPECT_STREQ(_("Display"), "Display");
}

TEST(I18n, LangOptionEnvironmentAndErrors) {
  EnglishEnv keep;
  test::CliResult r = test::run_cli_args({"--lang", "zh_CN", "--help"});
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("窗口和消息的语言"), std::string::npos) << r.out;  // --lang's own help, in Chinese
  set_language("en");
  r = test::run_cli_args({"--help"});
  EXPECT_NE(r.out.find("Language of the window and the messages"), std::string::npos) << r.out;
  r = test::run_cli_args({"--lang", "fr"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "attention-lab: --lang must be one of en, zh_CN (got 'fr')\n");
  {
    EnvVar l("LANGUAGE", "zh_CN");
    r = test::run_cli_args({"--help"});
    EXPECT_NE(r.out.find("窗口和消息的语言"), std::string::npos) << r.out;
    r = test::run_cli_args({"--lang", "xx"});  // the error itself in the environment's language
    EXPECT_EQ(r.err, "attention-lab: --lang 必须是 en, zh_CN 之一（得到的是“xx”）\n");
  }
}

// The descriptions of --help (after CLI11's 30-column option column), one a line; continuation lines too.
std::vector<std::string> help_descriptions(const std::string& help) {
  std::vector<std::string> out;
  std::istringstream in(help);
  for (std::string line; std::getline(in, line);)
    if (line.size() > 30 && line.compare(0, 2, "  ") == 0 && line[30] != ' ' && line[29] == ' ') out.push_back(line.substr(30));
  return out;
}

// The whole --help of the program and of each subcommand in Chinese: CLI11's headings relabelled, and no English
// description of an option left (each English description of the English help is absent from the Chinese help).
TEST(I18n, EveryHelpTextIsChineseWithLangZhCn) {
  EnglishEnv keep;
  for (const std::vector<std::string>& cmd : std::vector<std::vector<std::string>>{
           {}, {"export"}, {"complexity"}, {"train"}, {"train-lm"}, {"heads"}, {"generate"}, {"predict"}}) {
    std::vector<std::string> en_args = cmd, zh_args = {"--lang", "zh_CN"};
    en_args.push_back("--help");
    zh_args.insert(zh_args.end(), en_args.begin(), en_args.end());
    const test::CliResult en = test::run_cli_args(en_args);
    const test::CliResult zh = test::run_cli_args(zh_args);
    set_language("en");
    SCOPED_TRACE(cmd.empty() ? "attention-lab" : cmd[0]);
    EXPECT_EQ(zh.code, 0);
    EXPECT_NE(zh.out.find("用法: attention-lab"), std::string::npos) << zh.out;
    EXPECT_NE(zh.out.find("选项:\n"), std::string::npos) << zh.out;
    EXPECT_EQ(zh.out.find("Options:"), std::string::npos) << zh.out;
    EXPECT_NE(zh.out.find("打印此帮助信息并退出"), std::string::npos) << zh.out;
    const std::vector<std::string> descriptions = help_descriptions(en.out);
    EXPECT_GE(descriptions.size(), 2u) << en.out;
    for (const std::string& d : descriptions) {
      if (d.find(' ') == std::string::npos) continue;  // a word with no space is a list of values to type ("post|pre")
      EXPECT_EQ(zh.out.find(d), std::string::npos) << "still English: " << d;
    }
  }
  // Known texts of po/zh_CN.po, and CLI11's labels.
  const test::CliResult zh = test::run_cli_args({"--lang", "zh_CN", "train-lm", "--help"});
  set_language("en");
  EXPECT_NE(zh.out.find("--heads INT=4               每层的头数（必须整除 d_model）\n"), std::string::npos) << zh.out;
  EXPECT_NE(zh.out.find("--out TEXT 必需             要写入的文件夹"), std::string::npos) << zh.out;  // in columns
  const test::CliResult top = test::run_cli_args({"--lang", "zh_CN", "--help"});
  set_language("en");
  EXPECT_NE(top.out.find("\n子命令:\n  export                      为一个句子写出 DIR/trace.json 和热力图 PNG\n"),
            std::string::npos) << top.out;
}

// A refusal made in core/ (the trace's settings check) reaches the CLI user in Chinese, with a non-zero exit.
TEST(I18n, CliRefusalsFromCoreInChinese) {
  EnglishEnv keep;
  const fs::path out = fs::temp_directory_path() / ("attn-i18n-cli-" + std::to_string(::getpid()));
  test::CliResult r = test::run_cli_args({"--lang", "zh_CN", "export", "--text", "hello", "--heads", "5", "--out", out.string()});
  set_language("en");
  EXPECT_NE(r.code, 0);
  EXPECT_EQ(r.err, "attention-lab: 头数（5）必须整除 d_model（64），这样 d_k = d_model / h 才是整数\n");
  r = test::run_cli_args({"export", "--text", "hello", "--heads", "5", "--out", out.string()});
  EXPECT_NE(r.code, 0);
  EXPECT_EQ(r.err, "attention-lab: heads (5) must divide d_model (64) so that d_k = d_model / h is a whole number\n");
  r = test::run_cli_args({"--lang", "zh_CN", "train-lm", "--layers", "13", "--out", out.string()});
  set_language("en");
  EXPECT_NE(r.code, 0);
  EXPECT_EQ(r.err, "attention-lab: 训练时层数必须在 1 到 12 之间\n");
  EXPECT_FALSE(fs::exists(out));
  // CLI11's own parse errors, recognised by their wording and said again in Chinese; English keeps CLI11's.
  r = test::run_cli_args({"--lang", "zh_CN", "--width", "5"});
  set_language("en");
  EXPECT_NE(r.code, 0);
  EXPECT_EQ(r.err, "attention-lab: --width：值 5 不在 320 到 10000 的范围内\n");
  r = test::run_cli_args({"--lang", "zh_CN", "--bogus"});
  set_language("en");
  EXPECT_NE(r.code, 0);
  EXPECT_EQ(r.err, "attention-lab: 无法识别的参数：--bogus\n");
  r = test::run_cli_args({"--lang", "zh_CN", "--width"});  // CLI11: "--width: 1 required INT:… missing"
  EXPECT_NE(r.code, 0);
  EXPECT_EQ(r.err, "attention-lab: --width 需要一个值（INT:INT in [320 - 10000]）\n");
  r = test::run_cli_args({"--lang", "zh_CN", "train-lm"});
  set_language("en");
  EXPECT_EQ(r.err, "attention-lab: 必须给出 --out\n");
  r = test::run_cli_args({"--width", "5"});
  EXPECT_EQ(r.err, "attention-lab: --width: Value 5 not in range 320 to 10000\n");
}

TEST(I18n, TheChoiceIsRememberedAndLangOverridesIt) {
  EnglishEnv keep;
  const fs::path dir = fs::temp_directory_path() / ("attn-i18n-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  GuiOptions o;
  o.io_dir = dir.string();
  o.config_dir = (dir / "config").string();
  o.weights = "random";
  {
    AppState s;
    ASSERT_EQ(app_init(s, o), "");
    EXPECT_EQ(language(), "en");  // the environment's
    EXPECT_EQ(s.ui.language, "");
    ASSERT_TRUE(apply_language(s.ui, "zh_CN"));  // the combo
    app_shutdown(s);
  }
  {
    AppState s;
    ASSERT_EQ(app_init(s, o), "");
    EXPECT_EQ(language(), "zh_CN") << "the saved choice must win over the environment";
    EXPECT_STREQ(_("Masks"), "掩码");
    app_shutdown(s);
  }
  {
    GuiOptions en = o;
    en.lang = "en";
    AppState s;
    ASSERT_EQ(app_init(s, en), "");
    EXPECT_EQ(language(), "en");
    app_shutdown(s);  // --lang en is now the remembered choice
  }
  {
    AppState s;
    ASSERT_EQ(app_init(s, o), "");
    EXPECT_EQ(language(), "en");
    EXPECT_EQ(s.ui.language, "en");
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace attn
