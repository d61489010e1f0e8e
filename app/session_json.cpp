#include "session_json.h"

#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>

#include "atomic_file.h"
#include "explorer.h"
#include "settings_json.h"
#include "translate.h"
#include "utf8.h"
#include "view_settings.h"

namespace attn {

using json = nlohmann::ordered_json;

json session_to_json(const Document& doc, const UiState& ui) {
  const Settings& s = doc.settings;
  json j;
  j["format"] = "attention-lab-session";
  j["version"] = kSessionVersion;
  j["text"] = doc.text;
  j["batch_text"] = doc.batch_text;
  j["model"] = doc.model;  // "" = random weights (absent in older files: the same)
  if (!doc.model_folder.empty()) j["model_folder"] = doc.model_folder;
  json st;
  for (const Field<Settings>& f : settings_table()) st[f.name] = field_to_json<json>(f, s);
  json cm = json::array();
  for (int i = 0; i < s.custom_mask.rows; ++i) {
    std::string row;
    for (int k = 0; k < s.custom_mask.cols; ++k) row += s.custom_mask(i, k) ? '1' : '0';
    cm.push_back(row);
  }
  st["custom_mask"] = cm;
  st["head_enabled"] = s.head_enabled;
  j["settings"] = st;
  json v;
  v["view"] = view_id(ui.view);
  v["layer"] = ui.layer;
  v["head"] = ui.head;
  v["pinned"] = {ui.pinned_q, ui.pinned_k};
  v["weights_cmap"] = int(ui.weights_cmap);
  v["scores_cmap"] = int(ui.scores_cmap);
  v["ui_scale"] = ui.ui_scale;
  if (!ui.language.empty()) v["language"] = ui.language;
  v["presenter_scale"] = ui.presenter_scale;  // presenter mode itself is not saved (ui_state.h says why)
  v["step"] = ui.step;
  v["window"] = {ui.window_w, ui.window_h};
  j["view"] = v;
  return j;
}

namespace {

// Typed field readers: each names the field when it is missing or of the wrong type.
struct Reader {
  const json& j;
  std::string prefix;
  std::string err;
  template <class T>
  bool get(const char* key, T* out) {
    if (!err.empty()) return false;
    if (!j.contains(key)) return true;  // absent: keep the default (older files)
    const json& v = j.at(key);
    try {
      if constexpr (std::is_same_v<T, bool>) {
        if (!v.is_boolean()) throw std::runtime_error("");
      } else if constexpr (std::is_arithmetic_v<T>) {
        if (!v.is_number()) throw std::runtime_error("");
        const double d = v.get<double>();
        if (!std::isfinite(d)) throw std::runtime_error("");
        if constexpr (std::is_integral_v<T>) {
          if (d < double(std::numeric_limits<T>::min()) || d > double(std::numeric_limits<T>::max()) || d != std::floor(d))
            throw std::runtime_error("");
        }
      } else {
        if (!v.is_string()) throw std::runtime_error("");
      }
      *out = v.get<T>();
      return true;
    } catch (...) {
      err = printf_text(_("%s%s has the wrong type or value"), prefix.c_str(), key);
      return false;
    }
  }
};

}  // namespace

std::string session_from_json(const nlohmann::ordered_json& j, Document* doc_out, UiState* ui_out) {
  if (!j.is_object()) return _("not a session file (expected a JSON object)");
  if (!j.contains("format") || j["format"] != "attention-lab-session") return _("not an Attention Lab session file");
  if (!j.contains("version") || !j["version"].is_number_integer()) return _("the session file has no version");
  const int version = j["version"].get<int>();
  if (version > kSessionVersion)
    return printf_text(_("the session was saved by a newer Attention Lab (format %s, this app reads up to %s)"),
                       std::to_string(version).c_str(), std::to_string(kSessionVersion).c_str());
  if (version < 1) return printf_text(_("unknown session format version %s"), std::to_string(version).c_str());
  Document doc;
  UiState ui_prefs;
  Reader top{j, "", ""};
  top.get("text", &doc.text);
  top.get("batch_text", &doc.batch_text);
  top.get("model", &doc.model);
  top.get("model_folder", &doc.model_folder);
  if (!top.err.empty()) return top.err;
  if (j.contains("settings")) {
    const json& st = j["settings"];
    if (!st.is_object()) return _("settings must be an object");
    Settings& s = doc.settings;
    for (const Field<Settings>& f : settings_table())
      if (st.contains(f.name)) {
        const std::string e = field_from_json(f, s, st[f.name]);
        if (!e.empty()) return "settings." + e;
      }
    if (st.contains("custom_mask")) {
      const json& cm = st["custom_mask"];
      if (!cm.is_array() || cm.size() > size_t(kMaxTokensLimit))
        return _("settings.custom_mask must be a list of rows");
      const int n = int(cm.size());
      BoolMat m(n, n);
      for (int i = 0; i < n; ++i) {
        if (!cm[size_t(i)].is_string()) return _("settings.custom_mask rows must be strings of 0 and 1");
        const std::string row = cm[size_t(i)].get<std::string>();
        if (int(row.size()) != n) return _("settings.custom_mask must be square");
        for (int k = 0; k < n; ++k) {
          if (row[size_t(k)] != '0' && row[size_t(k)] != '1')
            return _("settings.custom_mask rows must be strings of 0 and 1");
          m(i, k) = row[size_t(k)] == '1';
        }
      }
      s.custom_mask = m;
    }
    if (st.contains("head_enabled")) {
      const json& he = st["head_enabled"];
      if (!he.is_array()) return _("settings.head_enabled must be a list");
      s.head_enabled.clear();
      for (const json& x : he) {
        if (!x.is_number_integer()) return _("settings.head_enabled must hold 0 or 1");
        s.head_enabled.push_back(x.get<int>() ? 1 : 0);
      }
      if (!s.head_enabled.empty() && s.head_enabled.size() != size_t(s.layers) * size_t(s.heads))
        s.head_enabled.clear();  // shape changed: all heads on
    }
    const std::string e = validate(s);
    if (!e.empty()) return "settings: " + e;
  }
  if (j.contains("view") && j["view"].is_object()) {
    const json& v = j["view"];
    Reader r{v, "view.", ""};
    std::string view = view_id(ui_prefs.view);
    r.get("view", &view);
    r.get("layer", &ui_prefs.layer);
    r.get("head", &ui_prefs.head);
    r.get("ui_scale", &ui_prefs.ui_scale);
    r.get("language", &ui_prefs.language);
    r.get("presenter_scale", &ui_prefs.presenter_scale);  // absent in older files: the default
    r.get("step", &ui_prefs.step);
    int wc = int(ui_prefs.weights_cmap), sc = int(ui_prefs.scores_cmap);
    r.get("weights_cmap", &wc);
    r.get("scores_cmap", &sc);
    if (!r.err.empty()) return r.err;
    parse_view(view, &ui_prefs.view);
    if (v.contains("pinned") && v["pinned"].is_array() && v["pinned"].size() == 2 && v["pinned"][0].is_number_integer() &&
        v["pinned"][1].is_number_integer())
      ui_prefs.pinned_q = v["pinned"][0].get<int>(), ui_prefs.pinned_k = v["pinned"][1].get<int>();
    if (v.contains("window") && v["window"].is_array() && v["window"].size() == 2 && v["window"][0].is_number_integer() &&
        v["window"][1].is_number_integer()) {
      const int w = v["window"][0].get<int>(), h = v["window"][1].get<int>();
      if (w >= 320 && w <= 10000 && h >= 240 && h <= 10000) ui_prefs.window_w = w, ui_prefs.window_h = h;
    }
    if (wc >= 0 && wc < kColormapCount && !colormap_diverging(Colormap(wc))) ui_prefs.weights_cmap = Colormap(wc);
    if (sc >= 0 && sc < kColormapCount && colormap_diverging(Colormap(sc))) ui_prefs.scores_cmap = Colormap(sc);
    if (!(ui_prefs.ui_scale >= 1.0f && ui_prefs.ui_scale <= 3.0f)) ui_prefs.ui_scale = 1.0f;
    if (const Field<UiState>& ps = view_setting("presenter_scale"); !(ui_prefs.presenter_scale >= ps.min && ui_prefs.presenter_scale <= ps.max))
      ui_prefs.presenter_scale = UiState().presenter_scale;
  }
  *doc_out = std::move(doc);
  if (ui_out) {
    ui_out->view = ui_prefs.view;
    ui_out->view_requested = true;
    ui_out->layer = ui_prefs.layer, ui_out->head = ui_prefs.head;
    ui_out->pinned_q = ui_prefs.pinned_q, ui_out->pinned_k = ui_prefs.pinned_k;
    ui_out->weights_cmap = ui_prefs.weights_cmap, ui_out->scores_cmap = ui_prefs.scores_cmap;
    ui_out->ui_scale = ui_prefs.ui_scale;
    if (!ui_prefs.language.empty()) ui_out->language = ui_prefs.language;
    ui_out->presenter_scale = ui_prefs.presenter_scale;
    ui_out->step = ui_prefs.step;
    if (ui_prefs.window_w > 0) ui_out->window_w = ui_prefs.window_w, ui_out->window_h = ui_prefs.window_h;
  }
  return {};
}

std::string load_session_file(const std::string& path, Document* doc, UiState* ui) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return printf_text(_("cannot open %s"), path.c_str());
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string bytes = ss.str();
  if (bytes.empty()) return printf_text(_("%s is empty"), path.c_str());
  if (bytes.size() > (64u << 20)) return printf_text(_("%s is too large to be a session (over 64 MB)"), path.c_str());
  const json j = json::parse(valid_utf8(bytes), nullptr, false);  // every string in it is valid UTF-8 from here on
  if (j.is_discarded()) return printf_text(_("%s is not valid JSON"), path.c_str());
  const std::string e = session_from_json(j, doc, ui);
  return e.empty() ? e : path + ": " + e;
}

std::string save_session_file(const std::string& path, const Document& doc, const UiState& ui) {
  // The texts were made valid where they entered; replace (not throw) is the second line of defence.
  return write_file_atomic(path, session_to_json(doc, ui).dump(2, ' ', false, json::error_handler_t::replace) + "\n");
}

}  // namespace attn
