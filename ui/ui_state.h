// ui_state.h: what the user is looking at (selection, view options). Plain data, owned by app/.
// Nothing here is model state: the trace is rebuilt from Document alone.
#pragma once
#include <memory>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "colormap.h"
#include "document.h"
#include "ffn.h"
#include "download_panel.h"
#include "gallery.h"
#include "heatmap.h"
#include "jobs.h"
#include "mat.h"
#include "softmax_stats.h"
#include "teaching_stats.h"
#include "trace.h"
#include "texture_cache.h"
#include "train.h"
#include "lessons_panel.h"
#include "lm_training_job.h"
#include "training_job.h"

namespace attn {

enum class View { Stages, Heads, Gallery, Query, Softmax, Masks, Interventions, Steps, Positional, Complexity, Paths, Norms, Ffn,
                  Decoder, Training };
constexpr int kViewCount = 15;
const char* view_name(View v);        // tab label, translated
const char* view_id(View v);          // stable id for scripts and --view: "stages", "heads", …
bool parse_view(const std::string& s, View* out);

// Derived matrices a view shows, rebuilt only when their inputs change (never every frame).
struct QueryCache {
  uint64_t version = ~0ull;
  int layer = -1, head = -1, query = -1;
  Mat q_times_k;  // n_k × d_k   q_i ⊙ k_j, row j sums to q_i·k_j
  Mat weighted_v; // (n_k + 1) × d_k   w_ij·v_j for each key, then their sum (= the head's output row)
};

// The softmax lab's derived data (softmax_view.cpp computes it in jobs: never on the UI thread).
struct SoftmaxStats {  // of the selected head; key: (trace version, layer, head)
  std::vector<double> ent_scaled, ent_unscaled, jac_scaled, jac_unscaled;  // per query row
  std::vector<double> hist_x, hist_scaled, hist_unscaled;                   // score histograms
  ScoreSpread spread;                                                       // of this head's scores, q and k
};
struct DkSweep {  // random q, k for d_k = 1 … 1024; key: the sentence length n
  std::vector<double> dks, max_w_scaled, max_w_unscaled, jac_sweep_scaled, jac_sweep_unscaled, std_unscaled;
};
struct DkPoint {  // the slider's d_k; key: (d_k, n)
  DkSweepPoint scaled, unscaled;
};
struct SoftmaxCache {
  Job<std::tuple<uint64_t, int, int>, SoftmaxStats> stats;
  Job<int, DkSweep> sweep;
  Job<std::pair<int, int>, DkPoint> point;
};

struct DiffCache {
  uint64_t version = ~0ull;
  int layer = -1;
  Mat diff;  // n × d_model: a layer's output with the intervention minus without
};

struct PositionalData {  // key: (trace version, shuffle seed)
  Mat pe;                        // n × d_model of the current settings' kind
  Mat sin_pe;                    // the sinusoidal one, for the curves
  Mat similarity;                // PE·PEᵀ
  std::vector<double> offsets, by_offset;
  std::vector<double> widths, cos_widths;  // mean |cos(embedding, PE)| against d_model
  std::shared_ptr<Trace> original, shuffled;  // PE off: the sentence and a shuffle of it
  std::vector<int> perm;         // shuffled position of each original token
};

// The complexity and paths panels' measurement (timing_job.cpp): measure_scaling in a job; key: the run
// number (each press of Measure runs again).
using TimingJob = Job<int, std::vector<TimingPoint>>;

struct NormsData {  // key: (trace version, count_padding)
  Mat stacked;                   // both sentences' inputs, padded, one above the other
  Mat layer_normed, batch_normed;
  std::vector<std::string> labels;
  RowVec bn_mean, bn_var;
  int rows_a = 0, rows_b = 0, n = 0;
};

struct FfnData {  // the Feed-forward tab's per-token numbers of one layer; key: (trace version, layer)
  FfnTokenStats stats;
  std::vector<double> negative_fraction;  // per token: pre-activations a < 0 (ReLU zeroes them, GELU squashes them)
  Mat hidden_shown;  // ReLU: the hidden activations with each exact 0 as NaN, which the texture draws grey (empty for
                     // GELU). Not a mask: hashing an n × d_ff mask every frame would cost a frame at large d_ff.
  float x_lo = 0, x_hi = 0, h_lo = 0, h_hi = 0, o_lo = 0, o_hi = 0;  // colour ranges (h: of the non-zero cells)
};

struct PathsData {  // key: the trace version
  std::vector<double> dists, rnn_influence, attention;  // against distance
};

// File actions the UI asks app/ to carry out after the frame (ui/ never touches files).
enum class FileRequest { None, SaveSession, LoadSession, ExportPng, ExportCsv, ExportTrace };

struct UiState {
  FileRequest request = FileRequest::None;
  std::string io_dir;                  // where sessions and exports go (set by app/: ~/attention-lab)
  std::string session_name = "session.json";
  View view = View::Stages;
  bool view_requested = false;         // select `view`'s tab on the next frame (scripts, --view)
  int layer = 0, head = 0;
  int pinned_q = -1, pinned_k = -1;    // clicked cell, shown in every view
  std::vector<HeatmapRegion> highlights;  // a lesson step's cells or regions, outlined on every token × token map
  int hover_q = -1, hover_k = -1;
  Colormap weights_cmap = Colormap::Viridis;
  Colormap scores_cmap = Colormap::RdBu;
  float ui_scale = 1.0f;
  int window_w = 0, window_h = 0;       // the window's size, saved between runs
  bool ui_scale_changed = false;       // rebuild the font atlas (also after a change of language: its glyphs)
  std::string language;                // "" follows the environment (LANGUAGE, LANG); "en", "zh_CN" (ui/i18n.h)
  // Presenter mode (F5, --presenter): no side panel, the projector scale instead of ui_scale, a high-contrast theme
  // and a spotlight on the hovered heatmap row and column. Leaving it restores ui_scale and the usual theme. Not saved
  // between runs (a teacher prepares in the normal view and presents on purpose); presenter_scale is.
  bool presenter = false;
  float presenter_scale = 2.0f;
  bool fullscreen_request = false;     // F11: app/ toggles fullscreen after the frame
  std::string explain;                 // the explanation line for whatever is hovered
  // All heads
  bool heads_lines = false;            // token-to-token line view instead of matrices
  int enlarged_head = -1;              // -1: none; heads: that head; == heads: the average
  // Head gallery (gallery_view.cpp): sort (0: layer order, 1 + HeadScoreKind), filter score (HeadScoreKind) ≥ min
  int gallery_sort = 0, gallery_filter = 0;
  float gallery_min = 0;
  GalleryState gallery;
  // Softmax lab
  int lab_dk = 64;
  QueryCache query_cache;
  Mat mask_view;  // the custom mask as 0/1 floats for its heatmap
  uint64_t mask_view_hash = 0;
  DiffCache diff_cache;
  // Derived data computed in the background (core/jobs.h): each view starts its job when its inputs change and
  // draws the last finished result meanwhile. `jobs` wakes the event loop (app/ sets the callback).
  std::shared_ptr<JobHub> jobs = std::make_shared<JobHub>();
  SoftmaxCache softmax_cache;
  Job<std::pair<uint64_t, int>, PositionalData> positional_job;
  bool norms_count_padding = true;     // BatchNorm counts the <pad> rows
  Job<std::pair<uint64_t, bool>, NormsData> norms_job;
  Job<uint64_t, PathsData> paths_job;
  Job<std::pair<uint64_t, int>, FfnData> ffn_job;
  int ffn_hover = -1;                  // Feed-forward: the token row hovered last frame (-1: none)
  TimingJob timing;
  std::vector<TimingPoint> timing_result;  // the last finished measurement (copied from `timing` when it finishes)
  // Masks
  int paint = -1;                      // while dragging on the custom grid: the value being painted (0/1)
  // Step-through
  int step = 0;
  bool playing = false;
  float steps_per_second = 2.0f;
  double play_clock = 0;
  // Positional encoding / paths / complexity panels
  int pe_dim_a = 0, pe_dim_b = 10;
  int pe_shuffle_seed = 1;
  int path_i = 0, path_j = 5;
  int conv_k = 3, restricted_r = 4;
  float path_anim = 0;                 // animation clock of the path view (steps)
  bool path_playing = false;
  int cx_n = 512, cx_d = 512;
  // Decoder
  int decode_step = 0;
  // Trained models in the explorer
  int example_seed = 0;                // "another example" of the selected task model
  Document random_doc;                 // sentence and settings before a trained model was selected (restored on
  bool has_random_doc = false;         // going back to random weights)
  // Training tab: the form, the job (a worker thread: see training_job.h) and the UI's copy of its snapshot
  TrainConfig train = recommended_config(TaskKind::Reverse);  // what Start uses
  std::shared_ptr<TrainingJob> training;  // null before Start and after Reset
  std::vector<std::shared_ptr<TrainingJob>> retired_training;  // stopped, their workers finishing a step
  TrainingSnapshot train_view;         // the latest snapshot of `training`, copied once per frame if it changed
  std::string train_example;           // the shown example as typed ("3 1 4 1 5 9 2 6")
  std::string train_example_error;     // why the typed example is not an input of the task
  int train_example_seed = 0;          // "New example" counter
  int train_layer = -1;                // decoder-only: the layer shown (-1: every layer)
  // Training tab, language model (lm_training_job.h): a GPT-2-shaped model on WordNet's glosses, as train-lm
  bool train_lm = false;               // the tab trains a language model instead of a toy task
  LmConfig lm_train = classroom_lm_config();
  std::shared_ptr<LmTrainingJob> lm_training;
  std::vector<std::shared_ptr<LmTrainingJob>> retired_lm_training;
  LmTrainingSnapshot lm_view;
  std::shared_ptr<const Model> use_checkpoint;  // "Use in explorer" of a trained language model: app/ names and selects it
  LessonState lessons;                  // the Lessons drawer and the lesson running (lessons_panel.h, app/lessons.h)
  DownloadPanelState download;          // "Download from Hugging Face" and "Open model…" (ui/download_panel.h)
  DownloadPanelEvent download_event;    // what the panel asked for this frame (app/ starts or cancels the download)
  std::string open_model_request;       // a folder to open (app/ loads it in a job and selects it); "" = none
  std::string open_model_status;        // "opening …", or why the last one was refused
  bool opening_model = false;           // a checkpoint is being read (app/ sets it each frame)
  std::shared_ptr<TrainedModel> use_model;  // "Use in explorer": app/ names it, adds it to the model list and selects it
  // Resources owned by the UI (GL textures), not model state.
  TextureCache textures;
  uint64_t version = 0;                // bumped on every rebuild of the traces
  std::string status;                  // notices (export written, error) shown in the status line
  double status_time = 0;
};

// The scale the UI is drawn at: the projector scale in presenter mode, else the user's UI scale.
inline float effective_ui_scale(const UiState& ui) { return ui.presenter ? ui.presenter_scale : ui.ui_scale; }

}  // namespace attn
