// explorer.h: the main window (controls on the left, views in tabs in the centre, explanation line below)
// and the panels it hosts. Panels are free functions, one file each: they read the traces and edit the
// Document (returning true when they did) and UiState. Nothing in ui/ owns model state.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "document.h"
#include "trace.h"
#include "train.h"
#include "ui_state.h"

namespace attn {

// A model the explorer can select: a toy-task model (shipped in assets/models or trained in the Training tab) or a
// pretrained checkpoint (GPT-2 family, opened from a folder or the Hugging Face cache).
struct ModelEntry {
  std::shared_ptr<const TrainedModel> model;  // a task model (null for a checkpoint)
  std::string source;  // where it came from, for the tooltip: the file, or "trained in this session"
  std::shared_ptr<const Model> checkpoint;    // a checkpoint (null for a task model)
  const std::string& name() const { return model ? model->name : checkpoint->name; }
};

// A checkpoint found in the Hugging Face cache: offered in the selector, read only when chosen.
struct OfferedModel {
  std::string name;    // "gpt2", "openai-community/gpt2"
  std::string folder;  // the snapshot folder
};

struct Views {
  const Trace* trace = nullptr;     // the last good trace (null before the first)
  const Trace* baseline = nullptr;  // every head on: set only while an intervention switches heads off
  const Trace* batch = nullptr;     // the batch's second sentence (padding mask), padded to the same length
  std::string error;                // why the latest edit was refused ("" when the trace is current)
  bool busy = false;                // a recompute is running in the background
  const std::vector<ModelEntry>* models = nullptr;  // the trained models on offer (app/ owns the list)
  const TrainedModel* selected = nullptr;           // the task model doc.model names (null: random weights)
  const Model* checkpoint = nullptr;                // the checkpoint doc.model names (null: none)
  const std::vector<OfferedModel>* offered = nullptr;  // checkpoints in the Hugging Face cache, not yet opened
};

bool draw_explorer(const Views& v, Document& doc, UiState& ui);

// Panels (each in its own ui/<name>.cpp).
bool draw_controls(const Views& v, Document& doc, UiState& ui);
void draw_stages_view(const Views& v, Document& doc, UiState& ui);
void draw_heads_view(const Views& v, UiState& ui);
void draw_gallery_view(const Views& v, UiState& ui);
void draw_query_view(const Views& v, UiState& ui);
void draw_softmax_view(const Views& v, UiState& ui);
bool draw_masks_view(const Views& v, Document& doc, UiState& ui);
bool draw_interventions_view(const Views& v, Document& doc, UiState& ui);
void draw_steps_view(const Views& v, UiState& ui);
void draw_training_view(const Views& v, UiState& ui);  // training_view.cpp; works without a trace
void draw_lm_training(UiState& ui);                    // lm_training_view.cpp: the Training tab's language model
// A combo of whole numbers: true when the choice changed (controls.cpp).
bool combo_int(const char* label, int* v, const int* options, int count);

// ---- Trained models (model_select.cpp).
// Selects a trained model (null: random weights) in the document: its name, and a sentence it can read (one of
// its task's examples when the current text is not one; back to the previous sentence for random weights).
void select_model(Document& doc, UiState& ui, const TrainedModel* m);
// The settings a trained model runs with: its task's (task_settings: shapes, seed, PE, norm, mask, decoder) plus the
// choices of `doc` that leave the weights alone (scale, temperature, hard attention, mask value, heads switched off).
Settings trained_model_settings(const TrainConfig& c, const Settings& doc);
// Selects a checkpoint: its name, its fixed settings, the causal mask it was trained with; the sentence stays.
void select_checkpoint(Document& doc, UiState& ui, const Model& m);
// `count` example inputs of the task ("3 1 4 1 5 9 2 6"), the same for the same seed.
std::vector<std::string> task_examples(const TaskSpec& t, int count, uint64_t seed);
// What a model trained on the task should learn to attend to, in plain words.
const char* task_pattern(TaskKind k);
// The model's prediction in a trace of a trained model (seq2seq: the greedy steps; decoder-only: each position's
// argmax), as ids of the task's symbols (-1 for anything else).
std::vector<int> trace_prediction(const Trace& t, const TrainedModel& m);
// Input, model's prediction and the right answer, one column a position, wrong ones in red (ImGui table).
void prediction_table(const char* id, const TaskSpec& t, const std::vector<int>& input, const std::vector<int>& prediction,
                      const std::vector<int>& answer);

// Every preset sentence, concatenated (the font atlas includes their glyphs).
std::string preset_text();

// A language model's next-token predictions under each token, top 5 on hover (predictions.cpp).
void draw_predictions(const Trace& t, UiState& ui);

// Shared helpers.
void explain(UiState& ui, const char* text);  // sets the explanation line while the last item is hovered
void help_marker(UiState& ui, const char* text);
const HeadTrace* selected_head(const Trace& t, const UiState& ui);
void clamp_selection(const Trace& t, UiState& ui);
// The arithmetic behind cell (i, j) of a head: q_i·k_j, ÷√d_k·τ, mask, softmax. For tooltips.
void cell_arithmetic(const Trace& t, const HeadTrace& h, int i, int j);

}  // namespace attn
