// paths_view.cpp: how far information travels between two positions: recurrent chain, convolution stack,
// full and restricted self-attention; an animation with step counters; the RNN's influence against distance
// beside self-attention's weights; sequential steps measured.
#include <imgui.h>

#include <algorithm>
#include <cmath>

#include "complexity.h"
#include "format.h"
#include "plot.h"
#include "rnn.h"
#include "teaching.h"
#include "timing_job.h"
#include "view_settings.h"

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
  ImGui::TextWrapped(
      "To relate two words, a recurrent network passes a message through every word in between: |i − j| sequential "
      "steps, and the signal fades on the way. Convolutions need log_k(n) stacked layers; self-attention links every "
      "pair directly, in one step, for all pairs at once.");
  ImGui::SetNextItemWidth(fh * 8);
  setting_slider(view_setting("path_i"), ui, "position i", 0, n - 1);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(fh * 8);
  setting_slider(view_setting("path_j"), ui, "position j", 0, n - 1);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(fh * 5);
  setting_slider(view_setting("kernel_k"), ui, "kernel k", 2, 8);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(fh * 5);
  setting_slider(view_setting("neighbourhood_r"), ui, "r", 1, 16);
  ImGui::SameLine();
  if (ImGui::Button(ui.path_playing ? "Pause" : "Animate")) {
    if (!ui.path_playing && ui.path_anim >= float(std::abs(ui.path_i - ui.path_j))) ui.path_anim = 0;
    ui.path_playing = !ui.path_playing;
  }
  const int i = std::min(ui.path_i, ui.path_j), j = std::max(ui.path_i, ui.path_j), dist = j - i;
  if (ui.path_playing) {
    ui.path_anim += ImGui::GetIO().DeltaTime * 2.0f;  // two steps a second
    if (ui.path_anim >= float(dist)) ui.path_anim = float(dist), ui.path_playing = false;
  }
  const int rnn_steps = std::min(dist, int(ui.path_anim)), att_steps = ui.path_anim > 0 ? std::min(1, dist) : 0;
  ImGui::SameLine();
  ImGui::Text("steps: RNN %d of %d · self-attention %d of %d", rnn_steps, dist, att_steps, std::min(1, dist));

  // Diagrams: four rows of token nodes.
  const Row rows[4] = {{"recurrent", rnn_path_length(i, j)},
                       {"convolutional", conv_path_length(i, j, ui.conv_k)},
                       {"self-attention", self_attention_path_length(i, j)},
                       {"restricted self-attention", restricted_path_length(i, j, ui.restricted_r)}};
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 o = ImGui::GetCursorScreenPos();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float diag_h = std::max(fh * 16, avail.y * 0.55f), row_h = diag_h / 4;
  const float left = fh * 11, right = o.x + avail.x - fh;
  const float step_x = (right - (o.x + left)) / std::max(1, n - 1);
  const ImU32 node = IM_COL32(120, 120, 130, 255), hot = IM_COL32(230, 90, 0, 255), edge = IM_COL32(150, 150, 160, 120);
  auto X = [&](int p) { return o.x + left + step_x * p; };
  for (int r = 0; r < 4; ++r) {
    const float y = o.y + row_h * r + row_h * 0.65f;
    dl->AddText(ImVec2(o.x, y - row_h * 0.45f), ImGui::GetColorU32(ImGuiCol_Text), rows[r].name);
    dl->AddText(ImVec2(o.x, y - row_h * 0.45f + fh), hot, ("path length " + std::to_string(rows[r].length)).c_str());
    if (r == 0) {  // chain: p → p+1
      for (int p = 0; p + 1 < n; ++p) {
        const bool on = p >= i && p < j && p - i < rnn_steps;
        dl->AddLine(ImVec2(X(p), y), ImVec2(X(p + 1), y), on ? hot : edge, on ? 3.0f : 1.0f);
      }
    } else if (r == 1) {  // dilated stack: layer ℓ connects p to p + k^ℓ·m; draw the hops of the path
      int pos = i, remaining = dist, layer = 0;
      std::vector<int> digits;  // j − i in base k: each layer moves by digit·k^layer
      for (int x = dist; x > 0; x /= ui.conv_k) digits.push_back(x % ui.conv_k);
      int stride = 1;
      for (int dgt : digits) {
        const int next = pos + dgt * stride;
        const float yy = y - row_h * 0.12f * float(layer);
        if (next != pos) dl->AddBezierQuadratic(ImVec2(X(pos), y), ImVec2((X(pos) + X(next)) / 2, yy - row_h * 0.35f), ImVec2(X(next), y), hot, 2.5f);
        pos = next, stride *= ui.conv_k, ++layer;
        (void)remaining;
      }
    } else {  // attention: arcs from i to every (allowed) key, j highlighted
      const int reach = r == 2 ? n : ui.restricted_r;
      for (int q = 0; q < n; ++q) {
        if (q == i || std::abs(q - i) > reach) continue;
        const bool target = q == j && r == 2;
        dl->AddBezierQuadratic(ImVec2(X(i), y), ImVec2((X(i) + X(q)) / 2, y - row_h * 0.5f), ImVec2(X(q), y),
                               target ? hot : edge, target ? 3.0f : 1.0f);
      }
      if (r == 3) {  // hops of r positions
        for (int p = i; p < j; p += ui.restricted_r) {
          const int q = std::min(j, p + ui.restricted_r);
          dl->AddBezierQuadratic(ImVec2(X(p), y), ImVec2((X(p) + X(q)) / 2, y + row_h * 0.3f), ImVec2(X(q), y), hot, 2.5f);
        }
      }
    }
    for (int p = 0; p < n; ++p) {
      const bool end = p == i || p == j;
      dl->AddCircleFilled(ImVec2(X(p), y), end ? 6.0f : 4.0f, end ? hot : node);
      if (r == 3 && step_x > fh * 1.5f && p < int(t.tokens.size()))
        dl->AddText(ImVec2(X(p) - ImGui::CalcTextSize(t.tokens[size_t(p)].c_str()).x / 2, y + 8),
                    ImGui::GetColorU32(ImGuiCol_TextDisabled), t.tokens[size_t(p)].c_str());
    }
  }
  ImGui::Dummy(ImVec2(avail.x, diag_h + fh));

  // Influence against distance: the RNN over the sentence's inputs vs self-attention's weights.
  const ImVec2 rest = ImGui::GetContentRegionAvail();
  const float w2 = (rest.x - ImGui::GetStyle().ItemSpacing.x) / 2;
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
  pl.title = "influence against distance |i − j|" + computing_note(ui.paths_job);
  pl.x_label = "distance";
  pl.y_label = "relative size";
  pl.log_y = true;
  pl.series.push_back({"RNN ‖∂h_j/∂x_i‖ (÷ distance 0)", dists, infl_norm, SeriesKind::Line, palette(1), 2.0f, true});
  if (!att.empty()) pl.series.push_back({"attention weight × n (layer 0, mean of heads)", dists, att, SeriesKind::Line, palette(0), 2.0f, true});
  draw_plot("influence", pl, ImVec2(w2, rest.y));
  explain(ui, "The RNN's gradient shrinks geometrically with distance; attention weights do not depend on distance at all.");
  ImGui::SameLine();
  ImGui::BeginGroup();
  timing_job_controls(ui, 64);
  PlotSpec seq;
  seq.title = "sequential steps, measured: RNN (n dependent steps) vs attention (one parallel step)";
  seq.x_label = "n";
  seq.y_label = "seconds";
  seq.log_x = seq.log_y = true;
  if (!ui.timing_result.empty()) {
    std::vector<double> ns, tr, ta;
    for (const TimingPoint& p : ui.timing_result) ns.push_back(p.n), tr.push_back(p.rnn_s), ta.push_back(p.attention_s);
    seq.series.push_back({"RNN over n steps (d = 64)", ns, tr, SeriesKind::Line, palette(1), 2.0f, true});
    seq.series.push_back({"attention, all pairs (d_k = 64)", ns, ta, SeriesKind::Line, palette(0), 2.0f, true});
  }
  draw_plot("seq", seq, ImVec2(w2, rest.y - ImGui::GetFrameHeightWithSpacing()));
  ImGui::EndGroup();
  explain(ui, "An RNN's n steps cannot run in parallel: each needs the previous hidden state. Attention's work is one big matrix product.");
}

}  // namespace attn
