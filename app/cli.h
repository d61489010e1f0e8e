// cli.h: the command line. `attention-lab` alone opens the window; subcommands run headless:
//   export      the trace of a sentence as trace.json plus heatmap PNGs
//   complexity  Table 1 of the paper as CSV
//   train       train a small Transformer on a toy task (core/train.h), save it as a weights file
//   predict     load a weights file and print its prediction for one input beside the expected answer
//   generate    continue a text with a GPT-2-family model, greedy or sampled
//   heads       every head's scores over a text, as CSV (head_report.h)
//   train-lm    train the project's own language model on a free corpus, written as a GPT-2 folder (train_lm.h)
#pragma once
#include <iosfwd>
#include <string>

#include "settings.h"
#include "train.h"
#include "train_lm.h"

namespace attn {

struct GuiOptions {
  std::string screenshot;  // write a PNG of the window after `frames` frames, then quit
  int frames = 0;          // 0: run until closed
  int width = 1600, height = 1000;
  bool size_given = false; // --size/--width/--height given: do not restore the saved window size
  float ui_scale = 0;      // 0: saved setting or monitor DPI
  bool presenter = false;  // start in presenter mode (F5 toggles it; ui/presenter.h)
  std::string text;        // initial sentence ("" keeps the saved one)
  std::string config_dir;  // override of the XDG config folder (tests)
  std::string io_dir;      // folder for sessions and exports (default ~/attention-lab)
  std::string session;     // a session file to open at start
  std::string model;       // a checkpoint folder to open at start (selected)
  std::string weights;     // a loaded model to select at start by name, or "random" ("": saved choice; on a first
                           // start the project's language model, model_library.h)
  bool no_mouse = false;   // ignore the pointer (stable screenshots under Xvfb)
  std::string lang;        // --lang: "en", "zh_CN" ("": the saved choice, else the environment; ui/i18n.h)
  std::string view;        // initial tab
  std::string script;      // JSON list of UI actions (script.h)
  int bench_frames = 0;    // measure this many frames after warm-up, print median and p95, quit
  // The monkey test (app/monkey.h): run this many seeded random actions, as an interactive session would.
  uint64_t monkey_seed = 0;
  int monkey_actions = 0;
  std::string monkey_log;  // each action is written here before it runs (names the action after a crash)
};

// What the command line asked for (parsing only: nothing is run or written).
struct Command {
  enum Kind { Exit, Gui, Export, Complexity, Train, Predict, TrainLm, Heads, Generate } kind = Exit;
  int exit_code = 0;  // Exit: 0 after --help/--version, 2 after an error (already printed)
  Settings settings;  // export
  std::string text, dir;
  uint64_t n = 0, d = 0, k = 3, r = 8;  // complexity
  bool breakdown = false;
  TrainConfig train;       // train: validated
  int eval = 1000;         // train: held-out examples evaluated at the end
  std::string model_path;  // train: the file written (--out); predict, export: the model read (--model)
  std::string input;       // predict
  TrainLmOptions lm;       // train-lm
  int windows = 50;        // heads
  int gen_tokens = 30;     // generate
  double temperature = 0;
  uint64_t gen_seed = 1;
  Command& exit(int code) {
    kind = Exit;
    exit_code = code;
    return *this;
  }
};
Command parse_cli(int argc, char** argv, std::ostream& out, std::ostream& err, GuiOptions* gui);

// Parses argv and runs a subcommand. Returns the process exit code; *gui is filled and *want_gui set when
// no subcommand was given. Messages go to out/err (one line for errors).
int run_cli(int argc, char** argv, std::ostream& out, std::ostream& err, GuiOptions* gui, bool* want_gui);

// export: writes dir/trace.json and the PNGs. Returns "" or an error. Refused over the memory cap before anything
// is allocated; with `progress`, a large export announces its memory and file size and reports each layer.
// `model`: a checkpoint (GPT-2 family) to run instead of random weights: its settings (checkpoint_settings), and
// trace.json names its file and SHA-256 instead of copying the weights.
std::string export_trace(const Settings& s, const std::string& text, const std::string& dir, std::ostream& log,
                         std::ostream* progress = nullptr, std::shared_ptr<const Model> model = nullptr);

// Peak bytes of `export` for n tokens: weights and trace (core's estimate_size; trace.json is streamed, so it adds
// nothing), one n × n heatmap being encoded, and the process's fixed part: the code and its libraries and the 19.5 MB
// CJK font for the PNG labels (an export of 8 tokens peaks at 60 MB resident). app_tests MemoryCap.* measures it.
constexpr double kExportFixedBytes = 55e6;
double export_peak_bytes(const Settings& s, int n);

// train: runs c.steps optimiser steps with progress on `progress` (one line redrawn with '\r' when `tty`, else a
// plain line every ~10%), evaluates `eval` held-out examples, saves to `path`, reports on `out`. "" or an error.
std::string train_and_save(const TrainConfig& c, int eval, const std::string& path, std::ostream& out,
                           std::ostream& progress, bool tty);
// predict: the model's prediction for `input` and the task's answer, on `out`. "" or an error.
// A checkpoint folder (a GPT-2-family model): the next-token predictions at every position of the text instead.
std::string predict_with_file(const std::string& path, const std::string& input, std::ostream& out);
constexpr int kPredictMaxTokens = 256;  // predict on a checkpoint: tokens read (a longer input is truncated, said)
// Whether `path` names a checkpoint (a folder, or a file beside a config.json) rather than a task weights file.
bool is_checkpoint_path(const std::string& path);
// Opens a checkpoint for the command line: "" and *out, or why not.
std::string open_checkpoint(const std::string& path, std::shared_ptr<const Model>* out);

}  // namespace attn
