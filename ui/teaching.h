// teaching.h: the teaching panels of "Attention Is All You Need" (positional encoding, complexity,
// RNN vs self-attention paths, LayerNorm vs BatchNorm, encoder–decoder decoding). One file each.
#pragma once
#include "explorer.h"

namespace attn {

// Kernel k and neighbourhood r (shared by the Complexity and RNN vs attention tabs) and the Complexity tab's n and
// d, as typed (Ctrl+click on a slider, scripts): a value out of range is set back in range, the reason in ui.status.
// A slider's range is not validation; the views call this before using the values.
void check_path_inputs(UiState& ui);

void draw_positional_view(const Views& v, Document& doc, UiState& ui);
void draw_complexity_view(const Views& v, UiState& ui);
void draw_paths_view(const Views& v, UiState& ui);
void draw_norms_view(const Views& v, UiState& ui);
void draw_ffn_view(const Views& v, UiState& ui);  // ffn_view.cpp: the position-wise feed-forward network
bool draw_decoder_view(const Views& v, Document& doc, UiState& ui);

}  // namespace attn
