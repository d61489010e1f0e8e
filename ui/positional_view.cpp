// positional_view.cpp: sinusoidal positional encoding (paper §3.5): the curves, the matrix, similarity that
// depends on the offset only, why PE exists (shuffling words without it), and sum versus concatenation.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "i18n.h"
#include "format.h"
#include "heatmap.h"
#include "plot.h"
#include "positional.h"
#include "rng.h"
#include "teaching.h"
#include "teaching_stats.h"
#include "timing_job.h"
#include "view_settings.h"
#include "text_flow.h"

namespace attn {
namespace {

// Runs in a job: `tokens` are the sentence's real tokens.
PositionalData compute(const Settings& s, const std::vector<std::string>& tokens, int n_trace, int shuffle_seed) {
  PositionalData c;
  const int n = std::max(n_trace, 48);
  c.pe = s.pe == PEKind::None ? sinusoidal_pe(n, s.d_model) : positional_encoding(s.pe, n, s.d_model, s.seed);
  c.sin_pe = sinusoidal_pe(n, s.d_model);
  c.similarity = pe_similarity(c.pe);
  c.by_offset = pe_similarity_by_offset(c.pe);
  c.offsets.resize(c.by_offset.size());
  std::iota(c.offsets.begin(), c.offsets.end(), 0.0);
  for (int d : {8, 16, 32, 64, 128, 256, 512, 1024}) {
    c.widths.push_back(d);
    c.cos_widths.push_back(mean_abs_cos_embedding_pe(d, 128, 11));
  }
  // Why PE exists: the sentence and a shuffle of it, both with PE off.
  Settings off = s;
  off.pe = PEKind::None;
  off.mask = MaskKind::None;
  off.head_enabled.clear();
  off.target.reset();
  off.layers = std::min(off.layers, 1);
  if (off.layers == 0) off.layers = 1;
  c.perm.resize(tokens.size());
  std::iota(c.perm.begin(), c.perm.end(), 0);
  Rng rng(uint64_t(shuffle_seed) * 7919u + 1);
  for (int i = int(c.perm.size()) - 1; i > 0; --i) std::swap(c.perm[size_t(i)], c.perm[size_t(rng.next_u64() % uint64_t(i + 1))]);
  std::string shuffled_text;
  std::vector<std::string> shuffled(c.perm.size());
  for (size_t i = 0; i < c.perm.size(); ++i) shuffled[size_t(c.perm[i])] = tokens[i];
  for (const auto& w : shuffled) shuffled_text += w + " ";
  c.original = std::make_shared<Trace>();
  c.shuffled = std::make_shared<Trace>();
  std::string joined;
  for (const auto& w : tokens) joined += w + " ";
  if (!build_trace(off, joined, c.original.get()).empty() || !build_trace(off, shuffled_text, c.shuffled.get()).empty())
    c.original.reset(), c.shuffled.reset();
  return c;
}

}  // namespace

void draw_positional_view(const Views& v, Document& doc, UiState& ui) {
  const Trace& t = *v.trace;
  const std::pair<uint64_t, int> key{ui.version, ui.pe_shuffle_seed};
  ui.positional_job.poll();
  if (!ui.positional_job.started(key))
    ui.positional_job.start(ui.jobs, key, [s = t.settings, tokens = std::vector<std::string>(t.tokens.begin(), t.tokens.begin() + t.n_real),
                                           n = t.n(), seed = key.second](const JobToken&) { return compute(s, tokens, n, seed); });
  (void)doc;
  if (!ui.positional_job.result()) {
    ImGui::TextUnformatted((_("Positional encoding") + computing_note(ui.positional_job)).c_str());
    return;
  }
  // Everything below reads the job's result, which lags the trace while a new one is computed.
  const PositionalData& c = *ui.positional_job.result();
  const auto [shown_version, shown_seed] = *ui.positional_job.result_key();
  const int d = int(c.sin_pe.cols());
  text_wrapped(
      _("Self-attention is blind to order: it compares every token with every other, whatever their positions. The "
        "paper adds a position vector to each word vector: PE(pos, 2i) = sin(pos / 10000^(2i/d_model)), PE(pos, 2i+1) = "
        "cos(pos / 10000^(2i/d_model)). Each pair of dimensions is a clock of its own speed, with wavelengths from 2π "
        "to 10000·2π; since PE(pos + k) is a rotation of PE(pos), the model can read relative positions.%s"),
      t.settings.pe == PEKind::None ? _("  (PE is off in the model now; the curves show the sinusoidal one.)") : "");
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float sp = ImGui::GetStyle().ItemSpacing.x, fh = ImGui::GetFontSize();
  PanelGrid grid(avail.x, 3, fh * 18);  // six panels: 3 × 2 on a wide screen
  const float w3 = grid.w, h2 = std::max((avail.y - fh * 2) / 2, fh * 15);

  // 1. Curves of chosen dimensions.
  ImGui::BeginGroup();
  ImGui::SetNextItemWidth(w3 * 0.35f);
  setting_slider(view_setting("pe_dim_a"), ui, _("dim a"), 0, d - 1);
  grid.same_line_if_fits(labelled_width(w3 * 0.35f, _("dim b")));
  ImGui::SetNextItemWidth(w3 * 0.35f);
  setting_slider(view_setting("pe_dim_b"), ui, _("dim b"), 0, d - 1);
  PlotSpec curves;
  curves.title = _("PE(pos, i) against position") + computing_note(ui.positional_job);
  curves.x_label = _("position");
  curves.y_label = _("value");
  curves.y_min = -1.1, curves.y_max = 1.1;
  ui.pe_dim_a = std::clamp(ui.pe_dim_a, 0, d - 1);  // Ctrl+click types any number
  ui.pe_dim_b = std::clamp(ui.pe_dim_b, 0, d - 1);
  for (int dim : {ui.pe_dim_a, ui.pe_dim_b, std::min(d - 1, ui.pe_dim_a + 1)}) {
    PlotSeries sr;
    const double wavelength = 2 * M_PI * std::pow(10000.0, double(dim - dim % 2) / d);
    sr.label = "i = " + std::to_string(dim) + (dim % 2 ? " (cos)" : " (sin)") + ", λ = " + fmt_fixed(wavelength, 1);
    for (int p = 0; p < c.sin_pe.rows(); ++p) sr.x.push_back(p), sr.y.push_back(c.sin_pe(p, dim));
    curves.series.push_back(std::move(sr));
  }
  draw_plot("curves", curves, ImVec2(w3, h2 - ImGui::GetFrameHeightWithSpacing()));
  ImGui::EndGroup();
  explain(ui, _("Low dimensions oscillate fast (wavelength 2π), high dimensions slowly (up to 10000·2π)."));
  grid.next();
  HeatmapSpec m;
  m.m = &c.pe;
  m.row_axis = _("position");
  m.col_axis = _("dimension");
  m.cmap = ui.scores_cmap;
  value_range(c.pe, nullptr, true, &m.lo, &m.hi);
  m.version = shown_version;
  m.title = _("the whole PE matrix (positions × dimensions)");
  m.stretch = true;
  draw_heatmap("pe", m, ImVec2(w3, h2), ui.textures, [&](int p, int j) {
    ImGui::Text("PE(%d, %d) = %s", p, j, fmt_value(c.pe(p, j)).c_str());
  });
  grid.next();
  HeatmapSpec sim;
  sim.m = &c.similarity;
  sim.row_axis = _("position p");
  sim.col_axis = _("position q");
  sim.cmap = ui.scores_cmap;
  value_range(c.similarity, nullptr, true, &sim.lo, &sim.hi);
  sim.version = shown_version;
  sim.title = _("PE(p)·PE(q): constant along each diagonal");
  draw_heatmap("sim", sim, ImVec2(w3, h2), ui.textures, [&](int p, int q) {
    ImGui::Text(_("PE(%d)·PE(%d) = %s   (offset %d)"), p, q, fmt_value(c.similarity(p, q)).c_str(), q - p);
  });

  // 2. Similarity against the offset, sum vs concatenation, and the shuffle experiment.
  grid.next();
  PlotSpec off;
  off.title = _("PE(p)·PE(p+k) against the offset k");
  off.x_label = _("offset k");
  off.y_label = _("dot product");
  off.series.push_back({_("mean over p"), c.offsets, c.by_offset, SeriesKind::Line, palette(0), 2.0f, false});
  draw_plot("offset", off, ImVec2(w3, h2));
  explain(ui, _("The similarity of two positions depends only on how far apart they are, not where they are."));
  grid.next();
  ImGui::BeginGroup();
  PlotSpec cs;
  cs.title = _("sum, not concatenation: |cos(word, position)|");
  cs.x_label = "d_model";
  cs.y_label = "mean |cos|";
  cs.log_x = true;
  cs.y_min = 0;
  cs.series.push_back({_("measured"), c.widths, c.cos_widths, SeriesKind::Line, palette(1), 2.0f, true});
  std::vector<double> theory;
  for (double w : c.widths) theory.push_back(std::sqrt(2.0 / (M_PI * w)));
  cs.series.push_back({_("√(2/(π·d)) for random directions"), c.widths, theory, SeriesKind::Line, palette(6), 1.0f, false});
  cs.markers.push_back({double(d), true, _("this model"), IM_COL32(200, 30, 30, 200)});
  draw_plot("cos", cs, ImVec2(w3, h2 - ImGui::GetTextLineHeightWithSpacing() * 2));
  const double per_layer_sum = 4.0 * d * d, per_layer_cat = 4.0 * (2.0 * d) * (2.0 * d);
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + w3);
  text_wrapped(_("Concatenating a %d-wide position vector doubles the width: the projections W_Q, W_K, W_V, W_O "
                       "grow from %s to %s parameters per layer (×4), for information a sum already carries."),
                     d, fmt_fixed(per_layer_sum, 0).c_str(), fmt_fixed(per_layer_cat, 0).c_str());
  ImGui::PopTextWrapPos();
  ImGui::EndGroup();
  explain(ui, _("In high dimensions a word vector and a position vector are nearly orthogonal, so adding them loses little."));
  grid.next();
  ImGui::BeginGroup();
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + w3);
  text_wrapped("%s", _("PE off: shuffle the words"));
  ImGui::PopTextWrapPos();
  grid.same_line_if_fits(button_width(_("shuffle again")));
  if (ImGui::SmallButton(_("shuffle again"))) ++ui.pe_shuffle_seed;
  if (c.original && c.shuffled && !c.original->layers.empty()) {
    const float hw = (w3 - sp) / 2, hh = h2 - ImGui::GetFrameHeightWithSpacing();
    for (int k = 0; k < 2; ++k) {
      if (k) ImGui::SameLine();
      const Trace& tr = k == 0 ? *c.original : *c.shuffled;
      HeatmapSpec hs;
      hs.m = &tr.layers[0].attn.heads[0].weights;
      hs.row_labels = hs.col_labels = &tr.tokens;
      hs.cmap = ui.weights_cmap;
      hs.lo = 0, hs.hi = 1;
      hs.version = shown_version;
      hs.detail = shown_seed;  // the widget id tells the two panels apart
      hs.title = k == 0 ? _("original") : _("shuffled");
      hs.colorbar = false;
      draw_heatmap(k == 0 ? "orig" : "shuf", hs, ImVec2(hw, hh), ui.textures, [&](int i, int j) {
        ImGui::Text("\"%s\" → \"%s\": %.4f", tr.tokens[size_t(i)].c_str(), tr.tokens[size_t(j)].c_str(), double(hs.m->operator()(i, j)));
      });
    }
  }
  ImGui::EndGroup();
  explain(ui, _("Without PE the same words in another order give the same attention, only with rows and columns moved."));

}

}  // namespace attn
