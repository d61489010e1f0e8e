// controls.cpp: the left panel: sentence, presets, model and attention settings, display options.
#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <cmath>

#include "explorer.h"
#include "format.h"
#include "i18n.h"
#include "view_settings.h"
#include "utf8.h"
#include "text_flow.h"

namespace attn {
namespace {

constexpr const char* kPresets[] = {
    "The animal didn't cross the street because it was too tired",
    "The animal didn't cross the street because it was too wide",
    "Cats like to sleep",
    "机器学习很有趣",
    "注意力机制让模型关注最重要的词",
    "The cat sat on the mat and the dog sat on the log",
    "I arrived at the bank after crossing the river",
};

}  // namespace

std::string preset_text() {
  std::string all;
  for (const char* p : kPresets) all += p;
  for (const Language& l : languages()) all += l.name;  // the language combo names each language in itself
  return all;
}

bool combo_int(const char* label, int* v, const int* options, int count) {
  bool changed = false;
  const std::string cur = std::to_string(*v);
  if (ImGui::BeginCombo(label, cur.c_str())) {
    for (int i = 0; i < count; ++i) {
      const bool sel = options[i] == *v;
      if (ImGui::Selectable(std::to_string(options[i]).c_str(), sel)) { *v = options[i]; changed = true; }
    }
    ImGui::EndCombo();
  }
  return changed;
}

namespace {

void section(const char* title) {
  ImGui::Spacing();
  ImGui::TextColored(ImVec4(0.25f, 0.45f, 0.75f, 1), "%s", title);
  ImGui::Separator();
}

}  // namespace

bool draw_controls(const Views& v, Document& doc, UiState& ui) {
  bool edited = false;
  Settings& s = doc.settings;
  const float fh = ImGui::GetFontSize();
  ImGui::TextColored(ImVec4(0.15f, 0.3f, 0.6f, 1), "Attention Lab");
  text_after(_("— Attention Is All You Need, live"));

  // Weights: random (from the seed below) or a trained model. A trained model fixes the shapes and reads only its
  // task's symbols.
  const TrainedModel* tm = v.selected;
  const Model* ck = v.checkpoint;
  section(_("Weights"));
  {
    const std::string cur = tm   ? tm->name
                            : ck ? ck->name
                            : doc.model.empty() ? _("random weights")
                                                : printf_text(_("%s (not loaded)"), doc.model.c_str());
    ImGui::SetNextItemWidth(-1);
    if (ImGui::BeginCombo("##model", cur.c_str())) {
      if (ImGui::Selectable(_("random weights"), doc.model.empty())) {
        select_model(doc, ui, nullptr);
        edited = true;
      }
      if (ImGui::IsItemHovered()) ui.explain = _("Untrained weights drawn from the seed: attention patterns are arbitrary.");
      if (v.models) {
        for (size_t i = 0; i < v.models->size(); ++i) {
          const ModelEntry& e = (*v.models)[i];
          if (e.checkpoint) {
            ImGui::PushID(int(i));
            if (ImGui::Selectable(e.checkpoint->name.c_str(), doc.model == e.checkpoint->name)) {
              select_checkpoint(doc, ui, *e.checkpoint);
              edited = true;
            }
            if (ImGui::IsItemHovered()) {
              ImGui::BeginTooltip();
              ImGui::Text("%s", model_summary(*e.checkpoint).c_str());
              ImGui::TextDisabled("%s", e.source.c_str());
              ImGui::EndTooltip();
            }
            ImGui::PopID();
            continue;
          }
          const TrainedModel& m = *e.model;
          ImGui::PushID(int(i));
          if (ImGui::Selectable(m.name.c_str(), doc.model == m.name)) {
            select_model(doc, ui, &m);
            edited = true;
          }
          if (ImGui::IsItemHovered()) {
            ImGui::BeginTooltip();
            ImGui::Text(_("%s, length %d, %d symbols · d_model %d, %d heads, %d layers"), to_string(m.config.task.kind),
                        m.config.task.length, m.config.task.vocab, m.config.d_model, m.config.heads, m.config.layers);
            ImGui::Text(_("%d steps · held-out: %s%% of sequences right"), m.steps, fmt_fixed(100 * m.held_out.seq_acc, 0).c_str());
            ImGui::TextDisabled("%s", (*v.models)[i].source.c_str());
            ImGui::EndTooltip();
          }
          ImGui::PopID();
        }
      }
      if (v.offered)
        for (size_t i = 0; i < v.offered->size(); ++i) {
          const OfferedModel& o = (*v.offered)[i];
          bool open = false;
          if (v.models)
            for (const ModelEntry& e : *v.models) open |= e.checkpoint && e.checkpoint->name == o.name;
          if (open) continue;
          ImGui::PushID(int(1000 + i));
          if (ImGui::Selectable(printf_text(_("%s  (Hugging Face cache: open)"), o.name.c_str()).c_str(), false))
            ui.open_model_request = o.folder;
          if (ImGui::IsItemHovered())
            ui.explain = printf_text(_("Read from %s when chosen (a few seconds for gpt2)."), o.folder.c_str());
          ImGui::PopID();
        }
      ImGui::EndCombo();
    }
    explain(ui, _("Random weights, a model trained on a toy task (shipped with the app or trained in the Training tab), or a "
                  "pretrained GPT-2-family checkpoint: its attention shows what it learned."));
    if (ImGui::TreeNode(stable_label(_("Open or download a GPT-2 model…"), "open_model").c_str())) {
      ui.download_event = draw_download_panel(ui.download);
      if (!ui.download_event.open_path.empty()) ui.open_model_request = ui.download_event.open_path;
      if (!ui.download_event.finished_folder.empty()) ui.open_model_request = ui.download_event.finished_folder;
      ImGui::TextDisabled("%s", _("Or drop a model folder on the window."));
      ImGui::TreePop();
    }
    explain(ui, _("A Hugging Face GPT-2-family folder (config.json, model.safetensors, vocab.json + merges.txt or "
                  "tokenizer.json), or a model id to download (checked against the hub's SHA-256). You can also drop a "
                  "folder on the window."));
    if (!ui.open_model_status.empty()) {
      ImGui::PushTextWrapPos(0);
      ImGui::TextColored(ImVec4(0.8f, 0.45f, 0, 1), "%s", ui.open_model_status.c_str());
      ImGui::PopTextWrapPos();
    }
    if (ck) {
      ImGui::PushTextWrapPos(0);
      ImGui::TextDisabled("%s", model_summary(*ck).c_str());
      ImGui::PopTextWrapPos();
    } else if (tm) {
      ImGui::TextDisabled(_("%s · %d steps · held-out %s%% right"), to_string(tm->config.task.kind), tm->steps,
                          fmt_fixed(100 * tm->held_out.seq_acc, 0).c_str());
    } else if (!doc.model.empty()) {
      ImGui::TextColored(ImVec4(0.8f, 0.45f, 0, 1), _("\"%s\" is not loaded: choose another model"), doc.model.c_str());
    }
  }

  section(tm ? _("Input") : _("Sentence"));
  ImGui::SetNextItemWidth(-1);
  // Each keystroke recomputes: no button. The trace is rebuilt once before the next frame.
  if (ImGui::InputTextMultiline("##text", &doc.text, ImVec2(-1, fh * 3.2f)))
    doc.text = valid_utf8(doc.text), edited = true;  // typed or pasted bytes: valid UTF-8 before anything reads them
  explain(ui, _("Type or paste a sentence: every view updates as you type. Latin words and punctuation are tokens; each Chinese character is one token."));
  if (tm) {
    // The task's inputs: a few generated examples as buttons, then the prediction beside the right answer.
    const float right_edge = ImGui::GetCursorPosX() + ImGui::GetContentRegionAvail().x;
    std::vector<std::string> examples = task_examples(tm->config.task, 4, uint64_t(ui.example_seed));
    examples.push_back(_("more…"));
    for (size_t i = 0; i < examples.size(); ++i) {
      const float w = button_width(examples[i].c_str());
      if (i > 0) {
        ImGui::SameLine();
        if (ImGui::GetCursorPosX() + w > right_edge) ImGui::NewLine();
      }
      ImGui::PushID(int(i));
      if (ImGui::SmallButton(examples[i].c_str())) {
        if (i + 1 == examples.size()) ++ui.example_seed;  // "more…": other examples
        else doc.text = examples[i], edited = true;
      }
      ImGui::PopID();
    }
    explain(ui, _("Inputs of the task the model was trained on; or type your own (the numbers 0 … V−1)."));
    std::vector<int> ids;
    const std::string perr = parse_task_input(tm->config.task, doc.text, &ids);
    if (!perr.empty()) {
      ImGui::PushTextWrapPos(0);
      ImGui::TextColored(ImVec4(0.8f, 0.45f, 0, 1), "%s", perr.c_str());
      ImGui::PopTextWrapPos();
    } else if (v.trace && v.error.empty()) {
      prediction_table("explorer_pred", tm->config.task, ids, trace_prediction(*v.trace, *tm), task_answer(tm->config.task, ids));
    }
  } else {
    ImGui::SetNextItemWidth(-1);
    if (ImGui::BeginCombo("##presets", _("Presets…"))) {
      for (const char* p : kPresets)
        if (ImGui::Selectable(p)) { doc.text = p; edited = true; }
      ImGui::EndCombo();
    }
  }
  if (v.trace) {
    const Trace& t = *v.trace;
    ImGui::TextDisabled(t.n() > t.n_real ? _("%d tokens + padding") : _("%d tokens"), t.n_real);
    if (t.truncated) {
      ImGui::SameLine();
      ImGui::TextColored(ImVec4(0.8f, 0.45f, 0, 1), _("truncated to %d"), s.max_tokens);
    }
    if (t.invalid_utf8 > 0) ImGui::TextColored(ImVec4(0.8f, 0.45f, 0, 1), _("%d invalid UTF-8 sequence(s) shown as U+FFFD"), t.invalid_utf8);
    if (ck) draw_predictions(t, ui);
  }
  ImGui::SetNextItemWidth(fh * 6);
  edited |= setting_slider(setting("max_tokens"), s, ui, _("max tokens"), 4, 4096, true);

  section(_("Attention"));
  edited |= ImGui::Checkbox(_("scale by 1/√d_k"), &s.scale);
  help_marker(ui, _("Scaled dot-product attention divides Q·Kᵀ by √d_k. Without it, scores grow like √d_k, softmax saturates towards one-hot and its gradients vanish. Toggle it and watch the weights sharpen."));
  ImGui::SetNextItemWidth(fh * 8);
  edited |= setting_slider(setting("temperature"), s, ui, _("temperature τ"), 0.05, 20, true, "%.3g");
  help_marker(ui, _("softmax(scores / (√d_k·τ)): τ < 1 sharpens the distribution, τ > 1 flattens it. τ must be > 0."));
  edited |= ImGui::Checkbox(_("hard attention (argmax)"), &s.hard);
  help_marker(ui, _("Soft attention mixes every value with weights that sum to 1 (differentiable). Hard attention picks only the key with the largest score (one-hot, the first on ties): not differentiable, trained with sampling/RL."));
  ImGui::SetNextItemWidth(fh * 8);
  ImGui::BeginDisabled(tm != nullptr);  // the task fixes it: causal for decoder-only models, none for seq2seq
  Settings applied = s;                 // a trained model: show the mask its trace applies
  if (tm && v.trace) applied.mask = v.trace->settings.mask;
  edited |= setting_slider(setting("mask"), tm ? applied : s, ui, _("mask"));
  ImGui::EndDisabled();
  if (tm && ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ui.explain = _("Fixed by the trained model, which was trained with this mask. Random weights free it.");
  help_marker(ui, _("Causal: query i may only look at keys j ≤ i (the decoder must not see the future). Padding: <pad> keys of the shorter sentence in a batch are blocked. Custom: paint your own on the Masks tab."));
  int mv = int(s.mask_value);
  ImGui::TextUnformatted(_("mask value"));
  ImGui::SameLine();
  if (ImGui::RadioButton("-1e9", &mv, 0)) { s.mask_value = MaskValue::NegBillion; edited = true; }
  ImGui::SameLine();
  if (ImGui::RadioButton("-inf", &mv, 1)) { s.mask_value = MaskValue::NegInf; edited = true; }
  help_marker(ui, _("What a blocked cell holds before softmax. exp(-1e9) and exp(-inf) are both exactly 0 in float; the difference shows on a fully blocked row, which this app defines as all-zero weights (never NaN)."));

  if (tm || ck) {  // trained with scaling on, τ = 1, soft attention and every head: anything else is an intervention
    std::vector<std::string> parts;
    if (ck && s.mask != MaskKind::Causal) parts.push_back(printf_text(_("mask %s instead of causal"), _(to_string(s.mask))));
    if (!s.scale) parts.push_back(_("no 1/√d_k scaling"));
    if (s.temperature != 1.0f) parts.push_back("τ = " + fmt_fixed(s.temperature, 2));
    if (s.hard) parts.push_back(_("hard attention"));
    if (std::count(s.head_enabled.begin(), s.head_enabled.end(), 0) > 0) parts.push_back(_("heads switched off"));
    std::string changed;
    for (const std::string& p : parts) changed += (changed.empty() ? "" : _(", ")) + p;
    if (!changed.empty()) {
      ImGui::PushTextWrapPos(0);
      ImGui::TextColored(ImVec4(0.8f, 0.45f, 0, 1), "%s",
                         printf_text(ck ? _("Intervention on the trained model: %s. It was trained without this, so its "
                                            "predictions (under the sentence) change.")
                                        : _("Intervention on the trained model: %s. It was trained without this, so its "
                                            "answers may change."),
                                     changed.c_str()).c_str());
      ImGui::PopTextWrapPos();
    }
  }

  section(_("Model"));
  if (tm || ck) {
    ImGui::PushTextWrapPos(0);
    ImGui::TextDisabled("%s", ck ? _("Fixed by the pretrained model (choose random weights to change them).")
                                 : _("Fixed by the trained model (choose random weights to change them)."));
    ImGui::PopTextWrapPos();
  }
  ImGui::BeginDisabled(tm != nullptr || ck != nullptr);
  static constexpr int kDModels[] = {8, 16, 32, 64, 96, 128, 256, 512, 768};
  ImGui::SetNextItemWidth(fh * 6);
  if (combo_int("d_model", &s.d_model, kDModels, int(std::size(kDModels)))) {
    if (s.d_model % s.heads != 0) s.heads = 1;
    edited = true;
  }
  explain(ui, _("Width of every token vector. The paper's base model uses 512."));
  // Only the divisors of d_model are offered: d_k = d_model / h must be whole.
  int divisors[64], nd = 0;
  for (int h = 1; h <= std::min(s.d_model, 64) && nd < 64; ++h)
    if (s.d_model % h == 0) divisors[nd++] = h;
  ImGui::SetNextItemWidth(fh * 6);
  edited |= combo_int(_("heads h"), &s.heads, divisors, nd);
  explain(ui, _("Number of attention heads. Each head gets d_k = d_model / h columns of Q, K and V; only divisors of d_model are offered."));
  ImGui::SameLine();
  ImGui::TextDisabled("d_k = %d", s.d_k());
  ImGui::SetNextItemWidth(fh * 6);
  edited |= setting_slider(setting("layers"), s, ui, _("layers N"), 0, 12);
  static constexpr int kDff[] = {16, 32, 64, 128, 256, 512, 1024, 2048, 3072};
  ImGui::SetNextItemWidth(fh * 6);
  edited |= combo_int("d_ff", &s.d_ff, kDff, int(std::size(kDff)));
  explain(ui, _("Hidden width of the position-wise feed-forward network FFN(x) = max(0, x·W1 + b1)·W2 + b2 (the paper: 2048 = 4·d_model)."));
  ImGui::SetNextItemWidth(fh * 6);
  edited |= setting_slider(setting("seed"), s, ui, _("seed"));  // a whole number ≥ 0: "-1" cannot be typed

  ImGui::SetNextItemWidth(fh * 8);
  edited |= setting_slider(setting("pe"), s, ui, _("positional enc."));
  int norm = int(s.norm);
  ImGui::TextUnformatted(_("Add & Norm"));
  ImGui::SameLine();
  if (ImGui::RadioButton(_("post"), &norm, 0)) { s.norm = NormPlacement::Post; edited = true; }
  ImGui::SameLine();
  if (ImGui::RadioButton(_("pre"), &norm, 1)) { s.norm = NormPlacement::Pre; edited = true; }
  help_marker(ui, _("Post-norm (the paper): LayerNorm(x + Sublayer(x)). Pre-norm (most modern models): x + Sublayer(LayerNorm(x))."));
  ImGui::EndDisabled();

  section(_("Selection"));
  if (v.trace) {
    const Trace& t = *v.trace;
    if (!t.layers.empty()) {
      ImGui::SetNextItemWidth(fh * 8);
      setting_slider(view_setting("layer"), ui, _("layer"), 0, double(t.layers.size()) - 1);
      ImGui::SetNextItemWidth(fh * 8);
      setting_slider(view_setting("head"), ui, _("head"), 0, double(t.layers[0].attn.heads.size()) - 1);
    } else {
      ImGui::TextDisabled("%s", _("0 layers: nothing to attend with"));
    }
    if (ui.pinned_q >= 0 && ui.pinned_q < t.n() && ui.pinned_k < t.n()) {
      ImGui::Text(_("pinned: query \"%s\" → key \"%s\""), t.tokens[size_t(ui.pinned_q)].c_str(),
                  t.tokens[size_t(ui.pinned_k)].c_str());
      if (ImGui::SmallButton(_("unpin"))) ui.pinned_q = ui.pinned_k = -1;
    }
  }

  section(_("Display"));
  auto cmap_combo = [&](const char* label, Colormap* c, bool diverging) {
    if (ImGui::BeginCombo(label, colormap_name(*c))) {
      for (int i = 0; i < kColormapCount; ++i)
        if (colormap_diverging(Colormap(i)) == diverging && ImGui::Selectable(colormap_name(Colormap(i)), *c == Colormap(i)))
          *c = Colormap(i);
      ImGui::EndCombo();
    }
  };
  ImGui::SetNextItemWidth(fh * 9);
  cmap_combo(_("weights"), &ui.weights_cmap, false);
  explain(ui, _("Perceptually uniform, colour-blind-safe maps for weights in [0, 1]."));
  ImGui::SetNextItemWidth(fh * 9);
  cmap_combo(_("scores"), &ui.scores_cmap, true);
  explain(ui, _("Diverging maps for signed scores: white is exactly 0."));
  ImGui::SetNextItemWidth(fh * 6);
  setting_slider(view_setting("ui_scale"), ui, _("UI scale"), NAN, NAN, false, "%.2f");
  if (ImGui::IsItemDeactivatedAfterEdit()) ui.ui_scale_changed = true;  // rebuild the font once, on release
  // Each language named in itself, so that a learner who cannot read the current one finds theirs.
  const std::string cur_lang = language();
  const char* cur_name = "English";
  for (const Language& l : languages())
    if (cur_lang == l.code) cur_name = l.name;
  ImGui::SetNextItemWidth(fh * 9);
  if (ImGui::BeginCombo(stable_label(_("language"), "language").c_str(), cur_name)) {
    for (const Language& l : languages())
      if (ImGui::Selectable(l.name, cur_lang == l.code)) apply_language(ui, l.code);
    if (ImGui::Selectable(_("as the system (LANGUAGE, LANG)"), ui.language.empty())) apply_language(ui, "");
    ImGui::EndCombo();
  }
  explain(ui, _("The language of every label, explanation and message; remembered for the next start."));
  setting_slider(view_setting("presenter"), ui, _("presenter mode (F5)"));
  ImGui::SetNextItemWidth(fh * 6);
  setting_slider(view_setting("presenter_scale"), ui, _("projector scale"), NAN, NAN, false, "%.2f");  // typed: clamped

  section(_("Session and export"));
  ImGui::TextDisabled(_("folder: %s"), ui.io_dir.c_str());
  ImGui::SetNextItemWidth(fh * 10);
  ImGui::InputText(stable_label(_("session file"), "session_file").c_str(), &ui.session_name);
  explain(ui, _("A session holds the sentences, every setting, the custom mask and what you are looking at (versioned JSON)."));
  if (ImGui::Button(_("Save session"))) ui.request = FileRequest::SaveSession;
  ImGui::SameLine();
  if (ImGui::Button(_("Load session"))) ui.request = FileRequest::LoadSession;
  if (ImGui::Button("PNG")) ui.request = FileRequest::ExportPng;
  explain(ui, _("The selected head's softmax weights as a labelled heatmap PNG."));
  ImGui::SameLine();
  if (ImGui::Button("CSV")) ui.request = FileRequest::ExportCsv;
  explain(ui, _("The selected head's weights as numbers (CSV, tokens as headers)."));
  ImGui::SameLine();
  if (ImGui::Button("trace.json")) ui.request = FileRequest::ExportTrace;
  explain(ui, _("Every weight and intermediate tensor, the same file as `attention-lab export`."));

  return edited;
}

}  // namespace attn
