// teaching.h: the teaching panels of "Attention Is All You Need" (positional encoding, complexity,
// RNN vs self-attention paths, LayerNorm vs BatchNorm, encoder–decoder decoding). One file each.
#pragma once
#include "explorer.h"

namespace attn {

void draw_positional_view(const Views& v, Document& doc, UiState& ui);
void draw_complexity_view(const Views& v, UiState& ui);
void draw_paths_view(const Views& v, UiState& ui);
void draw_norms_view(const Views& v, UiState& ui);
bool draw_decoder_view(const Views& v, Document& doc, UiState& ui);

}  // namespace attn
