// norms_view.cpp: LayerNorm (each token across its features) against BatchNorm (each feature across the batch)
// on a padded batch of two sentences, and what the residual connection of Add & Norm keeps.
#include <imgui.h>

#include <algorithm>
#include <cmath>

#include "i18n.h"
#include "format.h"
#include "heatmap.h"
#include "layernorm.h"
#include "plot.h"
#include "positional.h"
#include "teaching.h"
#include "teaching_stats.h"
#include "timing_job.h"
#include "tokenizer.h"
#include "text_flow.h"

namespace attn {
namespace {

// Sentence A is the trace's; sentence B is the batch partner (or a short default). Runs in a job.
NormsData compute(const Settings& s, const std::vector<std::string>& a, const std::vector<std::string>& b, bool count_padding) {
  NormsData c;
  const int n = int(std::max(a.size(), b.size()));
  auto padded = [&](std::vector<std::string> toks) {
    while (int(toks.size()) < n) toks.push_back(kPadToken);
    return toks;
  };
  const std::vector<std::string> pa = padded(a), pb = padded(b);
  const Mat pe = positional_encoding(s.pe, n, s.d_model, s.seed);
  const Mat xa = embed_tokens(pa, s.d_model, s.seed) + pe, xb = embed_tokens(pb, s.d_model, s.seed) + pe;
  const BatchNormResult bn = batch_norm({xa, xb}, {int(a.size()), int(b.size())}, count_padding, kLayerNormEps);
  c.stacked.resize(2 * n, s.d_model);
  c.stacked << xa, xb;
  c.layer_normed = layer_norm(c.stacked, RowVec::Ones(s.d_model), RowVec::Zero(s.d_model), kLayerNormEps);
  c.batch_normed.resize(2 * n, s.d_model);
  c.batch_normed << bn.y[0], bn.y[1];
  c.bn_mean = bn.mean, c.bn_var = bn.var;
  for (const auto& w : pa) c.labels.push_back("A: " + w);
  for (const auto& w : pb) c.labels.push_back("B: " + w);
  c.rows_a = int(a.size()), c.rows_b = int(b.size()), c.n = n;
  return c;
}

}  // namespace

void draw_norms_view(const Views& v, UiState& ui) {
  const Trace& t = *v.trace;
  bool count = ui.norms_count_padding;
  text_wrapped(
      _("LayerNorm(x) = γ ⊙ (x − μ)/√(σ² + ε) + β with μ, σ² over the d_model features of ONE token: each row below is "
        "normalised on its own, whatever the batch or the sentence length. BatchNorm uses μ, σ² of each feature over "
        "every token of EVERY sentence in the batch: the <pad> rows of the shorter sentence pollute those statistics, "
        "and a longer sentence at test time meets statistics it never had. This is why the Transformer uses LayerNorm."));
  if (ImGui::Checkbox("##count_pad", &count)) ui.norms_count_padding = count;
  explain(ui, _("Toggle it and watch BatchNorm's statistics (and every normalised value) change; LayerNorm does not move."));
  text_after(_("BatchNorm counts the <pad> rows (as a naive implementation would)"), false);  // a label that wraps
  explain(ui, _("Toggle it and watch BatchNorm's statistics (and every normalised value) change; LayerNorm does not move."));
  const std::pair<uint64_t, bool> key{ui.version, ui.norms_count_padding};
  ui.norms_job.poll();
  if (!ui.norms_job.started(key)) {
    std::vector<std::string> a(t.tokens.begin(), t.tokens.begin() + t.n_real);
    std::vector<std::string> b = v.batch ? std::vector<std::string>(v.batch->tokens.begin(), v.batch->tokens.begin() + v.batch->n_real)
                                         : tokenize("Cats like to sleep", t.settings.max_tokens).tokens;
    ui.norms_job.start(ui.jobs, key, [s = t.settings, a = std::move(a), b = std::move(b), count = key.second](const JobToken&) {
      return compute(s, a, b, count);
    });
  }
  if (!ui.norms_job.result()) {
    ImGui::TextUnformatted((_("LayerNorm and BatchNorm of the batch") + computing_note(ui.norms_job)).c_str());
    return;
  }
  const NormsData& c = *ui.norms_job.result();
  const auto [shown_version, counted] = *ui.norms_job.result_key();  // may lag the trace while the job runs
  text_wrapped(_("BatchNorm statistics of feature 0: mean %s, variance %s  ·  LayerNorm row statistics: mean 0, variance 1 for every token%s"),
              fmt_value(c.bn_mean[0]).c_str(), fmt_value(c.bn_var[0]).c_str(), computing_note(ui.norms_job).c_str());
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  // Three side by side when each has room for its labels; otherwise (a projector's scale) one below the other, and
  // the view scrolls.
  const float sp = ImGui::GetStyle().ItemSpacing.x, fh = ImGui::GetFontSize();
  const bool row = (avail.x - 2 * sp) / 3 >= fh * 14;
  const float w3 = row ? (avail.x - 2 * sp) / 3 : avail.x, h = std::max(avail.y * (row ? 0.62f : 0.5f), fh * 13);
  const char* titles[3] = {_("input: batch of two sentences (rows), features (columns)"), _("LayerNorm: across each row →"),
                           _("BatchNorm: down each column ↓")};
  const Mat* mats[3] = {&c.stacked, &c.layer_normed, &c.batch_normed};
  for (int k = 0; k < 3; ++k) {
    if (k && row) ImGui::SameLine();
    HeatmapSpec hs;
    hs.m = mats[k];
    hs.row_labels = &c.labels;
    hs.row_axis = _("token");
    hs.col_axis = _("feature");
    hs.cmap = ui.scores_cmap;
    value_range(*mats[k], nullptr, true, &hs.lo, &hs.hi);
    hs.version = shown_version;
    hs.detail = counted;  // the widget id tells the three panels apart
    hs.title = titles[k];
    hs.stretch = true;
    const ImVec2 p0 = ImGui::GetCursorScreenPos();
    draw_heatmap(titles[k], hs, ImVec2(w3, h), ui.textures, [&](int i, int j) {
      const Mat& m = *mats[k];
      ImGui::Text(_("%s, feature %d: %s"), c.labels[size_t(i)].c_str(), j, fmt_value(m(i, j)).c_str());
      if (k == 1) ImGui::Text(_("row mean %s, row variance %s"), fmt_value(m.row(i).mean()).c_str(),
                             fmt_value((m.row(i).array() - m.row(i).mean()).square().mean()).c_str());
      if (k == 2) ImGui::Text(_("feature %d: batch mean %s, batch variance %s"), j, fmt_value(c.bn_mean[j]).c_str(), fmt_value(c.bn_var[j]).c_str());
    });
    // The axis of normalisation, drawn over the panel's corner.
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImU32 col = IM_COL32(230, 90, 0, 230);
    if (k == 1) dl->AddLine(ImVec2(p0.x + w3 * 0.55f, p0.y + 8), ImVec2(p0.x + w3 * 0.95f, p0.y + 8), col, 3.0f);
    if (k == 2) dl->AddLine(ImVec2(p0.x + w3 * 0.97f, p0.y + 4), ImVec2(p0.x + w3 * 0.97f, p0.y + h * 0.3f), col, 3.0f);
  }
  // Add & Norm: what the residual path keeps, per layer.
  text_wrapped("%s", _("Add & Norm: output = LayerNorm(x + Sublayer(x)). The residual path carries x around the sublayer, so "
                             "each token keeps its identity through the stack; without it, only the sublayer's output would be left."));
  std::vector<double> xs, with, without, scale_with, scale_without;
  for (size_t l = 0; l < t.layers.size(); ++l) {
    const EncoderLayerTrace& L = t.layers[l];
    xs.push_back(double(l));
    with.push_back(mean_row_cosine(L.input, L.add1));              // x + MHA(x)
    without.push_back(mean_row_cosine(L.input, L.attn.output));    // MHA(x) alone
    scale_with.push_back(rms(L.add1));
    scale_without.push_back(rms(L.attn.output));
  }
  const ImVec2 rest = ImGui::GetContentRegionAvail();
  const bool pair = (rest.x - sp) / 2 >= fh * 18;
  const float w2 = pair ? (rest.x - sp) / 2 : rest.x, ph = std::max(rest.y, fh * 14);
  PlotSpec cs;
  cs.title = _("cos(token in, token out) of the attention sublayer");
  for (size_t l = 0; l < t.layers.size(); ++l) cs.x_categories.push_back(printf_text(_("layer %d"), int(l)));
  cs.series.push_back({_("with the residual: x + MHA(x)"), xs, with, SeriesKind::Bars, palette(0), 2.0f, false, 0});
  cs.series.push_back({_("without: MHA(x)"), xs, without, SeriesKind::Bars, palette(1), 2.0f, false, 1});
  draw_plot("res_cos", cs, ImVec2(w2, ph));
  if (pair) ImGui::SameLine();
  PlotSpec sc;
  sc.title = _("scale (RMS) before the LayerNorm");
  sc.x_categories = cs.x_categories;
  sc.series.push_back({"x + MHA(x)", xs, scale_with, SeriesKind::Bars, palette(0), 2.0f, false, 0});
  sc.series.push_back({_("MHA(x) alone"),
 xs, scale_without, SeriesKind::Bars, palette(1), 2.0f, false, 1});
  draw_plot("res_scale", sc, ImVec2(w2, ph));
}

}  // namespace attn
