// steps_view.cpp: the forward pass as a pipeline of named stages (the core's list_stages): Step, Back,
// Play/Pause with a speed; the current stage's tensor and formula. Keys: Space plays/pauses, arrows step.
#include <imgui.h>

#include <algorithm>
#include <string>

#include "i18n.h"
#include "explorer.h"
#include "format.h"
#include "heatmap.h"
#include "view_settings.h"
#include "text_flow.h"

namespace attn {

void draw_steps_view(const Views& v, UiState& ui) {
  const Trace& t = *v.trace;
  const std::vector<Stage> stages = list_stages(t);
  const int count = int(stages.size());
  ui.step = std::clamp(ui.step, 0, count - 1);
  // Keyboard (when no text field has focus).
  if (!ImGui::GetIO().WantTextInput) {
    if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Space))) ui.playing = !ui.playing;
    if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_RightArrow))) ui.step = std::min(count - 1, ui.step + 1), ui.playing = false;
    if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_LeftArrow))) ui.step = std::max(0, ui.step - 1), ui.playing = false;
  }
  if (ImGui::Button(_("◀ Back"))) ui.step = std::max(0, ui.step - 1), ui.playing = false;
  ImGui::SameLine();
  if (ImGui::Button(ui.playing ? _("|| Pause") : _("▶ Play"))) ui.playing = !ui.playing;
  ImGui::SameLine();
  if (ImGui::Button(_("Step ▶"))) ui.step = std::min(count - 1, ui.step + 1), ui.playing = false;
  same_line_if_fits(labelled_width(ImGui::GetFontSize() * 8, _("stages / s")));
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
  setting_slider(view_setting("steps_per_second"), ui, _("stages / s"), NAN, NAN, true, "%.2g");
  text_afterf(true, _("Space: play/pause · ←/→: step · stage %d of %d"), ui.step + 1, count);
  if (ui.playing) {
    ui.play_clock += ImGui::GetIO().DeltaTime * ui.steps_per_second;
    while (ui.play_clock >= 1.0) {
      ui.play_clock -= 1.0;
      if (ui.step + 1 < count) ++ui.step;
      else ui.playing = false;
    }
  }

  // The list of stages beside the stage shown, or above it when the view is too narrow for both (scale 2).
  const float fh = ImGui::GetFontSize();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const bool beside = avail.x >= fh * 40;
  ImGui::BeginChild("stage_list", beside ? ImVec2(fh * 16, 0) : ImVec2(0, std::max(fh * 6, avail.y * 0.3f)), true);
  for (int i = 0; i < count; ++i) {
    const bool sel = i == ui.step;
    if (ImGui::Selectable(stages[size_t(i)].name.c_str(), sel)) ui.step = i, ui.playing = false;
    if (sel && ui.playing) ImGui::SetScrollHereY(0.5f);
  }
  ImGui::EndChild();
  if (beside) ImGui::SameLine();
  ImGui::BeginChild("stage_body", ImVec2(0, 0), false);
  const Stage& st = stages[size_t(ui.step)];
  text_wrapped("%s", st.name.c_str());
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.2f, 0.4f, 0.7f, 1));
  text_wrapped("%s", st.formula.c_str());
  ImGui::PopStyleColor();
  if (!st.tensor) {
    text_wrapped(_("Tokens (%d):"), t.n());
    std::string joined;
    for (const auto& tok : t.tokens) joined += "[" + tok + "] ";
    text_wrapped("%s", joined.c_str());
  } else {
    const Mat& m = *st.tensor;
    ImGui::TextDisabled(_("shape %d × %d"), int(m.rows()), int(m.cols()));
    const bool square = m.rows() == m.cols() && m.rows() == t.n() && st.head >= 0;
    const bool weights = st.kind == StageKind::Softmax;
    HeatmapSpec spec;
    spec.m = &m;
    spec.row_labels = &t.tokens;
    if (square) spec.col_labels = &t.tokens;
    if (!square) spec.col_axis = _("feature");

    spec.blocked = (square && (weights || st.kind == StageKind::Masked)) ? &t.mask : nullptr;
    if (st.part == "decoder") spec.row_labels = nullptr, spec.col_labels = nullptr, spec.blocked = nullptr;
    spec.cmap = weights ? ui.weights_cmap : ui.scores_cmap;
    value_range(m, spec.blocked, !weights, &spec.lo, &spec.hi);
    if (weights) spec.lo = 0;
    spec.version = ui.version;
    spec.detail = ui.step;
    spec.title = "";
    draw_heatmap("stage", spec, ImGui::GetContentRegionAvail(), ui.textures, [&](int i, int j) {
      ImGui::Text("%s[%d, %d] = %s", st.name.c_str(), i, j, fmt_value(m(i, j)).c_str());
    });
  }
  ImGui::EndChild();
}

}  // namespace attn
