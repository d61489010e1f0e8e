// app_state.h: the app's state, created in main and passed by reference (no globals, no statics in ui/).
// Data flows one way: panels edit `doc` and set `dirty`; app_before_frame rebuilds the traces once.
#pragma once
#include <memory>
#include <string>

#include "cli.h"
#include "document.h"
#include "explorer.h"
#include "hf_download.h"
#include "jobs.h"
#include "script.h"
#include "trace.h"
#include "ui_state.h"

namespace attn {

// Everything the views read, computed from a Document alone.
struct TraceSet {
  Trace trace;                 // the sentence
  bool has_trace = false;
  Trace baseline;              // every head on (only while an intervention switches heads off)
  bool has_baseline = false;
  Trace batch;                 // the padding batch's second sentence, padded to the same length
  bool has_batch = false;
  std::shared_ptr<const Model> model;  // reused while shapes and seed do not change
};

// Computes the traces of `doc` into `out`. Returns "" or why the document was refused; on refusal out.trace is
// left as it was (the last good trace stays on screen). Pure: safe on a background thread with its own `out`.
// `trained` is the model doc.model names (null for random weights): it runs with trained_model_settings.
// `checkpoint` is the pretrained model doc.model names (null when none): it runs with checkpoint_settings.
std::string compute_traces(const Document& doc, TraceSet& out, std::shared_ptr<const TrainedModel> trained = nullptr,
                           std::shared_ptr<const Model> checkpoint = nullptr);

// Multiply-adds of one encoder pass: decides whether a recompute runs on the UI thread or in the background.
double trace_cost(const Settings& s, int n);
constexpr double kBackgroundCost = 3e7;  // ≈ 1 ms of arithmetic: above it the UI never waits

// A heavy recompute's outcome, computed in a job (core/jobs.h) keyed by the document's edit count.
struct RecomputeResult {
  std::string error;                 // "" or why the document was refused
  std::shared_ptr<TraceSet> set;     // the new traces (only their model when refused)
};
using BackgroundRecompute = Job<uint64_t, RecomputeResult>;

// A checkpoint opened off the UI thread ("Open model…", a dropped folder, a model of the Hugging Face cache).
struct OpenedModel {
  std::string path, error;
  std::shared_ptr<const Model> model;
};

struct AppState {
  Document doc;
  TraceSet traces;             // the last good traces
  bool dirty = true;           // doc changed: recompute before the next frame
  std::string error;           // why the last recompute was refused ("" when the traces are current)
  BackgroundRecompute background;  // heavy recomputes; the views keep the last traces until it publishes
  uint64_t edits = 0;          // heavy recomputes asked for: the background job's key
  UiState ui;
  GuiOptions opts;
  std::string config_dir;      // "" when none could be made: nothing persists
  Script script;
  bool has_script = false;
  std::string layout_check;    // a script's {"layout_check": FILE}: the window writes this frame's findings there
  std::vector<ModelEntry> models;  // models on offer: shipped (assets/models), trained in this session, checkpoints
  Job<uint64_t, OpenedModel> opening;  // a checkpoint being read (seconds for gpt2): the UI keeps drawing
  uint64_t opens = 0;                  // checkpoints asked for: the job's key
  std::unique_ptr<Downloader> downloader;  // "Download from Hugging Face" (app/hf_download.h)
  std::vector<OfferedModel> offered;       // checkpoints in the Hugging Face cache (listed at start and after a download)
};

// Loads saved settings (unless opts say otherwise) and the script; computes the first trace.
std::string app_init(AppState& s, const GuiOptions& opts);
void app_before_frame(AppState& s);
void app_draw(AppState& s);
void app_shutdown(AppState& s);  // saves settings
void recompute(AppState& s);  // on this thread, now (tests, start-up)
std::string app_load_session(AppState& s, const std::string& path);
Views app_views(const AppState& s);
// The trained model doc.model names (null for random weights or a model that is not loaded).
std::shared_ptr<const TrainedModel> selected_model(const AppState& s);
std::shared_ptr<const Model> selected_checkpoint(const AppState& s);  // the checkpoint doc.model names, or null
// Names a model trained in the app, adds it to the list and selects it in the explorer. Returns its name.
std::string app_use_trained_model(AppState& s, std::shared_ptr<TrainedModel> m);  // also saves it (interactive runs)
std::string user_models_dir(const AppState& s);
// Opens a checkpoint folder on this thread (start-up, scripts, tests), adds it to the models (once per name) and
// selects it. Returns "" or why not (nothing changes then).
std::string app_open_checkpoint(AppState& s, const std::string& path);
// Selects the weights called `name` among the loaded models ("" or "random": random weights). "" or one line.
std::string app_select_weights(AppState& s, const std::string& name);
// Lists the Hugging Face cache's checkpoints into s.offered.
void list_offered_models(AppState& s);
// Adds an opened checkpoint (or finds the one of that name) and selects it in the explorer.
void app_use_checkpoint(AppState& s, std::shared_ptr<const Model> m, const std::string& path);  // <io_dir>/models: models trained in the app, loaded at start

// $XDG_CONFIG_HOME/attention-lab (or ~/.config/attention-lab), created if needed; "" when impossible.
std::string default_config_dir();

}  // namespace attn
