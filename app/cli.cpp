#include "cli.h"

#include "corpus.h"

#include <CLI/CLI.hpp>

#include <unistd.h>

#include <cerrno>
#include <memory>
#include <cstdarg>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "atomic_file.h"
#include "complexity.h"
#include "fonts.h"
#include "format.h"
#include "head_report.h"
#include "heatmap_png.h"
#include "bpe.h"
#include "lm_train.h"
#include "hf_checkpoint.h"
#include "i18n.h"
#include "settings_table.h"
#include "tokenizer.h"
#include "ui_state.h"
#include "image.h"
#include "trace.h"
#include "trace_json.h"
#include "utf8.h"
#include "weights_file.h"

namespace attn {

namespace fs = std::filesystem;

std::string export_trace(const Settings& s_in, const std::string& text, const std::string& dir, std::ostream& log,
                         std::ostream* progress, std::shared_ptr<const Model> model) {
  const Settings s = model ? checkpoint_settings(*model, s_in) : s_in;
  const std::string ve = validate(s);  // the memory cap, before anything is allocated
  if (!ve.empty()) return ve;
  const int n = model ? s.max_tokens : std::max(int(tokenize(text, s.max_tokens).tokens.size()), s.pad_to);
  const double need = model ? estimate_size(*model, s, n).bytes() + heatmap_png_peak_bytes(n, n) + kExportFixedBytes
                            : export_peak_bytes(s, n);
  if (const std::string e = memory_refusal(need, _("the export")); !e.empty()) return e;
  const bool big = need > 100e6;  // long enough to deserve progress lines
  if (big && progress)
    *progress << printf_text(_("export: %d tokens, about %d MB of memory (weights, trace, one heatmap being encoded)\n"), n,
                             int(need / 1e6))
              << std::flush;
  Trace t;
  std::string err = build_trace(s, text, &t, model);
  if (!err.empty()) return err;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir))
    return printf_text(_("cannot create the folder %s"), dir.c_str()) + (ec ? ": " + ec.message() : "");
  // trace.json holds n² numbers per head and stage: say how large before writing, refuse when the disk cannot hold it.
  const double json_bytes = trace_json_numbers(t) * kTraceJsonBytesPerNumber;
  const fs::space_info space = fs::space(dir, ec);
  if (!ec && double(space.available) < json_bytes)
    return printf_text(_("trace.json would take about %lld MB but %s has only %lld MB free"),
                       (long long)(json_bytes / 1e6), dir.c_str(), (long long)(space.available / 1000000));
  if (json_bytes > 10e6 && progress)
    *progress << printf_text(_("writing trace.json: about %lld MB\n"), (long long)(json_bytes / 1e6)) << std::flush;
  const std::string json_path = (fs::path(dir) / "trace.json").string();
  err = write_file_atomic_stream(json_path, [&](std::ostream& o) {
    write_trace_json(t, o, [&](const std::string& step) {
      if (json_bytes > 10e6 && progress) *progress << "trace.json: " << step << "\n" << std::flush;
    });
  });
  if (!err.empty()) return err;
  const FontFile font = find_ui_font();
  const TextRenderer text_r(font.path, font.index, 14.0f, {find_symbol_font()});  // ᵀ is not in the CJK font
  int pngs = 0;
  auto heat = [&](const Mat& m, const std::string& title, const std::vector<std::string>& rows,
                  const std::vector<std::string>& cols, const BoolMat* blocked, Colormap cm, const std::string& name) {
    HeatmapPng spec{title, rows, cols, blocked, cm};
    if (err.empty()) err = write_heatmap_png(m, spec, &text_r, (fs::path(dir) / name).string());
    ++pngs;
    if (big && progress && pngs % 8 == 0) *progress << printf_text(_("PNG heatmaps: %d written\n"), pngs) << std::flush;
  };
  for (size_t l = 0; l < t.layers.size(); ++l)
    for (size_t h = 0; h < t.layers[l].attn.heads.size(); ++h) {
      const HeadTrace& ht = t.layers[l].attn.heads[h];
      const std::string id = "layer" + std::to_string(l) + "_head" + std::to_string(h);
      heat(ht.weights, printf_text(_("attention weights, layer %d, head %d"), int(l), int(h)), t.tokens, t.tokens,
           &t.mask, Colormap::Viridis, id + "_weights.png");
      heat(ht.scores, printf_text(_("raw scores Q·Kᵀ, layer %d, head %d"), int(l), int(h)), t.tokens, t.tokens, nullptr,
           Colormap::RdBu, id + "_scores.png");
    }
  if (t.decoder) {
    const DecoderTrace& d = *t.decoder;
    for (size_t l = 0; l < d.layers.size(); ++l)
      for (size_t h = 0; h < d.layers[l].self_attn.heads.size(); ++h) {
        const std::string id = "decoder_layer" + std::to_string(l) + "_head" + std::to_string(h);
        heat(d.layers[l].self_attn.heads[h].weights,
             printf_text(_("causal self-attention, decoder layer %d, head %d"), int(l), int(h)), d.tokens, d.tokens,
             &d.self_mask, Colormap::Viridis, id + "_self_weights.png");
        heat(d.layers[l].cross_attn.heads[h].weights,
             printf_text(_("cross-attention, decoder layer %d, head %d"), int(l), int(h)), d.tokens, t.tokens,
             &d.cross_mask, Colormap::Viridis, id + "_cross_weights.png");
      }
  }
  if (!err.empty()) return err;
  log << printf_text(t.truncated ? _("wrote %s and %d PNG heatmaps (%d tokens, text truncated to --max-tokens)\n")
                                 : _("wrote %s and %d PNG heatmaps (%d tokens)\n"),
                     json_path.c_str(), pngs, t.n());
  return {};
}

double export_peak_bytes(const Settings& s, int n) {
  return estimate_size(s, n).bytes() + heatmap_png_peak_bytes(n, n) + kExportFixedBytes;
}

namespace {

// CLI11 prints multi-line help on errors; we want one line naming the problem. Messages echo arguments and file
// content: escaped here, at the terminal, so a newline or an escape sequence in them cannot break the line.
int fail(std::ostream& err, const std::string& msg) {
  err << "attention-lab: " << untrusted_text(msg, 2000) << "\n";
  return 2;
}

// "42s", "3m05s", "1h02m"
std::string duration_text(double seconds) {
  if (!(seconds >= 0) || seconds > 1e7) return "?";
  const long s = long(seconds + 0.5);
  if (s < 60) return std::to_string(s) + "s";
  if (s < 3600) return printf_text("%ldm%02lds", s / 60, s % 60);
  return printf_text("%ldh%02ldm", s / 3600, s / 60 % 60);
}

// Refuse before training for minutes if the result could not be written at the end.
std::string check_writable(const std::string& path) {
  const fs::path p(path);
  if (path.empty() || !p.has_filename()) return printf_text(_("--out must name a file (got '%s')"), path.c_str());
  const fs::path parent = p.has_parent_path() ? p.parent_path() : fs::path(".");
  std::error_code ec;
  if (!fs::is_directory(parent, ec))
    return printf_text(_("cannot write %s: the folder %s does not exist"), path.c_str(), parent.c_str());
  if (fs::is_directory(p, ec)) return printf_text(_("cannot write %s: it is a folder"), path.c_str());
  if (::access(parent.c_str(), W_OK) != 0) return printf_text(_("cannot write %s: %s"), path.c_str(), std::strerror(errno));
  return {};
}

}  // namespace

std::string train_and_save(const TrainConfig& c, int eval, const std::string& path, std::ostream& out,
                           std::ostream& progress, bool tty) {
  using Clock = std::chrono::steady_clock;
  const std::string e = check_writable(path);
  if (!e.empty()) return e;
  const std::string name = default_model_name(c);
  out << printf_text(_("training %s: %s, length %d, vocab %d, d_model %d, heads %d, layers %d, d_ff %d, %s-norm, %zu "
                       "parameters, %d steps of %d examples\n"),
                     name.c_str(), to_string(c.task.kind), c.task.length, c.task.vocab, c.d_model, c.heads, c.layers, c.d_ff,
                     to_string(c.norm), parameter_count(init_task_model(c)), c.steps, c.batch)
      << std::flush;
  Trainer trainer(c);
  const Clock::time_point t0 = Clock::now();
  Clock::time_point drawn = t0;
  size_t drawn_width = 0;
  Metrics batch;
  for (int i = 1; i <= c.steps; ++i) {
    batch = trainer.step();
    const Clock::time_point now = Clock::now();
    const bool draw = tty ? (now - drawn >= std::chrono::milliseconds(100) || i == c.steps)
                          : (int64_t(i) * 10 / c.steps != int64_t(i - 1) * 10 / c.steps);
    if (!draw) continue;
    drawn = now;
    const double elapsed = std::chrono::duration<double>(now - t0).count();
    const double rate = elapsed > 0 ? i / elapsed : 0;
    const std::string line =
        printf_text(_("step %d/%d  loss %.4f  token accuracy %.1f%%  %.0f steps/s  %s left"), i, c.steps, batch.loss,

                      100 * batch.token_acc, rate, rate > 0 ? duration_text((c.steps - i) / rate).c_str() : "?");
    if (tty) {
      // Redraw in place; spaces wipe what a longer previous line left.
      progress << '\r' << line << std::string(drawn_width > line.size() ? drawn_width - line.size() : 0, ' ')
               << std::flush;
      drawn_width = line.size();
    } else {
      progress << line << "\n" << std::flush;
    }
  }
  if (tty) progress << "\n";
  const double train_s = std::chrono::duration<double>(Clock::now() - t0).count();

  TrainedModel tm;
  tm.name = name;
  tm.config = c;
  tm.model = trainer.model();
  tm.steps = trainer.steps_done();
  const Clock::time_point t1 = Clock::now();
  tm.held_out = evaluate(tm.model, c, eval, c.seed);
  const double eval_s = std::chrono::duration<double>(Clock::now() - t1).count();
  out << printf_text(_("trained %d steps in %.1f s (last batch: loss %.4f, token accuracy %.1f%%)\n"), tm.steps,
                       train_s, batch.loss, 100 * batch.token_acc);
  out << printf_text(_("held-out (%d examples, %.1f s): sequence accuracy %.1f%%, token accuracy %.1f%%, loss %.4f\n"),
                       tm.held_out.examples, eval_s, 100 * tm.held_out.seq_acc, 100 * tm.held_out.token_acc,
                       tm.held_out.loss);
  const std::string se = save_weights(path, tm);
  if (!se.empty()) return se;
  out << printf_text(_("wrote %s\n"), path.c_str());
  return {};
}

bool is_checkpoint_path(const std::string& path) {
  std::error_code ec;
  const fs::path p(path);
  return fs::is_directory(p, ec) || fs::exists(p.parent_path() / "config.json", ec);
}

std::string open_checkpoint(const std::string& path, std::shared_ptr<const Model>* out) {
  return load_hf_checkpoint(path, out, nullptr);
}

namespace {

std::string percent(float p) { return fmt_percent(p); }

// A report line's label in the UI's language, padded to 10 terminal columns so that the values line up in any language.
std::string report_label(const char* word) {
  const size_t cols = display_columns(word);
  return word + std::string(cols < 10 ? 10 - cols : 1, ' ');
}

// A language model's predictions: for each position, the probability it gave the token that came next and its top 5.
std::string predict_checkpoint(const std::string& path, const std::string& input, std::ostream& out) {
  std::shared_ptr<const Model> m;
  std::string e = open_checkpoint(path, &m);
  if (!e.empty()) return e;
  Settings s;
  s.mask = MaskKind::Causal;
  s.max_tokens = kPredictMaxTokens;
  s = checkpoint_settings(*m, s);
  Trace t;
  e = build_trace(s, valid_utf8(input), &t, m);
  if (!e.empty()) return "--input: " + e;
  out << report_label(_("model")) << m->name << " (" << model_summary(*m) << ")\n";
  if (t.truncated)
    out << report_label(_("note")) << printf_text(_("the input was truncated to %d tokens"), s.max_tokens) << "\n";
  out << "position\ttoken\tid\tp(next token)\ttop 5 next\n";
  for (int i = 0; i < t.n_real; ++i) {
    out << i << "\t" << t.tokens[size_t(i)] << "\t" << t.token_ids[size_t(i)] << "\t"
        << (t.next_actual[size_t(i)] >= 0 ? percent(t.next_actual[size_t(i)]) : "-") << "\t";
    const TopK& k = t.next[size_t(i)];
    for (size_t r = 0; r < k.ids.size(); ++r)
      out << (r ? "  " : "") << m->vocab[size_t(k.ids[r])] << " " << percent(k.probs[r]);
    out << "\n";
  }
  return {};
}

}  // namespace

std::string predict_with_file(const std::string& path, const std::string& input, std::ostream& out) {
  if (is_checkpoint_path(path)) return predict_checkpoint(path, input, out);
  TrainedModel tm;
  std::string e = load_weights(path, &tm);
  if (!e.empty()) return e;
  std::vector<int> ids;
  e = parse_task_input(tm.config.task, input, &ids);
  if (!e.empty()) return "--input: " + e;
  e = untrained_length_note(tm.config.task, ids.size());
  if (!e.empty()) return "--input: " + e;
  const std::vector<int> got = predict(tm.model, tm.config, ids);
  const std::vector<int> want = task_answer(tm.config.task, ids);
  out << report_label(_("model")) << tm.name << " ("
      << printf_text(_("%s, %d steps, held-out sequence accuracy %.1f%%"), to_string(tm.config.task.kind), tm.steps,
                     100 * tm.held_out.seq_acc)
      << ")\n";
  out << report_label(_("input")) << ids_to_text(ids) << "\n";
  const std::vector<uint8_t> scored = task_scored(tm.config.task, ids);  // "·": no answer is defined there
  out << report_label(_("predicted")) << ids_to_text(got, scored) << "\n";
  out << report_label(_("expected")) << ids_to_text(want, scored) << "\n";
  return {};
}

namespace {

// CLI11 pads the option column with setw, which counts bytes: a Chinese label or description (3 bytes, 2 columns a
// character) would start its description off the column. The same layout as CLI11 2.1's format_help, in columns.
class ColumnFormatter : public CLI::Formatter {
 public:
  std::string make_option(const CLI::Option* opt, bool is_positional) const override {
    std::string out = "  " + make_option_name(opt, is_positional) + make_option_opts(opt);
    const std::string desc = make_option_desc(opt);
    if (!desc.empty()) {
      const size_t cols = display_columns(out);
      out += cols >= column_width_ ? "\n" + std::string(column_width_, ' ') : std::string(column_width_ - cols, ' ');
      for (char c : desc) out += c == '\n' ? "\n" + std::string(column_width_, ' ') : std::string(1, c);
    }
    return out + "\n";
  }
};

// CLI11's own words in the help. CLI11 2.1 lets the formatter relabel "Usage", "OPTIONS", "SUBCOMMAND(S)", "REQUIRED"
// and "Positionals"; the "Options" and "Subcommands" headings are group names, set through the option defaults
// (inherited by subcommands) and per subcommand (finish_cli11). The value types (TEXT, INT:INT in [0 - 10]) stay as
// CLI11 writes them: a type with a range is one string the formatter cannot relabel, and TEXT beside INT:… would be
// half translated. Its parse errors ("The following argument was not expected") have no hook and stay English.
void translate_cli11(CLI::App& app) {
  const auto f = std::make_shared<ColumnFormatter>();
  app.formatter(f);  // before the subcommands: they share their parent's
  const std::pair<const char*, const char*> labels[] = {
      {"Usage", _("Usage")},           {"OPTIONS", _("OPTIONS")},
      {"SUBCOMMAND", _("SUBCOMMAND")}, {"SUBCOMMANDS", _("SUBCOMMANDS")},
      {"REQUIRED", _("REQUIRED")},     {"Positionals", _("Positionals")}};
  for (const auto& [key, text] : labels) f->label(key, text);
  app.option_defaults()->group(_("Options"));
  app.get_help_ptr()->group(_("Options"));
}

// After the subcommands exist: their help flags were made before the option defaults applied, and their group heading.
void finish_cli11(CLI::App& app) {
  app.set_help_flag("-h,--help", _("Print this help message and exit"))->group(_("Options"));
  for (CLI::App* sub : app.get_subcommands({})) {
    sub->group(_("Subcommands"));
    sub->set_help_flag("-h,--help", _("Print this help message and exit"))->group(_("Options"));
  }
}

// CLI11's parse errors in the UI's language. CLI11 2.1 builds them in English with no hook to translate them; the common
// ones, recognised by their fixed wording (CLI/Error.hpp, CLI/Validators.hpp), are said again through gettext. Any
// other stays as CLI11 wrote it, and so does every one in English (the words tests and users know).
std::string parse_error_text(const std::string& m) {
  // (Plain string search, not <regex>: GCC 12's <regex> trips -Wmaybe-uninitialized in the sanitizer build.)
  const auto starts = [&](const std::string& p) { return m.compare(0, p.size(), p) == 0; };
  const auto ends = [&](const std::string& p) { return m.size() >= p.size() && m.compare(m.size() - p.size(), p.size(), p) == 0; };
  // "NAME: Value V not in range A to B" (the last of each separator, as a greedy match would take)
  if (const size_t v = m.rfind(": Value "); v != std::string::npos && v > 0) {
    const std::string rest = m.substr(v + 8);
    const size_t r = rest.rfind(" not in range ");
    if (r != std::string::npos) {
      const std::string range = rest.substr(r + 14);
      const size_t t = range.rfind(" to ");
      if (t != std::string::npos && t > 0 && t + 4 < range.size())
        return printf_text(_("%s: the value %s is not in the range %s to %s"), m.substr(0, v).c_str(),
                           rest.substr(0, r).c_str(), range.substr(0, t).c_str(), range.substr(t + 4).c_str());
    }
  }
  // "NAME is required" (NAME without spaces)
  if (ends(" is required")) {
    const std::string name = m.substr(0, m.size() - 12);
    if (!name.empty() && name.find_first_of(" \t") == std::string::npos) return printf_text(_("%s is required"), name.c_str());
  }
  // "The following argument(s) was/were not expected: …"
  for (const char* p : {"The following argument was not expected: ", "The following arguments were not expected: ",
                        "The following argument were not expected: ", "The following arguments was not expected: "})
    if (starts(p)) return printf_text(_("not expected: %s"), m.substr(std::string(p).size()).c_str());
  // "Could not convert: NAME = VALUE"
  if (starts("Could not convert: ")) {
    const std::string rest = m.substr(19);
    const size_t e = rest.rfind(" = ");
    if (e != std::string::npos && e > 0)
      return printf_text(_("%s: cannot read '%s'"), rest.substr(0, e).c_str(), rest.substr(e + 3).c_str());
  }
  // "NAME: N required WHAT missing"
  if (ends(" missing")) {
    const std::string body = m.substr(0, m.size() - 8);
    for (size_t c = body.rfind(": "); c != std::string::npos && c > 0; c = body.rfind(": ", c - 1)) {
      size_t d = c + 2;
      while (d < body.size() && body[d] >= '0' && body[d] <= '9') ++d;
      if (d > c + 2 && body.compare(d, 10, " required ") == 0 && d + 10 < body.size())
        return printf_text(_("%s needs a value (%s)"), body.substr(0, c).c_str(), body.substr(d + 10).c_str());
    }
  }
  return m;
}

}  // namespace

Command parse_cli(int argc, char** argv, std::ostream& out, std::ostream& err, GuiOptions* gui) {
  Command cmd;
  // The language first, so that the help and every message below are in it: --lang, else the environment's. (The
  // app's remembered choice applies to the window, app_init.) A bad --lang is reported by the parse below.
  std::string lang_arg;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--lang" && i + 1 < argc) lang_arg = argv[i + 1];
    else if (a.rfind("--lang=", 0) == 0) lang_arg = a.substr(7);
  }
  if (lang_arg.empty() || !set_language(lang_arg)) set_language(language_from_env());
  CLI::App app{_("Attention Lab: see how attention works, stage by stage"), "attention-lab"};
  translate_cli11(app);
  app.set_version_flag("--version", "attention-lab 0.1.0", _("Display program version information and exit"));
  // GUI options (no subcommand).
  app.add_option("--screenshot", gui->screenshot, _("Write a PNG of the window after --frames frames, then quit"));
  app.add_option("--frames", gui->frames, _("Frames to run before quitting (with --screenshot: default 10)"))
      ->check(CLI::Range(0, 1000000));
  app.add_option("--width", gui->width, _("Window width"))->check(CLI::Range(320, 10000));
  app.add_option("--height", gui->height, _("Window height"))->check(CLI::Range(240, 10000));
  app.add_option("--ui-scale", gui->ui_scale, _("UI scale for projectors (1 to 3)"))->check(CLI::Range(1.0, 3.0));
  app.add_flag("--presenter", gui->presenter,
               _("Start in presenter mode: no side panel, projector scale, high contrast (F5 toggles it, F11 full screen)"));
  app.add_option("--text", gui->text, _("Initial sentence"));
  app.add_option("--config-dir", gui->config_dir, _("Folder for settings (default: $XDG_CONFIG_HOME/attention-lab)"));
  app.add_option("--view", gui->view, _("Initial view tab"));
  app.add_option("--session", gui->session, _("Open this session file (JSON) at start"));
  app.add_option("--model", gui->model, _("Open this GPT-2-family checkpoint folder at start and select it"));
  app.add_option("--weights", gui->weights,
                 _("Start with these weights: random, or a loaded model's name (default: the saved choice; on a first "
                 "start the shipped language model wordnet-lm)"));
  app.add_option("--lang", gui->lang, _("Language of the window and the messages: en or zh_CN (default: the saved choice, else LANGUAGE/LANG)"));
  app.add_option("--io-dir", gui->io_dir, _("Folder for saved sessions and exports (default ~/attention-lab)"));
  app.add_flag("--no-mouse", gui->no_mouse, _("Ignore the mouse pointer (stable screenshots)"));
  std::string size;
  app.add_option("--size", size, _("Window size WxH (e.g. 1600x1000)"));
  app.add_option("--script", gui->script, _("JSON list of UI actions to run, one per frame (see docs/script.md)"));
  app.add_option("--monkey", gui->monkey_seed, "Monkey test: seed of the random actions (see app/monkey.h)")->group("");
  app.add_option("--monkey-actions", gui->monkey_actions, "Monkey test: how many random actions")
      ->check(CLI::Range(0, 10000000))->group("");
  app.add_option("--monkey-log", gui->monkey_log, "Monkey test: write each action here before running it")->group("");
  app.add_option("--bench-frames", gui->bench_frames, _("Measure N frames after warm-up; print median and p95 frame time"))
      ->check(CLI::Range(1, 100000));

  // export
  Settings& s = cmd.settings;
  std::string& text = cmd.text;
  std::string& dir = cmd.dir;
  CLI::App* ex = app.add_subcommand("export", _("Write DIR/trace.json and heatmap PNGs for a sentence"));
  ex->add_option("--text", text, _("The sentence"))->required();
  ex->add_option("--out", dir, _("Output folder"))->required();
  std::string export_model;
  ex->add_option("--model", export_model, _("A GPT-2-family checkpoint folder to run (default: random weights; the mask "
                                          "is then causal unless --mask says otherwise)"));
  // Every setting of the table (core/settings_table.h) as --name; a bool as a flag that changes its default
  // (--hard, --no-scale). Values are kept as typed and checked by the table after parsing, so "--seed -1" or
  // "--heads 1e3" get the table's sentence rather than CLI11's conversion.
  const std::vector<Field<Settings>>& table = settings_table();
  const Settings defaults;
  std::vector<std::string> typed(table.size());
  std::unique_ptr<bool[]> flags(new bool[table.size()]());
  std::vector<std::string> option_names(table.size());
  for (size_t k = 0; k < table.size(); ++k) {
    const Field<Settings>& f = table[k];
    if (f.type == FieldType::Bool) {
      const bool on = defaults.*f.b;
      option_names[k] = on ? "--no-" + cli_option_name(f.name).substr(2) : cli_option_name(f.name);
      ex->add_flag(option_names[k], flags[k], (on ? std::string(_("(on by default; this flag turns it off) ")) : std::string()) + _(f.help));
      continue;
    }
    option_names[k] = cli_option_name(f.name);
    std::string help = _(f.help);
    if (f.type == FieldType::Enum) {
      std::string names;
      for (const std::string& c : f.choices)
        if (!(std::string(f.name) == "mask" && c == "custom")) names += (names.empty() ? "" : "|") + c;
      help = names + ": " + help;
    }
    CLI::Option* o = ex->add_option(option_names[k], typed[k], help);
    if (f.type != FieldType::OptText) o->default_str(field_text(f, defaults));
    o->type_name(f.type == FieldType::Int || f.type == FieldType::UInt64 ? "INT"
                 : f.type == FieldType::Float                             ? "NUMBER"
                 : f.type == FieldType::Enum                              ? "CHOICE"
                                                                          : "TEXT");
  }
  // complexity
  std::string cx_n, cx_d, cx_k = std::to_string(cmd.k), cx_r = std::to_string(cmd.r);
  bool& breakdown = cmd.breakdown;
  CLI::App* cx = app.add_subcommand("complexity", _("Print Table 1 of the paper as CSV for given n, d, k, r"));
  cx->add_option("--n", cx_n, _("Sequence length n (1 to 1048576)"))->required();
  cx->add_option("--d", cx_d, _("Representation width d (1 to 1048576)"))->required();
  cx->add_option("--k", cx_k, _("Convolution kernel width k (2 to 1048576)"))->capture_default_str();
  cx->add_option("--r", cx_r, _("Neighbourhood size r of restricted self-attention (2 to 1048576): each query sees the r keys centred on it (±r/2); "
                 "r > n counts as n"))->capture_default_str();
  cx->add_flag("--breakdown", breakdown, _("Also print the multi-head attention cost broken down"));

  // train
  TrainConfig& tc = cmd.train;
  std::string task, train_norm = "post", train_out;
  CLI::App* tr = app.add_subcommand("train", _("Train a small Transformer on a toy task and save its weights"));
  tr->add_option("--task", task, _("reverse|sort|copy-shift|induction"))->required();
  // Options left out take the task's recommended value (recommended_config), the one its shipped model used.
  tr->add_option("--steps", tc.steps, _("Optimiser steps"));
  tr->add_option("--out", train_out, _("Weights file to write (safetensors)"))->required();
  tr->add_option("--length", tc.task.length, _("Sequence length"));
  tr->add_option("--vocab", tc.task.vocab, _("Number of symbols"));
  tr->add_option("--d-model", tc.d_model, _("Model width d_model"));
  tr->add_option("--heads", tc.heads, _("Number of heads h (must divide d_model)"));
  tr->add_option("--layers", tc.layers, _("Encoder (and decoder) layers"));
  tr->add_option("--d-ff", tc.d_ff, _("Feed-forward width d_ff"));
  tr->add_option("--lr", tc.lr, _("Peak Adam learning rate (after warm-up; then it decays as 1/sqrt(step))"));
  tr->add_option("--batch", tc.batch, _("Examples per step"));
  tr->add_option("--warmup", tc.warmup, _("Steps of linear learning-rate warm-up"));
  tr->add_option("--clip", tc.clip, _("Global gradient-norm clip"));
  tr->add_option("--seed", tc.seed, _("Seed of the weights and the data"))->check(CLI::NonNegativeNumber);
  tr->add_option("--norm", train_norm, _("post|pre"));
  tr->add_option("--eval", cmd.eval, _("Held-out examples evaluated at the end"))->capture_default_str()
      ->check(CLI::Range(1, 1000000));

  // train-lm: the defaults are the shipped model's configuration (README, "Our own language model")
  TrainLmOptions& lm = cmd.lm;
  lm.corpus = kWordnetDir;
  std::string lm_dtype = "f16";
  CLI::App* tl = app.add_subcommand("train-lm", _("Train a small GPT-2-shaped language model on a free corpus"));
  tl->add_option("--corpus", lm.corpus, _("A WordNet folder (its glosses) or a UTF-8 text file"))->capture_default_str();
  tl->add_option("--out", lm.out, _("Folder to write (config.json, model.safetensors, vocab.json, merges.txt)"))
      ->required();
  tl->add_option("--vocab", lm.config.vocab, _("Tokens of the byte-level BPE vocabulary"))->capture_default_str();
  tl->add_option("--layers", lm.config.layers, _("Layers"))->capture_default_str();
  tl->add_option("--heads", lm.config.heads, _("Heads per layer (must divide d_model)"))->capture_default_str();
  tl->add_option("--d-model", lm.config.d_model, _("Model width d_model"))->capture_default_str();
  tl->add_option("--d-ff", lm.config.d_ff, _("Feed-forward width d_ff"))->capture_default_str();
  tl->add_option("--context", lm.config.context, _("Tokens per training window (the model's positions)"))
      ->capture_default_str();
  tl->add_option("--batch", lm.config.batch, _("Windows per step"))->capture_default_str();
  tl->add_option("--steps", lm.config.steps, _("Optimiser steps"))->capture_default_str();
  tl->add_option("--warmup", lm.config.warmup, _("Steps of linear warm-up"))->capture_default_str();
  tl->add_option("--lr", lm.config.lr, _("Peak learning rate (then cosine decay)"))->capture_default_str();
  tl->add_option("--min-lr", lm.config.min_lr, _("Learning rate at the last step"))->capture_default_str();
  tl->add_option("--weight-decay", lm.config.weight_decay, _("AdamW's decoupled weight decay on the matrices"))
      ->capture_default_str();
  tl->add_option("--seed", lm.config.seed, _("Seed of the weights and the batches"))->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  tl->add_option("--wpe-sinusoid", lm.config.wpe_sinusoid,
                 _("Start the learned positions at this times the sinusoidal table (0: GPT-2's N(0, 0.02²))"))
      ->capture_default_str();
  tl->add_option("--eval-every", lm.eval_every, _("Steps between held-out evaluations"))->capture_default_str()
      ->check(CLI::Range(1, 10000000));
  tl->add_option("--eval-windows", lm.eval_windows, _("Held-out windows per periodic evaluation (the last reads all)"))
      ->capture_default_str()->check(CLI::Range(1, 10000000));
  tl->add_option("--dtype", lm_dtype, _("f16 or f32 (model.safetensors)"))->capture_default_str();
  tl->add_flag("--resume", lm.resume, _("Continue from the state Ctrl+C saved in --out"));
  tl->add_option("--stop-after", lm.stop_after, _("Stop after this many steps as Ctrl+C does (state saved)"))
      ->check(CLI::Range(1, 10000000));

  // heads
  std::string heads_text_file;
  CLI::App* hd = app.add_subcommand("heads", _("Print every head's scores (the Head gallery's) over many windows of a text, as CSV"));
  hd->add_option("--model", cmd.model_path, _("A GPT-2-family checkpoint folder"))->required();
  hd->add_option("--text-file", heads_text_file, _("The text (default: the held-out part of WordNet's glosses)"));
  hd->add_option("--windows", cmd.windows, _("Windows of up to the model's context, whole lines each"))
      ->capture_default_str()->check(CLI::Range(1, 100000));

  // generate
  CLI::App* gn = app.add_subcommand("generate", _("Continue a text with a GPT-2-family model (greedy, or sampled)"));
  gn->add_option("--model", cmd.model_path, _("A GPT-2-family checkpoint folder"))->required();
  gn->add_option("--prompt", cmd.text, _("The text to continue"))->required();
  gn->add_option("--tokens", cmd.gen_tokens, _("Tokens to add"))->capture_default_str()->check(CLI::Range(1, 2000));
  gn->add_option("--temperature", cmd.temperature, _("0: the most probable token each time; > 0: sampled"))
      ->capture_default_str()->check(CLI::Range(0.0, 10.0));
  gn->add_option("--seed", cmd.gen_seed, _("Seed of the sampling"))->capture_default_str();

  // predict
  std::string predict_model;
  CLI::App* pr = app.add_subcommand("predict", _("Print a trained model's prediction for one input and the answer"));
  pr->add_option("--model", predict_model, _("Weights file written by train, or a GPT-2-family checkpoint folder"))->required();
  pr->add_option("--input", cmd.input, _("The input symbols, e.g. \"3 1 4 1 5\" (a checkpoint: any text)"))->required();

  finish_cli11(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    out << app.help();
    return cmd.exit(0);
  } catch (const CLI::CallForAllHelp&) {
    out << app.help("", CLI::AppFormatMode::All);
    return cmd.exit(0);
  } catch (const CLI::CallForVersion&) {
    out << "attention-lab 0.1.0\n";
    return cmd.exit(0);
  } catch (const CLI::ParseError& e) {
    return cmd.exit(fail(err, language() == "en" ? std::string(e.what()) : parse_error_text(e.what())));
  }
  // Arguments are bytes from the shell (a Latin-1 paste): valid UTF-8 from here on, and say what was replaced.
  const std::pair<const char*, std::string*> texts[] = {{"--text", &gui->text}, {"--text", &text}};
  for (const auto& [name, t] : texts) {
    int bad = 0;
    *t = valid_utf8(*t, &bad);
    if (bad) err << "attention-lab: " << printf_text(_("%s: %d invalid UTF-8 sequence(s) replaced by U+FFFD\n"), name, bad);
  }

  if (ex->parsed()) {
    for (size_t k = 0; k < table.size(); ++k) {
      const Field<Settings>& f = table[k];
      if (ex->count(option_names[k]) == 0) continue;
      const std::string e = f.type == FieldType::Bool ? field_set_bool(f, s, !(defaults.*f.b))
                                                       : field_set_text(f, s, typed[k]);
      if (!e.empty()) return cmd.exit(fail(err, option_names[k] + e.substr(std::string(f.name).size())));
    }
    if (s.mask == MaskKind::Custom)
      return cmd.exit(fail(err, _("--mask must be none, causal or padding (got 'custom': paint a custom mask in the app)")));
    if (s.target) {  // --target, typed into the table's field: valid UTF-8 too
      int bad = 0;
      s.target = valid_utf8(*s.target, &bad);
      if (bad) err << "attention-lab: " << printf_text(_("%s: %d invalid UTF-8 sequence(s) replaced by U+FFFD\n"), "--target", bad);
    }
    if (s.decode_steps > 0 && !s.target) s.target = std::string();
    cmd.model_path = export_model;
    if (!export_model.empty() && ex->count("--mask") == 0) s.mask = MaskKind::Causal;  // as the model was trained
    const std::string e = validate(s);
    if (!e.empty()) return cmd.exit(fail(err, e));
    cmd.kind = Command::Export;
    return cmd;
  }
  if (cx->parsed()) {
    // Whole numbers as typed: "1e3" is not one (CLI11 would call it out of range).
    const std::pair<const char*, std::pair<std::string*, uint64_t*>> opts[] = {
        {"--n", {&cx_n, &cmd.n}}, {"--d", {&cx_d, &cmd.d}}, {"--k", {&cx_k, &cmd.k}}, {"--r", {&cx_r, &cmd.r}}};
    for (const auto& [name, io] : opts) {
      const uint64_t lo = std::string(name) == "--k" || std::string(name) == "--r" ? 2 : 1, hi = uint64_t(1) << 20;
      long double v = 0;
      const std::string& t = *io.first;
      if (!parse_whole(t, &v))
        return cmd.exit(fail(err, printf_text(_("%s must be a whole number, written without a decimal point or exponent "
                                                "(got '%s')"), name, t.c_str())));
      if (v < lo || v > hi)
        return cmd.exit(fail(err, printf_text(_("%s must be between %llu and %llu (got %s)"), name,
                                              (unsigned long long)lo, (unsigned long long)hi, t.c_str())));
      *io.second = uint64_t(v);
    }
    cmd.kind = Command::Complexity;
    return cmd;
  }
  if (tr->parsed()) {
    TaskKind kind;
    if (!parse_task_kind(task, &kind))
      return cmd.exit(fail(err, printf_text(_("--task must be reverse, sort, copy-shift or induction (got '%s')"), task.c_str())));
    const TrainConfig r = recommended_config(kind);
    tc.task.kind = kind;
    auto fill = [&](const char* opt, auto& field, const auto& value) {
      if (tr->count(opt) == 0) field = value;
    };
    fill("--steps", tc.steps, r.steps);
    fill("--length", tc.task.length, r.task.length);
    fill("--vocab", tc.task.vocab, r.task.vocab);
    fill("--d-model", tc.d_model, r.d_model);
    fill("--heads", tc.heads, r.heads);
    fill("--layers", tc.layers, r.layers);
    fill("--d-ff", tc.d_ff, r.d_ff);
    fill("--lr", tc.lr, r.lr);
    fill("--batch", tc.batch, r.batch);
    fill("--warmup", tc.warmup, r.warmup);
    fill("--clip", tc.clip, r.clip);
    fill("--seed", tc.seed, r.seed);
    if (!parse_norm(train_norm, &tc.norm))
      return cmd.exit(fail(err, printf_text(_("--norm must be post or pre (got '%s')"), train_norm.c_str())));
    const std::string e = validate(tc);
    if (!e.empty()) return cmd.exit(fail(err, e));
    cmd.model_path = train_out;
    cmd.kind = Command::Train;
    return cmd;
  }
  if (gn->parsed()) {
    cmd.kind = Command::Generate;
    return cmd;
  }
  if (hd->parsed()) {
    cmd.input = heads_text_file;
    cmd.kind = Command::Heads;
    return cmd;
  }
  if (tl->parsed()) {
    if (lm_dtype != "f16" && lm_dtype != "f32")
      return cmd.exit(fail(err, printf_text(_("--dtype must be f16 or f32 (got '%s')"), lm_dtype.c_str())));
    lm.dtype = lm_dtype == "f16" ? "F16" : "F32";
    if (const std::string e = validate(lm.config); !e.empty()) return cmd.exit(fail(err, e));
    cmd.kind = Command::TrainLm;
    return cmd;
  }
  if (pr->parsed()) {
    cmd.model_path = predict_model;
    cmd.kind = Command::Predict;
    return cmd;
  }
  if (!gui->lang.empty() && !set_language(gui->lang)) {
    return cmd.exit(fail(err, normalize_language(gui->lang).empty()
                                  ? printf_text(_("--lang must be one of %s (got '%s')"), language_codes().c_str(),
                                                  gui->lang.c_str())
                                  : printf_text(_("--lang %s: its translation is not installed (no %s.mo in '%s')"),
                                                  gui->lang.c_str(), kTextDomain, locale_dir().c_str())));
  }
  if (!size.empty()) {
    int w = 0, h = 0;
    char x = 0, extra = 0;
    if (std::sscanf(size.c_str(), "%d%c%d%c", &w, &x, &h, &extra) != 3 || (x != 'x' && x != 'X') || w < 320 || h < 240 ||
        w > 10000 || h > 10000)
      return cmd.exit(fail(err, printf_text(_("--size must look like 1600x1000 (between 320x240 and 10000x10000), got '%s'"),
                                            size.c_str())));
    gui->width = w, gui->height = h;
  }
  if (!gui->view.empty()) {
    View v;
    if (!parse_view(gui->view, &v)) {
      std::string names;
      for (int i = 0; i < kViewCount; ++i) names += std::string(i ? ", " : "") + view_id(View(i));
      return cmd.exit(fail(err, printf_text(_("--view must be one of %s (got '%s')"), names.c_str(), gui->view.c_str())));
    }
  }
  gui->size_given = !size.empty() || app.count("--width") > 0 || app.count("--height") > 0;
  if (!gui->screenshot.empty() && gui->frames == 0 && gui->script.empty()) gui->frames = 10;
  cmd.kind = Command::Gui;
  return cmd;
}

int run_cli(int argc, char** argv, std::ostream& out, std::ostream& err, GuiOptions* gui, bool* want_gui) {
  const Command cmd = parse_cli(argc, argv, out, err, gui);
  *want_gui = cmd.kind == Command::Gui;
  switch (cmd.kind) {
    case Command::Exit:
    case Command::Gui: return cmd.exit_code;
    case Command::Export: {
      std::shared_ptr<const Model> model;
      if (!cmd.model_path.empty())
        if (const std::string e = open_checkpoint(cmd.model_path, &model); !e.empty()) return fail(err, e);
      const std::string e = export_trace(cmd.settings, cmd.text, cmd.dir, out, &err, model);
      return e.empty() ? 0 : fail(err, e);
    }
    case Command::Complexity: {
      out << "layer_type,complexity_per_layer,sequential_operations,maximum_path_length\n";
      for (const ComplexityRow& row : complexity_table(cmd.n, cmd.d, cmd.k, cmd.r))
        out << row.layer << "," << row.per_layer << "," << row.sequential << "," << row.max_path << "\n";
      // A note, on stderr so that stdout stays CSV: the clamp changes the restricted row's numbers.
      if (const uint64_t r_used = clamp_neighbourhood(cmd.r, cmd.n); r_used != cmd.r)
        err << "attention-lab: "
            << printf_text(_("note: --r %llu is more than --n %llu: restricted self-attention uses r = %llu (a neighbourhood "
                             "cannot hold more keys than the sequence has)\n"),
                           (unsigned long long)cmd.r, (unsigned long long)cmd.n, (unsigned long long)r_used);
      if (cmd.breakdown) {
        const MultiHeadCost c = multi_head_cost(cmd.n, cmd.d, 1);
        out << "\npart,multiply_adds\nprojections (4·n·d²)," << c.projections << "\nscores (n²·d)," << c.scores
            << "\nweighted sum (n²·d)," << c.weighted_sum << "\ntotal," << c.total() << "\n";
      }
      return 0;
    }
    case Command::Train: {
      const bool tty = &err == &std::cerr && ::isatty(STDERR_FILENO);
      const std::string e = train_and_save(cmd.train, cmd.eval, cmd.model_path, out, err, tty);
      return e.empty() ? 0 : fail(err, e);
    }
    case Command::Predict: {
      const std::string e = predict_with_file(cmd.model_path, cmd.input, out);
      return e.empty() ? 0 : fail(err, e);
    }
    case Command::Generate: {
      std::shared_ptr<const Model> model;
      if (const std::string e = open_checkpoint(cmd.model_path, &model); !e.empty()) return fail(err, e);
      if (!model->bpe) return fail(err, printf_text(_("%s: the model has no tokenizer"), cmd.model_path.c_str()));
      const std::vector<int> ids = model->bpe->encode(cmd.text);
      if (ids.empty()) return fail(err, _("--prompt is empty"));
      const std::vector<int> more = lm_generate(*model, ids, cmd.gen_tokens, float(cmd.temperature), cmd.gen_seed);
      out << cmd.text << model->bpe->decode(more) << "\n";
      return 0;
    }
    case Command::Heads: {
      std::shared_ptr<const Model> model;
      if (const std::string e = open_checkpoint(cmd.model_path, &model); !e.empty()) return fail(err, e);
      std::string text;
      if (cmd.input.empty()) {
        Corpus c;
        if (const std::string e = build_wordnet_corpus(kWordnetDir, &c); !e.empty()) return fail(err, e);
        text = c.held_out;
      } else if (const std::string e = read_file_limited(cmd.input, uintmax_t(1) << 30, &text); !e.empty()) {
        return fail(err, cmd.input + ": " + e);
      }
      HeadReport r;
      if (const std::string e = head_report(model, text, cmd.windows, &r); !e.empty()) return fail(err, e);
      out << head_report_csv(r);
      const std::vector<int> best = rank_heads(r.mean, HeadScoreKind::Previous);
      const HeadScore& b = r.mean.all[size_t(best[0])];
      err << "attention-lab: "
          << printf_text(_("%d windows, %ld tokens; the strongest previous-token head is %d.%d (%s)\n"), r.windows,
                         long(r.tokens), b.layer, b.head, number_text(b.prev).c_str());

      return 0;
    }
    case Command::TrainLm: {
      const bool tty = &err == &std::cerr && ::isatty(STDERR_FILENO);
      // Ctrl+C: finish the step, save the state, exit 130 (the shell's code for SIGINT).
      static std::atomic<bool> stop{false};
      stop = false;
      auto previous = std::signal(SIGINT, [](int) { stop = true; });
      const std::string e = train_lm(cmd.lm, out, err, tty, &stop);
      std::signal(SIGINT, previous);
      if (e == "interrupted") return 130;
      return e.empty() ? 0 : fail(err, e);
    }
  }
  return 2;
}

}  // namespace attn
