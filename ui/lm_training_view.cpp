// lm_training_view.cpp: the Training tab's language-model mode. The same pipeline as `attention-lab train-lm` on
// WordNet's glosses, at classroom size: the form, Start / Pause / Reset, the training and held-out loss falling, and
// every head's scores (the Head gallery's) on held-out text, re-measured at each evaluation so the heads can be seen
// forming. The job runs on a worker (lm_training_job.h); this panel only reads its snapshot.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "i18n.h"
#include "corpus.h"
#include "explorer.h"
#include "format.h"
#include "plot.h"

namespace attn {
namespace {

const ImVec4 kHeading(0.25f, 0.45f, 0.75f, 1), kError(0.8f, 0.1f, 0.1f, 1);

void start(UiState& ui) {
  retire_job(ui.lm_training, ui.retired_lm_training);
  ui.lm_view = LmTrainingSnapshot();
  ui.lm_training = std::make_shared<LmTrainingJob>(ui.lm_train, kWordnetDir);
  ui.lm_training->set_hub(ui.jobs);
}

void draw_form(UiState& ui) {
  const float fh = ImGui::GetFontSize(), field = fh * 7.5f;
  LmConfig& c = ui.lm_train;
  LmTrainingJob* job = ui.lm_training.get();
  const LmTrainingSnapshot& s = ui.lm_view;
  const bool active = job && !s.finished && s.error.empty();
  ImGui::PushTextWrapPos(0);
  ImGui::TextDisabled("%s", _("A GPT-2-shaped language model on WordNet's glosses, trained as `attention-lab train-lm` trains "
                              "the shipped wordnet-lm, at classroom size."));
  ImGui::PopTextWrapPos();
  ImGui::BeginDisabled(active);
  ImGui::TextColored(kHeading, "%s", _("Model"));
  ImGui::Separator();
  ImGui::SetNextItemWidth(field);
  ImGui::SliderInt(_("layers"), &c.layers, 1, 4);
  static constexpr int kDModels[] = {32, 64, 128, 192};
  ImGui::SetNextItemWidth(field);
  if (combo_int("d_model", &c.d_model, kDModels, int(std::size(kDModels)))) c.d_ff = 4 * c.d_model;
  static constexpr int kHeads[] = {1, 2, 4, 8};
  ImGui::SetNextItemWidth(field);
  combo_int(_("heads"), &c.heads, kHeads, int(std::size(kHeads)));
  static constexpr int kContexts[] = {16, 32, 64, 128};
  ImGui::SetNextItemWidth(field);
  combo_int(_("context"), &c.context, kContexts, int(std::size(kContexts)));
  explain(ui, _("Tokens per training window: the positions the model learns (its n_positions)."));
  static constexpr int kVocabs[] = {512, 1024, 2048, 4096};
  ImGui::SetNextItemWidth(field);
  combo_int(_("vocabulary"), &c.vocab, kVocabs, int(std::size(kVocabs)));
  explain(ui, _("Tokens of the byte-level BPE trained on the corpus first (any text stays covered: bytes are tokens)."));
  ImGui::TextColored(kHeading, "%s", _("Optimiser (AdamW)"));
  ImGui::Separator();
  ImGui::SetNextItemWidth(field);
  ImGui::SliderInt(_("steps"), &c.steps, 50, 20000, "%d", ImGuiSliderFlags_Logarithmic);
  ImGui::SetNextItemWidth(field);
  ImGui::SliderInt(_("batch"), &c.batch, 4, 128, "%d", ImGuiSliderFlags_Logarithmic);
  explain(ui, _("Windows of `context` tokens per step, cut at random places of the corpus."));
  ImGui::SetNextItemWidth(field);
  if (ImGui::SliderFloat(_("learning rate"), &c.lr, 1e-4f, 1e-2f, "%.4f", ImGuiSliderFlags_Logarithmic))
    c.min_lr = c.lr / 10;
  explain(ui, _("The peak, after a linear warm-up; then a cosine decay to a tenth of it at the last step."));
  c.warmup = std::min(c.warmup, c.steps);
  ImGui::EndDisabled();

  const std::string err = validate(c);
  if (!err.empty()) {
    ImGui::PushTextWrapPos(0);
    ImGui::TextColored(kError, "%s.", err.c_str());
    ImGui::PopTextWrapPos();
  }
  ImGui::BeginDisabled(!err.empty() || active);
  if (ImGui::Button(_("Start"))) start(ui);
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::BeginDisabled(!active || s.status != "training");
  if (ImGui::Button(s.paused ? _("Resume") : _("Pause"))) job->set_paused(!s.paused);
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::BeginDisabled(!job);
  if (ImGui::Button(_("Reset"))) {
    retire_job(ui.lm_training, ui.retired_lm_training);
    ui.lm_view = LmTrainingSnapshot();
    job = nullptr;
  }
  ImGui::EndDisabled();
  if (!job) return;
  const float frac = s.total > 0 ? float(s.step) / float(s.total) : 0;
  ImGui::ProgressBar(frac, ImVec2(-1, 0), printf_text(_("%d / %d steps"), s.step, s.total).c_str());
  if (!s.error.empty()) {
    ImGui::PushTextWrapPos(0);
    ImGui::TextColored(kError, "%s.", s.error.c_str());
    ImGui::PopTextWrapPos();
  } else {
    ImGui::TextDisabled("%s", _(s.status.c_str()));
    if (s.vocab > 0)
      ImGui::TextDisabled(_("%s training tokens, %s held out"), std::to_string(s.train_tokens).c_str(),
                          std::to_string(s.held_out_tokens).c_str());
    if (s.step > 0) ImGui::TextDisabled(_("%s tokens/s"), fmt_fixed(s.tokens_per_second, 0).c_str());
  }
  ImGui::BeginDisabled(!s.model || (active && !s.paused));
  if (ImGui::Button(_("Use in explorer"))) ui.use_checkpoint = s.model;
  ImGui::EndDisabled();
  explain(ui, _("Run these weights through every tab (paused or finished). It is added to the Weights selector."));
}

void draw_results(UiState& ui, ImVec2 size) {
  const LmTrainingSnapshot& s = ui.lm_view;
  const float fh = ImGui::GetFontSize();
  if (!ui.lm_training) {
    ImGui::PushTextWrapPos(0);
    ImGui::TextUnformatted(_("Press Start: WordNet's glosses are read and a byte-level BPE tokenizer is trained on them, then "
                             "the model trains on a background thread. The loss falls below, and every head's scores on "
                             "held-out text are measured again at each evaluation: watch a previous-token head appear."));
    ImGui::PopTextWrapPos();
    return;
  }
  PlotSpec p;
  p.title = _("loss (cross-entropy per token, nats)");
  p.x_label = _("step");
  p.x_min = 0, p.x_max = std::max(1, s.total);
  PlotSeries train;
  train.label = _("training batches");
  train.color = palette(0);
  const size_t per = std::max<size_t>(1, s.loss.size() / 300 + 1);  // buckets: at most ~300 points
  for (size_t b = 0; b < s.loss.size(); b += per) {
    const size_t e = std::min(s.loss.size(), b + per);
    double x = 0, y = 0;
    for (size_t i = b; i < e; ++i) x += s.steps[i], y += s.loss[i];
    train.x.push_back(x / double(e - b));
    train.y.push_back(y / double(e - b));
  }
  PlotSeries held;
  held.label = _("held-out");
  held.color = palette(1);
  held.markers = true;
  held.x = s.eval_steps, held.y = s.eval_loss;
  p.series = {train, held};
  if (s.vocab > 0) {
    const double chance = std::log(double(s.vocab));
    p.markers.push_back({chance, false, printf_text(_("guessing: ln %d"), s.vocab), IM_COL32(120, 120, 120, 230)});
    p.y_min = 0, p.y_max = chance * 1.1;
  }
  const float plot_h = std::max(fh * 10, size.y * 0.45f);
  draw_plot("lm_loss", p, ImVec2(size.x, plot_h));
  explain(ui, _("Mean cross-entropy of the next token: ln V is guessing uniformly among the V tokens; the held-out points "
                "are text the model never trains on (every 20th block of 100 glosses)."));

  const HeadReport& h = s.heads;
  if (h.mean.all.empty()) return;
  ImGui::Spacing();
  ImGui::Text(_("Every head on %d held-out windows (%ld tokens), weights of step %d"), h.windows, h.tokens, s.heads_step);
  explain(ui, _("The Head gallery's scores: the mean weight each query puts on the previous token, on the first token, "
                "on itself, and the entropy of its row ÷ ln(keys) (1: uniform). Uniform attention over 32 tokens would "
                "put about 0.06 on the previous token."));
  if (ImGui::BeginTable("lm_heads", 5, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchSame)) {
    for (const char* col : {_("head"), _("previous-token"), _("first-token"), _("diagonal"), _("entropy")}) ImGui::TableSetupColumn(col);
    ImGui::TableHeadersRow();
    const int best = rank_heads(h.mean, HeadScoreKind::Previous)[0];
    for (size_t i = 0; i < h.mean.all.size(); ++i) {
      const HeadScore& sc = h.mean.all[i];
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::Text("L%d H%d%s", sc.layer, sc.head, int(i) == best ? _("  (best previous)") : "");

      for (double v : {sc.prev, sc.first, sc.diag, sc.entropy_norm}) {
        ImGui::TableNextColumn();
        const bool ok = std::isfinite(v);
        ImGui::ProgressBar(ok ? float(v) : 0.0f, ImVec2(-1, 0), ok ? fmt_fixed(v, 2).c_str() : "–");
      }
    }
    ImGui::EndTable();
  }
}

}  // namespace

void draw_lm_training(UiState& ui) {
  reap_jobs(ui.retired_lm_training);
  if (ui.lm_training) ui.lm_training->latest(&ui.lm_view);
  const float fh = ImGui::GetFontSize();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float form_w = std::clamp(avail.x * 0.25f, fh * 15, fh * 19);
  if (ImGui::BeginChild("lm_form", ImVec2(form_w, 0), false)) draw_form(ui);
  ImGui::EndChild();
  ImGui::SameLine();
  if (ImGui::BeginChild("lm_results", ImVec2(0, 0), false)) draw_results(ui, ImGui::GetContentRegionAvail());
  ImGui::EndChild();
}

}  // namespace attn
