#include "file_actions.h"

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "atomic_file.h"
#include "fonts.h"
#include "heatmap_png.h"
#include "image.h"
#include "session_json.h"
#include "trace_json.h"
#include "translate.h"

namespace attn {

namespace fs = std::filesystem;

std::string default_io_dir() {
  const char* h = std::getenv("HOME");
  return (h && *h) ? std::string(h) + "/attention-lab" : std::string("attention-lab");
}

namespace {

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += (c == '"') ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

std::string ensure_dir(const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir))
    return printf_text(_("cannot create the folder %s"), dir.c_str()) + (ec ? ": " + ec.message() : "");
  return {};
}

}  // namespace

std::string matrix_csv(const Mat& m, const std::vector<std::string>& rows, const std::vector<std::string>& cols) {
  std::ostringstream o;
  o.precision(9);
  o << "query\\key";
  for (int j = 0; j < m.cols(); ++j) o << "," << csv_field(j < int(cols.size()) ? cols[size_t(j)] : std::to_string(j));
  o << "\n";
  for (int i = 0; i < m.rows(); ++i) {
    o << csv_field(i < int(rows.size()) ? rows[size_t(i)] : std::to_string(i));
    for (int j = 0; j < m.cols(); ++j) {
      const float v = m(i, j);
      o << ",";
      if (std::isnan(v)) o << "nan";
      else if (std::isinf(v)) o << (v < 0 ? "-inf" : "inf");
      else o << v;
    }
    o << "\n";
  }
  return o.str();
}

std::string perform_file_request(AppState& s) {
  UiState& ui = s.ui;
  const FileRequest req = ui.request;
  ui.request = FileRequest::None;
  if (req == FileRequest::None) return {};
  std::string err = ensure_dir(ui.io_dir), msg;
  const fs::path dir(ui.io_dir);
  const Trace* t = s.traces.has_trace ? &s.traces.trace : nullptr;
  const std::string stem = "layer" + std::to_string(ui.layer) + "_head" + std::to_string(ui.head);
  if (err.empty()) {
    switch (req) {
      case FileRequest::None: break;
      case FileRequest::SaveSession: {
        if (ui.session_name.empty() || ui.session_name.find('/') != std::string::npos)
          err = _("the session file name must be a plain name like session.json");
        else if ((err = save_session_file((dir / ui.session_name).string(), s.doc, ui)).empty())
          msg = printf_text(_("saved the session to %s"), (dir / ui.session_name).c_str());
        break;
      }
      case FileRequest::LoadSession: {
        if ((err = app_load_session(s, (dir / ui.session_name).string())).empty())
          msg = printf_text(_("loaded %s"), (dir / ui.session_name).c_str());
        break;
      }
      case FileRequest::ExportPng:
      case FileRequest::ExportCsv: {
        if (!t || t->layers.empty()) {
          err = _("nothing to export: the model has no attention layers");
          break;
        }
        const int l = std::clamp(ui.layer, 0, int(t->layers.size()) - 1), h = std::clamp(ui.head, 0, t->settings.heads - 1);
        const Mat& w = t->layers[size_t(l)].attn.heads[size_t(h)].weights;
        if (req == FileRequest::ExportPng) {
          const FontFile font = find_ui_font();
          const TextRenderer text(font.path, font.index, 14.0f, {find_symbol_font()});
          const std::string path = (dir / (stem + "_weights.png")).string();
          HeatmapPng spec{printf_text(_("attention weights, layer %d, head %d"), l, h), t->tokens, t->tokens, &t->mask,
                          ui.weights_cmap};
          if ((err = write_heatmap_png(w, spec, &text, path)).empty()) msg = printf_text(_("wrote %s"), path.c_str());
        } else {
          const std::string path = (dir / (stem + "_weights.csv")).string();
          if ((err = write_file_atomic(path, matrix_csv(w, t->tokens, t->tokens))).empty())
            msg = printf_text(_("wrote %s"), path.c_str());
        }
        break;
      }
      case FileRequest::ExportTrace: {
        if (!t) {
          err = _("nothing to export yet");
          break;
        }
        const std::string path = (dir / "trace.json").string();
        if ((err = write_file_atomic_stream(path, [&](std::ostream& o) { write_trace_json(*t, o); })).empty())
          msg = printf_text(_("wrote %s"), path.c_str());
        break;
      }
    }
  }
  ui.status = err.empty() ? msg : printf_text(_("Not done: %s"), err.c_str());
  return ui.status;
}

}  // namespace attn
