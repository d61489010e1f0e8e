#include "text_flow.h"

#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <string>
#include <vector>

#include "translate.h"
#include "utf8.h"

namespace attn {
namespace {

constexpr float kMinColumnEm = 12;  // narrower than this, a wrapped column reads a word or two per line

bool is_cjk(char32_t c) {
  return (c >= 0x2E80 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFF00 && c <= 0xFFEF) ||
         (c >= 0x20000 && c <= 0x2FFFF);
}
bool is_closing(char32_t c) {  // never starts a line
  static const std::u32string k = U"，。、；：！？）》」』】〉”’…,.;:!?)]}%";
  return k.find(c) != std::u32string::npos;
}
bool is_opening(char32_t c) {  // never ends a line
  static const std::u32string k = U"（《「『【〈“‘([{";
  return k.find(c) != std::u32string::npos;
}

}  // namespace

std::string break_lines(const std::string& text, float width, const std::function<float(char32_t)>& advance) {
  const std::vector<char32_t> cs = decode_utf8(text);
  std::u32string out;
  size_t line = 0;  // where the current line starts in out
  float w = 0;      // its width so far
  // The last place the line may end: the index in `out` where the break goes, and whether a space is dropped there.
  size_t brk = std::u32string::npos;
  bool brk_space = false, wrapped = false;  // wrapped: the current line began at a break (not at the start or a '\n')
  for (size_t k = 0; k < cs.size(); ++k) {
    const char32_t c = cs[k];
    if (c == U'\n') {
      out += c, line = out.size(), w = 0, brk = std::u32string::npos, wrapped = false;
      continue;
    }
    const char32_t prev = out.size() > line ? out.back() : 0;
    if (c == U' ') {  // a break opportunity; a space that would start a wrapped line is dropped
      if (out.size() == line && wrapped) continue;
      brk = out.size(), brk_space = true;
    } else if (prev && prev != U' ' && (is_cjk(c) || is_cjk(prev)) && !is_closing(c) && !is_opening(prev)) {
      brk = out.size(), brk_space = false;  // between two characters, one of them CJK
    }
    const float a = advance(c);
    if (c != U' ' && w + a > width && out.size() > line) {
      if (brk != std::u32string::npos && brk > line) {
        // End the line at the last opportunity; what followed it starts the next one.
        std::u32string rest = out.substr(brk + (brk_space ? 1 : 0));
        out.resize(brk);
        while (out.size() > line && out.back() == U' ') out.pop_back();
        out += U'\n';
        line = out.size();
        size_t skip = 0;
        while (skip < rest.size() && rest[skip] == U' ') ++skip;
        out += rest.substr(skip);
      } else {
        out += U'\n';  // a word longer than the line: cut it here
        line = out.size();
      }
      brk = std::u32string::npos;
      wrapped = true;
      w = 0;
      for (size_t i = line; i < out.size(); ++i) w += advance(out[i]);
    }
    out += c;
    w += a;
  }
  std::string s;
  for (char32_t c : out) append_utf8(s, c);
  return s;
}

void text_wrapped_str(const char* text, bool disabled) {
  ImGuiWindow* win = ImGui::GetCurrentWindow();
  // The wrap position as TextWrapped uses it: a pushed one if any, else the window's right edge.
  const float pushed = win->DC.TextWrapPos;
  const float width = ImGui::CalcWrapWidthForPos(ImGui::GetCursorScreenPos(), pushed > 0 ? pushed : 0.0f);
  ImFont* font = ImGui::GetFont();
  const float scale = ImGui::GetFontSize() / font->FontSize;
  const std::string lines = break_lines(text, width, [&](char32_t c) { return font->GetCharAdvance(ImWchar(c)) * scale; });
  if (disabled) ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyle().Colors[ImGuiCol_TextDisabled]);
  ImGui::PushTextWrapPos(-1.0f);  // the lines are already cut
  ImGui::TextUnformatted(lines.c_str(), lines.c_str() + lines.size());
  ImGui::PopTextWrapPos();
  if (disabled) ImGui::PopStyleColor();
}

void text_wrapped(const char* fmt, ...) {
  va_list a;
  va_start(a, fmt);
  const std::string s = vprintf_text(fmt, a);
  va_end(a);
  text_wrapped_str(s.c_str());
}

void same_line_if_fits(float width, float spacing) {
  ImGui::SameLine(0, spacing);
  if (ImGui::GetContentRegionAvail().x < width + 2) ImGui::NewLine();  // (+2: ImGui rounds item positions)
}

float button_width(const char* label) { return ImGui::CalcTextSize(label, nullptr, true).x + ImGui::GetStyle().FramePadding.x * 2; }

float labelled_width(float item_w, const char* label) {
  return item_w + ImGui::GetStyle().ItemInnerSpacing.x + ImGui::CalcTextSize(label, nullptr, true).x;
}

void text_after(const char* text, bool disabled) {
  ImGui::SameLine();
  const float avail = ImGui::GetContentRegionAvail().x;
  if (ImGui::CalcTextSize(text).x > avail && avail < kMinColumnEm * ImGui::GetFontSize()) ImGui::NewLine();
  text_wrapped_str(text, disabled);
}

void text_afterf(bool disabled, const char* fmt, ...) {
  va_list a;
  va_start(a, fmt);
  const std::string s = vprintf_text(fmt, a);
  va_end(a);
  text_after(s.c_str(), disabled);
}

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
