// training_view.cpp: the Training tab. Train a small Transformer on a toy task and watch it learn: the settings
// form, Start / Pause / Reset with progress, live loss and accuracy curves, and the attention of one example
// changing as the weights do. The training runs on a worker thread (training_job.h); this panel only reads the
// job's latest snapshot, copied into UiState once per frame.
//
//  Sections: curves, heatmap grid, the form, the example, draw_training_view.
#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <string>

#include "i18n.h"
#include "explorer.h"
#include "format.h"
#include "heatmap.h"
#include "plot.h"
#include "text_flow.h"

namespace attn {
namespace {

// ---- Curves. Per-step points are averaged in buckets: at most ~300 points drawn, the noise of single batches
// smoothed away.
void bucketed(const std::vector<double>& x, const std::vector<double>& y, size_t max_points, std::vector<double>* bx,
              std::vector<double>* by) {
  const size_t n = std::min(x.size(), y.size());
  const size_t per = std::max<size_t>(1, (n + max_points - 1) / max_points);
  for (size_t b = 0; b < n; b += per) {
    const size_t e = std::min(n, b + per);
    double sx = 0, sy = 0;
    for (size_t i = b; i < e; ++i) sx += x[i], sy += y[i];
    bx->push_back(sx / double(e - b));
    by->push_back(sy / double(e - b));
  }
}

// Returns the height used (more than size.y when the accuracy legend wraps).
float draw_curves(const TrainingSnapshot& s, const TrainConfig& c, UiState& ui, ImVec2 size) {
  const float fh = ImGui::GetFontSize();
  PanelGrid grid(size.x, 2, fh * 16);  // loss beside accuracy, or above it on a narrow view
  const float w = grid.w;
  // The accuracy plot's title and legend wrap onto extra lines above it when narrow.
  const char* kAccTitle = _("accuracy");
  const char* kTok = _("symbols right, batches");
  const char* kHeld = _("sequences right, held-out");
  const float indent = ImGui::CalcTextSize("0.5").x + 8;  // where draw_plot puts a title: after the y tick labels
  auto header_items = [&](const std::function<void(size_t, float, float)>& at) {
    float x = indent, y = 0;
    const char* texts[3] = {kAccTitle, kTok, kHeld};
    for (size_t i = 0; i < 3; ++i) {
      const float iw = (i ? fh * 1.3f : 0) + ImGui::CalcTextSize(texts[i]).x;
      if (i > 0 && x + iw > w) x = indent + iw > w ? 0 : indent, y += fh + 2;  // a long item starts at the edge
      if (at) at(i, x, y);
      x += iw + fh;
    }
    return y + fh + 2;
  };
  const float header_h = header_items({});
  size.y += std::max(0.0f, header_h - 2 * (fh + 2));  // a second line comes out of the plot, a third is added
  const double total = std::max(1, s.total > 0 ? s.total : c.steps);
  PlotSpec loss;
  loss.title = _("loss (cross-entropy per symbol)");
  loss.x_label = _("step");
  loss.log_y = true;
  loss.x_min = 0, loss.x_max = total;
  PlotSeries l;
  l.label = _("training batches");
  l.color = palette(0);
  bucketed(s.steps, s.loss, 300, &l.x, &l.y);
  loss.series.push_back(std::move(l));
  // Guessing uniformly among V symbols costs ln V per symbol: where training starts.
  const double chance = std::log(double(std::max(2, c.task.vocab)));
  loss.markers.push_back({chance, false, printf_text(_("guessing: ln %d"), c.task.vocab), IM_COL32(120, 120, 120, 230)});
  loss.y_max = std::max(chance, s.loss.empty() ? 0.0 : *std::max_element(s.loss.begin(), s.loss.end())) * 3;
  if (s.loss.empty()) loss.y_min = 1e-3;
  loss.legend = false;
  draw_plot("loss", loss, ImVec2(w, size.y));
  explain(ui, _("Mean cross-entropy of each batch (averaged over a few steps). It starts near ln V, guessing, and falls as the "
                "model learns; log scale."));
  grid.next();
  PlotSpec acc;
  acc.title = kAccTitle;
  acc.x_label = _("step");
  acc.x_min = 0, acc.x_max = total;
  acc.y_min = 0, acc.y_max = 1.05;
  acc.value_format = "%.3g";
  PlotSeries tok;
  tok.label = kTok;
  tok.color = palette(0);
  tok.thickness = 1.5f;
  bucketed(s.steps, s.token_acc, 300, &tok.x, &tok.y);
  PlotSeries held;
  held.label = kHeld;
  held.color = palette(1);
  held.markers = s.eval_steps.size() < 40;
  held.x = s.eval_steps, held.y = s.eval_seq_acc;
  acc.series.push_back(std::move(tok));
  acc.series.push_back(std::move(held));
  // Title and legend share the line(s) above the plot: a legend inside would hide the rising curves.
  acc.legend = false;
  acc.title.clear();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 o = ImGui::GetCursorScreenPos();
  header_items([&](size_t i, float x, float y) {
    const float swatch = i == 0 ? 0 : fh * 1.3f;
    if (i > 0)
      dl->AddRectFilled(ImVec2(o.x + x, o.y + y + fh * 0.3f), ImVec2(o.x + x + fh, o.y + y + fh * 0.75f), acc.series[i - 1].color);
    dl->AddText(ImVec2(o.x + x + swatch, o.y + y), ImGui::GetColorU32(ImGuiCol_Text), i == 0 ? kAccTitle : acc.series[i - 1].label.c_str());
  });
  ImGui::BeginGroup();
  ImGui::SetCursorScreenPos(ImVec2(o.x, o.y + header_h - 2));  // the frame's top level with the loss plot's
  draw_plot("acc", acc, ImVec2(w, size.y - header_h + 2));
  ImGui::EndGroup();
  explain(ui, _("Blue: the share of symbols the model gets right in its training batches, fed the true previous outputs "
                "(teacher forcing). Orange: the share of unseen examples it gets entirely right on its own (greedy, its own "
                "outputs fed back), the honest score."));
  return size.y;
}

// ---- The attention grid: one map per head, in groups (seq2seq: the decoder's cross-attention and the encoder's
// self-attention of the last layer; decoder-only: every layer).
struct MapItem {
  const Mat* m;
  const BoolMat* blocked;
  const std::vector<std::string>* rows;
  const std::vector<std::string>* cols;
  std::string title;
  const char* row_axis;
  const char* col_axis;
};

// `first_share`: the first group's share of the height when the groups are stacked (seq2seq: the cross-attention,
// the pattern to watch, gets more room).
void draw_map_grid(const std::vector<std::vector<MapItem>>& groups, UiState& ui, uint64_t version, ImVec2 avail,
                   float first_share) {
  const float fh = ImGui::GetFontSize(), sp = ImGui::GetStyle().ItemSpacing.x;
  const int G = int(groups.size());
  int H = 0;
  for (const auto& g : groups) H = std::max(H, int(g.size()));
  if (G == 0 || H == 0) return;
  const float bar_w = fh * 4.5f;
  const float grid_w = avail.x - bar_w;
  // Groups stacked (G rows of H) or side by side (one row of G·H): whichever gives larger maps.
  auto fit = [&](int rows, int cols) {
    const float w = (grid_w - sp * float(cols - 1)) / float(cols), h = (avail.y - sp * float(rows - 1)) / float(rows);
    return std::min(w, h);
  };
  const bool stacked = fit(G, H) >= fit(1, G * H);
  const int rows = stacked ? G : 1, cols = stacked ? H : G * H;
  const float bw = (grid_w - sp * float(cols - 1)) / float(cols), free_h = avail.y - sp * float(rows - 1);
  // Row heights: equal, or the first group's share when there are exactly two stacked groups.
  std::vector<float> row_h(size_t(rows), free_h / float(rows)), row_y(size_t(rows), 0);
  if (stacked && rows == 2 && first_share > 0) row_h[0] = free_h * first_share, row_h[1] = free_h - row_h[0];
  for (int r = 1; r < rows; ++r) row_y[size_t(r)] = row_y[size_t(r - 1)] + row_h[size_t(r - 1)] + sp;
  const ImVec2 o = ImGui::GetCursorScreenPos();
  int k = 0;
  for (int gi = 0; gi < G; ++gi)
    for (int hi = 0; hi < int(groups[size_t(gi)].size()); ++hi, ++k) {
      const MapItem& it = groups[size_t(gi)][size_t(hi)];
      const int r = stacked ? gi : 0, c = stacked ? hi : k;
      const float bh = row_h[size_t(r)];
      const bool compact = std::min(bw, bh) < fh * 7;
      ImGui::SetCursorScreenPos(ImVec2(o.x + float(c) * (bw + sp), o.y + row_y[size_t(r)]));
      HeatmapSpec spec;
      spec.m = it.m;
      spec.blocked = it.blocked;
      spec.row_labels = it.rows;
      spec.col_labels = it.cols;
      spec.cmap = ui.weights_cmap;
      spec.lo = 0, spec.hi = 1;
      spec.version = version;
      spec.title = compact ? "" : it.title.c_str();
      spec.row_axis = it.row_axis;
      spec.col_axis = it.col_axis;
      spec.colorbar = false;
      spec.compact = compact;
      ImGui::PushID(k);
      draw_heatmap("map", spec, ImVec2(bw, bh), ui.textures, [&](int i, int j) {
        if (!it.title.empty()) ImGui::TextUnformatted(it.title.c_str());
        ImGui::Text("%s \"%s\" → %s \"%s\": %s", it.row_axis, (*it.rows)[size_t(i)].c_str(), it.col_axis,
                    (*it.cols)[size_t(j)].c_str(), fmt_value((*it.m)(i, j)).c_str());
      });
      ImGui::PopID();
    }
  // One colour bar for every map: all are softmax weights in [0, 1].
  const float bx = o.x + grid_w + fh * 0.8f, by = o.y + fh * 2;
  draw_colorbar(ImGui::GetWindowDrawList(), ImVec2(bx, by), ImVec2(bx + fh * 0.9f, by + std::min(avail.y - fh * 4, fh * 12)),
                ui.weights_cmap, 0, 1, true);
  ImGui::SetCursorScreenPos(o);
  ImGui::Dummy(avail);
}

// The example shown: ids parsed from the text box, or why they are not an input of the task.
std::string parse_example(const TrainConfig& c, const std::string& text, std::vector<int>* ids) {
  return parse_task_input(c.task, text, ids);
}

void start_training(UiState& ui) {
  std::vector<int> ids;
  if (!parse_example(ui.train, ui.train_example, &ids).empty() || int(ids.size()) != ui.train.task.length) {
    ids = first_example_input(ui.train);
    ui.train_example = ids_to_text(ids);
  }
  ui.train_example_error.clear();
  retire_job(ui.training, ui.retired_training);  // the previous run ends in the background
  ui.train_view = TrainingSnapshot();
  ui.training = std::make_shared<TrainingJob>(ui.train, ids);
  ui.training->set_hub(ui.jobs);
}

// ---- The form. Returns nothing: it edits ui.train and starts/pauses/resets the job.
void draw_form(const Views& v, UiState& ui) {
  const float fh = ImGui::GetFontSize();
  TrainConfig& c = ui.train;
  TrainingJob* job = ui.training.get();
  const TrainingSnapshot& s = ui.train_view;
  const bool active = job && !job->finished();  // running or paused: the settings are the job's
  const float field = fh * 7.5f;
  ImGui::TextColored(ImVec4(0.25f, 0.45f, 0.75f, 1), "%s", _("Task"));
  ImGui::Separator();
  ImGui::BeginDisabled(active);
  const char* tasks[] = {"reverse", "sort", "copy-shift", "induction"};
  int tk = int(c.task.kind);
  ImGui::SetNextItemWidth(field);
  if (ImGui::Combo(_("task"), &tk, tasks, 4) && TaskKind(tk) != c.task.kind) {
    const uint64_t seed = c.seed;
    c = recommended_config(TaskKind(tk));  // the settings its shipped model was trained with
    c.seed = seed;
  }
  explain(ui, _("reverse and sort: an encoder–decoder maps the input to the output. copy-shift and induction: a "
                "decoder-only model predicts at every position. Choosing a task loads settings known to learn it."));
  ImGui::SetNextItemWidth(field);
  ImGui::SliderInt(_("sequence length"), &c.task.length, 2, 32);
  explain(ui, _("Symbols per example (induction: the whole sequence, two copies of length/2)."));
  ImGui::SetNextItemWidth(field);
  ImGui::SliderInt(_("vocabulary"), &c.task.vocab, 2, kMaxTaskVocab);
  explain(ui, _("How many different symbols (the numbers 0 … V−1)."));
  ImGui::EndDisabled();
  // What to look for: the pattern this task's attention should learn.
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.2f, 0.3f, 0.45f, 1));
  ImGui::PushTextWrapPos(0);
  ImGui::TextUnformatted(task_pattern(c.task.kind));
  ImGui::PopTextWrapPos();
  ImGui::PopStyleColor();
  ImGui::BeginDisabled(active);

  ImGui::Spacing();
  ImGui::TextColored(ImVec4(0.25f, 0.45f, 0.75f, 1), "%s", _("Model"));
  ImGui::Separator();
  static constexpr int kDModels[] = {8, 16, 32, 64, 128, 256};
  ImGui::SetNextItemWidth(field);
  if (combo_int("d_model", &c.d_model, kDModels, int(std::size(kDModels))) && c.d_model % c.heads != 0) c.heads = 1;
  int divisors[32], nd = 0;
  for (int h = 1; h <= std::min(c.d_model, 16) && nd < 32; ++h)
    if (c.d_model % h == 0) divisors[nd++] = h;
  ImGui::SetNextItemWidth(field);
  combo_int(_("heads"), &c.heads, divisors, nd);
  explain(ui, _("Attention heads per layer; only divisors of d_model are offered (d_k = d_model / heads)."));
  ImGui::SetNextItemWidth(field);
  ImGui::SliderInt(_("layers"), &c.layers, 1, 6);
  explain(ui, _("Layers in the encoder (and the decoder). Induction needs two: one to look back, one to copy."));
  static constexpr int kDff[] = {16, 32, 64, 128, 256, 512, 1024};
  ImGui::SetNextItemWidth(field);
  combo_int("d_ff", &c.d_ff, kDff, int(std::size(kDff)));

  ImGui::Spacing();
  ImGui::TextColored(ImVec4(0.25f, 0.45f, 0.75f, 1), "%s", _("Optimiser (Adam)"));
  ImGui::Separator();
  ImGui::SetNextItemWidth(field);
  ImGui::SliderFloat(_("learning rate"), &c.lr, 1e-4f, 3e-2f, "%.4f", ImGuiSliderFlags_Logarithmic);
  explain(ui, _("Adam's peak step size, reached at the end of the warm-up (β₁ 0.9, β₂ 0.98 as in the paper)."));
  ImGui::SetNextItemWidth(field);
  ImGui::SliderInt(_("batch"), &c.batch, 1, 256, "%d", ImGuiSliderFlags_Logarithmic);
  explain(ui, _("Examples per optimiser step (fresh random examples every step: the model never sees one twice)."));
  ImGui::SetNextItemWidth(field);
  ImGui::SliderInt(_("steps"), &c.steps, 10, 20000, "%d", ImGuiSliderFlags_Logarithmic);
  ImGui::SetNextItemWidth(field);
  ImGui::SliderInt(_("warm-up"), &c.warmup, 0, 2000, "%d", ImGuiSliderFlags_Logarithmic);
  explain(ui, _("Steps over which the learning rate rises linearly from 0: large early steps can wreck a fresh Transformer."));
  int seed = int(c.seed);
  ImGui::SetNextItemWidth(field);
  if (ImGui::InputInt(_("seed"), &seed)) c.seed = uint64_t(std::max(0, seed));
  explain(ui, _("Seed of the initial weights and of the generated examples: the same seed trains the same model."));
  ImGui::EndDisabled();

  const std::string err = validate(c);
  if (!err.empty()) {
    ImGui::PushTextWrapPos(0);
    ImGui::TextColored(ImVec4(0.8f, 0.1f, 0.1f, 1), "%s.", err.c_str());
    ImGui::PopTextWrapPos();
  }
  ImGui::Spacing();
  ImGui::BeginDisabled(!err.empty() || active);
  if (ImGui::Button(_("Start"))) start_training(ui);
  ImGui::EndDisabled();
  explain(ui, _("Train from fresh weights with these settings, on a background thread: the app stays responsive."));
  ImGui::SameLine();
  ImGui::BeginDisabled(!active);
  const bool paused = job && job->paused();
  if (ImGui::Button(paused ? _("Resume") : _("Pause"))) job->set_paused(!paused);
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::BeginDisabled(!job);
  if (ImGui::Button(_("Reset"))) {
    retire_job(ui.training, ui.retired_training);
    ui.train_view = TrainingSnapshot();
    job = nullptr;
  }
  ImGui::EndDisabled();
  explain(ui, _("Stop and forget this run (the curves and the weights)."));

  if (job) {
    const float frac = s.total > 0 ? float(s.step) / float(s.total) : 0;
    const std::string over = printf_text(_("%d / %d steps"), s.step, s.total);
    ImGui::ProgressBar(frac, ImVec2(-1, 0), over.c_str());
    if (s.finished && s.evaluating) {
      ImGui::TextDisabled("%s", _("scoring 1000 held-out examples…"));
    } else if (s.finished) {
      ImGui::TextDisabled(_("done in %s s of training"), fmt_fixed(s.elapsed_s, 1).c_str());
    } else {
      const double left = s.steps_per_second > 0 ? double(s.total - s.step) / s.steps_per_second : 0;
      ImGui::TextDisabled(_("%s · %s steps/s · %s s left"), job->paused() ? _("paused") : _("running"),
                          fmt_fixed(s.steps_per_second, 0).c_str(), s.steps_per_second > 0 ? fmt_fixed(left, 0).c_str() : "?");
    }
    if (!s.loss.empty())
      ImGui::TextDisabled(_("loss %s · learning rate %s"), fmt_fixed(s.loss.back(), 3).c_str(), fmt_value(s.lr).c_str());
    explain(ui, _("The last batch's loss, and the learning rate of the last step: it rises over the warm-up, then falls "
                  "as 1/√step (the paper's schedule)."));
    if (s.held_out.examples > 0) {
      const std::string h = printf_text(_("held-out (%d examples): %s%% of sequences, %s%% of symbols right"),
                                        s.held_out.examples, fmt_fixed(100 * s.held_out.seq_acc, 0).c_str(),
                                        fmt_fixed(100 * s.held_out.token_acc, 1).c_str());
      ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyle().Colors[ImGuiCol_TextDisabled]);
      ImGui::PushTextWrapPos(0);
      ImGui::TextUnformatted(h.c_str());
      ImGui::PopTextWrapPos();
      ImGui::PopStyleColor();
      explain(ui, _("Unseen examples, each answered by the model on its own (greedy decoding), scored as the task scores them."));
    }
  }
  ImGui::Spacing();
  ImGui::BeginDisabled(!job || !s.model || s.step == 0 || s.evaluating);
  if (ImGui::Button(_("Use in explorer"))) ui.use_model = snapshot_model(*job, s);
  ImGui::EndDisabled();
  explain(ui, _("Add these weights (as they are now) to the explorer's model list and select them: every tab then shows "
                "the trained model."));
  (void)v;
}

// ---- The example and its attention.
void draw_results(UiState& ui, ImVec2 size) {
  const float fh = ImGui::GetFontSize();
  const TrainingSnapshot& s = ui.train_view;
  TrainingJob* job = ui.training.get();
  const TrainConfig& c = job ? job->config() : ui.train;
  const ImVec2 top = ImGui::GetCursorPos();
  const float curves_h = std::clamp(size.y * 0.27f, fh * 8.5f, fh * 16);
  draw_curves(s, c, ui, ImVec2(size.x, curves_h));  // may be taller: the cursor follows

  if (!job) {
    ImGui::Spacing();
    ImGui::PushTextWrapPos(std::min(ImGui::GetCursorPosX() + fh * 40, ImGui::GetCursorPosX() + size.x));
    ImGui::TextUnformatted(_("Press Start: the curves fill in and the attention of one example appears below, updated a "
                             "few times a second while the model trains."));
    ImGui::Spacing();
    ImGui::TextDisabled("%s", _("What one training step does:"));
    ImGui::Bullet(), ImGui::TextUnformatted(_("draws a batch of fresh random examples of the task (the model never sees one twice);"));
    ImGui::Bullet(), ImGui::TextUnformatted(_("runs the Transformer forward on them (an encoder–decoder's decoder is fed the right previous "
                              "outputs: teacher forcing);"));
    ImGui::Bullet(), ImGui::TextUnformatted(_("scores it with the cross-entropy of the right symbol at every position (the loss);"));
    ImGui::Bullet(), ImGui::TextUnformatted(_("computes the gradient of the loss for every weight by backpropagation through every layer, "
                              "attention included;"));
    ImGui::Bullet(), ImGui::TextUnformatted(_("moves every weight a little against its gradient (Adam)."));
    ImGui::Spacing();
    ImGui::TextUnformatted(_("Nothing tells the model where to look: the attention patterns it ends up with appear "
                             "only because they make the loss small."));
    ImGui::PopTextWrapPos();
    return;
  }
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(_("example"));
  ImGui::SameLine();
  ImGui::SetNextItemWidth(std::min(fh * 16, size.x * 0.35f));
  if (ImGui::InputText("##example", &ui.train_example)) {
    std::vector<int> ids;
    ui.train_example_error = parse_example(c, ui.train_example, &ids);
    if (ui.train_example_error.empty()) job->set_example(ids);
  }
  explain(ui, _("Type any input of the task (the numbers 0 … V−1): its attention is shown with the current weights."));
  ImGui::SameLine();
  if (ImGui::Button(_("New example"))) {

    ++ui.train_example_seed;
    Rng rng(stream_seed(c.seed + uint64_t(ui.train_example_seed), "show"));
    const std::vector<int> ids = make_example(c.task, rng).src;
    ui.train_example = ids_to_text(ids);
    ui.train_example_error.clear();
    job->set_example(ids);
  }
  ImGui::SameLine();
  ImGui::TextDisabled(_("weights of step %d"), s.step);
  if (!ui.train_example_error.empty()) ImGui::TextColored(ImVec4(0.8f, 0.1f, 0.1f, 1), "%s", ui.train_example_error.c_str());
  prediction_table("train_pred", c.task, s.input, s.prediction, s.answer);
  if (!s.trace) {
    if (!s.trace_error.empty()) ImGui::TextColored(ImVec4(0.8f, 0.1f, 0.1f, 1), "%s", s.trace_error.c_str());
    return;
  }
  const Trace& t = *s.trace;
  std::vector<std::vector<MapItem>> groups;
  // Row labels of the decoder's maps: the output each row produces.
  std::vector<std::string> out_rows;
  if (t.decoder) {
    const DecoderTrace& d = t.steps.empty() ? *t.decoder : t.steps.back().trace;
    for (size_t i = 0; i < d.tokens.size(); ++i)
      out_rows.push_back(i < t.steps.size() ? "→" + t.steps[i].token : d.tokens[i]);
    if (!d.layers.empty()) {
      const DecoderLayerTrace& dl = d.layers.back();
      std::vector<MapItem> cross;
      for (size_t h = 0; h < dl.cross_attn.heads.size(); ++h)
        cross.push_back({&dl.cross_attn.heads[h].weights, &d.cross_mask, &out_rows, &t.tokens,
                         printf_text(_("cross-attention, head %d"), int(h)), _("output"), _("input")});
      groups.push_back(std::move(cross));
    }
    if (!t.layers.empty()) {
      const EncoderLayerTrace& el = t.layers.back();
      std::vector<MapItem> self;
      for (size_t h = 0; h < el.attn.heads.size(); ++h)
        self.push_back({&el.attn.heads[h].weights, &t.mask, &t.tokens, &t.tokens,
                        printf_text(_("encoder self-attn, head %d"), int(h)), _("query"), _("key")});
      groups.push_back(std::move(self));
    }
  } else {
    for (size_t l = 0; l < t.layers.size(); ++l) {
      std::vector<MapItem> row;
      for (size_t h = 0; h < t.layers[l].attn.heads.size(); ++h)
        row.push_back({&t.layers[l].attn.heads[h].weights, &t.mask, &t.tokens, &t.tokens,
                       printf_text(_("layer %d, head %d"), int(l), int(h)), _("query"), _("key")});
      groups.push_back(std::move(row));
    }
  }
  ImGui::TextDisabled("%s", t.decoder ? _("The last layer, one map per head.") : _("Every layer, one map per head."));
  explain(ui, t.decoder ? _("Cross-attention: each row is an output being written, each column an input symbol; the "
                            "encoder's self-attention: each input position looking at the others.")
                        : _("Each row is a position predicting its next token, each column what it looks at; grey cells "
                            "are hidden by the causal mask."));
  const ImVec2 rest(size.x, size.y - (ImGui::GetCursorPos().y - top.y));
  if (rest.y > fh * 4) draw_map_grid(groups, ui, s.version, rest, t.decoder ? 0.6f : 0.0f);
}

}  // namespace

void draw_training_view(const Views& v, UiState& ui) {
  int mode = ui.train_lm ? 1 : 0;
  ImGui::RadioButton(_("toy task"), &mode, 0);
  explain(ui, _("A small Transformer learns a toy task (reverse, sort, copy-shift, induction) in seconds."));
  ImGui::SameLine();
  ImGui::RadioButton(_("language model (WordNet)"), &mode, 1);
  explain(ui, _("A GPT-2-shaped language model learns English from WordNet's glosses, as the shipped wordnet-lm did."));

  ui.train_lm = mode == 1;
  if (ui.train_lm) {
    draw_lm_training(ui);
    return;
  }
  reap_jobs(ui.retired_training);
  if (ui.training) ui.training->latest(&ui.train_view);
  const float fh = ImGui::GetFontSize();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  // The form beside the results; on a narrow view (a projector's scale) above them, each scrolling on its own.
  const bool beside = avail.x >= fh * 48;
  const float form_w = std::clamp(avail.x * 0.25f, fh * 15, fh * 19);
  if (ImGui::BeginChild("train_form", beside ? ImVec2(form_w, 0) : ImVec2(0, std::max(fh * 8, avail.y * 0.4f)), false))
    draw_form(v, ui);
  ImGui::EndChild();
  if (beside) ImGui::SameLine();
  if (ImGui::BeginChild("train_results", beside ? ImVec2(0, 0) : ImVec2(0, std::max(fh * 26, ImGui::GetContentRegionAvail().y)), false))
    draw_results(ui, ImGui::GetContentRegionAvail());
  ImGui::EndChild();
}

}  // namespace attn
