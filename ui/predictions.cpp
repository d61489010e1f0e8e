// predictions.cpp: a language model's next-token predictions under the sentence. Each token shows the probability the
// model gave it before it came (read from the previous position's softmax); hovering shows that position's top 5.
#include <imgui.h>

#include <algorithm>

#include "i18n.h"
#include "explorer.h"
#include "format.h"

namespace attn {

namespace {

// Green when the model expected the token, red when it did not.
ImVec4 prob_colour(float p) {
  const float t = std::clamp(p, 0.0f, 1.0f);
  return ImVec4(0.75f * (1 - t), 0.55f * t + 0.1f, 0.1f, 1);
}

std::string pct(float p) { return fmt_percent(p); }

}  // namespace

void draw_predictions(const Trace& t, UiState& ui) {
  if (t.next.empty() || t.model == nullptr) return;
  const Model& m = *t.model;
  ImGui::TextDisabled("%s", _("next-token probability of each token:"));
  const float right_edge = ImGui::GetCursorPosX() + ImGui::GetContentRegionAvail().x;
  const ImGuiStyle& st = ImGui::GetStyle();
  for (int i = 0; i < int(t.next.size()); ++i) {
    const std::string& tok = t.tokens[size_t(i)];
    // p(token i) comes from position i − 1; the first token has no prediction before it.
    const float p = i > 0 ? t.next_actual[size_t(i - 1)] : -1.0f;
    const std::string under = p >= 0 ? pct(p) : "—";
    const float w = std::max(ImGui::CalcTextSize(tok.c_str()).x, ImGui::CalcTextSize(under.c_str()).x);
    if (i > 0) {
      ImGui::SameLine(0, st.ItemSpacing.x * 1.5f);
      if (ImGui::GetCursorPosX() + w > right_edge) ImGui::NewLine();
    }
    ImGui::BeginGroup();
    ImGui::TextUnformatted(tok.c_str());
    if (p >= 0) ImGui::TextColored(prob_colour(p), "%s", under.c_str());
    else ImGui::TextDisabled("%s", under.c_str());
    ImGui::EndGroup();
    if (ImGui::IsItemHovered()) {
      ImGui::BeginTooltip();
      const TopK& k = t.next[size_t(i)];
      ImGui::Text(_("after \"%s\" (position %d) the model expects:"), tok.c_str(), i);
      for (size_t r = 0; r < k.ids.size(); ++r) {
        const int id = k.ids[r];
        const std::string label = id >= 0 && id < int(m.vocab.size()) ? m.vocab[size_t(id)] : "?";
        ImGui::Text("%6s  %s", pct(k.probs[r]).c_str(), label.c_str());
      }
      if (i + 1 < t.n_real)
        ImGui::TextDisabled(_("what came next: \"%s\", given %s"), t.tokens[size_t(i + 1)].c_str(), pct(t.next_actual[size_t(i)]).c_str());
      ImGui::EndTooltip();
      ui.explain = _("Under each token: the probability the model gave it, predicting from the tokens before it "
                     "(softmax of the previous position's logits). Hover for the top 5 at this position.");

    }
  }
}

}  // namespace attn
