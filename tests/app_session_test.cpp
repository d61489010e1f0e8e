// Sessions and file exports: every bad file is refused with a message naming the problem, the state is left as
// it was, and nothing is written on failure.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "app_state.h"
#include "atomic_file.h"
#include "file_actions.h"
#include "session_json.h"

using namespace attn;
namespace fs = std::filesystem;

namespace {

fs::path dir(const std::string& name) {
  const fs::path d = fs::temp_directory_path() / ("attn-session-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

void write(const fs::path& p, const std::string& bytes) { std::ofstream(p, std::ios::binary) << bytes; }

// Loads `bytes` as a session into a document that already holds something; returns the error.
std::string load_into_known_state(const std::string& bytes, Document* doc) {
  const fs::path d = dir("load");
  write(d / "s.json", bytes);
  doc->text = "unchanged";
  doc->settings.d_model = 32;
  UiState ui;
  return load_session_file((d / "s.json").string(), doc, &ui);
}

}  // namespace

TEST(Session, RoundTripKeepsEverything) {
  Document doc;
  doc.text = "机器学习 \"quoted\"";
  doc.settings.mask = MaskKind::Custom;
  doc.settings.custom_mask = BoolMat(3, 3);
  doc.settings.custom_mask(0, 2) = 1;
  doc.settings.temperature = 0.25f;
  doc.settings.pe = PEKind::Learned;
  doc.settings.head_enabled = {1, 0, 1, 1, 1, 1, 1, 1};
  UiState ui;
  ui.layer = 1, ui.head = 3, ui.pinned_q = 2, ui.pinned_k = 0, ui.view = View::Masks;
  ui.window_w = 1280, ui.window_h = 800;
  const fs::path d = dir("rt");
  ASSERT_EQ(save_session_file((d / "s.json").string(), doc, ui), "");
  Document back;
  UiState ui2;
  ASSERT_EQ(load_session_file((d / "s.json").string(), &back, &ui2), "");
  EXPECT_EQ(back.text, doc.text);
  EXPECT_EQ(back.settings.custom_mask.cells, doc.settings.custom_mask.cells);
  EXPECT_EQ(back.settings.temperature, 0.25f);
  EXPECT_EQ(back.settings.pe, PEKind::Learned);
  EXPECT_EQ(back.settings.head_enabled, doc.settings.head_enabled);
  EXPECT_EQ(ui2.layer, 1);
  EXPECT_EQ(ui2.head, 3);
  EXPECT_EQ(ui2.pinned_q, 2);
  EXPECT_EQ(ui2.view, View::Masks);
  EXPECT_EQ(ui2.window_w, 1280);
  EXPECT_EQ(ui2.window_h, 800);
}

TEST(Session, BadFilesAreRefusedAndChangeNothing) {
  const std::string ok = R"({"format": "attention-lab-session", "version": 1, "text": "fine"})";
  struct Case {
    std::string bytes, expect;
  } cases[] = {
      {"", "empty"},
      {ok.substr(0, ok.size() / 2), "not valid JSON"},                       // truncated
      {"\x89PNG\r\n\x1a\n binary", "not valid JSON"},                         // wrong type of file
      {"[1, 2, 3]", "not a session"},                                          // JSON, wrong shape
      {R"({"format": "something-else", "version": 1})", "not an Attention Lab session"},
      {R"({"format": "attention-lab-session", "version": 2})", "newer"},
      // JSON has no NaN or Inf; a number too large for a double is refused by the parser.
      {R"({"format": "attention-lab-session", "version": 1, "settings": {"temperature": 1e999}})", "not valid JSON"},
      {R"({"format": "attention-lab-session", "version": 1, "settings": {"temperature": 0}})", "temperature"},
      {R"({"format": "attention-lab-session", "version": 1, "settings": {"heads": 3}})", "divide"},
      {R"({"format": "attention-lab-session", "version": 1, "settings": {"d_model": "wide"}})", "d_model"},
      {R"({"format": "attention-lab-session", "version": 1, "settings": {"d_model": 1e30}})", "d_model"},
      {R"({"format": "attention-lab-session", "version": 1, "settings": {"mask": "diagonal"}})", "mask"},
      {R"({"format": "attention-lab-session", "version": 1, "settings": {"custom_mask": ["01", "2"]}})", "custom_mask"},
      {R"({"format": "attention-lab-session", "version": 1, "text": 5})", "text"},
  };
  for (const Case& c : cases) {
    Document doc;
    const std::string e = load_into_known_state(c.bytes, &doc);
    EXPECT_NE(e.find(c.expect), std::string::npos) << "expected '" << c.expect << "' in: " << e;
    EXPECT_EQ(doc.text, "unchanged");
    EXPECT_EQ(doc.settings.d_model, 32);
  }
  Document doc;
  UiState ui;
  EXPECT_NE(load_session_file("/nonexistent/attn/s.json", &doc, &ui).find("cannot open"), std::string::npos);
}

TEST(Session, AnOlderMinimalFileLoadsWithDefaults) {
  Document doc;
  EXPECT_EQ(load_into_known_state(R"({"format": "attention-lab-session", "version": 1, "text": "old"})", &doc), "");
  EXPECT_EQ(doc.text, "old");
  EXPECT_EQ(doc.settings.d_model, Settings{}.d_model);
}

TEST(AtomicWrite, UnwritableFolderLeavesNothingBehind) {
  const std::string e = write_file_atomic("/proc/attn-cannot/x.json", "{}");
  EXPECT_NE(e.find("cannot write"), std::string::npos);
  const fs::path d = dir("atomic");
  ASSERT_EQ(write_file_atomic((d / "a.txt").string(), "one"), "");
  ASSERT_EQ(write_file_atomic((d / "a.txt").string(), "two"), "");  // replaced whole
  std::ifstream in(d / "a.txt");
  std::string s;
  std::getline(in, s);
  EXPECT_EQ(s, "two");
  int files = 0;
  for (const auto& entry : fs::directory_iterator(d)) files += 1, (void)entry;
  EXPECT_EQ(files, 1);  // no temporary left
}

TEST(FileActions, ExportsAndFailuresGoToTheStatusLine) {
  AppState s;
  recompute(s);
  ASSERT_TRUE(s.traces.has_trace);
  const fs::path d = dir("exports");
  s.ui.io_dir = d.string();
  s.ui.request = FileRequest::ExportCsv;
  EXPECT_NE(perform_file_request(s).find("wrote"), std::string::npos);
  std::ifstream in(d / "layer0_head0_weights.csv");
  std::string header;
  std::getline(in, header);
  EXPECT_EQ(header, "query\\key,The,animal,didn't,cross,the,street,because,it,was,too,tired");
  s.ui.request = FileRequest::ExportPng;
  EXPECT_NE(perform_file_request(s).find("wrote"), std::string::npos);
  EXPECT_TRUE(fs::exists(d / "layer0_head0_weights.png"));
  s.ui.request = FileRequest::SaveSession;
  s.ui.session_name = "../escape.json";
  EXPECT_NE(perform_file_request(s).find("Not done"), std::string::npos);
  s.ui.io_dir = "/proc/attn-cannot";
  s.ui.request = FileRequest::ExportTrace;
  EXPECT_NE(perform_file_request(s).find("Not done"), std::string::npos);
  s.ui.request = FileRequest::LoadSession;
  s.ui.io_dir = d.string();
  s.ui.session_name = "missing.json";
  const std::string before = s.doc.text;
  EXPECT_NE(perform_file_request(s).find("cannot open"), std::string::npos);
  EXPECT_EQ(s.doc.text, before);
}

TEST(Csv, QuotesAndInfinities) {
  Mat m(1, 2);
  m << -INFINITY, 0.5f;
  EXPECT_EQ(matrix_csv(m, {"a,b"}, {"x", "\"y\""}), "query\\key,x,\"\"\"y\"\"\"\n\"a,b\",-inf,0.5\n");
}
