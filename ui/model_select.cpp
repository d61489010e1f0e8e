// model_select.cpp: trained models in the explorer: selecting one, its task's example inputs, and its prediction
// beside the right answer.
#include <imgui.h>

#include <algorithm>

#include "i18n.h"
#include "explorer.h"
#include "settings_table.h"

namespace attn {

Settings trained_model_settings(const TrainConfig& c, const Settings& doc) {
  Settings s = task_settings(c);
  for (const Field<Settings>& f : settings_table())
    if (f.user_over_model) field_copy(f, doc, s);
  if (doc.head_enabled.size() == size_t(s.layers) * size_t(s.heads)) s.head_enabled = doc.head_enabled;
  return s;
}

std::vector<std::string> task_examples(const TaskSpec& t, int count, uint64_t seed) {
  std::vector<std::string> out;
  if (!validate(t).empty()) return out;
  Rng rng(stream_seed(seed, "examples"));
  for (int i = 0; i < count; ++i) out.push_back(ids_to_text(make_example(t, rng).src));
  return out;
}

void select_model(Document& doc, UiState& ui, const TrainedModel* m) {
  if (!m) {
    if (!doc.model.empty() && ui.has_random_doc) {  // back to what was there before the first trained model
      doc.text = ui.random_doc.text;
      doc.settings = ui.random_doc.settings;
    } else if (!doc.model.empty()) {  // (selected in a session) keep the shapes, drop the task's empty decoder target
      doc.settings.target.reset();
      doc.settings.decode_steps = 0;
    }
    ui.has_random_doc = false;
    doc.model.clear();
    doc.model_folder.clear();
    return;
  }
  if (doc.model.empty()) {
    ui.random_doc = doc;
    ui.has_random_doc = true;
  }
  const bool same = doc.model == m->name;
  doc.model = m->name;
  doc.model_folder.clear();
  // The panels read the shapes from the document: they are the model's now (read-only in the controls).
  Settings s = trained_model_settings(m->config, doc.settings);
  s.head_enabled.clear();
  if (same) s.head_enabled = doc.settings.head_enabled;
  s.custom_mask = doc.settings.custom_mask;
  doc.settings = s;
  std::vector<int> ids;
  if (!same || !parse_task_input(m->config.task, doc.text, &ids).empty())
    doc.text = task_examples(m->config.task, 1, uint64_t(ui.example_seed))[0];
}

void select_checkpoint(Document& doc, UiState& ui, const Model& m) {
  if (doc.model.empty()) {
    ui.random_doc = doc;
    ui.has_random_doc = true;
  }
  const bool same = doc.model == m.name;
  doc.model = m.name;
  doc.model_folder = m.source;
  if (!same) {
    doc.settings.mask = MaskKind::Causal;  // as it was trained: each token sees itself and what precedes it
    doc.settings.head_enabled.clear();
  }
  doc.settings = checkpoint_settings(m, doc.settings);
}

const char* task_pattern(TaskKind k) {
  switch (k) {
    case TaskKind::Reverse:
      return _("Reverse: output i is input L−1−i. Expect the decoder's cross-attention to become an anti-diagonal: each "
             "output looks at the mirrored input.");
    case TaskKind::Sort:
      return _("Sort: the output is the input in ascending order. Expect the cross-attention to follow the sorted order: "
             "the first output looks at the smallest input symbol, the next at the next smallest, wherever they sit.");
    case TaskKind::CopyShift:
      return _("Copy-shift: each position outputs the token before it. Expect a previous-token head: a bright line just "
             "below the diagonal (query i looks at key i−1).");
    case TaskKind::Induction:
      return _("Induction: a random run of symbols, then the run again. In the repeat the next token can be copied from "
             "the first run. Expect an induction head in the last layer: each position looks at the token after the "
             "previous occurrence of its own token (a diagonal stripe), fed by a previous-token head below.");
  }
  return "";
}

std::vector<int> trace_prediction(const Trace& t, const TrainedModel& m) {
  std::vector<int> ids;
  auto id_of = [&](const std::string& tok) {
    const int i = m.model.token_id(tok);
    return i >= 0 && i < m.model.classes ? i : -1;
  };
  if (is_seq2seq(m.config.task.kind)) {
    for (const DecodeStep& s : t.steps) ids.push_back(id_of(s.token));
  } else {
    for (const std::string& tok : t.predicted) ids.push_back(id_of(tok));
  }
  return ids;
}

void prediction_table(const char* id, const TaskSpec& t, const std::vector<int>& input, const std::vector<int>& prediction,
                      const std::vector<int>& answer) {
  ImGui::PushID(id);
  const float fh = ImGui::GetFontSize();
  const bool s2s = is_seq2seq(t.kind);
  const float avail = ImGui::GetContentRegionAvail().x;
  const bool narrow = avail < fh * 24;
  const char* labels[3] = {_("input"), narrow ? _("model") : s2s ? _("model's output") : _("model's next token"),
                           narrow ? _("answer") : s2s ? _("right answer") : _("right next token")};
  float label_w = 0;
  for (const char* l : labels) label_w = std::max(label_w, ImGui::CalcTextSize(l).x);
  label_w += fh * 0.8f;
  const std::vector<uint8_t> scored = task_scored(t, input);
  const int n = int(std::max({input.size(), prediction.size(), answer.size()}));
  const float cell = ImGui::CalcTextSize(std::to_string(std::max(1, t.vocab - 1)).c_str()).x + fh * 0.6f;
  const int per_block = std::max(1, int((avail - label_w) / cell));
  int right = 0, total = 0;
  for (int i = 0; i < n; ++i)
    if (i < int(scored.size()) && scored[size_t(i)]) {
      ++total;
      right += i < int(prediction.size()) && prediction[size_t(i)] == answer[size_t(i)];
    }
  const ImVec4 ok(0.0f, 0.55f, 0.3f, 1), bad(0.85f, 0.1f, 0.1f, 1), faint = ImGui::GetStyle().Colors[ImGuiCol_TextDisabled];
  const std::string untrained = untrained_length_note(t, input.size());
  if (!untrained.empty()) {  // shown, not refused: trying other lengths is a lesson too, but never a silent one
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.8f, 0.45f, 0, 1));
    ImGui::PushTextWrapPos(0);
    ImGui::Text(_("Warning: %s."), untrained.c_str());
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
  }
  const std::string summary = printf_text(_("%d of %d right"), right, total);
  const float summary_w = ImGui::CalcTextSize(summary.c_str()).x + fh * 0.6f;
  bool summary_done = false;
  for (int b0 = 0; b0 < n; b0 += per_block) {
    const int b1 = std::min(n, b0 + per_block);
    if (b0 > 0) ImGui::Spacing();
    for (int row = 0; row < 3; ++row) {
      const float x0 = ImGui::GetCursorPosX();
      ImGui::TextUnformatted(labels[row]);
      const std::vector<int>& seq = row == 0 ? input : row == 1 ? prediction : answer;
      for (int i = b0; i < b1; ++i) {
        ImGui::SameLine(x0 + label_w + cell * float(i - b0));
        const bool sc = i < int(scored.size()) && scored[size_t(i)];
        if (i >= int(seq.size())) {
          ImGui::TextDisabled("·");
        } else if (seq[size_t(i)] < 0) {
          ImGui::TextColored(bad, "?");
        } else if (row == 0) {
          ImGui::Text("%d", seq[size_t(i)]);
        } else if (!sc) {
          ImGui::TextColored(faint, "%d", seq[size_t(i)]);
        } else if (row == 1) {
          const bool good = i < int(answer.size()) && seq[size_t(i)] == answer[size_t(i)];
          ImGui::TextColored(good ? ok : bad, "%d", seq[size_t(i)]);
        } else {
          ImGui::Text("%d", seq[size_t(i)]);
        }
      }
      // "k of n right" after the last block's model row when it fits there, else on a line of its own.
      const float end_x = x0 + label_w + cell * float(b1 - b0);
      if (row == 1 && b1 == n && total > 0 && end_x + summary_w <= x0 + avail) {
        ImGui::SameLine(end_x + fh * 0.4f);
        ImGui::TextColored(right == total ? ok : bad, "%s", summary.c_str());
        summary_done = true;
      }
    }
  }
  if (!summary_done && total > 0) ImGui::TextColored(right == total ? ok : bad, "%s", summary.c_str());
  if (!s2s) {
    ImGui::PushStyleColor(ImGuiCol_Text, faint);
    ImGui::PushTextWrapPos(0);
    ImGui::TextUnformatted(t.kind == TaskKind::Induction
                               ? _("Grey: positions the task does not score (before the repeat the next token cannot be known).")
                               : _("Grey: the first position has no previous token."));

    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
  }
  ImGui::PopID();
}

}  // namespace attn
