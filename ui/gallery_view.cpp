// gallery_view.cpp: the Head gallery: every layer × head as a thumbnail with its scores (core/head_scores.h), sorted
// and filtered by any score. A click selects that head in every view (UiState's layer and head, and the All heads
// tab's enlarged head); a double-click opens it in Q·Kᵀ → softmax. Beside the gallery: the selected head on the
// sentence and on the induction probe.
//
// The scores, the probe trace and the thumbnails are computed in a job (ui.gallery.job, keyed by the trace version):
// the UI thread only copies the heads' weights once per trace (weights_only). Thumbnails hold at most
// kThumbCells² cells (max-pooled), so 144 heads upload at most 144 × 128² texels when a trace lands, and only the
// visible rows of tiles are drawn (ImGuiListClipper).
#include <imgui.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <string>

#include "i18n.h"
#include "explorer.h"
#include "format.h"
#include "heatmap.h"
#include "plot.h"
#include "timing_job.h"
#include "view_settings.h"
#include "text_flow.h"

namespace attn {
namespace {

constexpr uint64_t kProbeSeed = 1;  // the probe is the same for every run of a model
constexpr HeadScoreKind kKinds[kHeadScoreKinds] = {HeadScoreKind::Previous, HeadScoreKind::First,
                                                    HeadScoreKind::Diagonal, HeadScoreKind::Induction,
                                                    HeadScoreKind::Entropy};
constexpr float kThumbMinHi = 0.25f;  // the smallest top of a thumbnail's colour range
const char* const kShort[kHeadScoreKinds] = {"prev", "first", "diag", "ind", "ent"};

// The max of each p × p block of the first n rows and columns (the last block may be smaller).
Mat max_pool(const Mat& w, int n, int p) {
  const int m = (n + p - 1) / p;
  Mat out = Mat::Zero(m, m);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) out(i / p, j / p) = std::max(out(i / p, j / p), w(i, j));
  return out;
}

GalleryData compute_gallery(const Trace& t, int probe_length, const JobToken& tok) {
  GalleryData d;
  Probe p;
  d.probe_error = probe_text(*t.model, t.settings, probe_length, kProbeSeed, &p);
  d.probe_refused = !d.probe_error.empty();
  if (!d.probe_refused) {
    auto probe = std::make_shared<Trace>();
    d.probe_error = build_trace(p.settings, p.text, probe.get(), t.model);
    if (d.probe_error.empty()) d.probe = probe, d.probe_length = p.length, d.probe_words = p.words;
  }
  if (tok.cancelled()) return d;
  d.scores = score_heads(t, d.probe.get());
  const int n = t.n();
  d.pool = std::max(1, (n + kThumbCells - 1) / kThumbCells);
  const int m = (n + d.pool - 1) / d.pool;
  d.thumb_mask = BoolMat(m, m);
  for (int bi = 0; bi < m; ++bi)
    for (int bj = 0; bj < m; ++bj) {
      bool all = true;
      for (int i = bi * d.pool; i < std::min(n, (bi + 1) * d.pool) && all; ++i)
        for (int j = bj * d.pool; j < std::min(n, (bj + 1) * d.pool) && all; ++j) all = t.mask(i, j);
      d.thumb_mask(bi, bj) = all;
    }
  for (const EncoderLayerTrace& L : t.layers)
    for (const HeadTrace& h : L.attn.heads) {
      if (tok.cancelled()) return d;
      Mat th = d.pool == 1 ? h.weights : max_pool(h.weights, n, d.pool);
      float hi = 0;
      for (int i = 0; i < m; ++i)
        for (int j = 0; j < m; ++j)
          if (!d.thumb_mask(i, j) && std::isfinite(th(i, j))) hi = std::max(hi, th(i, j));
      // At least kThumbMinHi: a diffuse head (every weight about 1/n) stays dark instead of being stretched to
      // the top colour, so thumbnails can be compared by eye.
      d.hi.push_back(std::max(hi, kThumbMinHi));
      d.thumbs.push_back(std::move(th));
    }
  return d;
}

std::string fmt_score(double v) { return std::isnan(v) ? "–" : fmt_fixed(v, 2); }

// One score under a thumbnail: its short name, a bar of its value in [0, 1] and the number.
void score_bar(ImDrawList* dl, ImVec2 p, float w, const char* name, double v, bool sorted) {
  const float fh = ImGui::GetFontSize();
  const ImU32 ink = sorted ? IM_COL32(255, 170, 60, 255) : ImGui::GetColorU32(ImGuiCol_Text);
  const float name_w = fh * 2.4f, num_w = fh * 2.2f, bar_w = std::max(4.0f, w - name_w - num_w);
  dl->AddText(p, ink, name);
  const ImVec2 b0(p.x + name_w, p.y + fh * 0.25f), b1(b0.x + bar_w, p.y + fh * 0.85f);
  dl->AddRectFilled(b0, b1, IM_COL32(70, 70, 80, 255));
  if (!std::isnan(v))
    dl->AddRectFilled(b0, ImVec2(b0.x + bar_w * float(std::clamp(v, 0.0, 1.0)), b1.y),
                      sorted ? IM_COL32(255, 150, 40, 255) : palette(0));
  dl->AddText(ImVec2(b1.x + fh * 0.3f, p.y), ink, fmt_score(v).c_str());
}

void score_tooltip(const HeadScore& s, bool off) {
  ImGui::BeginTooltip();
  ImGui::Text(_("layer %d, head %d%s"), s.layer, s.head, off ? _(" (switched off: traced, not used)") : "");
  ImGui::Separator();
  ImGui::Text(_("previous-token  mean w[i][i−1]          %s"), fmt_score(s.prev).c_str());
  ImGui::Text(_("first-token     mean w[i][0]            %s"), fmt_score(s.first).c_str());
  ImGui::Text(_("diagonal        mean w[i][i]            %s"), fmt_score(s.diag).c_str());
  ImGui::Text(_("induction       mean w[i][i−L+1] (probe) %s"), fmt_score(s.induction).c_str());
  ImGui::Text(_("entropy         %s nats, ÷ ln(keys) = %s"), fmt_score(s.entropy).c_str(), fmt_score(s.entropy_norm).c_str());
  ImGui::TextDisabled("%s", _("click: show this head in every view · double-click: open it in Q·Kᵀ → softmax"));

  ImGui::EndTooltip();
}

void select_head(UiState& ui, int layer, int head) {
  ui.layer = layer, ui.head = head;
  ui.enlarged_head = head;  // All heads shows it enlarged
}

bool head_off(const Trace& t, int l, int h) {
  const std::vector<uint8_t>& on = t.settings.head_enabled;
  const size_t k = size_t(l) * size_t(t.settings.heads) + size_t(h);
  return on.size() == size_t(t.settings.layers) * size_t(t.settings.heads) && k < on.size() && !on[k];
}

// The selected head, large: on the sentence, and on the probe with the induction stripe described.
void draw_detail(const Trace& t, const GalleryData* d, UiState& ui, ImVec2 size) {
  const float fh = ImGui::GetFontSize();
  const HeadTrace* h = selected_head(t, ui);
  if (!h) return;
  ImGui::Text(_("Layer %d, head %d"), ui.layer, ui.head);
  const HeadScores* s = d ? &d->scores : nullptr;
  if (s && ui.layer < s->layers && ui.head < s->heads) {
    const HeadScore& hs = s->at(ui.layer, ui.head);
    if (ImGui::BeginTable("scores", 2, ImGuiTableFlags_SizingStretchProp)) {
      ImGui::TableSetupColumn("score", ImGuiTableColumnFlags_WidthStretch);
      ImGui::TableSetupColumn("value", ImGuiTableColumnFlags_WidthFixed, ImGui::CalcTextSize("0.000").x);
      for (int k = 0; k < kHeadScoreKinds; ++k) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(score_label(kKinds[k]));
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(fmt_score(hs.value(kKinds[k])).c_str());
      }
      ImGui::EndTable();
    }
  }
  // At least room for the labels, the grid and the colour bar with its "masked" swatch; the panel scrolls.
  const float each = std::max(fh * 16, (size.y - ImGui::GetCursorPosY() - fh * 2) / 2);
  HeatmapSpec spec;
  spec.m = &h->weights;
  spec.blocked = &t.mask;
  spec.row_labels = spec.col_labels = &t.tokens;
  spec.cmap = ui.weights_cmap;
  value_range(h->weights, &t.mask, false, &spec.lo, &spec.hi);
  spec.lo = 0;
  spec.version = ui.version;
  spec.title = _("on the sentence");
  spec.pinned_row = ui.pinned_q, spec.pinned_col = ui.pinned_k;
  const HeatmapEvent ev = draw_heatmap("g_sentence", spec, ImVec2(size.x, each), ui.textures,
                                       [&](int i, int j) { cell_arithmetic(t, *h, i, j); });
  if (ev.clicked) ui.pinned_q = ev.hover_row, ui.pinned_k = ev.hover_col;
  if (!d || !d->probe || ui.layer >= int(d->probe->layers.size())) return;
  const MultiHeadTrace& pa = d->probe->layers[size_t(ui.layer)].attn;
  if (ui.head >= int(pa.heads.size())) return;
  const Mat& pw = pa.heads[size_t(ui.head)].weights;
  HeatmapSpec ps = spec;
  ps.m = &pw;
  ps.blocked = &d->probe->mask;
  ps.row_labels = ps.col_labels = &d->probe->tokens;
  value_range(pw, &d->probe->mask, false, &ps.lo, &ps.hi);
  ps.lo = 0;
  ps.detail = 1;  // the probe's matrix, not the sentence's
  const std::string probe_title = printf_text(_("on the probe, L = %d: induction lights i → i−L+1"), d->probe->n_real / 2);
  ps.title = probe_title.c_str();
  ps.pinned_row = ps.pinned_col = -1;
  draw_heatmap("g_probe", ps, ImVec2(size.x, each), ui.textures, [&](int i, int j) {
    ImGui::Text(_("query \"%s\" (%d) → key \"%s\" (%d): %s"), d->probe->tokens[size_t(i)].c_str(), i,
                d->probe->tokens[size_t(j)].c_str(), j, fmt_value(pw(i, j)).c_str());
  });
}

}  // namespace

void draw_gallery_view(const Views& v, UiState& ui) {
  const Trace& t = *v.trace;
  GalleryState& g = ui.gallery;
  const float fh = ImGui::GetFontSize();
  g.tiles.clear();
  if (t.layers.empty()) {
    text_wrapped("%s", _("The model has 0 layers: set layers N ≥ 1 to see its heads."));
    return;
  }
  g.job.poll();
  if (!g.job.started(ui.version)) {
    // The worker reads its own copy of the weights: the UI thread may rebuild t in place meanwhile. The last copy's
    // buffers are reused once its job has let go of it (a fresh copy page-faults in every buffer).
    // Two buffers: a running job holds at most one (cancel() drops a queued one), so typing reuses the other.
    g.job.cancel();
    std::shared_ptr<Trace>* buf = nullptr;
    for (std::shared_ptr<Trace>& c : g.copies)
      if (!buf && (!c || c.use_count() == 1)) buf = &c;
    if (!buf) buf = &g.copies[0];  // (a dropped work not yet destroyed) a fresh buffer replaces it
    if (*buf && buf->use_count() == 1) std::atomic_thread_fence(std::memory_order_acquire);  // the job's reads are done
    else *buf = std::make_shared<Trace>();
    weights_only(t, buf->get());
    std::shared_ptr<const Trace> copy = *buf;
    const int L = v.selected && t.model && t.model->trained() ? v.selected->config.task.length / 2 : kProbeLength;
    g.job.start(ui.jobs, ui.version, [copy, L](const JobToken& tok) { return compute_gallery(*copy, L, tok); });
  }
  const GalleryData* d = g.job.result();
  // The order: ranked by the sort score (or layer order), then filtered.
  const HeadScores none;
  const HeadScores& s = d ? d->scores : none;
  const bool by_layer = ui.gallery_sort == 0;
  const HeadScoreKind sort_kind = kKinds[std::clamp(ui.gallery_sort - 1, 0, kHeadScoreKinds - 1)];
  const HeadScoreKind filter_kind = kKinds[std::clamp(ui.gallery_filter, 0, kHeadScoreKinds - 1)];
  std::vector<int> order;
  if (by_layer) {
    for (int k = 0; k < int(s.all.size()); ++k) order.push_back(k);
  } else {
    order = rank_heads(s, sort_kind);
  }
  const double min_v = double(ui.gallery_min);
  order.erase(std::remove_if(order.begin(), order.end(),
                             [&](int k) {
                               const double x = s.all[size_t(k)].value(filter_kind);
                               return min_v > 0 && !(x >= min_v);  // a missing score passes only a filter at 0
                             }),
              order.end());
  g.shown = int(order.size()), g.total = int(s.all.size());

  // Controls: sort, filter (labels first, so the row reads "sort by induction   show heads with previous ≥ 0.30").
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(_("sort by"));
  ImGui::SameLine();
  ImGui::SetNextItemWidth(fh * 8);
  setting_slider(view_setting("gallery_sort"), ui, "##gallery_sort");
  {  // the filter moves to its own line when it does not fit beside the sort
    const ImGuiStyle& st = ImGui::GetStyle();
    const float need = fh * 1.5f + ImGui::CalcTextSize(_("show heads with")).x + fh * 15 + ImGui::CalcTextSize("≥").x +
                       st.ItemInnerSpacing.x + 3 * st.ItemSpacing.x;
    same_line_if_fits(need, fh * 1.5f);
  }
  ImGui::TextUnformatted(_("show heads with"));
  ImGui::SameLine();
  ImGui::SetNextItemWidth(fh * 8);
  setting_slider(view_setting("gallery_filter"), ui, "≥##gallery_filter");
  same_line_if_fits(fh * 7);
  ImGui::SetNextItemWidth(fh * 7);
  setting_slider(view_setting("gallery_min"), ui, "##gallery_min", NAN, NAN, false, "%.2f");
  text_afterf(false, _("%d of %d heads%s"), g.shown, g.total, computing_note(g.job).c_str());
  help_marker(ui,
              _("Scores of each head's softmax weights w (row i = query, column j = key), over the real tokens, queries "
                "i ≥ 1: previous-token = mean w[i][i−1]; first-token (attention sink) = mean w[i][0]; diagonal = mean "
                "w[i][i]; entropy = mean over rows of −Σ w·ln w ÷ ln(keys the row may see), 0 = one key, 1 = uniform; "
                "induction = on the probe (L random words, then the same L again), mean over the second copy of the "
                "weight on the token after the first occurrence of the query's token, w[i][i−L+1]. Sorting by entropy "
                "puts the most focused heads first."));
  if (!d) {
    ImGui::TextDisabled(_("Scoring %d heads%s"), int(t.layers.size() * t.layers[0].attn.heads.size()), computing_note(g.job).c_str());
    return;
  }
  const std::string probe_note =
      d->probe ? printf_text(_("Induction probe: %d random words from %s, then the same words again."), d->probe_length,
                             d->probe_words.c_str())
               : printf_text(d->probe_refused ? _("No induction score: %s.") : _("No induction probe: %s."),
                             d->probe_error.c_str());
  text_wrapped_str(printf_text(_("%s%s Colour: 0 to each head's largest weight (at least %.2f).%s"),
                                    t.decoder ? _("Encoder heads (the decoder's are not scored). ") : "", probe_note.c_str(),
                                    double(kThumbMinHi),
                                    d->pool > 1 ? printf_text(_(" Thumbnails: each cell is the largest weight of a %d×%d block."),
                                                              d->pool, d->pool).c_str()
                                                : "").c_str(), true);


  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float detail_w = std::clamp(avail.x * 0.36f, std::min(avail.x * 0.5f, fh * 16), fh * 34);
  const float grid_w = std::max(fh * 8, avail.x - detail_w - ImGui::GetStyle().ItemSpacing.x);
  // Tile size: the largest square that fits every shown head in the panel, kept between 7 and 14 lines of text wide
  // (the scores need the width); when 7 does not fit, the grid scrolls.
  const float text_h = fh * (1.2f + kHeadScoreKinds * 1.05f), gap = ImGui::GetStyle().ItemSpacing.x;
  const float usable_w = grid_w - ImGui::GetStyle().ScrollbarSize;
  const int count = std::max(1, int(order.size()));
  float best = -1;
  int best_cols = 1;
  for (int c = 1; c <= count; ++c) {
    const int r = (count + c - 1) / c;
    const float sd = std::min(usable_w / float(c) - gap, avail.y / float(r) - gap - text_h);
    if (sd > best) best = sd, best_cols = c;
  }
  const float side = std::clamp(best, fh * 7, fh * 14);
  // Everything fits: keep the best arrangement (2 × 2 for 4 heads, not 3 + 1); otherwise as many as the width takes.
  const int width_cols = std::max(1, int(usable_w / (side + gap)));
  const int cols = best >= fh * 7 ? std::min(best_cols, width_cols) : width_cols;
  const float tile_h = side + text_h + gap;
  const int rows = (int(order.size()) + cols - 1) / cols;

  // The detail panel takes what the tiles leave.
  ImGui::BeginChild("gallery_tiles", ImVec2(std::min(grid_w, float(cols) * (side + gap) + ImGui::GetStyle().ScrollbarSize), avail.y), false);
  ImGuiListClipper clip;
  clip.Begin(rows, tile_h);
  while (clip.Step()) {
    for (int r = clip.DisplayStart; r < clip.DisplayEnd; ++r) {
      const ImVec2 row0 = ImGui::GetCursorScreenPos();
      for (int c = 0; c < cols; ++c) {
        const int idx = r * cols + c;
        if (idx >= int(order.size())) break;
        const int k = order[size_t(idx)];
        const HeadScore& hs = s.all[size_t(k)];
        const ImVec2 o(row0.x + float(c) * (side + gap), row0.y);
        ImDrawList* dl = ImGui::GetWindowDrawList();
        const bool selected = hs.layer == ui.layer && hs.head == ui.head;
        const bool off = head_off(t, hs.layer, hs.head);
        const std::string title = "L" + std::to_string(hs.layer) + " H" + std::to_string(hs.head) + (off ? _("  off") : "");
        dl->AddText(o, selected ? IM_COL32(255, 140, 0, 255) : ImGui::GetColorU32(ImGuiCol_Text), title.c_str());
        const ImVec2 img0(o.x, o.y + fh * 1.2f);
        ImGui::SetCursorScreenPos(img0);
        HeatmapSpec spec;
        spec.m = &d->thumbs[size_t(k)];
        spec.blocked = &d->thumb_mask;
        spec.cmap = ui.weights_cmap;
        spec.lo = 0, spec.hi = d->hi[size_t(k)];
        spec.version = *g.job.result_key();
        spec.compact = true;
        spec.title = "";
        ImGui::PushID(k);
        const HeatmapEvent ev = draw_heatmap("thumb", spec, ImVec2(side, side), ui.textures);
        ImGui::PopID();
        const ImVec2 img1(img0.x + side, img0.y + side);
        const bool hovered = ImGui::IsWindowHovered() && ImGui::IsMouseHoveringRect(img0, img1);
        if (selected) dl->AddRect(ImVec2(img0.x - 3, img0.y - 3), ImVec2(img1.x + 3, img1.y + 3), IM_COL32(255, 140, 0, 255), 0, 0, 3);
        if (ev.clicked_anywhere) select_head(ui, hs.layer, hs.head);
        if (hovered && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) {
          select_head(ui, hs.layer, hs.head);
          ui.view = View::Stages, ui.view_requested = true;
        }
        if (ev.hover_row >= 0 || hovered) {
          score_tooltip(hs, off);
          ui.explain = _("Every head of the model, scored. Click a head to show it in every view; double-click to open it.");
        }
        g.tiles.push_back({hs.layer, hs.head, img0.x, img0.y, img1.x, img1.y});
        for (int q = 0; q < kHeadScoreKinds; ++q)
          score_bar(dl, ImVec2(o.x, img1.y + fh * (0.15f + 1.05f * float(q))), side, kShort[q], hs.value(kKinds[q]),
                    !by_layer && kKinds[q] == sort_kind);
      }
      ImGui::SetCursorScreenPos(row0);
      ImGui::Dummy(ImVec2(usable_w, tile_h - ImGui::GetStyle().ItemSpacing.y));
    }
  }
  clip.End();
  if (order.empty()) text_wrapped(_("No head has a %s score of at least %.2f."), score_label(filter_kind), min_v);

  ImGui::EndChild();
  ImGui::SameLine();
  ImGui::BeginChild("gallery_detail", ImVec2(0, avail.y), false);
  draw_detail(t, d, ui, ImVec2(ImGui::GetContentRegionAvail().x, avail.y));
  ImGui::EndChild();
}

}  // namespace attn
