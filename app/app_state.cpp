#include "app_state.h"

#include "explorer.h"

namespace attn {

std::string app_init(AppState& s, const GuiOptions& opts) {
  s.opts = opts;
  if (!opts.text.empty()) s.text = opts.text;
  recompute(s);
  return s.error;
}

void recompute(AppState& s) {
  s.dirty = false;
  if (!s.model || !model_fits(*s.model, s.settings)) {
    const std::string e = validate(s.settings);
    if (!e.empty()) {
      s.error = e;
      return;
    }
    s.model = std::make_shared<const Model>(make_model(s.settings));
  }
  Trace t;
  const std::string e = build_trace(s.settings, s.text, &t, s.model);
  if (!e.empty()) {
    s.error = e;  // keep showing the last good trace
    return;
  }
  s.trace = std::move(t);
  s.has_trace = true;
  s.error.clear();
}

void app_before_frame(AppState& s) {
  if (s.dirty) recompute(s);
}

void app_draw(AppState& s) {
  ExplorerInput in{s.has_trace ? &s.trace : nullptr, s.error};
  if (draw_explorer(in, s.settings, s.text, s.ui)) s.dirty = true;
}

void app_shutdown(AppState&) {}

}  // namespace attn
