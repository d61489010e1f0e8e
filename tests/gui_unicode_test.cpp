// The real app under Xvfb with text that is not valid UTF-8 or not Latin: it starts, runs and saves valid UTF-8.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "gui_util.h"

using namespace attn;
using namespace attn::test;
namespace fs = std::filesystem;

namespace {

const std::string kFffd = "\xEF\xBF\xBD";

// Runs the command line in this process exactly as main() does: parse, then open the window.
int run_main(std::vector<std::string> args, std::string* err) {
  args.insert(args.begin(), "attention-lab");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  std::ostringstream o, e;
  GuiOptions g;
  bool gui = false;
  const int rc = run_cli(int(argv.size()), argv.data(), o, e, &g, &gui);
  *err = e.str();
  return gui ? run_gui(g) : rc;
}

std::string saved_text(const fs::path& config) {
  std::ifstream in(config / "settings.json", std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  const auto j = nlohmann::json::parse(ss.str(), nullptr, false);  // refuses invalid UTF-8
  return j.is_object() && j.contains("text") && j["text"].is_string() ? j["text"].get<std::string>() : "(unreadable)";
}

}  // namespace

TEST(GuiUnicode, Latin1CliTextRunsAndSavesValidUtf8) {
  // Regression: attention-lab --text $'caf\xe9 au lait' --script S aborted at shutdown with nlohmann's
  // type_error.316 when the settings were saved.
  const fs::path d = temp_dir("latin1");
  std::ofstream(d / "s.json") << R"([{"frames": 2}])";
  std::string err;
  EXPECT_EQ(run_main({"--text", "caf\xe9 au lait", "--script", (d / "s.json").string(), "--config-dir",
                      (d / "config").string(), "--no-mouse"}, &err), 0) << err;
  EXPECT_EQ(saved_text(d / "config"), "caf" + kFffd + " au lait");
}

TEST(GuiUnicode, ScriptTextWithInvalidBytesIsReplaced) {
  const fs::path d = temp_dir("script-bytes");
  EXPECT_EQ(run_script(d, "[{\"text\": \"na\xefve \xff\"}, {\"frames\": 2}, {\"expect\": {\"text\": \"na" + kFffd + "ve " +
                              kFffd + "\"}}]"), 0);
  EXPECT_EQ(saved_text(d / "config"), "na" + kFffd + "ve " + kFffd);
}

TEST(GuiUnicode, HebrewEmojiFlagAndAccentsStartAndDraw) {
  // Hebrew, a ZWJ family, a flag, e + combining acute and Arabic: the font fallbacks load and the frames draw.
  const fs::path d = temp_dir("scripts");
  const std::string shot = (d / "s.png").string();
  ASSERT_EQ(run_script(d, R"([{"frames": 2}, {"screenshot": ")" + shot + R"("}])", 1600, 1000,
                       "\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d \xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa7 "
                       "\xf0\x9f\x87\xab\xf0\x9f\x87\xb7 cafe\xcc\x81 \xd8\xb3\xd9\x84\xd8\xa7\xd9\x85"),
            0);
  EXPECT_EQ(load_png(shot).w, 1600);
}
