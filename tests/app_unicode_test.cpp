// Text entering the app is made valid UTF-8 at the edge (CLI, script, session file), so the writers never see
// invalid bytes; file and argument text quoted in a message is escaped onto one line.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "app_state.h"
#include "app_util.h"
#include "fonts.h"
#include "fuzz/clean_message.h"
#include "script.h"
#include "session_json.h"

using namespace attn;
using namespace attn::test;
namespace fs = std::filesystem;

namespace {

const std::string kFffd = "\xEF\xBF\xBD";

fs::path dir(const std::string& name) {
  const fs::path d = fs::temp_directory_path() / ("attn-unicode-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

void write(const fs::path& p, const std::string& bytes) { std::ofstream(p, std::ios::binary) << bytes; }

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

TEST(Utf8Edge, CliTextIsValidBeforeTheGuiSeesIt) {
  // The reproduction, up to the window: --text from a Latin-1 paste.
  std::vector<std::string> args = {"attention-lab", "--text", "caf\xe9 au lait", "--no-mouse"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  std::ostringstream out, err;
  GuiOptions g;
  bool gui = false;
  EXPECT_EQ(run_cli(int(argv.size()), argv.data(), out, err, &g, &gui), 0);
  EXPECT_TRUE(gui);
  EXPECT_EQ(g.text, "caf" + kFffd + " au lait");
  EXPECT_EQ(err.str(), "attention-lab: --text: 1 invalid UTF-8 sequence(s) replaced by U+FFFD\n");
}

TEST(Utf8Edge, ExportWithInvalidTextAndTargetWritesValidJson) {
  const fs::path d = dir("export");
  const CliResult r = run_cli_args({"export", "--text", "caf\xe9 au lait", "--target", "\xff" "ok", "--out", d.string()});
  EXPECT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(slurp(d / "trace.json"));  // parse refuses invalid UTF-8
  EXPECT_EQ(j["tokens"], nlohmann::json({"caf", kFffd, "au", "lait"}));
  EXPECT_NE(r.err.find("--target: 1 invalid UTF-8"), std::string::npos);
}

TEST(Utf8Edge, ArgumentsEchoedInErrorsAreEscaped) {
  const fs::path d = dir("cli-echo");
  const CliResult r = run_cli_args({"export", "--text", "a b", "--out", d.string(), "--mask", "x\n\x1b[31mred"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "attention-lab: --mask needs one of none, causal, padding or custom (got 'x\\n\\x1B[31mred')\n");
}

TEST(Utf8Edge, SessionFileWithInvalidBytesLoadsWithReplacements) {
  const fs::path d = dir("session");
  write(d / "s.json", "{\"format\": \"attention-lab-session\", \"version\": 1, \"text\": \"caf\xe9 au lait\", "
                      "\"batch_text\": \"na\xefve\", \"model\": \"\", \"settings\": {\"target\": \"t\xc0\xaf\"}}");
  Document doc;
  UiState ui;
  ASSERT_EQ(load_session_file((d / "s.json").string(), &doc, &ui), "");
  EXPECT_EQ(doc.text, "caf" + kFffd + " au lait");
  EXPECT_EQ(doc.batch_text, "na" + kFffd + "ve");
  ASSERT_TRUE(doc.settings.target.has_value());
  EXPECT_EQ(*doc.settings.target, "t" + kFffd);  // an overlong '/' is one sequence, one replacement
  // Valid before the writer: nlohmann's strict dump (which threw type_error.316) accepts it.
  EXPECT_NO_THROW((void)session_to_json(doc, ui).dump());
}

TEST(Utf8Edge, SessionValuesQuotedInMessagesAreEscaped) {
  const fs::path d = dir("session-msg");
  write(d / "mask.json", "{\"format\": \"attention-lab-session\", \"version\": 1, \"settings\": {\"mask\": \"x\\n\\u001b[31m\"}}");
  Document doc;
  const std::string e = load_session_file((d / "mask.json").string(), &doc, nullptr);
  EXPECT_TRUE(is_clean_message(e)) << e;
  EXPECT_NE(e.find("settings.mask needs one of none, causal, padding or custom (got 'x\\n\\x1B[31m')"), std::string::npos) << e;

  // A session naming a model that is not loaded: the note quotes the name escaped.
  write(d / "model.json", "{\"format\": \"attention-lab-session\", \"version\": 1, \"model\": \"m\\n\\u001b[31m\"}");
  AppState app;
  ASSERT_EQ(app_load_session(app, (d / "model.json").string()), "");
  EXPECT_EQ(app.ui.status, "the model \"m\\n\\x1B[31m\" is not loaded: showing random weights");
}

TEST(Utf8Edge, ScriptWithInvalidBytesLoadsWithReplacements) {
  Script s;
  ASSERT_EQ(parse_script("[{\"text\": \"caf\xe9\"}, {\"batch_text\": \"\xff\"}]", &s), "");
  ASSERT_EQ(s.actions.size(), 2u);
  EXPECT_EQ(s.actions[0]["text"], "caf" + kFffd);
  EXPECT_EQ(s.actions[1]["batch_text"], kFffd);
}

TEST(ScriptFonts, MissingFontsAreNamedWithTheirPackagesOnce) {
  std::vector<ScriptFont> fonts = {{"Noto Sans Hebrew", "Hebrew", "fonts-noto-core", "", 0},
                                   {"Noto Sans Arabic", "Arabic", "fonts-noto-core", "", 0},
                                   {"Symbola", "emoji and symbols", "fonts-symbola", "/x/Symbola.ttf", 0}};
  EXPECT_EQ(missing_fonts_note(fonts), "No font for Hebrew, Arabic (install fonts-noto-core): those characters show as '?'.");
  fonts[2].path.clear();
  EXPECT_EQ(missing_fonts_note(fonts),
            "No font for Hebrew, Arabic, emoji and symbols (install fonts-noto-core fonts-symbola): those characters show as '?'.");
  for (ScriptFont& f : fonts) f.path = "/x.ttf";
  EXPECT_EQ(missing_fonts_note(fonts), "");
}
