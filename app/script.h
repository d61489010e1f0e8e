// script.h: a small JSON list of UI actions, run one per frame, so tests and docs can produce any screen:
//   [{"text": "Cats like to sleep"}, {"view": "masks"}, {"set": "scale", "value": false},
//    {"set": "mask", "value": "causal"}, {"pin": [2, 1]}, {"select": {"layer": 0, "head": 1}},
//    {"step": 5}, {"head": [0, 1, false]}, {"mask_cell": [1, 2, true]}, {"frames": 3}, {"screenshot": "a.png"}]
// See docs/script.md for every action.
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

}  // namespace attn
