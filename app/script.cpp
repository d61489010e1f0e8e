#include "script.h"

#include <fstream>
#include <sstream>

#include "app_state.h"
#include "explorer.h"

namespace attn {

using json = nlohmann::json;

std::string parse_script(const std::string& text, Script* out) {
  const json j = json::parse(text, nullptr, false);
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

std::string set_setting(AppState& app, const std::string& key, const json& v) {
  Settings& s = app.doc.settings;
  auto num = [&](auto* field) -> std::string {
    if (!v.is_number()) return key + " needs a number";
    *field = v.get<std::decay_t<decltype(*field)>>();
    return {};
  };
  auto flag = [&](bool* field) -> std::string {
    if (!v.is_boolean()) return key + " needs true or false";
    *field = v.get<bool>();
    return {};
  };
  auto text = [&]() -> std::string { return v.is_string() ? v.get<std::string>() : std::string("\x01"); };
  std::string e;
  if (key == "scale") e = flag(&s.scale);
  else if (key == "hard") e = flag(&s.hard);
  else if (key == "temperature") e = num(&s.temperature);
  else if (key == "d_model") e = num(&s.d_model);
  else if (key == "heads") e = num(&s.heads);
  else if (key == "layers") e = num(&s.layers);
  else if (key == "d_ff") e = num(&s.d_ff);
  else if (key == "seed") e = num(&s.seed);
  else if (key == "max_tokens") e = num(&s.max_tokens);
  else if (key == "decode_steps") e = num(&s.decode_steps);
  else if (key == "mask") { if (!parse_mask_kind(text(), &s.mask)) e = "mask must be none, causal, padding or custom"; }
  else if (key == "mask_value") { if (!parse_mask_value(text(), &s.mask_value)) e = "mask_value must be -1e9 or -inf"; }
  else if (key == "pe") { if (!parse_pe_kind(text(), &s.pe)) e = "pe must be sinusoidal, learned or none"; }
  else if (key == "norm") { if (!parse_norm(text(), &s.norm)) e = "norm must be post or pre"; }
  else if (key == "target") { if (v.is_null()) s.target.reset(); else if (v.is_string()) s.target = v.get<std::string>(); else e = "target needs a string or null"; }
  else if (key == "ui_scale") { e = num(&app.ui.ui_scale); app.ui.ui_scale_changed = true; }
  else if (key == "heads_lines") e = flag(&app.ui.heads_lines);
  else if (key == "enlarge") e = num(&app.ui.enlarged_head);
  else if (key == "lab_dk") e = num(&app.ui.lab_dk);
  else e = "unknown setting '" + key + "'";
  app.dirty = true;
  return e;
}

}  // namespace

std::string script_step(Script& s, AppState& app, std::string* screenshot) {
  if (s.wait > 0) {
    --s.wait;
    return {};
  }
  if (s.next >= s.actions.size()) return {};
  const size_t idx = s.next++;
  const json& a = s.actions[idx];
  auto fail = [&](const std::string& m) { return "script action " + std::to_string(idx) + ": " + m; };
  const std::string verb = a.begin().key();
  const json& v = a.begin().value();
  if (verb == "text" || verb == "batch_text") {
    if (!v.is_string()) return fail(verb + " needs a string");
    (verb == "text" ? app.doc.text : app.doc.batch_text) = v.get<std::string>();
    app.dirty = true;
  } else if (verb == "view") {
    if (!v.is_string() || !parse_view(v.get<std::string>(), &app.ui.view)) return fail("unknown view");
    app.ui.view_requested = true;
  } else if (verb == "set") {
    if (!v.is_string() || !a.contains("value")) return fail("set needs {\"set\": name, \"value\": …}");
    const std::string e = set_setting(app, v.get<std::string>(), a["value"]);
    if (!e.empty()) return fail(e);
  } else if (verb == "select") {
    if (!v.is_object()) return fail("select needs {\"layer\": L, \"head\": H}");
    if (v.contains("layer") && v["layer"].is_number_integer()) app.ui.layer = v["layer"].get<int>();
    if (v.contains("head") && v["head"].is_number_integer()) app.ui.head = v["head"].get<int>();
  } else if (verb == "pin") {
    if (!v.is_array() || v.size() != 2 || !v[0].is_number_integer() || !v[1].is_number_integer()) return fail("pin needs [query, key]");
    app.ui.pinned_q = v[0].get<int>(), app.ui.pinned_k = v[1].get<int>();
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
    if (l < 0 || l >= st.layers || h < 0 || h >= st.heads) return fail("no such layer/head");
    if (st.head_enabled.size() != size_t(st.layers * st.heads)) st.head_enabled.assign(size_t(st.layers * st.heads), 1);
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
    s.wait = v.get<int>();
  } else if (verb == "screenshot") {
    if (!v.is_string()) return fail("screenshot needs a file name");
    *screenshot = v.get<std::string>();
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
  } else {
    return fail("unknown action '" + verb + "'");
  }
  return {};
}

}  // namespace attn
