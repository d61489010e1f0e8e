#include "app_state.h"

#include <cstdlib>
#include <filesystem>

#include "session_json.h"
#include "tokenizer.h"

namespace attn {

namespace fs = std::filesystem;

std::string default_config_dir() {
  std::string base;
  if (const char* x = std::getenv("XDG_CONFIG_HOME"); x && *x) base = x;
  else if (const char* h = std::getenv("HOME"); h && *h) base = std::string(h) + "/.config";
  else return {};
  return base + "/attention-lab";
}

std::string app_load_session(AppState& s, const std::string& path) {
  const std::string e = load_session_file(path, &s.doc, &s.ui);
  if (e.empty()) s.dirty = true;
  return e;
}

std::string app_init(AppState& s, const GuiOptions& opts) {
  s.opts = opts;
  std::string note;
  s.config_dir = opts.config_dir.empty() ? default_config_dir() : opts.config_dir;
  if (!s.config_dir.empty()) {
    std::error_code ec;
    fs::create_directories(s.config_dir, ec);
    if (ec) {
      note = "cannot use the settings folder " + s.config_dir + ": " + ec.message() + " (settings will not be saved)";
      s.config_dir.clear();
    }
  }
  const std::string saved = s.config_dir.empty() ? "" : s.config_dir + "/settings.json";
  if (!saved.empty() && fs::exists(saved)) {
    const std::string e = app_load_session(s, saved);
    if (!e.empty()) note = "saved settings not restored: " + e;
  }
  if (!opts.text.empty()) s.doc.text = opts.text;
  if (opts.ui_scale > 0) s.ui.ui_scale = opts.ui_scale;
  if (!opts.view.empty()) {
    if (parse_view(opts.view, &s.ui.view)) s.ui.view_requested = true;
    else note = "unknown --view '" + opts.view + "'";
  }
  if (!opts.script.empty()) {
    const std::string e = load_script(opts.script, &s.script);
    if (!e.empty()) return e;
    s.has_script = true;
  }
  recompute(s);
  if (!note.empty()) s.ui.status = note;
  return {};
}

Views app_views(const AppState& s) {
  Views v;
  v.trace = s.has_trace ? &s.trace : nullptr;
  v.baseline = s.has_baseline ? &s.baseline : nullptr;
  v.batch = s.has_batch ? &s.batch : nullptr;
  v.error = s.error;
  return v;
}

void recompute(AppState& s) {
  s.dirty = false;
  Settings st = s.doc.settings;
  const std::string e0 = validate(st);
  if (!e0.empty()) {
    s.error = e0;
    return;
  }
  // Padding mask: a batch of two sentences padded to the longer one's length.
  int batch_n = 0;
  if (st.mask == MaskKind::Padding) {
    const int a = int(tokenize(s.doc.text, st.max_tokens).tokens.size());
    batch_n = int(tokenize(s.doc.batch_text, st.max_tokens).tokens.size());
    st.pad_to = std::max(a, batch_n);
  }
  if (!s.model || !model_fits(*s.model, st)) s.model = std::make_shared<const Model>(make_model(st));
  // build_trace leaves s.trace untouched when it refuses, and reuses its buffers when it succeeds.
  const std::string e = build_trace(st, s.doc.text, &s.trace, s.model);
  if (!e.empty()) {
    s.error = e;  // keep showing the last good trace
    return;
  }
  s.has_trace = true;
  s.error.clear();
  s.has_batch = false;
  if (st.mask == MaskKind::Padding && batch_n > 0) s.has_batch = build_trace(st, s.doc.batch_text, &s.batch, s.model).empty();
  bool any_off = false;
  for (uint8_t on : st.head_enabled) any_off |= !on;
  s.has_baseline = false;
  if (any_off) {
    Settings all_on = st;
    all_on.head_enabled.clear();
    s.has_baseline = build_trace(all_on, s.doc.text, &s.baseline, s.model).empty();
  }
  ++s.ui.version;
}

void app_before_frame(AppState& s) {
  if (s.dirty) recompute(s);
}

void app_draw(AppState& s) {
  if (draw_explorer(app_views(s), s.doc, s.ui)) s.dirty = true;
}

void app_shutdown(AppState& s) {
  if (s.config_dir.empty() || !s.opts.screenshot.empty() || s.opts.bench_frames > 0) return;  // automated runs save nothing
  save_session_file(s.config_dir + "/settings.json", s.doc, s.ui);
}

}  // namespace attn
