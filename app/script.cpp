#include "script.h"

#include "corpus.h"

#include <chrono>
#include <fstream>
#include <thread>
#include <sstream>

#include "app_state.h"
#include "explorer.h"
#include "i18n.h"
#include "model_library.h"
#include "lessons.h"
#include "settings_json.h"
#include "view_settings.h"
#include "utf8.h"

namespace attn {

using json = nlohmann::json;

std::string parse_script(const std::string& text, Script* out) {
  const json j = json::parse(valid_utf8(text), nullptr, false);  // a Latin-1 byte in a string: U+FFFD, not a refusal
  if (j.is_discarded()) return "the script is not valid JSON";
  if (!j.is_array()) return "the script must be a JSON list of actions";
  Script s;
  for (size_t i = 0; i < j.size(); ++i) {
    if (!j[i].is_object() || j[i].empty()) return "script action " + std::to_string(i) + " must be an object like {\"view\": \"masks\"}";
    s.actions.push_back(j[i]);
  }
  *out = std::move(s);
  return {};
}

std::string load_script(const std::string& path, Script* out) {
  std::ifstream in(path);
  if (!in) return "cannot open the script " + path;
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string e = parse_script(ss.str(), out);
  return e.empty() ? e : path + ": " + e;
}

namespace {

// {"type": NAME, "value": V}: what a user can enter into NAME's control, where Ctrl+click on a slider types any
// number: a number (or text that reads as one) outside the range is clamped as the widget clamps it; text that is
// not a number, or a choice a combo does not offer, changes nothing, as in the widget. Never refused for its size:
// an edit over the memory cap reaches the document and the recompute refuses it with the numbers, as in the app.
template <class S>
void type_into(const Field<S>& f, S& s, const json& v) {
  switch (f.type) {
    case FieldType::Int:
    case FieldType::UInt64:
    case FieldType::Float: {
      double d = 0;
      if (v.is_number()) d = v.get<double>();
      else if (!v.is_string() || !parse_real(v.get<std::string>(), &d)) return;
      if (!std::isfinite(d)) return;
      d = std::clamp(d, f.min, f.max);
      if (f.type != FieldType::Float) d = std::round(d);
      field_set_number(f, s, d);
      return;
    }
    case FieldType::Bool:
      if (v.is_boolean()) field_set_bool(f, s, v.get<bool>());
      return;
    case FieldType::Enum:
      if (v.is_string()) field_set_text(f, s, v.get<std::string>());  // not a choice: unchanged
      return;
    case FieldType::OptText:
      if (v.is_string()) field_set_text(f, s, v.get<std::string>());
      else if (v.is_null()) field_set_none(f, s);
      return;
  }
}

// "" unless a trained model is selected and fixes f (its shapes, mask, …): the app disables that control, so a script
// may not set it either.
std::string fixed_by_model(const AppState& app, const Field<Settings>& f) {
  if (selected_checkpoint(app) && f.fixed_by_checkpoint)
    return std::string(f.name) + " is fixed by the pretrained model \"" + untrusted_text(app.doc.model) +
           "\" (select \"random\" first)";
  if (!selected_model(app) || f.user_over_model) return {};
  return std::string(f.name) + " is fixed by the trained model \"" + untrusted_text(app.doc.model) +
         "\" (select \"random\" first)";
}

std::string type_setting(AppState& app, const std::string& key, const json& v) {
  if (const Field<Settings>* f = find_field(settings_table(), key)) {
    if (const std::string e = fixed_by_model(app, *f); !e.empty()) return e;
    type_into(*f, app.doc.settings, v);
  } else if (const Field<UiState>* g = find_field(view_settings_table(), key)) {
    type_into(*g, app.ui, v);
    if (key == "ui_scale") app.ui.ui_scale_changed = true;
  } else {
    return "unknown setting '" + untrusted_text(key) + "' (docs/script.md lists them)";
  }
  app.dirty = true;
  return {};
}

// {"set": NAME, "value": V}: NAME from the settings table (core/settings_table.h) or the view table
// (ui/view_settings.h); docs/script.md lists both. A value over the memory cap is refused and changes nothing.
std::string set_setting(AppState& app, const std::string& key, const json& v) {
  if (const Field<Settings>* f = find_field(settings_table(), key)) {
    if (const std::string e = fixed_by_model(app, *f); !e.empty()) return e;
    Settings s = app.doc.settings;
    std::string e = field_from_json(*f, s, v);
    if (e.empty()) e = memory_refusal(estimate_bytes(s), _("weights and trace"));
    if (!e.empty()) return e;
    app.doc.settings = s;
    app.dirty = true;
    return {};
  }
  if (const Field<UiState>* f = find_field(view_settings_table(), key)) {
    const std::string e = field_from_json(*f, app.ui, v);
    if (!e.empty()) return e;
    if (key == "ui_scale") app.ui.ui_scale_changed = true;
    app.dirty = true;
    return {};
  }
  return "unknown setting '" + untrusted_text(key) + "' (docs/script.md lists them)";
}

// {"train": {"task": "reverse", "length": 8, "vocab": 10, "d_model": 32, "heads": 2, "layers": 2, "d_ff": 64,
//   "lr": 0.003, "batch": 32, "steps": 300, "warmup": 50, "seed": 1, "norm": "post"}}: absent keys keep the form's.
std::string set_train_config(TrainConfig& c, const json& v) {
  if (!v.is_object()) return "train needs an object of settings, e.g. {\"task\": \"reverse\", \"steps\": 200}";
  for (auto it = v.begin(); it != v.end(); ++it) {
    const std::string& k = it.key();
    const json& x = it.value();
    auto integer = [&](int* f) -> std::string {
      if (!x.is_number_integer()) return "train." + k + " needs a whole number";
      const long long n = x.get<long long>();
      if (n < 0 || n > 1000000000) return "train." + k + " is out of range";
      *f = int(n);
      return {};
    };
    std::string e;
    if (k == "task") {
      if (!x.is_string() || !parse_task_kind(x.get<std::string>(), &c.task.kind))
        e = "train.task must be reverse, sort, copy-shift or induction";
    } else if (k == "length") e = integer(&c.task.length);
    else if (k == "vocab") e = integer(&c.task.vocab);
    else if (k == "d_model") e = integer(&c.d_model);
    else if (k == "heads") e = integer(&c.heads);
    else if (k == "layers") e = integer(&c.layers);
    else if (k == "d_ff") e = integer(&c.d_ff);
    else if (k == "batch") e = integer(&c.batch);
    else if (k == "steps") e = integer(&c.steps);
    else if (k == "warmup") e = integer(&c.warmup);
    else if (k == "seed") {
      if (!x.is_number_unsigned()) e = "train.seed needs a whole number ≥ 0";
      else c.seed = x.get<uint64_t>();
    } else if (k == "lr" || k == "clip") {
      if (!x.is_number()) e = "train." + k + " needs a number";
      else (k == "lr" ? c.lr : c.clip) = x.get<float>();
    } else if (k == "norm") {
      if (!x.is_string() || !parse_norm(x.get<std::string>(), &c.norm)) e = "train.norm must be post or pre";
    } else {
      e = "unknown training setting '" + untrusted_text(k) + "'";
    }
    if (!e.empty()) return e;
  }
  const std::string e = validate(c);
  return e.empty() ? e : "train: " + e;
}

// {"expect": {"training_step": 50, "training_finished": true, "model": "name", "error": "", "view": "training"}}:
// fails the script when the app is not in that state (tests).
std::string check_expect(AppState& app, const json& v) {
  if (!v.is_object()) return "expect needs an object";
  TrainingJob* job = app.ui.training.get();
  if (job) job->latest(&app.ui.train_view);
  for (auto it = v.begin(); it != v.end(); ++it) {
    const std::string& k = it.key();
    const json& x = it.value();
    if (k == "training_step") {
      if (!x.is_number_integer()) return "expect.training_step needs a number";
      if (!job || app.ui.train_view.step != x.get<int>())
        return "expected training at step " + std::to_string(x.get<int>()) + ", it is at " +
               (job ? std::to_string(app.ui.train_view.step) : std::string("no training"));
    } else if (k == "training_finished") {
      if (!x.is_boolean()) return "expect.training_finished needs true or false";
      if ((job && job->finished()) != x.get<bool>()) return std::string("expected training ") + (x.get<bool>() ? "finished" : "not finished");
    } else if (k == "model") {
      if (!x.is_string()) return "expect.model needs a name";
      if (app.doc.model != x.get<std::string>()) return "expected the model \"" + x.get<std::string>() + "\", it is \"" + app.doc.model + "\"";
    } else if (k == "error") {
      if (!x.is_string()) return "expect.error needs a string";
      const std::string want = x.get<std::string>();
      if (want.empty() ? !app.error.empty() : app.error.find(want) == std::string::npos)
        return "expected the error \"" + want + "\", it is \"" + app.error + "\"";
    } else if (k == "status") {  // a part of the status line, e.g. "refused"
      if (!x.is_string() || app.ui.status.find(x.get<std::string>()) == std::string::npos)
        return "expected the status to hold \"" + (x.is_string() ? x.get<std::string>() : std::string("?")) + "\", it is \"" + app.ui.status + "\"";
    } else if (k == "language") {  // the language the UI is drawn in: "en", "zh_CN"
      if (!x.is_string() || language() != x.get<std::string>())
        return "expected the language \"" + (x.is_string() ? x.get<std::string>() : std::string("?")) + "\", it is \"" +
               language() + "\"";
    } else if (k == "text") {
      if (!x.is_string()) return "expect.text needs a string";
      if (app.doc.text != x.get<std::string>()) return "expected the text \"" + x.get<std::string>() + "\", it is \"" + app.doc.text + "\"";
    } else {
      return "unknown expectation '" + untrusted_text(k) + "'";
    }
  }
  return {};
}

}  // namespace

std::string script_step(Script& s, AppState& app, std::string* screenshot) {
  if (s.wait > 0) {
    --s.wait;
    return {};
  }
  if (s.next >= s.actions.size()) return {};
  const size_t idx = s.next++;
  const std::string e = apply_action(app, s.actions[idx], screenshot, &s.wait);
  return e.empty() ? e : "script action " + std::to_string(idx) + ": " + e;
}

// A lesson's regions: each {"cell": [q, k]}, {"row": q}, {"col": k}, or {"rows": [a, b]} and/or {"cols": [c, d]}
// (inclusive, a ≤ b); at most 16. "" or what is wrong.
static std::string parse_highlights(const json& v, std::vector<HeatmapRegion>* out) {
  const char* usage = "highlight needs a list of {\"cell\": [q, k]}, {\"row\": q}, {\"col\": k} or {\"rows\": [a, b], \"cols\": [c, d]}";
  if (!v.is_array() || v.size() > 16) return usage;
  const auto index = [](const json& x) { return x.is_number_integer() && x.get<long long>() >= 0 && x.get<long long>() < 100000; };
  const auto range = [&](const json& x) { return x.is_array() && x.size() == 2 && index(x[0]) && index(x[1]) && x[0] <= x[1]; };
  for (const json& r : v) {
    if (!r.is_object() || r.empty()) return usage;
    HeatmapRegion h;
    for (const auto& [k, x] : r.items()) {
      if (k == "cell" && x.is_array() && x.size() == 2 && index(x[0]) && index(x[1]))
        h.r0 = h.r1 = x[0].get<int>(), h.c0 = h.c1 = x[1].get<int>();
      else if (k == "row" && index(x)) h.r0 = h.r1 = x.get<int>();
      else if (k == "col" && index(x)) h.c0 = h.c1 = x.get<int>();
      else if (k == "rows" && range(x)) h.r0 = x[0].get<int>(), h.r1 = x[1].get<int>();
      else if (k == "cols" && range(x)) h.c0 = x[0].get<int>(), h.c1 = x[1].get<int>();
      else return usage;
    }
    out->push_back(h);
  }
  return "";
}

std::string apply_action(AppState& app, const json& a, std::string* screenshot, int* wait) {
  auto fail = [&](const std::string& m) { return m; };
  if (!a.is_object() || a.empty()) return "an action is an object whose first key is its verb";
  const std::string verb = a.begin().key();
  const json& v = a.begin().value();
  if (verb == "text" || verb == "batch_text") {
    if (!v.is_string()) return fail(verb + " needs a string");
    (verb == "text" ? app.doc.text : app.doc.batch_text) = v.get<std::string>();
    app.dirty = true;
  } else if (verb == "keys") {  // {"keys": "s"}: appended as if typed in the sentence box; "\b" deletes a character
    if (!v.is_string()) return fail("keys needs the characters to type");
    for (char c : v.get<std::string>()) {
      if (c != '\b') app.doc.text.push_back(c);
      else if (!app.doc.text.empty()) {
        while ((app.doc.text.back() & 0xC0) == 0x80 && app.doc.text.size() > 1) app.doc.text.pop_back();  // continuation bytes
        app.doc.text.pop_back();
      }
    }
    app.dirty = true;
  } else if (verb == "lang") {  // {"lang": "zh_CN"}: as the language combo; "" follows the environment
    if (!v.is_string() || !apply_language(app.ui, v.get<std::string>()))
      return fail("lang must be one of " + language_codes() + " or \"\"");
  } else if (verb == "view") {
    if (!v.is_string() || !parse_view(v.get<std::string>(), &app.ui.view)) return fail("unknown view");
    app.ui.view_requested = true;
  } else if (verb == "set") {
    if (!v.is_string() || !a.contains("value")) return fail("set needs {\"set\": name, \"value\": …}");
    const std::string e = set_setting(app, v.get<std::string>(), a["value"]);
    if (!e.empty()) return fail(e);
  } else if (verb == "type") {
    if (!v.is_string() || !a.contains("value")) return fail("type needs {\"type\": name, \"value\": …}");
    const std::string e = type_setting(app, v.get<std::string>(), a["value"]);
    if (!e.empty()) return fail(e);
  } else if (verb == "select") {
    if (!v.is_object()) return fail("select needs {\"layer\": L, \"head\": H}");
    if (v.contains("layer") && v["layer"].is_number_integer()) app.ui.layer = v["layer"].get<int>();
    if (v.contains("head") && v["head"].is_number_integer()) app.ui.head = v["head"].get<int>();
    if (app.traces.has_trace) clamp_selection(app.traces.trace, app.ui);  // indices of the trace on screen
  } else if (verb == "pin") {
    if (!v.is_array() || v.size() != 2 || !v[0].is_number_integer() || !v[1].is_number_integer()) return fail("pin needs [query, key]");
    app.ui.pinned_q = v[0].get<int>(), app.ui.pinned_k = v[1].get<int>();
    if (app.traces.has_trace) clamp_selection(app.traces.trace, app.ui);
  } else if (verb == "highlight") {  // {"highlight": [{"cell": [q, k]}, {"row": q}, {"col": k}, {"rows": [a, b], "cols": [c, d]}]}
    std::vector<HeatmapRegion> regions;
    if (std::string e = parse_highlights(v, &regions); !e.empty()) return fail(e);
    app.ui.highlights = std::move(regions);
  } else if (verb == "step") {
    if (!v.is_number_integer()) return fail("step needs a stage index");
    app.ui.step = v.get<int>();
  } else if (verb == "play") {
    if (!v.is_boolean()) return fail("play needs true or false");
    app.ui.playing = v.get<bool>();
  } else if (verb == "head") {
    if (!v.is_array() || v.size() != 3 || !v[0].is_number_integer() || !v[1].is_number_integer() || !v[2].is_boolean())
      return fail("head needs [layer, head, on]");
    Settings& st = app.doc.settings;
    const int l = v[0].get<int>(), h = v[1].get<int>();
    // The switches belong to the settings being edited (the trace on screen may be older): checked against them.
    if (l < 0 || l >= st.layers || h < 0 || h >= st.heads || st.layers > kMaxLayers || st.heads > kMaxHeads)
      return fail("no such layer/head");
    const size_t count = size_t(st.layers) * size_t(st.heads);
    if (st.head_enabled.size() != count) st.head_enabled.assign(count, 1);
    st.head_enabled[size_t(l * st.heads + h)] = v[2].get<bool>() ? 1 : 0;
    app.dirty = true;
  } else if (verb == "mask_cell") {
    if (!v.is_array() || v.size() != 3 || !v[0].is_number_integer() || !v[1].is_number_integer() || !v[2].is_boolean())
      return fail("mask_cell needs [query, key, blocked]");
    const int i = v[0].get<int>(), j = v[1].get<int>();
    BoolMat& m = app.doc.settings.custom_mask;
    const int n = std::max({m.rows, i + 1, j + 1});
    if (n > kMaxTokensLimit || i < 0 || j < 0) return fail("cell out of range");
    if (m.rows < n) {
      BoolMat g(n, n);
      for (int r = 0; r < m.rows; ++r)
        for (int c = 0; c < m.cols; ++c) g(r, c) = m(r, c);
      m = g;
    }
    m(i, j) = v[2].get<bool>() ? 1 : 0;
    app.doc.settings.mask = MaskKind::Custom;
    app.dirty = true;
  } else if (verb == "frames") {
    if (!v.is_number_integer() || v.get<int>() < 0 || v.get<int>() > 100000) return fail("frames needs a count");
    if (wait) *wait = v.get<int>();
  } else if (verb == "screenshot") {
    if (!v.is_string()) return fail("screenshot needs a file name");
    if (screenshot) *screenshot = v.get<std::string>();
  } else if (verb == "layout_check") {  // {"layout_check": "f.txt"}: app/layout_check.h's findings of this frame
    if (!v.is_string()) return fail("layout_check needs a file name");
    app.layout_check = v.get<std::string>();
  } else if (verb == "file") {  // {"file": "save_session" | "load_session" | "png" | "csv" | "trace"}
    const std::string k = v.is_string() ? v.get<std::string>() : "";
    if (k == "save_session") app.ui.request = FileRequest::SaveSession;
    else if (k == "load_session") app.ui.request = FileRequest::LoadSession;
    else if (k == "png") app.ui.request = FileRequest::ExportPng;
    else if (k == "csv") app.ui.request = FileRequest::ExportCsv;
    else if (k == "trace") app.ui.request = FileRequest::ExportTrace;
    else return fail("file needs save_session, load_session, png, csv or trace");
  } else if (verb == "session_name") {
    if (!v.is_string()) return fail("session_name needs a file name");
    app.ui.session_name = v.get<std::string>();
  } else if (verb == "load") {
    if (!v.is_string()) return fail("load needs a session file");
    const std::string e = app_load_session(app, v.get<std::string>());
    if (!e.empty()) return fail(e);
  } else if (verb == "model") {  // {"model": "reverse-8x10"}; "" or "random" for random weights
    if (!v.is_string()) return fail("model needs a model's name, or \"random\"");
    if (const std::string e = app_select_weights(app, v.get<std::string>()); !e.empty()) return fail(e);
    app.dirty = true;
  } else if (verb == "open_model") {  // {"open_model": "path/to/gpt2"}: a checkpoint folder, opened and selected
    if (!v.is_string()) return fail("open_model needs a checkpoint folder");
    const std::string e = app_open_checkpoint(app, v.get<std::string>());
    if (!e.empty()) return fail(e);
  } else if (verb == "train") {  // set the Training tab's form and start it, paused at step 0
    TrainConfig c = app.ui.train;
    const std::string e = set_train_config(c, v);
    if (!e.empty()) return fail(e);
    app.ui.train = c;
    retire_job(app.ui.training, app.ui.retired_training);
    app.ui.train_view = TrainingSnapshot();
    const std::vector<int> ex = first_example_input(c);
    app.ui.train_example = ids_to_text(ex);
    app.ui.train_example_error.clear();
    app.ui.training = std::make_shared<TrainingJob>(c, ex, /*start_paused=*/true);  // train_wait runs it
    app.ui.training->set_hub(app.ui.jobs);
  } else if (verb == "train_lm") {  // {"train_lm": {"layers": 1, "steps": 100, …}}: the Training tab's language
    // model with these settings (absent keys keep the form's), run to the end before the script goes on
    if (!v.is_object()) return fail("train_lm needs an object of settings, e.g. {\"steps\": 100}");
    LmConfig c = app.ui.lm_train;
    const std::pair<const char*, int*> ints[] = {{"layers", &c.layers}, {"heads", &c.heads}, {"d_model", &c.d_model},
                                                 {"d_ff", &c.d_ff},     {"context", &c.context}, {"vocab", &c.vocab},
                                                 {"batch", &c.batch},   {"steps", &c.steps},  {"warmup", &c.warmup}};
    for (auto it = v.begin(); it != v.end(); ++it) {
      bool known = false;
      for (const auto& [name, field] : ints)
        if (it.key() == name) {
          if (!it.value().is_number_integer() || it.value().get<long long>() < 0 || it.value().get<long long>() > 1000000)
            return fail("train_lm." + it.key() + " needs a whole number between 0 and 1,000,000");
          *field = it.value().get<int>();
          known = true;
        }
      if (it.key() == "lr") {
        if (!it.value().is_number()) return fail("train_lm.lr needs a number");
        c.lr = it.value().get<float>(), c.min_lr = c.lr / 10;
        known = true;
      }
      if (!known) return fail("train_lm: unknown setting \"" + untrusted_text(it.key()) + "\"");
    }
    if (const std::string e = validate(c); !e.empty()) return fail("train_lm: " + e);
    app.ui.lm_train = c;
    app.ui.train_lm = true;
    retire_job(app.ui.lm_training, app.ui.retired_lm_training);
    app.ui.lm_view = LmTrainingSnapshot();
    app.ui.lm_training = std::make_shared<LmTrainingJob>(c, kWordnetDir, /*start_paused=*/true);
    app.ui.lm_training->set_hub(app.ui.jobs);
    if (!app.ui.lm_training->run_until(c.steps, 900.0)) return fail("train_lm: training did not finish in 15 minutes");
    app.ui.lm_training->latest(&app.ui.lm_view);
    if (!app.ui.lm_view.error.empty()) return fail("train_lm: " + app.ui.lm_view.error);
  } else if (verb == "train_lm_use") {  // {"train_lm_use": true}: "Use in explorer" on the trained language model
    if (!app.ui.lm_view.model) return fail("train_lm_use: no language model has been trained (use \"train_lm\")");
    app.ui.use_checkpoint = app.ui.lm_view.model;
  } else if (verb == "train_wait") {  // {"train_wait": N} stops at exactly step N; {"train_wait": "done"}: the end
    TrainingJob* job = app.ui.training.get();
    if (!job) return fail("train_wait: no training is running (start one with \"train\")");
    int step = 0;
    if (v.is_string() && v.get<std::string>() == "done") step = job->config().steps;
    else if (v.is_number_integer() && v.get<int>() >= 0) step = v.get<int>();
    else return fail("train_wait needs a step number or \"done\"");
    if (!job->run_until(step, 900.0)) return fail("train_wait: training did not reach step " + std::to_string(step) + " in 15 minutes");
    job->latest(&app.ui.train_view);
  } else if (verb == "train_control") {  // "pause" | "resume" | "reset" | "use"
    const std::string k = v.is_string() ? v.get<std::string>() : "";
    TrainingJob* job = app.ui.training.get();
    if (k != "pause" && k != "resume" && k != "reset" && k != "use") return fail("train_control needs pause, resume, reset or use");
    if (!job) return fail("train_control: no training to " + k);
    if (k == "pause" || k == "resume") {
      job->set_paused(k == "pause");
    } else if (k == "reset") {
      retire_job(app.ui.training, app.ui.retired_training);
      app.ui.train_view = TrainingSnapshot();
    } else {
      job->latest(&app.ui.train_view);
      std::shared_ptr<TrainedModel> m = snapshot_model(*job, app.ui.train_view);
      if (!m) return fail("train_control use: no trained weights yet (wait for a step)");
      app_use_trained_model(app, std::move(m));
    }
  } else if (verb == "train_example") {  // the input shown on the Training tab
    TrainingJob* job = app.ui.training.get();
    if (!v.is_string()) return fail("train_example needs an input like \"3 1 4 1\"");
    if (!job) return fail("train_example: start a training first");
    std::vector<int> ids;
    const std::string e = parse_task_input(job->config().task, v.get<std::string>(), &ids);
    if (!e.empty()) return fail(e);
    app.ui.train_example = v.get<std::string>();
    job->set_example(ids);
    // Wait for the worker to show it (a screenshot right after must not show the previous example).
    for (int k = 0; k < 6000 && app.ui.train_view.input != ids; ++k) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      job->latest(&app.ui.train_view);
    }
  } else if (verb == "lesson") {  // {"lesson": "scaling"}: opens the lesson with that id (or number, from 1)
    const LessonState& l = app.ui.lessons;
    int idx = -1;
    if (v.is_number_integer()) idx = v.get<int>() - 1;
    else if (v.is_string() && l.lessons)
      for (size_t i = 0; i < l.lessons->size(); ++i)
        if ((*l.lessons)[i].id == v.get<std::string>()) idx = int(i);
    if (idx < 0 && !v.is_number_integer()) return fail("lesson needs a lesson id or number");
    if (std::string e = app_lesson_open(app, idx); !e.empty()) return fail(e);
  } else if (verb == "lesson_step") {  // {"lesson_step": 2}: the open lesson's step 2 (from 1), set up afresh
    if (!v.is_number_integer()) return fail("lesson_step needs a step number (from 1)");
    if (std::string e = app_lesson_go(app, v.get<int>() - 1); !e.empty()) return fail(e);
  } else if (verb == "lesson_answer") {  // {"lesson_answer": 1}: commits that choice (or token index) and reveals
    if (!v.is_number_integer()) return fail("lesson_answer needs the index of a choice (from 0) or of a token");
    if (std::string e = app_lesson_reveal(app, v.get<int>()); !e.empty()) return fail(e);
  } else if (verb == "lesson_leave") {  // {"lesson_leave": true}: leaves the lesson, restoring what the user had
    app_lesson_leave(app);
  } else if (verb == "expect") {
    const std::string e = check_expect(app, v);
    if (!e.empty()) return fail(e);
  } else {
    return fail("unknown action '" + untrusted_text(verb) + "'");
  }
  return {};
}

}  // namespace attn
