// explorer.h: the main window (controls on the left, views in tabs in the centre, explanation line below)
// and the panels it hosts. Panels are free functions, one file each: they read the traces and edit the
// Document (returning true when they did) and UiState. Nothing in ui/ owns model state.
#pragma once
#include <string>

#include "document.h"
#include "trace.h"
#include "ui_state.h"

namespace attn {

struct Views {
  const Trace* trace = nullptr;     // the last good trace (null before the first)
  const Trace* baseline = nullptr;  // every head on: set only while an intervention switches heads off
  const Trace* batch = nullptr;     // the batch's second sentence (padding mask), padded to the same length
  std::string error;                // why the latest edit was refused ("" when the trace is current)
  bool busy = false;                // a recompute is running in the background
};

bool draw_explorer(const Views& v, Document& doc, UiState& ui);

// Panels (each in its own ui/<name>.cpp).
bool draw_controls(const Views& v, Document& doc, UiState& ui);
void draw_stages_view(const Views& v, Document& doc, UiState& ui);
void draw_heads_view(const Views& v, UiState& ui);
void draw_query_view(const Views& v, UiState& ui);
void draw_softmax_view(const Views& v, UiState& ui);
bool draw_masks_view(const Views& v, Document& doc, UiState& ui);
bool draw_interventions_view(const Views& v, Document& doc, UiState& ui);
void draw_steps_view(const Views& v, UiState& ui);

// Every preset sentence, concatenated (the font atlas includes their glyphs).
std::string preset_text();

// Shared helpers.
void explain(UiState& ui, const char* text);  // sets the explanation line while the last item is hovered
void help_marker(UiState& ui, const char* text);
const HeadTrace* selected_head(const Trace& t, const UiState& ui);
void clamp_selection(const Trace& t, UiState& ui);
// The arithmetic behind cell (i, j) of a head: q_i·k_j, ÷√d_k·τ, mask, softmax. For tooltips.
void cell_arithmetic(const Trace& t, const HeadTrace& h, int i, int j);

}  // namespace attn
