// ffn_view.cpp: the position-wise feed-forward network of the selected layer (paper §3.3):
// FFN(x) = act(x·W₁ + b₁)·W₂ + b₂, the same W₁, W₂ for every token. Its input X, hidden activations H and output
// FFN(X) as heatmaps (a hovered token's row lit in all three), what it does to each token's vector, the activation's
// curve with the token's own pre-activations on it, and d_ff's share of the layer's parameters and multiply-adds.
// Reads the trace only (ffn_pre and ffn_hidden are kept by core/layers.cpp); per-token numbers come from a job.
#include <imgui.h>

#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <memory>
#include <string>

#include "complexity.h"
#include "format.h"
#include "heatmap.h"
#include "i18n.h"
#include "plot.h"
#include "teaching.h"
#include "timing_job.h"
#include "text_flow.h"

namespace attn {
namespace {

// Runs in a job: every per-token number and the colour ranges (n × d_ff cells: too many to scan each frame).
FfnData compute(const Mat& x, const Mat& ffn_in, const Mat& pre, const Mat& hidden, const Mat& out,
                std::shared_ptr<const Model> model, int layer) {
  FfnData d;
  const FFNWeights& w = model->encoder[size_t(layer)].ffn;
  d.stats = ffn_token_stats(x, ffn_in, hidden, out, w);
  for (int i = 0; i < pre.rows(); ++i)
    d.negative_fraction.push_back(pre.cols() ? double((pre.row(i).array() < 0.0f).count()) / double(pre.cols()) : 0);
  if (w.activation == Activation::ReLU) d.hidden_shown = hidden.unaryExpr([](float h) { return h == 0.0f ? NAN : h; });
  value_range(ffn_in, nullptr, true, &d.x_lo, &d.x_hi);
  value_range(d.hidden_shown.size() ? d.hidden_shown : hidden, nullptr, false, &d.h_lo, &d.h_hi);  // NaN skipped
  value_range(out, nullptr, true, &d.o_lo, &d.o_hi);
  return d;
}

std::string count(uint64_t v) {  // 1,050,624
  std::string s = std::to_string(v);
  for (int i = int(s.size()) - 3; i > 0; i -= 3) s.insert(size_t(i), ",");
  return s;
}

std::string share(uint64_t part, uint64_t whole) { return whole ? fmt_fixed(100.0 * double(part) / double(whole), 1) + " %" : "—"; }

const char* act_name(Activation a) { return a == Activation::ReLU ? "ReLU" : "GELU"; }

// The parameters and multiply-adds of one layer, each number beside its formula (core/complexity.h computes them).
void draw_share_table(const Trace& t) {
  const uint64_t n = uint64_t(t.n()), d = uint64_t(t.settings.d_model), f = uint64_t(t.settings.d_ff);
  const LayerShare s = layer_share(n, d, f);
  text_wrapped(_("d_ff's share of one layer (d_model = %d, d_ff = %d, n = %d tokens; d_ff / d_model = %s, the paper's base "
                "model: 2048 / 512 = 4)"),
              t.settings.d_model, t.settings.d_ff, t.n(), fmt_fixed(double(f) / double(std::max<uint64_t>(1, d)), 2).c_str());
  // Seven columns do not fit a narrow view: the table scrolls across (its height holds the 7 rows and the scrollbar).
  const ImGuiStyle& st = ImGui::GetStyle();
  const float table_h = 7 * (ImGui::GetTextLineHeight() + 2 * st.CellPadding.y) + st.ScrollbarSize + ImGui::GetTextLineHeight();
  if (!ImGui::BeginTable("ffn_share", 7, ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit |
                         ImGuiTableFlags_ScrollX, ImVec2(0, table_h)))
    return;
  for (const char* h : {_("sublayer"), _("parameters: formula"), _("parameters"), _("share"), _("multiply-adds: formula"),
                        _("multiply-adds"), _("share")})
    ImGui::TableSetupColumn(h);
  ImGui::TableHeadersRow();
  const auto row = [&](const char* name, const char* pf, uint64_t p, const char* mf, uint64_t m, bool counted) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn(), ImGui::TextUnformatted(name);
    ImGui::TableNextColumn(), ImGui::TextUnformatted(pf);
    ImGui::TableNextColumn(), ImGui::TextUnformatted(count(p).c_str());
    ImGui::TableNextColumn(), ImGui::TextUnformatted(share(p, s.layer_params()).c_str());
    ImGui::TableNextColumn(), ImGui::TextUnformatted(mf);
    ImGui::TableNextColumn(), ImGui::TextUnformatted(counted ? count(m).c_str() : "—");
    ImGui::TableNextColumn(), ImGui::TextUnformatted(counted ? share(m, s.layer_macs()).c_str() : "");
  };
  row(_("feed-forward (W₁, b₁, W₂, b₂)"), "2·d·d_ff + d_ff + d", s.ffn_params, "2·n·d·d_ff", s.ffn_macs, true);
  row(_("attention (W_Q, W_K, W_V, W_O + biases)"), "4·d² + 4·d", s.attention_params, "4·n·d² + 2·n²·d", s.attention.total(), true);
  ImGui::TableNextRow();  // attention's multiply-adds split: what grows with d² and what grows with n²
  ImGui::TableSetColumnIndex(0), ImGui::TextDisabled("%s", _("  of which projections / scores + weighted sum"));
  ImGui::TableSetColumnIndex(4), ImGui::TextDisabled("4·n·d²  /  2·n²·d");
  ImGui::TableSetColumnIndex(5);
  ImGui::TextDisabled("%s / %s", count(s.attention.projections).c_str(), count(s.attention.scores + s.attention.weighted_sum).c_str());
  row(_("two LayerNorms (γ, β)"), "4·d", s.norm_params, _("O(n·d), not counted"), 0, false);
  row(_("the layer"), _("sum"), s.layer_params(), _("sum"), s.layer_macs(), true);
  ImGui::EndTable();
}

}  // namespace

void draw_ffn_view(const Views& v, UiState& ui) {
  const Trace& t = *v.trace;
  if (t.layers.empty() || !t.model) {
    text_wrapped("%s", _("This model has no layers (layers = 0), so there is no feed-forward network to show: set "
                             "layers to 1 or more in the left panel."));
    return;
  }
  if (t.n() == 0) {
    text_wrapped("%s", _("No tokens: type a sentence to see what the feed-forward network does to each token."));
    return;
  }
  const int layer = std::clamp(ui.layer, 0, int(t.layers.size()) - 1);
  const EncoderLayerTrace& L = t.layers[size_t(layer)];
  if (size_t(layer) >= t.model->encoder.size() || L.ffn_hidden.size() == 0 || L.ffn_pre.size() == 0 ||
      L.ffn_hidden.rows() != t.n()) {
    text_wrapped(_("Layer %d of this trace holds no feed-forward activations to show."), layer);
    return;
  }
  const FFNWeights& w = t.model->encoder[size_t(layer)].ffn;
  const bool relu = w.activation == Activation::ReLU;
  const int n = t.n(), dm = int(L.ffn_in.cols()), dff = int(L.ffn_hidden.cols());
  const bool pre_norm = t.settings.norm == NormPlacement::Pre;

  text_wrapped(_("Layer %d:  FFN(x) = %s(x·W₁ + b₁)·W₂ + b₂   ·   d_model %d → d_ff %d → d_model %d   ·   one W₁ (%d × %d) "
                       "and one W₂ (%d × %d) for all %d tokens%s"),
                     layer, act_name(w.activation), dm, dff, dm, dm, dff, dff, dm, n, v.busy ? _("   ·   computing the new trace…") : "");
  help_marker(ui, relu ? _("The paper's FFN (§3.3) with ReLU: every hidden unit whose pre-activation a = x·W₁ + b₁ is "
                           "negative outputs exactly 0 (grey below). Random weights and the toy models use ReLU, as the paper.")
                       : _("GPT-2's FFN uses GELU(a) ≈ 0.5·a·(1 + tanh(√(2/π)·(a + 0.044715·a³))): smooth, slightly "
                           "negative for a < 0 (down to −0.17 at a ≈ −0.75); exactly 0 only at a = 0, or where a is so "
                           "negative (below about −5) that the float result rounds to 0."));

  // Per-token numbers from the job; the heatmaps need only the trace.
  const std::pair<uint64_t, int> key{ui.version, layer};
  ui.ffn_job.poll();
  if (!ui.ffn_job.started(key))
    ui.ffn_job.start(ui.jobs, key, [x = pre_norm ? L.norm1 : L.ffn_in, in = L.ffn_in, pre = L.ffn_pre, h = L.ffn_hidden,
                                    o = L.ffn_out, m = t.model, layer](const JobToken&) {
      return compute(x, in, pre, h, o, m, layer);
    });
  const FfnData* data = ui.ffn_job.current() ? ui.ffn_job.result() : nullptr;  // never another layer's numbers

  // The token shown: hovered last frame (in a heatmap or the table), else the pinned query, else the first.
  const int tok = std::clamp(ui.ffn_hover >= 0 && ui.ffn_hover < n ? ui.ffn_hover : ui.pinned_q >= 0 ? ui.pinned_q : 0, 0, n - 1);
  int hover = -1;

  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float sp = ImGui::GetStyle().ItemSpacing.x, fh = ImGui::GetFontSize();
  const float bar_w = fh * 6.5f;  // H's own colour bar and the "exactly 0" swatch
  // Wide: X, H and FFN(X) side by side, H the widest. Narrow (a projector's scale on a small screen): one below the
  // other at full width, and the view scrolls.
  const bool wide = avail.x >= 50 * fh;
  const float w_side = wide ? (avail.x - 2 * sp - bar_w) * 0.25f : avail.x,
              w_mid = wide ? avail.x - 2 * sp - bar_w - 2 * w_side : avail.x - sp - bar_w;
  const float h_maps = wide ? std::max(fh * 10, avail.y * 0.40f) : std::max(fh * 12, avail.y * 0.6f);
  const char* x_title = pre_norm ? "X = LayerNorm(x)  (n × d_model)" : _("X: what enters the FFN (n × d_model)");
  const char* h_title = relu ? "H = ReLU(X·W₁ + b₁)  (n × d_ff)" : "H = GELU(X·W₁ + b₁)  (n × d_ff)";
  const char* o_title = "FFN(X) = H·W₂ + b₂  (n × d_model)";
  const auto map = [&](const char* id, const char* title, const Mat& m, Colormap cm, float lo,
                       float hi, bool bar, const char* col_axis, float width, const std::function<void(int, int)>& tip) {
    HeatmapSpec hs;
    hs.m = &m;
    hs.row_labels = &t.tokens;
    hs.row_axis = _("token");
    hs.col_axis = col_axis;
    hs.cmap = cm;
    hs.lo = lo, hs.hi = hi;
    hs.version = ui.version;
    hs.detail = layer;
    hs.title = title;
    hs.stretch = true;
    hs.colorbar = bar;
    hs.pinned_row = tok;  // the shown token's row, lit in all three
    const HeatmapEvent ev = draw_heatmap(id, hs, ImVec2(width, h_maps), ui.textures, tip);
    if (ev.hover_row >= 0) hover = ev.hover_row;
    if (ev.clicked) ui.pinned_q = ev.hover_row, ui.pinned_k = ui.pinned_k >= 0 ? ui.pinned_k : ev.hover_row;
  };
  float xl = 0, xh = 0, hl = 0, hh = 0, ol = 0, oh = 0;
  if (data) xl = data->x_lo, xh = data->x_hi, hl = data->h_lo, hh = data->h_hi, ol = data->o_lo, oh = data->o_hi;
  map("ffn_x", x_title, L.ffn_in, ui.scores_cmap, xl, xh, true, _("feature"), w_side, [&](int i, int j) {
    ImGui::Text(_("%s, feature %d: %s"), t.tokens[size_t(i)].c_str(), j, fmt_value(L.ffn_in(i, j)).c_str());
  });
  if (wide) ImGui::SameLine();
  const Mat& shown = data && data->hidden_shown.size() ? data->hidden_shown : L.ffn_hidden;
  const ImVec2 h0 = ImGui::GetCursorScreenPos();
  map("ffn_h", h_title, shown, ui.weights_cmap, hl, hh, false, _("hidden unit"), w_mid, [&](int i, int j) {
    const float a = L.ffn_pre(i, j), h = L.ffn_hidden(i, j);
    ImGui::Text(_("%s, hidden unit %d:  a = x·W₁[:, %d] + b₁[%d] = %s"), t.tokens[size_t(i)].c_str(), j, j, j, fmt_value(a).c_str());
    ImGui::Text("%s(a) = %s%s", act_name(w.activation), fmt_value(h).c_str(),
                relu && h == 0.0f ? _("  (exactly 0: a ≤ 0)") : "");
  });
  {  // H's colour bar, and the colour of an exact 0 (ReLU) beside it.
    ImDrawList* dl = ImGui::GetWindowDrawList();
    // The bar and the swatch stay within H's height (the text below starts there).
    const float bx = h0.x + w_mid + sp + fh * 0.3f, by = h0.y + fh * 3;
    const float bar_end = std::max(by + fh * 2, std::min(by + h_maps * 0.55f, h0.y + h_maps - (relu ? fh * 3 : fh)));
    draw_colorbar(dl, ImVec2(bx, by), ImVec2(bx + fh * 0.9f, bar_end), ui.weights_cmap, hl, hh, false);
    if (relu) {
      const float y = bar_end + fh * 1.2f;
      dl->AddRectFilled(ImVec2(bx, y), ImVec2(bx + fh * 0.9f, y + fh * 0.9f), IM_COL32(128, 128, 128, 255)  /* colormap_value's NaN grey */);
      dl->AddText(ImVec2(bx + fh * 1.3f, y - fh * 0.05f), ImGui::GetColorU32(ImGuiCol_Text), _("exactly 0"));
    }
  }
  if (wide) ImGui::SameLine(0, bar_w + sp);  // 2·w_side + w_mid + bar_w + 2·sp = the width
  map("ffn_o", o_title, L.ffn_out, ui.scores_cmap, ol, oh, true, _("feature"), w_side, [&](int i, int j) {
    ImGui::Text(_("%s, feature %d: %s"), t.tokens[size_t(i)].c_str(), j, fmt_value(L.ffn_out(i, j)).c_str());
  });

  // Position-wise: the claim, and the numbers that check it.
  std::string check = _("checking…");
  if (data) {
    const FfnTokenStats& s = data->stats;
    const double diff = s.max_row_alone_diff, top = s.max_abs_out;
    if (diff == 0)
      check = _("each row recomputed on its own with the same W₁, W₂ gives exactly its row of FFN(X)");
    else
      check = printf_text(diff <= 1e-4 * top ? _("each row recomputed on its own with the same W₁, W₂ gives its row of FFN(X) to "
                                                 "within %s (FFN(X)'s values reach %s; float rounding of a different summation order)")
                                              : _("each row recomputed on its own with the same W₁, W₂ gives its row of FFN(X) to "
                                                 "within %s (FFN(X)'s values reach %s; MORE than float rounding)"),
                          fmt_value(float(diff)).c_str(), fmt_value(float(top)).c_str());
  }
  text_wrapped(_("Row i of H and of FFN(X) depends only on row i of X: the same W₁ and W₂ are applied to every row, "
                       "with no mixing between tokens (that is attention's job). The lit row is \"%s\" (hover a row to move "
                       "it). Check: %s."),
                     t.tokens[size_t(tok)].c_str(), check.c_str());

  // Per token: what the FFN does to its vector (table, left) and the activation's curve (right).
  const ImVec2 rest = ImGui::GetContentRegionAvail();
  const float share_h = ImGui::GetTextLineHeightWithSpacing() * 7.6f;
  const float row_h = std::max(fh * 8, rest.y - share_h);
  const float left_w = wide ? (rest.x - sp) * 0.5f : rest.x;
  if (ImGui::BeginChild("ffn_tokens", ImVec2(left_w, row_h), false)) {
    const char* zero_head = relu ? _("h exactly 0") : _("a < 0 (squashed)");
    const char* x_name = pre_norm ? _("‖x‖ (residual)") : "‖x‖";
    if (pre_norm)
      text_wrapped("%s", _("Pre-norm: x is the residual stream; the FFN reads LayerNorm(x) and adds its output back to x."));
    else
      text_wrapped(_("Post-norm: x comes out of a LayerNorm (mean 0, variance 1 per row, then γ, β): with γ = 1, "
                           "β = 0 every ‖x‖ is √d_model = %s."), fmt_fixed(std::sqrt(double(dm)), 3).c_str());
    if (!data) {
      ImGui::TextUnformatted((_("per-token numbers") + computing_note(ui.ffn_job)).c_str());
    } else if (ImGui::BeginTable("ffn_tok", 5, ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY,
                                 ImVec2(0, 0))) {
      ImGui::TableSetupScrollFreeze(0, 1);
      ImGui::TableSetupColumn(_("token"), ImGuiTableColumnFlags_WidthFixed, fh * 6);
      ImGui::TableSetupColumn(zero_head, ImGuiTableColumnFlags_WidthStretch, 1.6f);  // "12.5% of 256" is the longest
      ImGui::TableSetupColumn(x_name, ImGuiTableColumnFlags_WidthStretch, 1.0f);
      ImGui::TableSetupColumn("‖FFN(x)‖", ImGuiTableColumnFlags_WidthStretch, 1.0f);
      ImGui::TableSetupColumn("cos(x, x + FFN(x))", ImGuiTableColumnFlags_WidthStretch, 1.0f);
      ImGui::TableHeadersRow();
      const FfnTokenStats& s = data->stats;
      double top = 1e-12;
      for (size_t i = 0; i < s.norm_x.size(); ++i) top = std::max({top, s.norm_x[i], s.norm_ffn[i]});
      ImGuiListClipper clip;
      clip.Begin(int(s.norm_x.size()));
      while (clip.Step())
        for (int i = clip.DisplayStart; i < clip.DisplayEnd; ++i) {
          const size_t k = size_t(i);
          ImGui::TableNextRow();
          ImGui::TableNextColumn();
          ImGui::PushID(i);
          if (ImGui::Selectable(t.tokens[k].c_str(), i == tok, ImGuiSelectableFlags_SpanAllColumns)) ui.pinned_q = i;
          if (ImGui::IsItemHovered()) hover = i;
          ImGui::PopID();
          const double z = relu ? s.zero_fraction[k] : data->negative_fraction[k];
          char buf[64];
          ImGui::TableNextColumn();
          std::snprintf(buf, sizeof buf, _("%s of %d"), fmt_percent(z).c_str(), dff);
          ImGui::ProgressBar(float(z), ImVec2(-1, 0), buf);
          ImGui::TableNextColumn();
          ImGui::ProgressBar(float(s.norm_x[k] / top), ImVec2(-1, 0), fmt_fixed(s.norm_x[k], 3).c_str());
          ImGui::TableNextColumn();
          ImGui::ProgressBar(float(s.norm_ffn[k] / top), ImVec2(-1, 0), fmt_fixed(s.norm_ffn[k], 3).c_str());
          ImGui::TableNextColumn();
          ImGui::ProgressBar(float(std::max(0.0, s.cos_residual[k])), ImVec2(-1, 0), fmt_fixed(s.cos_residual[k], 3).c_str());
        }
      ImGui::EndTable();
    }
  }
  ImGui::EndChild();
  if (ImGui::IsItemHovered())
    ui.explain = pre_norm ? _("x is the residual stream entering the sublayer (pre-norm: the FFN reads LayerNorm(x)); "
                              "x + FFN(x) is what leaves it. cos near 1: the FFN nudged the vector; lower: it turned it.")
                          : _("x is what the FFN reads; x + FFN(x) is the residual sum before the LayerNorm. cos near 1: "
                              "the FFN nudged the token's vector; lower: it turned it.");
  if (wide) ImGui::SameLine();
  ImGui::BeginGroup();
  {
    // The activation's curve with this token's d_ff pre-activations on it (at most 4,096 shown, evenly spaced).
    const auto pre = L.ffn_pre.row(tok);
    const int stride = std::max(1, dff / 4096);
    double lo = -3, hi = 3;
    for (int j = 0; j < dff; ++j)
      if (std::isfinite(pre[j])) lo = std::min(lo, double(pre[j])), hi = std::max(hi, double(pre[j]));
    PlotSpec ps;
    ps.title = stride > 1 ? printf_text(_("%s(a) and every %d-th of the %d pre-activations of \"%s\""), act_name(w.activation),
                                        stride, dff, t.tokens[size_t(tok)].c_str())
                          : printf_text(_("%s(a) and the %d pre-activations a = x·W₁ + b₁ of \"%s\""), act_name(w.activation),
                                        dff, t.tokens[size_t(tok)].c_str());
    ps.x_label = "a = x·W₁ + b₁";
    ps.y_label = std::string(act_name(w.activation)) + "(a)";
    PlotSeries curve{std::string(act_name(w.activation)) + "(a)", {}, {}, SeriesKind::Line, palette(0), 2.0f, false, 0};
    for (int k = 0; k <= 400; ++k) {
      const double a = lo + (hi - lo) * k / 400.0;
      curve.x.push_back(a);
      curve.y.push_back(relu ? std::max(0.0, a) : double(gelu_tanh(float(a))));
    }
    PlotSeries dots{_("this token's units"), {}, {}, SeriesKind::Scatter, palette(1), 2.0f, true, 0};
    int zero = 0;
    for (int j = 0; j < dff; ++j) zero += L.ffn_hidden(tok, j) == 0.0f;
    for (int j = 0; j < dff; j += stride) dots.x.push_back(pre[j]), dots.y.push_back(L.ffn_hidden(tok, j));
    ps.series = {curve, dots};
    ps.markers.push_back({0.0, true, "a = 0", 0});
    const float pw = wide ? rest.x - left_w - sp : rest.x;
    draw_plot("ffn_curve", ps, ImVec2(pw, row_h - ImGui::GetTextLineHeightWithSpacing()));
    if (relu) text_wrapped(_("%d of %d units of \"%s\" are exactly 0 (a ≤ 0): ReLU switches them off for this token."), zero, dff,
                          t.tokens[size_t(tok)].c_str());
    else text_wrapped(_("%d of %d units of \"%s\" are exactly 0%s"), zero, dff, t.tokens[size_t(tok)].c_str(),
                     zero ? _(" (a below about −5: GELU(a) rounds to 0 in float).") : _(": GELU keeps small negatives where ReLU gives 0."));
  }
  ImGui::EndGroup();
  ui.ffn_hover = hover;
  draw_share_table(t);
}

}  // namespace attn
