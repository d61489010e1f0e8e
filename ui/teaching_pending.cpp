// Placeholders for the teaching panels of issue 4, replaced one by one by their own files.
#include <imgui.h>

#include "teaching.h"

namespace attn {

void draw_positional_view(const Views&, Document&, UiState&) { ImGui::TextDisabled("Positional encoding: in progress."); }
void draw_complexity_view(const Views&, UiState&) { ImGui::TextDisabled("Complexity: in progress."); }
void draw_paths_view(const Views&, UiState&) { ImGui::TextDisabled("RNN vs self-attention: in progress."); }
void draw_norms_view(const Views&, UiState&) { ImGui::TextDisabled("LayerNorm vs BatchNorm: in progress."); }
bool draw_decoder_view(const Views&, Document&, UiState&) {
  ImGui::TextDisabled("Encoder–decoder: in progress.");
  return false;
}

}  // namespace attn
