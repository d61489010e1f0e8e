// script.h: a small JSON list of UI actions, run one per frame, so tests and docs can produce any screen (every verb
// and every settable name: docs/script.md, checked against the settings tables by app_tests):
//   [{"text": "Cats like to sleep"}, {"view": "masks"}, {"set": "scale", "value": false},
//    {"set": "mask", "value": "causal"}, {"pin": [2, 1]}, {"select": {"layer": 0, "head": 1}},
//    {"step": 5}, {"head": [0, 1, false]}, {"mask_cell": [1, 2, true]}, {"frames": 3}, {"screenshot": "a.png"}]
// {"keys": "s"} appends to the sentence as typing would ("\b": delete the last character).
// A screenshot waits for the views' background jobs (the window draws the frame again until none runs), so it
// shows complete views; indices in "select" and "pin" are clamped to the trace on screen.
// Trained models and the Training tab:
//   {"model": "reverse-8x10"} selects a loaded model ("random": random weights);
//   {"train": {"task": "reverse", "length": 8, "vocab": 10, "d_model": 32, "heads": 2, "layers": 2, "d_ff": 64,
//              "lr": 0.003, "batch": 32, "steps": 300, "warmup": 50, "seed": 1}} sets the form and starts the run,
//   paused at step 0 so that what follows is reproducible;
//   {"train_wait": 120} runs until exactly step 120 and pauses there (blocking); {"train_wait": "done"}: to the end;
//   {"train_control": "pause" | "resume" | "reset" | "use"} ("use": Use in explorer);
//   {"train_example": "3 1 4 1 5 9 2 6"} the example shown;
//   {"expect": {"training_step": 50, "training_finished": true, "model": "…", "error": "", "text": "…"}} fails the
//   script unless the app is in that state (tests).
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace attn {

struct AppState;

struct Script {
  std::vector<nlohmann::json> actions;
  size_t next = 0;
  int wait = 0;  // frames still to wait before the next action
  bool done() const { return next >= actions.size() && wait == 0; }
};

// Loads and checks the file's shape. Returns "" or a message.
std::string load_script(const std::string& path, Script* out);
std::string parse_script(const std::string& text, Script* out);
// Applies the next action (or counts down a wait). Returns "" or a message naming the action's index.
// `screenshot` is set when the action asks for one (the window takes it after the frame is drawn).
std::string script_step(Script& s, AppState& app, std::string* screenshot);
// Applies one action now (script_step, and a lesson step's state: app/lessons.h). "" or a message.
// `screenshot` and `wait` receive what "screenshot" and "frames" ask for (null: ignored).
std::string apply_action(AppState& app, const nlohmann::json& a, std::string* screenshot, int* wait);

}  // namespace attn
