#include "explorer.h"

#include <imgui.h>

#include <algorithm>

#include "format.h"
#include "i18n.h"
#include "heatmap.h"
#include "presenter.h"
#include "view_settings.h"
#include "teaching.h"
#include "text_flow.h"

namespace attn {

const char* view_name(View v) {
  switch (v) {
    case View::Stages: return _("Q·Kᵀ → softmax");
    case View::Heads: return _("All heads");
    case View::Gallery: return _("Head gallery");
    case View::Query: return _("Query inspector");
    case View::Softmax: return _("Softmax & scaling");
    case View::Masks: return _("Masks");
    case View::Interventions: return _("Interventions");
    case View::Steps: return _("Step-through");
    case View::Positional: return _("Positional encoding");
    case View::Complexity: return _("Complexity");
    case View::Paths: return _("RNN vs attention");
    case View::Norms: return _("LayerNorm vs BatchNorm");
    case View::Ffn: return _("Feed-forward");
    case View::Decoder: return _("Encoder–decoder");
    case View::Training: return _("Training");
  }
  return "";
}

const char* view_id(View v) {
  switch (v) {
    case View::Stages: return "stages";
    case View::Heads: return "heads";
    case View::Gallery: return "gallery";
    case View::Query: return "query";
    case View::Softmax: return "softmax";
    case View::Masks: return "masks";
    case View::Interventions: return "interventions";
    case View::Steps: return "steps";
    case View::Positional: return "positional";
    case View::Complexity: return "complexity";
    case View::Paths: return "paths";
    case View::Norms: return "norms";
    case View::Ffn: return "ffn";
    case View::Decoder: return "decoder";
    case View::Training: return "training";
  }
  return "";
}

bool parse_view(const std::string& s, View* out) {
  for (int i = 0; i < kViewCount; ++i)
    if (s == view_id(View(i))) { *out = View(i); return true; }
  return false;
}

void explain(UiState& ui, const char* text) {
  if (ImGui::IsItemHovered()) ui.explain = text;
}

void help_marker(UiState& ui, const char* text) {
  same_line_if_fits(ImGui::CalcTextSize("(?)").x);
  ImGui::TextDisabled("(?)");
  if (ImGui::IsItemHovered()) {
    ui.explain = text;
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30);
    ImGui::TextUnformatted(text);
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
  }
}

void clamp_selection(const Trace& t, UiState& ui) {
  ui.layer = std::clamp(ui.layer, 0, std::max(0, int(t.layers.size()) - 1));
  // Heads of the selected layer of this trace (never the settings being edited).
  const int heads = t.layers.empty() ? 0 : int(t.layers[size_t(ui.layer)].attn.heads.size());
  ui.head = std::clamp(ui.head, 0, std::max(0, heads - 1));
  const auto valid = [&](int i) { return i >= -1 && i < t.n(); };  // -1: not pinned
  if (!valid(ui.pinned_q) || !valid(ui.pinned_k)) ui.pinned_q = ui.pinned_k = -1;
}

const HeadTrace* selected_head(const Trace& t, const UiState& ui) {
  if (t.layers.empty()) return nullptr;
  const int l = std::clamp(ui.layer, 0, int(t.layers.size()) - 1);
  const auto& heads = t.layers[size_t(l)].attn.heads;
  if (heads.empty()) return nullptr;
  return &heads[size_t(std::clamp(ui.head, 0, int(heads.size()) - 1))];
}

namespace {

// The tabs, as a row of buttons that wraps: ImGui 1.86's tab bar does not wrap, and at 1280×800 its last tabs
// scrolled out of sight. The current one is drawn as the active tab with a bar under it.
void draw_view_nav(UiState& ui) {
  const ImGuiStyle& st = ImGui::GetStyle();
  const float right = ImGui::GetCursorPosX() + ImGui::GetContentRegionAvail().x;
  const float bar = std::max(2.0f, std::round(ImGui::GetFontSize() * 0.15f));
  for (int i = 0; i < kViewCount; ++i) {
    const View view = View(i);
    const char* name = view_name(view);
    const float w = button_width(name);
    if (i > 0) {
      ImGui::SameLine(0, st.ItemInnerSpacing.x);
      if (ImGui::GetCursorPosX() + w > right) ImGui::NewLine();
    }
    const bool current = ui.view == view;
    ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetColorU32(current ? ImGuiCol_TabActive : ImGuiCol_Tab));
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, ImGui::GetColorU32(ImGuiCol_TabHovered));
    ImGui::PushStyleColor(ImGuiCol_ButtonActive, ImGui::GetColorU32(ImGuiCol_TabActive));
    if (ImGui::Button(name)) ui.view = view;
    ImGui::PopStyleColor(3);
    if (current) {
      const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
      ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(a.x, b.y - bar), b, ImGui::GetColorU32(ImGuiCol_CheckMark));
    }
  }
}

// Rows the wrapping row of tab buttons needs in the current window.
int view_nav_rows() {
  const ImGuiStyle& st = ImGui::GetStyle();
  const float avail = ImGui::GetContentRegionAvail().x;
  int rows = 1;
  float x = 0;
  for (int i = 0; i < kViewCount; ++i) {
    const float w = button_width(view_name(View(i)));
    if (i > 0 && x + st.ItemInnerSpacing.x + w > avail) ++rows, x = w;
    else x += (i > 0 ? st.ItemInnerSpacing.x : 0) + w;
  }
  return rows;
}

// The navigation on one line, when the wrapping row would take more than two (a projector scale, a narrow window):
// previous, the current tab with every tab in its list, next. In presenter mode, then the projector scale and the
// way out.
void draw_compact_nav(UiState& ui) {
  const ImGuiStyle& st = ImGui::GetStyle();
  const int cur = int(ui.view);
  if (ImGui::ArrowButton("##prev", ImGuiDir_Left)) ui.view = View((cur + kViewCount - 1) % kViewCount);
  explain(ui, _("Previous view"));
  ImGui::SameLine(0, st.ItemInnerSpacing.x);
  float w = 0;
  for (int i = 0; i < kViewCount; ++i) w = std::max(w, ImGui::CalcTextSize(view_name(View(i))).x);
  ImGui::SetNextItemWidth(w + st.FramePadding.x * 2 + ImGui::GetFrameHeight());
  if (ImGui::BeginCombo("##view", view_name(ui.view))) {
    for (int i = 0; i < kViewCount; ++i)
      if (ImGui::Selectable(view_name(View(i)), i == cur)) ui.view = View(i);
    ImGui::EndCombo();
  }
  ImGui::SameLine(0, st.ItemInnerSpacing.x);
  if (ImGui::ArrowButton("##next", ImGuiDir_Right)) ui.view = View((cur + 1) % kViewCount);
  explain(ui, _("Next view"));
  ImGui::SameLine();
  ImGui::TextDisabled("%d/%d", cur + 1, kViewCount);
  if (!ui.presenter) return;
  // The scale buttons and the way out keep together, on the next line when the row is full (the lessons drawer).
  const float scale_w = ImGui::CalcTextSize("A−A+ 2.00×").x + st.FramePadding.x * 4 + st.ItemInnerSpacing.x * 2;
  same_line_if_fits(scale_w, ImGui::GetFontSize() * 1.5f);
  // The projector scale in quarter steps, inside the table's range (view_settings.cpp); the window rebuilds the fonts.
  const Field<UiState>& f = view_setting("presenter_scale");
  if (ImGui::Button("A−")) ui.presenter_scale = float(std::max(f.min, double(ui.presenter_scale) - 0.25));
  explain(ui, _("Smaller text (projector scale)"));
  ImGui::SameLine(0, st.ItemInnerSpacing.x);
  if (ImGui::Button("A+")) ui.presenter_scale = float(std::min(f.max, double(ui.presenter_scale) + 0.25));
  explain(ui, _("Larger text (projector scale)"));
  ImGui::SameLine(0, st.ItemInnerSpacing.x);
  ImGui::TextDisabled("%s×", fmt_fixed(ui.presenter_scale, 2).c_str());
  same_line_if_fits(button_width(_("Leave (F5)")), ImGui::GetFontSize() * 1.5f);
  if (ImGui::Button(stable_label(_("Leave (F5)"), "leave").c_str())) ui.presenter = false;
}

}  // namespace

bool draw_explorer(const Views& v, Document& doc, UiState& ui) {
  bool edited = false;
  ui.explain.clear();
  handle_presenter_keys(ui);
  set_heatmap_spotlight(ui.presenter);
  set_heatmap_highlights(&ui.highlights);  // for this frame's heatmaps only: cleared below, before ui can die
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  const float fh = ImGui::GetFontSize();
  const float status_h = fh * 2.0f + ImGui::GetStyle().WindowPadding.y * 2;
  // Presenter mode hides the side panel: the views get the whole width.
  float left_w = ui.presenter ? 0.0f : std::clamp(vp->WorkSize.x * 0.24f, fh * 17, fh * 24);
  // A lesson on a small screen at a large scale: the views keep at least 28 em and the side panel gives way (the
  // drawer's × closes it and brings the panel back).
  const float drawer_w = lessons_drawer_width(ui);
  if (left_w > 0 && drawer_w > 0 && vp->WorkSize.x - left_w - drawer_w < fh * 28) left_w = 0;
  const ImGuiWindowFlags fixed = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse |
                                 ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus;

  if (left_w > 0) {  // (presenter mode: the lessons drawer stays, a lesson can be presented)
    ImGui::SetNextWindowPos(vp->WorkPos);
    ImGui::SetNextWindowSize(ImVec2(left_w, vp->WorkSize.y - status_h));
    // Scrolls (wheel or scrollbar) when its sections are taller than the window, as at 1280×800.
    ImGui::Begin("Controls", nullptr, fixed | ImGuiWindowFlags_NoTitleBar);
    if (ImGui::Button(ui.lessons.drawer ? _("Lessons: close the drawer") : _("Lessons: guided tours of the paper"), ImVec2(-1, 0))) {
      if (ui.lessons.drawer && ui.lessons.lesson >= 0) ui.lessons.request = LessonRequest::Leave;
      ui.lessons.drawer = !ui.lessons.drawer;
    }
    edited |= draw_controls(v, doc, ui);
    ImGui::End();
  }

  ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + left_w, vp->WorkPos.y));
  ImGui::SetNextWindowSize(ImVec2(vp->WorkSize.x - left_w - drawer_w, vp->WorkSize.y - status_h));
  ImGui::Begin("Views", nullptr, fixed | ImGuiWindowFlags_NoTitleBar);
  if (v.trace) clamp_selection(*v.trace, ui);
  if (ui.presenter || view_nav_rows() > 2) draw_compact_nav(ui);
  else draw_view_nav(ui);
  ImGui::Separator();
  const View view = ui.view;
  ImGui::PushID(int(view));  // each tab keeps its own scroll position and widget state
  if (ImGui::BeginChild("view", ImVec2(0, 0), false)) {
    if (view == View::Training) {
      draw_training_view(v, ui);  // its own model and trace, from the training job
    } else if (!v.trace) {
      text_wrapped(_("No trace yet: %s"), v.error.c_str());
    } else {
      switch (view) {
        case View::Stages: draw_stages_view(v, doc, ui); break;
        case View::Heads: draw_heads_view(v, ui); break;
        case View::Gallery: draw_gallery_view(v, ui); break;
        case View::Query: draw_query_view(v, ui); break;
        case View::Softmax: draw_softmax_view(v, ui); break;
        case View::Masks: edited |= draw_masks_view(v, doc, ui); break;
        case View::Interventions: edited |= draw_interventions_view(v, doc, ui); break;
        case View::Steps: draw_steps_view(v, ui); break;
        case View::Positional: draw_positional_view(v, doc, ui); break;
        case View::Complexity: draw_complexity_view(v, ui); break;
        case View::Paths: draw_paths_view(v, ui); break;
        case View::Norms: draw_norms_view(v, ui); break;
        case View::Ffn: draw_ffn_view(v, ui); break;
        case View::Decoder: edited |= draw_decoder_view(v, doc, ui); break;
        case View::Training: break;
      }
    }
  }
  ImGui::EndChild();
  ImGui::PopID();
  ui.view_requested = false;
  ImGui::End();
  draw_lessons_panel(v, ui);
  lesson_keys(ui);

  // Explanation line and status.
  ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x, vp->WorkPos.y + vp->WorkSize.y - status_h));
  ImGui::SetNextWindowSize(ImVec2(vp->WorkSize.x, status_h));
  ImGui::Begin("Status", nullptr, fixed | ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoScrollbar);
  // The first line wraps (an error or an explanation can be longer than the window, at a projector scale above all);
  // when it takes both lines, the second (status or hint) waits.
  const float y0 = ImGui::GetCursorPosY();
  ImGui::PushTextWrapPos(0);
  if (!v.error.empty()) {
    // Dark red on the light theme, light red on the high-contrast one: readable on either background.
    const ImVec4 red = ui.presenter ? ImVec4(1.0f, 0.5f, 0.5f, 1) : ImVec4(0.75f, 0.1f, 0.1f, 1);
    ImGui::TextColored(red, _("Not applied: %s. Showing the last good result."), v.error.c_str());
  } else if (!ui.explain.empty()) {
    ImGui::TextUnformatted(ui.explain.c_str());
  } else if (v.trace) {
    const Trace& t = *v.trace;
    // TRANSLATORS: the status line: tokens, d_model, heads, d_k, layers, then "scaled by 1/√d_k" or "NOT scaled".
    ImGui::TextDisabled(_("%d tokens · d_model %d · %d heads · d_k = %d · %d layers · %s%s%s"), t.n(),
                        t.settings.d_model, t.settings.heads, t.d_k(), t.settings.layers,
                        t.settings.scale ? _("scaled by 1/√d_k") : _("NOT scaled"),
                        t.truncated ? _(" · text truncated") : "", v.busy ? _(" · computing…") : "");
  }
  const bool first_wrapped = ImGui::GetCursorPosY() - y0 > ImGui::GetTextLineHeightWithSpacing() * 1.5f;
  if (!first_wrapped) {
    if (!ui.status.empty()) ImGui::TextUnformatted(ui.status.c_str());
    else if (ui.presenter)
      ImGui::TextDisabled("%s", _("Presenter mode: F5 leaves it, F11 toggles full screen. Hover a heatmap cell to "
                                  "spotlight its row and column."));
    else
      ImGui::TextDisabled("%s", _("Hover anything for an explanation. Click a heatmap cell to pin a query/key pair; "
                                  "wheel zooms, right-drag pans."));
  }
  ImGui::PopTextWrapPos();
  ImGui::End();
  set_heatmap_highlights(nullptr);
  return edited;
}

}  // namespace attn
