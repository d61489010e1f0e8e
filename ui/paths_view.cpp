// paths_view.cpp: how far information travels between two positions: recurrent chain, convolution stack,
// full and restricted self-attention; an animation with step counters; the RNN's influence against distance
// beside self-attention's weights; sequential steps measured.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "i18n.h"
#include "complexity.h"
#include "format.h"
#include "plot.h"
#include "rnn.h"
#include "teaching.h"
#include "timing_job.h"
#include "view_settings.h"
#include "text_flow.h"

namespace attn {
namespace {

struct Row {
  const char* name;
  int length;
};

}  // namespace

void draw_paths_view(const Views& v, UiState& ui) {
  const Trace& t = *v.trace;
  const int n = std::max(2, t.n_real);
  const float fh = ImGui::GetFontSize();
  ui.path_i = std::clamp(ui.path_i, 0, n - 1);
  ui.path_j = std::clamp(ui.path_j, 0, n - 1);
  text_wrapped(
      "%s", _("To relate two words, a recurrent network passes a message through every word in between: |i − j| sequential "
              "steps, and the signal fades on the way. Convolutions need log_k(n) stacked layers; self-attention links every "
              "pair directly, in one step, for all pairs at once."));
  ImGui::SetNextItemWidth(fh * 8);
  setting_slider(view_setting("path_i"), ui, _("position i"), 0, n - 1);
  same_line_if_fits(labelled_width(fh * 8, _("position j")));
  ImGui::SetNextItemWidth(fh * 8);
  setting_slider(view_setting("path_j"), ui, _("position j"), 0, n - 1);
  same_line_if_fits(labelled_width(fh * 5, _("kernel k")));
  ImGui::SetNextItemWidth(fh * 5);
  setting_slider(view_setting("kernel_k"), ui, _("kernel k"), 2, 8);
  same_line_if_fits(labelled_width(fh * 5, _("neighbourhood r")));
  ImGui::SetNextItemWidth(fh * 5);
  setting_slider(view_setting("neighbourhood_r"), ui, _("neighbourhood r"), 2, 16);
  check_path_inputs(ui);  // typed or scripted values: k ≥ 2, r ≥ 2 (no division by 0, no endless loop below)
  const int k = ui.conv_k;
  const int r_used = int(clamp_neighbourhood(uint64_t(ui.restricted_r), uint64_t(n))), reach = restricted_reach(r_used);
  same_line_if_fits(button_width(ui.path_playing ? _("Pause") : _("Animate")));
  if (ImGui::Button(ui.path_playing ? _("Pause") : _("Animate"))) {
    if (!ui.path_playing && ui.path_anim >= float(std::abs(ui.path_i - ui.path_j))) ui.path_anim = 0;
    ui.path_playing = !ui.path_playing;
  }
  const int i = std::min(ui.path_i, ui.path_j), j = std::max(ui.path_i, ui.path_j), dist = j - i;
  if (ui.path_playing) {
    ui.path_anim += ImGui::GetIO().DeltaTime * 2.0f;  // two steps a second
    if (ui.path_anim >= float(dist)) ui.path_anim = float(dist), ui.path_playing = false;
  }
  const int rnn_steps = std::min(dist, int(ui.path_anim)), att_steps = ui.path_anim > 0 ? std::min(1, dist) : 0;
  text_afterf(false, _("steps: RNN %d of %d · self-attention %d of %d"), rnn_steps, dist, att_steps, std::min(1, dist));

  // Diagrams: four rows of token nodes.
  const int hops = restricted_path_length(i, j, r_used);
  std::string note = printf_text(
      r_used % 2 ? P_("Restricted self-attention: a neighbourhood of r = %d keys centred on each query (±%d), so a path moves "
                      "%d positions per hop: %d/%d rounded up = %d hop from i to j.",
                      "Restricted self-attention: a neighbourhood of r = %d keys centred on each query (±%d), so a path moves "
                      "%d positions per hop: %d/%d rounded up = %d hops from i to j.", (unsigned long)hops)
                 : P_("Restricted self-attention: a neighbourhood of r = %d keys centred on each query (±%d: an even r is "
                      "widened by one to stay symmetric), so a path moves %d positions per hop: %d/%d rounded up = %d hop "
                      "from i to j.",
                      "Restricted self-attention: a neighbourhood of r = %d keys centred on each query (±%d: an even r is "
                      "widened by one to stay symmetric), so a path moves %d positions per hop: %d/%d rounded up = %d hops "
                      "from i to j.", (unsigned long)hops),
      r_used, reach, reach, dist, reach, hops);
  if (r_used != ui.restricted_r)
    note += printf_text(_(" r = %d is more than the sentence's %d tokens: it counts as r = %d."), ui.restricted_r, n, r_used);
  text_wrapped("%s", note.c_str());
  const Row rows[4] = {{_("recurrent"), rnn_path_length(i, j)},
                       {_("convolutional"), conv_path_length(i, j, k)},
                       {_("self-attention"), self_attention_path_length(i, j)},
                       {_("restricted self-attention"), restricted_path_length(i, j, r_used)}};
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 o = ImGui::GetCursorScreenPos();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float diag_h = std::max(fh * 16, avail.y * 0.55f), row_h = diag_h / 4;
  const float left = fh * 11, right = o.x + avail.x - fh;
  const float step_x = (right - (o.x + left)) / std::max(1, n - 1);
  const ImU32 node = IM_COL32(120, 120, 130, 255), hot = IM_COL32(230, 90, 0, 255), edge = IM_COL32(150, 150, 160, 120);
  auto X = [&](int p) { return o.x + left + step_x * p; };
  // Hundreds of tokens put nodes a few pixels apart: then a row is a line with its two ends marked, and attention's
  // fan of arcs is thinned to about 64 (512 tokens drew 88k vertices a frame, the most of any tab).
  const bool dense = step_x < fh * 0.6f;
  const int arc_stride = dense ? std::max(1, n / 64) : 1;
  for (int r = 0; r < 4; ++r) {
    const float y = o.y + row_h * r + row_h * 0.65f;
    dl->AddText(ImVec2(o.x, y - row_h * 0.45f), ImGui::GetColorU32(ImGuiCol_Text), rows[r].name);
    const std::string len = rows[r].length == kNoPath ? _("no path") : printf_text(_("path length %d"), rows[r].length);
    dl->AddText(ImVec2(o.x, y - row_h * 0.45f + fh), hot, len.c_str());
    if (r == 0) {  // chain p → p+1: the edges, and the part of i → j the animation has crossed
      dl->AddLine(ImVec2(X(0), y), ImVec2(X(n - 1), y), edge, 1.0f);
      if (rnn_steps > 0) dl->AddLine(ImVec2(X(i), y), ImVec2(X(i + rnn_steps), y), hot, 3.0f);
    } else if (r == 1) {  // dilated stack: layer ℓ connects p to p + m·k^ℓ (m < k); draw the hops of the path
      int pos = i, layer = 0;
      long long stride = 1;  // k^layer, ≤ k·dist: no overflow for k ≤ 4096
      for (int x = dist; x > 0; x /= k, stride *= k, ++layer) {  // j − i in base k: layer ℓ moves digit·k^ℓ
        const int next = pos + int((x % k) * stride);
        const float yy = y - row_h * 0.12f * float(layer);
        if (next != pos) dl->AddBezierQuadratic(ImVec2(X(pos), y), ImVec2((X(pos) + X(next)) / 2, yy - row_h * 0.35f), ImVec2(X(next), y), hot, 2.5f);
        pos = next;
      }
    } else {  // attention: arcs from i to every key it sees (restricted: within ±⌊r/2⌋), j highlighted
      const int span = r == 2 ? n : reach;
      for (int q = 0; q < n; ++q) {
        if (q == i || std::abs(q - i) > span || (q != j && q % arc_stride)) continue;
        const bool target = q == j && r == 2;
        dl->AddBezierQuadratic(ImVec2(X(i), y), ImVec2((X(i) + X(q)) / 2, y - row_h * 0.5f), ImVec2(X(q), y),
                               target ? hot : edge, target ? 3.0f : 1.0f);
      }
      if (r == 3 && reach > 0) {  // hops of ⌊r/2⌋ positions
        for (int p = i; p < j; p += reach) {
          const int q = std::min(j, p + reach);
          dl->AddBezierQuadratic(ImVec2(X(p), y), ImVec2((X(p) + X(q)) / 2, y + row_h * 0.3f), ImVec2(X(q), y), hot, 2.5f);
        }
      }
    }
    if (dense) dl->AddLine(ImVec2(X(0), y), ImVec2(X(n - 1), y), node, 1.0f);
    for (int p = 0; p < n; ++p) {
      const bool end = p == i || p == j;
      if (dense && !end) continue;
      dl->AddCircleFilled(ImVec2(X(p), y), end ? 6.0f : 4.0f, end ? hot : node);
      if (r == 3 && step_x > fh * 1.5f && p < int(t.tokens.size()))
        dl->AddText(ImVec2(X(p) - ImGui::CalcTextSize(t.tokens[size_t(p)].c_str()).x / 2, y + 8),
                    ImGui::GetColorU32(ImGuiCol_TextDisabled), t.tokens[size_t(p)].c_str());
    }
  }
  ImGui::Dummy(ImVec2(avail.x, diag_h + fh));

  // Influence against distance: the RNN over the sentence's inputs vs self-attention's weights.
  ImVec2 rest = ImGui::GetContentRegionAvail();
  rest.y -= ImGui::GetTextLineHeightWithSpacing() * 3;  // what the measurement shows, under the plots
  rest.y = std::max(rest.y, ImGui::GetFontSize() * 14);  // readable at any UI scale: the panel scrolls instead
  PanelGrid grid(rest.x, 2, ImGui::GetFontSize() * 18);  // side by side, or one below the other at scale 2
  const float w2 = grid.w;
  // O(n²·d³): computed in a job once per trace; the previous curves stay on screen meanwhile.
  ui.paths_job.poll();
  if (!ui.paths_job.started(ui.version))
    ui.paths_job.start(ui.jobs, ui.version, [X_in = Mat(t.input.topRows(t.n_real)), seed = t.settings.seed,
                                             w = t.layers.empty() ? Mat() : t.layers[0].attn.mean_weights,
                                             n_real = t.n_real](const JobToken& tok) {
      PathsData pc;
      const std::vector<double> infl = rnn_influence_by_distance(X_in, make_rnn(int(X_in.cols()), int(X_in.cols()), seed), tok.flag(),
                                                                 [&tok](int done, int total) { tok.progress(done, total); });
      for (int k = 0; k < int(infl.size()); ++k)
        pc.dists.push_back(k), pc.rnn_influence.push_back(infl[size_t(k)] / std::max(1e-12, infl[0]));
      if (w.size() > 0) {
        for (int k = 0; k < n_real; ++k) {
          double s = 0;
          int c = 0;
          for (int q = 0; q + k < n_real; ++q) s += w(q + k, q) + (k ? w(q, q + k) : 0), c += k ? 2 : 1;
          pc.attention.push_back(c ? s / c * n_real : 0);  // × n: 1 = uniform attention
        }
      }
      return pc;
    });
  const PathsData none;
  const PathsData& pc = ui.paths_job.result() ? *ui.paths_job.result() : none;
  const std::vector<double>& dists = pc.dists;
  const std::vector<double>& infl_norm = pc.rnn_influence;
  const std::vector<double>& att = pc.attention;
  PlotSpec pl;
  pl.title = _("influence against distance |i − j|") + computing_note(ui.paths_job);
  pl.x_label = _("distance");
  pl.y_label = _("relative size");
  pl.log_y = true;
  const bool dots = dists.size() <= 64;  // a dot per distance only while they stay apart
  pl.series.push_back({_("RNN ‖∂h_j/∂x_i‖ (÷ distance 0)"), dists, infl_norm, SeriesKind::Line, palette(1), 2.0f, dots});
  if (!att.empty()) pl.series.push_back({_("attention weight × n (layer 0, mean of heads)"), dists, att, SeriesKind::Line, palette(0), 2.0f, dots});
  draw_plot("influence", pl, ImVec2(w2, rest.y));
  explain(ui, _("The RNN's gradient shrinks geometrically with distance; attention weights do not depend on distance at all."));
  grid.next();
  ImGui::BeginGroup();
  timing_job_controls(ui, kTimingWidth);
  PlotSpec seq;
  seq.title = _("sequential steps, measured: RNN (n dependent steps) vs attention (one parallel step)");
  seq.x_label = "n";
  seq.y_label = _("seconds");
  seq.log_x = seq.log_y = true;
  if (!ui.timing_result.empty()) {
    std::vector<double> ns, tr, ta;
    for (const TimingPoint& p : ui.timing_result) ns.push_back(p.n), tr.push_back(p.rnn_s), ta.push_back(p.attention_s);
    seq.series.push_back({_("RNN over n steps (d = 64)"), ns, tr, SeriesKind::Line, palette(1), 2.0f, true});
    seq.series.push_back({_("attention, all pairs (d_k = 64)"), ns, ta, SeriesKind::Line, palette(0), 2.0f, true});
  }
  draw_plot("seq", seq, ImVec2(w2, rest.y - ImGui::GetFrameHeightWithSpacing()));
  ImGui::EndGroup();
  explain(ui, _("An RNN's n steps cannot run in parallel: each needs the previous hidden state. Attention's work is one big matrix product."));
  if (ui.timing_result.empty()) {
    ImGui::TextDisabled("%s", _("Measure to compare the time of n sequential RNN steps with one parallel step of attention over all n² pairs."));
    return;
  }
  // What the measurement shows, from its own numbers: on one core the total work sets the time.
  TimingPoint p = ui.timing_result.back();
  p.attention_s = std::max(p.attention_s, 1e-9), p.rnn_s = std::max(p.rnn_s, 1e-9);  // a clock tick, never ÷ 0
  const int d = kTimingWidth;
  const MultiHeadCost mh = multi_head_cost(uint64_t(p.n), d, 1);
  const double att_ops = double(mh.scores + mh.weighted_sum), rnn_ops = double(rnn_cost(uint64_t(p.n), d));
  auto giga = [](double x) { return fmt_fixed(x / 1e9, 2) + " G"; };
  auto secs = [](double x) { return x < 0.1 ? fmt_fixed(x * 1e3, 1) + " ms" : fmt_fixed(x, 2) + " s"; };
  const std::string N = std::to_string(p.n);
  std::string msg = printf_text(
      _("What is measured, on one CPU core (d = %d): at n = %s attention does 2·n²·d = %s multiply-adds in one parallel "
        "step; the RNN does 2·n·d² = %s in %s sequential steps. Attention took %s (%s/s), the RNN %s (%s/s): %s× the "
        "work, %s× the time. "),
      d, N.c_str(), giga(att_ops).c_str(), giga(rnn_ops).c_str(), N.c_str(), secs(p.attention_s).c_str(),
      giga(att_ops / p.attention_s).c_str(), secs(p.rnn_s).c_str(), giga(rnn_ops / p.rnn_s).c_str(),
      fmt_fixed(att_ops / rnn_ops, 0).c_str(), fmt_fixed(p.attention_s / p.rnn_s, 0).c_str());
  if (p.n > d) {
    msg += printf_text(_("On one core the total work sets the time, not the sequential depth: attention's advantage is 1 "
                         "step against %s, which only parallel hardware (a GPU's thousands of lanes) turns into seconds; "
                         "and it does less work than the RNN only while n < d = %d (Table 1). "),
                       N.c_str(), d);
    // The rest of the gap is the rate per multiply-add, also measured.
    const double rate = (att_ops / p.attention_s) / (rnn_ops / p.rnn_s);
    if (rate < 0.67)
      msg += printf_text(_("The time ratio exceeds the work ratio because attention runs at %s× the RNN's rate here: its "
                           "n × n matrices (%s MiB) stream through memory and each cell needs an exp, while the RNN's "
                           "d × d weights stay in cache."),
                         fmt_fixed(rate, 2).c_str(),
                         fmt_fixed(double(p.n) * p.n * kAttentionBytesPerCell / 1048576.0, 0).c_str());
    else if (rate > 1.5)
      msg += printf_text(_("Attention runs at %s× the RNN's rate per multiply-add (one large matrix product against n "
                           "small ones)."), fmt_fixed(rate, 2).c_str());
  } else {
    msg += printf_text(_("Here n ≤ d = %d, so attention does no more work than the RNN (Table 1) and needs 1 step against %s."),
                       d, N.c_str());
  }

  text_wrapped("%s", msg.c_str());
}

}  // namespace attn
