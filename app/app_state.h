// app_state.h: the app's state, created in main and passed by reference (no globals, no statics in ui/).
// Data flows one way: panels edit `settings`/`text` and set `dirty`; app_before_frame rebuilds `trace` once.
#pragma once
#include <memory>
#include <string>

#include "cli.h"
#include "settings.h"
#include "trace.h"
#include "ui_state.h"

namespace attn {

struct AppState {
  Settings settings;
  std::string text = "The animal didn't cross the street because it was too tired";
  Trace trace;             // the last good trace
  bool has_trace = false;
  bool dirty = true;       // settings or text changed: recompute before the next frame
  std::string error;       // why the last recompute was refused ("" when the trace is current)
  std::shared_ptr<const Model> model;  // reused while the shapes and seed do not change
  UiState ui;
  GuiOptions opts;
};

std::string app_init(AppState& s, const GuiOptions& opts);
void app_before_frame(AppState& s);
void app_draw(AppState& s);
void app_shutdown(AppState& s);

// Rebuilds the trace from settings + text; keeps the last good trace and sets s.error when refused.
void recompute(AppState& s);

}  // namespace attn
