#include "view_settings.h"

#include <imgui.h>

#include <algorithm>
#include <cassert>
#include <cstdlib>

#include "explorer.h"
#include "i18n.h"


namespace attn {

namespace {

std::vector<Field<UiState>> make_table() {
  using U = UiState;
  std::vector<Field<U>> t;
  t.push_back(int_field<U>("layer", &U::layer, 0, kMaxLayers - 1, "", N_("Which encoder layer the views show.")));
  t.push_back(int_field<U>("head", &U::head, 0, kMaxHeads - 1, "", N_("Which head the views show.")));
  t.push_back(bool_field<U>("heads_lines", &U::heads_lines, N_("All heads: token-to-token lines instead of matrices.")));
  t.push_back(int_field<U>("enlarge", &U::enlarged_head, -1, kMaxHeads, "",
                           N_("All heads: the head shown large (-1: none; the number of heads: their average).")));
  {  // Head gallery: choices in the order of HeadScoreKind (core/head_scores.h), the sort with layer order first
    Field<U> f;
    f.name = "gallery_sort", f.type = FieldType::Enum, f.help = N_("Head gallery: the order of the heads (each score highest first; entropy lowest first).");
    f.choices = {N_("layer"), N_("previous"), N_("first"), N_("diagonal"), N_("induction"), N_("entropy")};
    f.max = double(f.choices.size() - 1);
    f.get_choice = [](const U& u) { return std::clamp(u.gallery_sort, 0, kHeadScoreKinds); };
    f.set_choice = [](U& u, int c) { u.gallery_sort = c; };
    t.push_back(f);
    f.name = "gallery_filter", f.help = N_("Head gallery: the score the filter reads (heads with it below the minimum are hidden).");
    f.choices = {N_("previous"), N_("first"), N_("diagonal"), N_("induction"), N_("entropy")};
    f.max = double(f.choices.size() - 1);
    f.get_choice = [](const U& u) { return std::clamp(u.gallery_filter, 0, kHeadScoreKinds - 1); };
    f.set_choice = [](U& u, int c) { u.gallery_filter = c; };
    t.push_back(f);
  }
  t.push_back(float_field<U>("gallery_min", &U::gallery_min, 0, 1, "",
                             N_("Head gallery: hide heads whose filter score is below this (0: show every head).")));
  t.push_back(int_field<U>("lab_dk", &U::lab_dk, 1, 1024, "",
                           N_("Softmax & scaling: d_k of the random q and k whose dot products are shown.")));
  t.push_back(float_field<U>("steps_per_second", &U::steps_per_second, 0.25, 10, "stages/s",
                             N_("Step-through: playback speed.")));
  t.push_back(int_field<U>("pe_dim_a", &U::pe_dim_a, 0, kMaxDModel - 1, "", N_("Positional encoding: the first dimension plotted.")));
  t.push_back(int_field<U>("pe_dim_b", &U::pe_dim_b, 0, kMaxDModel - 1, "", N_("Positional encoding: the second dimension plotted.")));
  t.push_back(int_field<U>("path_i", &U::path_i, 0, kMaxTokensLimit - 1, "", N_("RNN vs attention: the first position of the path.")));
  t.push_back(int_field<U>("path_j", &U::path_j, 0, kMaxTokensLimit - 1, "", N_("RNN vs attention: the second position of the path.")));
  t.push_back(int_field<U>("kernel_k", &U::conv_k, 2, 16, "",
                           N_("Convolution kernel width k (Table 1's convolutional layer; RNN vs attention's paths).")));
  t.push_back(int_field<U>("neighbourhood_r", &U::restricted_r, 2, 256, "",  // r = 1: the query alone, no path
                           N_("Neighbourhood size r of restricted self-attention (Table 1; RNN vs attention).")));
  t.push_back(int_field<U>("cx_n", &U::cx_n, 1, 8192, "tokens", N_("Complexity: sequence length n.")));
  t.push_back(int_field<U>("cx_d", &U::cx_d, 1, 4096, "", N_("Complexity: representation width d.")));
  t.push_back(int_field<U>("decode_step", &U::decode_step, 0, kMaxTokensLimit, "", N_("Decoder: the greedy step shown.")));
  t.push_back(float_field<U>("ui_scale", &U::ui_scale, 1, 3, "", N_("Make everything larger for a projector (1.0 to 3.0).")));
  t.push_back(bool_field<U>("presenter", &U::presenter,
                            N_("Presenter mode (F5): no side panel, the projector scale, high contrast, a spotlight on heatmaps.")));
  t.push_back(float_field<U>("presenter_scale", &U::presenter_scale, 1.5, 2.5, "",
                             N_("Presenter mode's projector scale (1.5 to 2.5).")));
  return t;
}

template <class S>
bool draw(const Field<S>& f, S& s, UiState& ui, const char* label, double lo, double hi, bool log, const char* format) {
  if (!label) label = f.name;
  lo = std::isnan(lo) ? f.min : std::max(lo, f.min);
  hi = std::isnan(hi) ? f.max : std::min(hi, f.max);
  if (hi < lo) hi = lo;
  const ImGuiSliderFlags flags = ImGuiSliderFlags_AlwaysClamp | (log ? ImGuiSliderFlags_Logarithmic : 0);
  bool edited = false;
  switch (f.type) {
    case FieldType::Int: {
      int& v = s.*f.i;
      edited = ImGui::SliderInt(label, &v, int(lo), int(hi), format ? format : "%d", flags);
      if (edited) v = std::clamp(v, int(lo), int(hi));  // AlwaysClamp does this for typed text too; belt and braces
      v = std::clamp(v, int(f.min), int(f.max));  // a narrower slider leaves a value another tab set in the table's range
      break;
    }
    case FieldType::Float: {
      float& v = s.*f.f;
      edited = ImGui::SliderFloat(label, &v, float(lo), float(hi), format ? format : "%.3g", flags);
      if (edited) v = std::clamp(v, float(lo), float(hi));
      v = std::isfinite(v) ? std::clamp(v, float(f.min), float(f.max)) : float(f.min);
      break;
    }
    case FieldType::Bool: edited = ImGui::Checkbox(label, &(s.*f.b)); break;
    case FieldType::Enum: {
      int k = f.get_choice(s);
      // The choices are N_-marked in their tables: shown translated, stored by name.
      if (ImGui::BeginCombo(label, _(f.choices[size_t(k)].c_str()))) {
        for (size_t c = 0; c < f.choices.size(); ++c)
          if (ImGui::Selectable(_(f.choices[c].c_str()), int(c) == k)) f.set_choice(s, int(c)), edited = true;
        ImGui::EndCombo();
      }
      break;
    }
    case FieldType::UInt64: {  // typed as a whole number: the slider of a 64-bit seed would be useless
      uint64_t& v = s.*f.u;
      const uint64_t one = 1;
      edited = ImGui::InputScalar(label, ImGuiDataType_U64, &v, &one);
      break;
    }
    case FieldType::OptText: break;  // edited as text by its own panel
  }
  explain(ui, _(f.help));
  return edited;
}

}  // namespace

const std::vector<Field<UiState>>& view_settings_table() {
  static const std::vector<Field<UiState>> table = make_table();
  return table;
}

bool setting_slider(const Field<Settings>& f, Settings& s, UiState& ui, const char* label, double lo, double hi, bool log,
                    const char* format) {
  return draw(f, s, ui, label, lo, hi, log, format);
}

bool setting_slider(const Field<UiState>& f, UiState& ui, const char* label, double lo, double hi, bool log,
                    const char* format) {
  return draw(f, ui, ui, label, lo, hi, log, format);
}

const Field<Settings>& setting(const char* name) {
  const Field<Settings>* f = find_field(settings_table(), name);
  if (!f) std::abort();  // a typo in the code, not user input
  return *f;
}

const Field<UiState>& view_setting(const char* name) {
  const Field<UiState>* f = find_field(view_settings_table(), name);
  if (!f) std::abort();
  return *f;
}

}  // namespace attn
