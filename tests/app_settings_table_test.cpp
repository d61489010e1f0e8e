// The settings table (core/settings_table.h, ui/view_settings.h) and its readers: session file, script "set",
// the export CLI, docs/script.md; the memory cap on every path, and the estimate against the measured peak.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <set>
#include <fstream>
#include <sstream>

#include "app_state.h"
#include "app_util.h"
#include "cli.h"
#include "script.h"
#include "session_json.h"
#include "settings_table.h"
#include "view_settings.h"

using namespace attn;
namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

template <class S>
std::string doc_row(const Field<S>& f) {
  return "| `" + std::string(f.name) + "` | " + field_expects(f) + " | " +
         (f.type == FieldType::OptText ? std::string("null") : field_text(f, S{})) + " | " + f.help + " |";
}

// Runs one script action on a fresh app; returns its message.
std::string act(AppState& app, const std::string& action) {
  Script sc;
  EXPECT_EQ(parse_script("[" + action + "]", &sc), "");
  std::string shot;
  return script_step(sc, app, &shot);
}

}  // namespace

TEST(SettingsTable, EveryNameIsListedInDocsScriptMdWithItsRangeAndDefault) {
  const std::string doc = slurp(fs::path(ATTN_SOURCE_DIR) / "docs" / "script.md");
  ASSERT_FALSE(doc.empty());
  for (const Field<Settings>& f : settings_table())
    EXPECT_NE(doc.find(doc_row(f)), std::string::npos) << "docs/script.md lacks the row\n" << doc_row(f);
  for (const Field<UiState>& f : view_settings_table())
    EXPECT_NE(doc.find(doc_row(f)), std::string::npos) << "docs/script.md lacks the row\n" << doc_row(f);
}

TEST(SettingsTable, NamesAreUniqueAcrossBothTables) {
  std::set<std::string> seen;
  for (const Field<Settings>& f : settings_table()) EXPECT_TRUE(seen.insert(f.name).second) << f.name;
  for (const Field<UiState>& f : view_settings_table()) EXPECT_TRUE(seen.insert(f.name).second) << f.name;
}

TEST(SettingsTable, EveryDefaultIsInsideItsRange) {
  const Settings s;
  for (const Field<Settings>& f : settings_table()) EXPECT_EQ(field_check(f, s), "") << f.name;
  const UiState u;
  for (const Field<UiState>& f : view_settings_table()) EXPECT_EQ(field_check(f, u), "") << f.name;
}

TEST(SettingsTable, StrictTextParsing) {
  Settings s;
  const Field<Settings>& heads = *find_field(settings_table(), "heads");
  EXPECT_EQ(field_set_text(heads, s, "8"), "");
  EXPECT_EQ(s.heads, 8);
  EXPECT_EQ(field_set_text(heads, s, "1e3"),
            "heads needs a whole number written without a decimal point or exponent (got '1e3')");
  EXPECT_EQ(field_set_text(heads, s, "257"), "heads needs a whole number between 1 and 256 (got '257')");
  EXPECT_EQ(field_set_text(heads, s, " 4"), "heads needs a whole number between 1 and 256 (got ' 4')");
  EXPECT_EQ(s.heads, 8);  // unchanged by the refusals
  const Field<Settings>& seed = *find_field(settings_table(), "seed");
  EXPECT_NE(field_set_text(seed, s, "-1"), "");
  EXPECT_EQ(s.seed, Settings{}.seed);
  EXPECT_EQ(field_set_text(seed, s, "18446744073709551615"), "");  // the whole uint64 range, exactly
  EXPECT_EQ(s.seed, 18446744073709551615ull);
  const Field<Settings>& tau = *find_field(settings_table(), "temperature");
  EXPECT_NE(field_set_text(tau, s, "nan"), "");
  EXPECT_NE(field_set_text(tau, s, "0"), "");
  EXPECT_EQ(field_set_text(tau, s, "0.5"), "");
  EXPECT_EQ(s.temperature, 0.5f);
}

TEST(SettingsTable, SessionRoundTripsEveryFieldAtANonDefaultValue) {
  Document doc;
  Settings& s = doc.settings;
  s.d_model = 48, s.heads = 6, s.layers = 3, s.d_ff = 96, s.seed = 9007199254740993ull;  // 2^53 + 1: not a double
  s.scale = false, s.temperature = 0.375f, s.mask = MaskKind::Padding, s.mask_value = MaskValue::NegInf;
  s.pe = PEKind::Learned, s.norm = NormPlacement::Pre, s.hard = true, s.max_tokens = 33, s.pad_to = 12;
  s.target = "le chat", s.decode_steps = 3;
  Document back;
  UiState ui;
  ASSERT_EQ(session_from_json(session_to_json(doc, ui), &back, nullptr), "");
  for (const Field<Settings>& f : settings_table()) {
    EXPECT_EQ(field_text(f, back.settings), field_text(f, s)) << f.name;
    EXPECT_NE(field_text(f, s), field_text(f, Settings{})) << f.name << ": the test must change every field";
  }
}

TEST(SettingsTable, ScriptSetRefusesWithTheTablesSentence) {
  AppState app;
  EXPECT_EQ(act(app, R"({"set": "heads", "value": 1e9})"),
            "script action 0: heads needs a whole number between 1 and 256 (got 1000000000)");
  EXPECT_EQ(act(app, R"({"set": "heads", "value": 2.5})"),
            "script action 0: heads needs a whole number between 1 and 256 (got 2.5)");
  EXPECT_EQ(act(app, R"({"set": "d_model", "value": "12"})"),
            "script action 0: d_model needs a whole number between 1 and 4096, not the text \"12\"");
  EXPECT_EQ(act(app, R"({"set": "scale", "value": 1})"), "script action 0: scale needs true or false, not a number (got 1)");
  EXPECT_EQ(act(app, R"({"set": "mask", "value": "diagonal"})"),
            "script action 0: mask needs one of none, causal, padding or custom (got 'diagonal')");
  EXPECT_EQ(act(app, R"({"set": "seed", "value": -1})"),
            "script action 0: seed needs a whole number between 0 and 18446744073709551615 (got -1)");
  EXPECT_EQ(app.doc.settings.heads, Settings{}.heads);
  EXPECT_EQ(app.doc.settings.d_model, Settings{}.d_model);
  EXPECT_NE(act(app, R"({"set": "bogus", "value": 1})").find("unknown setting 'bogus'"), std::string::npos);
}

TEST(SettingsTable, ScriptSetsViewSettingsByTheirDocumentedNames) {
  AppState app;
  EXPECT_EQ(act(app, R"({"set": "lab_dk", "value": 256})"), "");
  EXPECT_EQ(app.ui.lab_dk, 256);
  EXPECT_EQ(act(app, R"({"set": "kernel_k", "value": 5})"), "");
  EXPECT_EQ(app.ui.conv_k, 5);
  EXPECT_EQ(act(app, R"({"set": "neighbourhood_r", "value": 7})"), "");
  EXPECT_EQ(app.ui.restricted_r, 7);
  EXPECT_EQ(act(app, R"({"set": "steps_per_second", "value": 4.5})"), "");
  EXPECT_EQ(app.ui.steps_per_second, 4.5f);
  // The reproductions of issue 11: d_k typed as 100000000 (bad_alloc), k = 0 (SIGFPE), r = 0 (a hang).
  EXPECT_EQ(act(app, R"({"set": "lab_dk", "value": 100000000})"),
            "script action 0: lab_dk needs a whole number between 1 and 1024 (got 100000000)");
  EXPECT_NE(act(app, R"({"set": "kernel_k", "value": 0})"), "");
  EXPECT_NE(act(app, R"({"set": "kernel_k", "value": 1})"), "");
  EXPECT_NE(act(app, R"({"set": "neighbourhood_r", "value": 0})"), "");
  EXPECT_EQ(app.ui.lab_dk, 256);
  EXPECT_EQ(app.ui.conv_k, 5);
  EXPECT_EQ(app.ui.restricted_r, 7);
}

// ---- The memory cap: one estimate, the same refusal on every path.

TEST(MemoryCap, RefusedWithTheEstimateOnScriptSessionAndExport) {
  // 4096 tokens at the default model: over the cap (the issue's "about 4379 MB" case).
  Settings big;
  big.max_tokens = 4096;
  const double bytes = estimate_bytes(big);
  ASSERT_GT(bytes, kMaxModelBytes);
  const std::string about = "about " + std::to_string((long long)(bytes / 1e6)) + " MB";
  const std::string cap = "more than the 2000 MB this app allows";

  AppState app;
  const std::string e = act(app, R"({"set": "max_tokens", "value": 4096})");
  EXPECT_NE(e.find(about), std::string::npos) << e;
  EXPECT_NE(e.find(cap), std::string::npos) << e;
  EXPECT_EQ(app.doc.settings.max_tokens, Settings{}.max_tokens);  // refused: unchanged

  Document doc;
  const std::string se = session_from_json(
      nlohmann::ordered_json::parse(R"({"format": "attention-lab-session", "version": 1, "settings": {"max_tokens": 4096}})"),
      &doc, nullptr);
  EXPECT_NE(se.find(about), std::string::npos) << se;
  EXPECT_NE(se.find(cap), std::string::npos) << se;

  const fs::path d = fs::temp_directory_path() / ("attn-cap-" + std::to_string(::getpid()));
  const test::CliResult r = test::run_cli_args({"export", "--text", "word word", "--out", d.string(), "--max-tokens", "4096"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find(about), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(cap), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(d / "trace.json"));
}

TEST(MemoryCap, TrainingConfigsOverTheCapAreRefused) {
  TrainConfig c = recommended_config(TaskKind::Reverse);
  c.d_model = 512, c.heads = 8, c.layers = 8, c.d_ff = 4096;
  const std::string e = validate(c);
  EXPECT_NE(e.find("more than the 2000 MB"), std::string::npos) << e;
  EXPECT_EQ(validate(recommended_config(TaskKind::Reverse)), "");
}

namespace {


}  // namespace

// The issue's reproduction peaked at 8.9 GB for an estimate of ~1 GB: the trace.json was built in memory. Now the
// estimate (weights + trace + the export's fixed part) must be within 25% of the measured peak where the trace
// dominates.
TEST(MemoryCap, ExportPeakIsWithinAQuarterOfTheEstimate) {
#if defined(__SANITIZE_ADDRESS__)
  // AddressSanitizer's shadow memory and quarantine multiply the resident size (932 MB for a 168 MB export): the
  // estimate is of the app's own allocations, measured in the plain build.
  GTEST_SKIP() << "peak memory is measured in the plain build, not under AddressSanitizer";
#endif
  struct Case {
    int n, d_model, heads, layers;
  } cases[] = {{512, 256, 8, 2}, {1024, 64, 8, 1}};  // trace ~100 and ~140 MB over the fixed 60 MB; ~40 s in all
  std::string words;
  for (int i = 0; i < 1100; ++i) words += "w" + std::to_string(i % 97) + " ";
  for (const Case& c : cases) {
    const fs::path d = fs::temp_directory_path() / ("attn-peak-" + std::to_string(::getpid()) + "-" + std::to_string(c.n));
    double peak = 0;
    const int rc = attn::test::run_measured({"export", "--text", words, "--out", d.string(), "--max-tokens", std::to_string(c.n),
                                 "--d-model", std::to_string(c.d_model), "--heads", std::to_string(c.heads), "--layers",
                                 std::to_string(c.layers), "--d-ff", std::to_string(4 * c.d_model)},
                                &peak);
    fs::remove_all(d);
    ASSERT_EQ(rc, 0);
    Settings s;
    s.max_tokens = c.n, s.d_model = c.d_model, s.heads = c.heads, s.layers = c.layers, s.d_ff = 4 * c.d_model;
    const double estimate = export_peak_bytes(s, c.n);
    std::printf("n %d, d_model %d, %d heads, %d layers: estimate %.0f MB, measured peak %.0f MB (%+.1f%%)\n", c.n,
                c.d_model, c.heads, c.layers, estimate / 1e6, peak / 1e6, 100 * (estimate - peak) / peak);
    EXPECT_NEAR(estimate / peak, 1.0, 0.25) << "n " << c.n;
  }
}
