#include "text_flow.h"

#include <imgui.h>

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <string>

namespace attn {
namespace {

constexpr float kMinColumnEm = 12;  // narrower than this, a wrapped column reads a word or two per line

void wrapped(const char* text, bool disabled) {
  if (disabled) ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyle().Colors[ImGuiCol_TextDisabled]);
  ImGui::PushTextWrapPos(0.0f);  // the window's right edge (content region)
  ImGui::TextUnformatted(text);
  ImGui::PopTextWrapPos();
  if (disabled) ImGui::PopStyleColor();
}

}  // namespace

void same_line_if_fits(float width) {
  ImGui::SameLine();
  if (ImGui::GetContentRegionAvail().x < width + 2) ImGui::NewLine();  // (+2: ImGui rounds item positions)
}

float labelled_width(float item_w, const char* label) {
  return item_w + ImGui::GetStyle().ItemInnerSpacing.x + ImGui::CalcTextSize(label, nullptr, true).x;
}

void text_after(const char* text, bool disabled) {
  ImGui::SameLine();
  const float avail = ImGui::GetContentRegionAvail().x;
  if (ImGui::CalcTextSize(text).x > avail && avail < kMinColumnEm * ImGui::GetFontSize()) ImGui::NewLine();
  wrapped(text, disabled);
}

void text_afterf(bool disabled, const char* fmt, ...) {
  va_list a, b;
  va_start(a, fmt);
  va_copy(b, a);
  const int n = std::vsnprintf(nullptr, 0, fmt, a);
  va_end(a);
  std::string s(size_t(n > 0 ? n : 0), '\0');
  if (n > 0) std::vsnprintf(s.data(), s.size() + 1, fmt, b);
  va_end(b);
  text_after(s.c_str(), disabled);
}

void text_disabled_wrapped(const char* text) { wrapped(text, true); }

PanelGrid::PanelGrid(float avail_w, int max_cols, float min_w) {
  const float sp = ImGui::GetStyle().ItemSpacing.x;
  cols = std::max(1, std::min(max_cols, int((avail_w + sp) / (min_w + sp))));
  w = (avail_w - float(cols - 1) * sp) / float(cols);
  x0_ = ImGui::GetCursorPosX();
}

void PanelGrid::next() {
  ++k_;
  if (k_ % cols != 0) ImGui::SameLine();
  x0_ = ImGui::GetCursorPosX();
}

void PanelGrid::same_line_if_fits(float width) const {
  ImGui::SameLine();
  if (ImGui::GetCursorPosX() + width + 2 > x0_ + w) ImGui::NewLine();
}

}  // namespace attn
