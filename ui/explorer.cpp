#include "explorer.h"

#include <imgui.h>
#include <imgui_stdlib.h>

namespace attn {

bool draw_explorer(const ExplorerInput& in, Settings& settings, std::string& text, UiState& ui) {
  bool edited = false;
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(vp->WorkPos);
  ImGui::SetNextWindowSize(vp->WorkSize);
  ImGui::Begin("Attention Lab", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove);
  edited |= ImGui::InputText("sentence", &text);
  edited |= ImGui::Checkbox("scale by 1/sqrt(d_k)", &settings.scale);
  if (in.trace) {
    const Trace& t = *in.trace;
    ImGui::Text("%d tokens, d_model %d, %d heads, d_k %d", t.n(), t.settings.d_model, t.settings.heads, t.d_k());
    (void)ui;
  }
  if (!in.error.empty()) ImGui::TextColored(ImVec4(0.8f, 0.1f, 0.1f, 1), "%s", in.error.c_str());
  ImGui::End();
  return edited;
}

}  // namespace attn
