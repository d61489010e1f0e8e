#include "app_state.h"
#include "lessons.h"

#include <cstdlib>
#include <filesystem>

#include "file_actions.h"
#include "model_library.h"
#include "hf_cache.h"
#include "hf_checkpoint.h"
#include "i18n.h"
#include "session_json.h"
#include "tokenizer.h"
#include "weights_file.h"

namespace attn {

namespace fs = std::filesystem;

std::string default_config_dir() {
  std::string base;
  if (const char* x = std::getenv("XDG_CONFIG_HOME"); x && *x) base = x;
  else if (const char* h = std::getenv("HOME"); h && *h) base = std::string(h) + "/.config";
  else return {};
  return base + "/attention-lab";
}

namespace {

// A session may name a model trained in an earlier run (not saved) or shipped elsewhere: random weights instead.
std::string drop_missing_model(AppState& s) {
  if (s.doc.model.empty() || find_model(s.models, s.doc.model) || find_checkpoint(s.models, s.doc.model)) return {};
  if (!s.doc.model_folder.empty()) {  // a checkpoint: read it again off the UI thread; random weights until it is in
    s.ui.open_model_request = s.doc.model_folder;
    const std::string note = printf_text(_("opening \"%s\" again from %s …"), untrusted_text(s.doc.model).c_str(),
                                         untrusted_text(s.doc.model_folder, 120).c_str());
    s.doc.model.clear();
    s.doc.model_folder.clear();
    return note;
  }
  const std::string note =
      printf_text(_("the model \"%s\" is not loaded: showing random weights"), untrusted_text(s.doc.model).c_str());
  s.doc.model.clear();
  return note;
}

}  // namespace

std::shared_ptr<const TrainedModel> selected_model(const AppState& s) {
  return s.doc.model.empty() ? nullptr : find_model(s.models, s.doc.model);
}

std::shared_ptr<const Model> selected_checkpoint(const AppState& s) {
  return s.doc.model.empty() ? nullptr : find_checkpoint(s.models, s.doc.model);
}

std::string user_models_dir(const AppState& s) { return s.ui.io_dir.empty() ? "" : s.ui.io_dir + "/models"; }

std::string app_use_trained_model(AppState& s, std::shared_ptr<TrainedModel> m) {
  m->name = unique_model_name(s.models, default_model_name(m->config) + "-trained");
  // Saved at once (atomically), so a model trained in front of a class is there on the next start too. Automated
  // runs (scripts, screenshots, benchmarks) save no model.
  std::string saved, why;
  const bool automated = !s.opts.script.empty() || !s.opts.screenshot.empty() || s.opts.bench_frames > 0;
  if (!automated && !user_models_dir(s).empty()) {
    std::error_code ec;
    fs::create_directories(user_models_dir(s), ec);
    const std::string path = user_models_dir(s) + "/" + m->name + ".safetensors";
    why = save_weights(path, *m);
    if (why.empty()) saved = path;
  }
  s.models.push_back(
      {m, saved.empty() ? printf_text(_("trained in this session (%d steps)"), m->steps) : saved, nullptr});
  select_model(s.doc, s.ui, m.get());
  s.dirty = true;
  s.ui.status = printf_text(_("\"%s\" added to the models and selected: every tab now shows it."), m->name.c_str()) +
                (saved.empty() ? (why.empty() ? "" : printf_text(_(" Not saved: %s"), why.c_str()))
                               : printf_text(_(" Saved to %s."), saved.c_str()));
  return m->name;
}

void list_offered_models(AppState& s) {
  s.offered.clear();
  for (const HfCachedModel& m : list_hf_cache())
    if (m.has_tokenizer) s.offered.push_back({m.id, m.path});
}

void app_use_checkpoint(AppState& s, std::shared_ptr<const Model> m, const std::string& path) {
  std::shared_ptr<const Model> known = find_checkpoint(s.models, m->name);
  if (!known) {
    s.models.push_back({nullptr, path, m});
    known = m;
  }
  select_checkpoint(s.doc, s.ui, *known);
  s.dirty = true;
  s.ui.open_model_status.clear();
  s.ui.status = printf_text(_("\"%s\" opened and selected: %s."), known->name.c_str(), model_summary(*known).c_str());
}

std::string app_select_weights(AppState& s, const std::string& name) {
  if (name.empty() || name == "random") {
    select_model(s.doc, s.ui, nullptr);
    return {};
  }
  const std::shared_ptr<const TrainedModel> m = find_model(s.models, name);
  const std::shared_ptr<const Model> ck = find_checkpoint(s.models, name);
  if (!m && !ck) {
    std::string known;
    for (const ModelEntry& e : s.models) known += (known.empty() ? "" : ", ") + e.name();
    return printf_text(_("no model called \"%s\" (loaded: %s)"), untrusted_text(name).c_str(),
                       known.empty() ? _("none") : known.c_str());
  }
  if (m) select_model(s.doc, s.ui, m.get());
  else select_checkpoint(s.doc, s.ui, *ck);
  return {};
}

std::string app_open_checkpoint(AppState& s, const std::string& path) {
  std::shared_ptr<const Model> m;
  const std::string e = load_hf_checkpoint(path, &m, nullptr);
  if (!e.empty()) return e;
  app_use_checkpoint(s, std::move(m), path);
  return {};
}

std::string app_load_session(AppState& s, const std::string& path) {
  const std::string e = load_session_file(path, &s.doc, &s.ui);
  if (e.empty()) {
    s.dirty = true;
    const std::string note = drop_missing_model(s);
    if (!note.empty()) s.ui.status = note;
  }
  return e;
}

std::string app_init(AppState& s, const GuiOptions& opts) {
  s.opts = opts;
  s.ui.io_dir = opts.io_dir.empty() ? default_io_dir() : opts.io_dir;
  std::string note;
  // Shipped trained models first: saved settings may select one.
  std::vector<std::string> bad = load_models_dir(find_models_dir(), &s.models);
  for (const std::string& b : load_models_dir(user_models_dir(s), &s.models)) bad.push_back(b);  // trained in the app
  if (!bad.empty())
    note = printf_text(_("not loaded: %s"), bad.front().c_str()) +
           (bad.size() > 1 ? printf_text(P_(" (and %d more)", " (and %d more)", bad.size() - 1), int(bad.size() - 1))
                           : "");
  s.config_dir = opts.config_dir.empty() ? default_config_dir() : opts.config_dir;
  if (!s.config_dir.empty()) {
    std::error_code ec;
    fs::create_directories(s.config_dir, ec);
    if (ec) {
      note = printf_text(_("cannot use the settings folder %s: %s (settings will not be saved)"), s.config_dir.c_str(),
                         ec.message().c_str());
      s.config_dir.clear();
    }
  }
  app_load_lessons(s);  // a missing or broken lessons folder is said in the drawer; the app still opens
  const std::string saved = s.config_dir.empty() ? "" : s.config_dir + "/settings.json";
  const bool first_start = saved.empty() || !fs::exists(saved);
  if (!first_start) {
    const std::string e = app_load_session(s, saved);
    if (!e.empty()) note = printf_text(_("saved settings not restored: %s"), e.c_str());
    else if (!s.ui.status.empty()) note = s.ui.status;
  }
  if (!opts.session.empty()) {
    const std::string e = app_load_session(s, opts.session);
    // The app opens anyway, saying why in the status line.
    if (!e.empty()) note = printf_text(_("session not opened: %s"), e.c_str());
  }
  if (!opts.model.empty()) {
    const std::string e = app_open_checkpoint(s, opts.model);
    if (!e.empty()) note = printf_text(_("model not opened: %s"), e.c_str());
  }
  if (!opts.weights.empty()) {
    if (const std::string e = app_select_weights(s, opts.weights); !e.empty()) note = "--weights: " + e;
  } else if (first_start && opts.session.empty() && opts.model.empty() &&
             find_checkpoint(s.models, kDefaultLanguageModel)) {
    // A first start shows real attention: English text through the project's own language model (issue 13).
    app_select_weights(s, kDefaultLanguageModel);
  }
  if (!opts.text.empty()) s.doc.text = opts.text;
  if (opts.ui_scale > 0) s.ui.ui_scale = opts.ui_scale;
  if (!apply_language(s.ui, opts.lang.empty() ? s.ui.language : opts.lang)) apply_language(s.ui, "");  // bad saved one
  if (!opts.view.empty()) {
    if (parse_view(opts.view, &s.ui.view)) s.ui.view_requested = true;
    else note = printf_text(_("unknown --view '%s'"), opts.view.c_str());
  }
  if (!opts.script.empty()) {
    const std::string e = load_script(opts.script, &s.script);
    if (!e.empty()) return e;
    s.has_script = true;
  }
  s.downloader = std::make_unique<Downloader>([hub = s.ui.jobs] { hub->wake(); });
  list_offered_models(s);
  recompute(s);
  if (!note.empty()) s.ui.status = note;
  return {};
}

Views app_views(const AppState& s) {
  Views v;
  v.trace = s.traces.has_trace ? &s.traces.trace : nullptr;
  v.baseline = s.traces.has_baseline ? &s.traces.baseline : nullptr;
  v.batch = s.traces.has_batch ? &s.traces.batch : nullptr;
  v.error = s.error;
  v.busy = s.background.pending();
  v.models = &s.models;
  v.selected = selected_model(s).get();
  v.checkpoint = selected_checkpoint(s).get();
  v.offered = &s.offered;
  return v;
}

double trace_cost(const Settings& s, int n) { return estimate_size(s, n).flops; }

std::string compute_traces(const Document& doc, TraceSet& out, std::shared_ptr<const TrainedModel> trained,
                           std::shared_ptr<const Model> checkpoint) {
  if (!doc.model.empty() && !trained && !checkpoint)
    return printf_text(_("the model \"%s\" is not loaded"), doc.model.c_str());
  Settings st = trained      ? trained_model_settings(trained->config, doc.settings)
                : checkpoint ? checkpoint_settings(*checkpoint, doc.settings)
                             : doc.settings;
  const std::string e0 = validate(st);
  if (!e0.empty()) return e0;
  if (checkpoint) {  // its embedding, positions and logits over the whole vocabulary count too
    const std::string em = memory_refusal(
        estimate_size(*checkpoint, st, st.max_tokens).bytes(),
        printf_text(_("\"%s\" and a trace of %d tokens (lower max tokens)"), checkpoint->name.c_str(), st.max_tokens));
    if (!em.empty()) return em;
  }
  // Padding mask: a batch of two sentences padded to the longer one's length.
  int batch_n = 0;
  if (st.mask == MaskKind::Padding) {
    const int a = int(tokenize(doc.text, st.max_tokens).tokens.size());
    batch_n = int(tokenize(doc.batch_text, st.max_tokens).tokens.size());
    st.pad_to = std::max(a, batch_n);
  }
  // The cap counts every trace this set holds: the sentence, the padding batch's second sentence, and the all-heads
  // baseline while an intervention switches heads off (validate counted one).
  bool any_off = false;
  for (uint8_t on : st.head_enabled) any_off |= !on;
  const int traces = 1 + (st.mask == MaskKind::Padding) + any_off;
  if (traces > 1) {
    const SizeEstimate z = estimate_size(st, std::max(st.max_tokens, st.pad_to));
    const std::string em = memory_refusal(
        4.0 * (z.weight_floats + traces * z.trace_floats),
        printf_text(_("weights and %d traces (%s)"), traces,
                    any_off ? _("with the all-heads baseline of the intervention") : _("the padded batch")));
    if (!em.empty()) return em;
  }
  if (trained)
    out.model = std::shared_ptr<const Model>(trained, &trained->model);  // shares ownership with the TrainedModel
  else if (checkpoint)
    out.model = checkpoint;
  else if (!out.model || out.model->trained() || !model_fits(*out.model, st))
    out.model = std::make_shared<const Model>(make_model(st));
  // build_trace leaves out.trace untouched when it refuses, and reuses its buffers when it succeeds.
  const std::string e = build_trace(st, doc.text, &out.trace, out.model);
  if (!e.empty()) return e;
  out.has_trace = true;
  out.has_batch = st.mask == MaskKind::Padding && batch_n > 0 && build_trace(st, doc.batch_text, &out.batch, out.model).empty();
  out.has_baseline = false;
  if (any_off) {
    Settings all_on = st;
    all_on.head_enabled.clear();
    out.has_baseline = build_trace(all_on, doc.text, &out.baseline, out.model).empty();
  }
  return {};
}

void recompute(AppState& s) {
  s.dirty = false;
  s.error = compute_traces(s.doc, s.traces, selected_model(s), selected_checkpoint(s));
  if (s.error.empty()) ++s.ui.version;
}

void app_before_frame(AppState& s) {
  app_lessons_before_frame(s);  // a step's state, before this frame's recompute
  reap_jobs(s.ui.retired_training);  // stopped training runs whose worker has returned
  reap_jobs(s.ui.retired_lm_training);
  if (!s.ui.open_model_request.empty() && !s.opening.pending()) {  // "Open model…": read the folder off this thread
    s.opening.start(s.ui.jobs, ++s.opens, [path = s.ui.open_model_request](const JobToken&) {
      OpenedModel r;
      r.path = path;
      r.error = load_hf_checkpoint(path, &r.model, nullptr);
      return r;
    });
    s.ui.open_model_status = printf_text(_("opening %s …"), untrusted_text(s.ui.open_model_request, 120).c_str());
    s.ui.open_model_request.clear();
  }
  if (s.opening.poll()) {
    OpenedModel& r = *s.opening.result();
    if (r.error.empty()) app_use_checkpoint(s, std::move(r.model), r.path);
    else s.ui.open_model_status = r.error;
  }
  s.ui.opening_model = s.opening.pending();
  BackgroundRecompute& bg = s.background;
  if (bg.poll()) {
    RecomputeResult& r = *bg.result();
    s.error = r.error;
    if (r.error.empty()) {
      s.traces = std::move(*r.set);
      ++s.ui.version;
    } else if (r.set && r.set->model) {
      s.traces.model = r.set->model;
    }
    r.set.reset();
  }
  if (!s.dirty) return;
  const int n = std::min(s.doc.settings.max_tokens, int(s.doc.text.size()) + 1);
  const Settings& st = s.doc.settings;
  const bool new_model = !(s.traces.model && model_fits(*s.traces.model, st));
  const bool big_model = double(st.d_model) * st.d_model * st.layers > 4e6;  // making its weights takes a while
  const bool heavy = validate(st).empty() &&
                     (trace_cost(st, n) > kBackgroundCost || (new_model && big_model) || selected_checkpoint(s));
  // A --bench-frames run keeps the interactive policy even with a script: it measures what a user would see.
  const bool bench = s.opts.bench_frames > 0;
  if (!heavy || (!bench && (s.opts.frames > 0 || !s.opts.screenshot.empty() || !s.opts.script.empty()))) {
    bg.cancel();   // a stale background result must not replace this one
    recompute(s);  // small models (and scripted runs, which must be deterministic) compute in the frame
    return;
  }
  // Heavy: compute in a job from a snapshot; the previous traces stay on screen until it publishes. An edit while
  // it runs starts a new one and the stale one is dropped (build_trace cannot stop midway: it finishes unseen).
  s.dirty = false;
  bg.start(s.ui.jobs, ++s.edits, [doc = s.doc, model = s.traces.model, trained = selected_model(s),
                                  checkpoint = selected_checkpoint(s)](const JobToken&) {
    RecomputeResult r;
    r.set = std::make_shared<TraceSet>();
    r.set->model = model;
    r.error = compute_traces(doc, *r.set, trained, checkpoint);
    return r;
  });
}

void app_draw(AppState& s) {
  if (s.downloader) s.ui.download.status = s.downloader->status();
  s.ui.download_event = DownloadPanelEvent();
  if (draw_explorer(app_views(s), s.doc, s.ui)) s.dirty = true;
  if (s.downloader && s.ui.download_event.start) {
    DownloadRequest req;
    req.model_id = s.ui.download_event.model_id;
    s.downloader->start(req);
  }
  if (s.downloader && s.ui.download_event.cancel) s.downloader->cancel();
  if (!s.ui.download_event.finished_folder.empty()) list_offered_models(s);
  if (s.ui.use_model) app_use_trained_model(s, std::move(s.ui.use_model)), s.ui.use_model.reset();
  if (s.ui.use_checkpoint) {  // a language model trained in the Training tab
    auto m = std::make_shared<Model>(*s.ui.use_checkpoint);
    m->name = unique_model_name(s.models, "wordnet-lm-trained");
    s.ui.use_checkpoint.reset();
    app_use_checkpoint(s, std::move(m), "trained in this session");
  }
  if (s.ui.request != FileRequest::None) perform_file_request(s);  // after the frame's widgets, never inside them
}

void app_shutdown(AppState& s) {
  s.background.cancel();  // its worker is joined when the state is destroyed
  s.ui.training.reset();  // stops and joins the training workers
  s.ui.lm_training.reset();
  s.ui.retired_lm_training.clear();
  s.downloader.reset();   // cancels a running download and waits for it (about a second)
  s.ui.retired_training.clear();
  // Screenshots and benchmarks save nothing. A script saves what it set, as a session would (tests check what is
  // remembered), but only into a --config-dir of its own: never over the user's own settings.
  if (s.config_dir.empty() || !s.opts.screenshot.empty() || s.opts.bench_frames > 0) return;
  if (!s.opts.script.empty() && s.opts.config_dir.empty()) return;
  if (s.ui.lessons.lesson >= 0) app_lesson_leave(s);  // what the user had, not the lesson's state, is remembered
  save_session_file(s.config_dir + "/settings.json", s.doc, s.ui);
}

}  // namespace attn
