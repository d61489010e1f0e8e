#include "lessons_panel.h"

#include <imgui.h>

#include <algorithm>

#include "explorer.h"
#include "i18n.h"
#include "ui_state.h"
#include "text_flow.h"

namespace attn {

namespace {

uint64_t text_key(const UiState& ui, const LessonState& s) {
  uint64_t k = ui.version * 1000003ull;
  k ^= uint64_t(s.lesson + 1) * 7919ull ^ uint64_t(s.step + 1) * 104729ull ^ uint64_t(s.lang) * 31ull;
  k ^= (s.revealed ? 1ull : 0ull) << 62;
  k ^= uint64_t(ui.layer + 1) * 1299709ull ^ uint64_t(ui.head + 1) * 15485863ull;
  // The views' own numbers a placeholder may read (lesson_context's vars): an edit there changes the text too.
  for (int v : {ui.cx_n, ui.cx_d, ui.conv_k, ui.restricted_r, ui.lab_dk, ui.path_i, ui.path_j}) k = k * 1000003ull ^ uint64_t(v);
  return k;
}

// Fills the step's texts and re-evaluates its checks once per change of what is on screen.
void refresh_text(const Views& v, UiState& ui) {
  LessonState& s = ui.lessons;
  const uint64_t key = text_key(ui, s);
  if (key == s.text_key) return;
  s.text_key = key;
  s.text.clear(), s.question.clear(), s.explain.clear(), s.text_error.clear(), s.failed_checks.clear();
  const LessonStep& st = (*s.lessons)[size_t(s.lesson)].steps[size_t(s.step)];
  const LessonContext c = lesson_context(v, ui);
  auto fill = [&](const std::string& in, std::string* out) {
    const std::string e = lesson_fill(in, c, out);
    if (!e.empty() && s.text_error.empty()) s.text_error = e;
  };
  fill(st.text.in(s.lang), &s.text);
  if (st.has_question) {
    fill(st.question.prompt.in(s.lang), &s.question);
    if (s.revealed) fill(st.question.explain.in(s.lang), &s.explain);
  }
  std::vector<std::string> checks = st.checks;
  if (st.has_question && s.revealed) checks.insert(checks.end(), st.question.checks.begin(), st.question.checks.end());
  for (const std::string& ch : checks) {
    bool holds = false;
    const std::string e = lesson_check(ch, c, &holds);
    if (!e.empty() || !holds) s.failed_checks.push_back(ch);
  }
}

void request(LessonState& s, LessonRequest r, int arg) {
  s.request = r;
  s.request_arg = arg;
}

void draw_list(LessonState& s) {
  const std::vector<Lesson>& all = *s.lessons;
  ImGui::TextDisabled("%s", _("Each lesson sets up the views for you; your own settings come back when you leave."));
  ImGui::Spacing();
  for (size_t i = 0; i < all.size(); ++i) {
    const Lesson& l = all[i];
    const auto it = s.progress.find(l.id);
    const int seen = it == s.progress.end() ? 0 : std::min(it->second, int(l.steps.size()));
    ImGui::PushID(int(i));
    char label[512];
    std::snprintf(label, sizeof label, "%2zu. %s", i + 1, l.title.in(s.lang).c_str());
    if (ImGui::Selectable(label, false)) request(s, LessonRequest::Open, int(i));
    if (ImGui::IsItemHovered()) {
      ImGui::BeginTooltip();
      ImGui::PushTextWrapPos(ImGui::GetFontSize() * 24);
      ImGui::TextUnformatted(l.summary.in(s.lang).c_str());
      ImGui::PopTextWrapPos();
      ImGui::EndTooltip();
    }
    ImGui::SameLine(ImGui::GetContentRegionMax().x - ImGui::GetFontSize() * 4);
    if (seen == int(l.steps.size())) ImGui::TextColored(ImVec4(0.2f, 0.6f, 0.3f, 1), "%s", _("done"));
    else ImGui::TextDisabled("%d/%zu", seen, l.steps.size());
    ImGui::PopID();
  }
}

void draw_question(const Views& v, UiState& ui, const LessonStep& st) {
  LessonState& s = ui.lessons;
  const LessonQuestion& q = st.question;
  ImGui::Separator();
  ImGui::TextColored(ImVec4(0.85f, 0.55f, 0.1f, 1), "%s", _("Predict, then reveal"));
  text_wrapped("%s", s.question.c_str());
  if (q.kind == LessonQuestion::Kind::Choice) {
    for (size_t i = 0; i < q.choices.size(); ++i) {
      const bool right = s.revealed && int(i) == q.answer, mine = int(i) == s.guess;
      if (s.revealed) {
        const ImVec4 c = right ? ImVec4(0.2f, 0.6f, 0.3f, 1) : mine ? ImVec4(0.8f, 0.2f, 0.2f, 1) : ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled);
        ImGui::TextColored(c, "%s %s", right ? "✓" : mine ? "✗" : "  ", q.choices[i].in(s.lang).c_str());
      } else if (ImGui::RadioButton(q.choices[i].in(s.lang).c_str(), s.guess == int(i))) {
        s.guess = int(i);
      }
    }
  } else if (v.trace) {  // Token: pick the key the query weighs most
    const Trace& t = *v.trace;
    for (int j = 0; j < t.n(); ++j) {
      ImGui::PushID(j);
      const bool mine = j == s.guess;
      if (mine) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
      if (ImGui::SmallButton(t.tokens[size_t(j)].c_str()) && !s.revealed) s.guess = j;
      if (mine) ImGui::PopStyleColor();
      ImGui::PopID();
      if (j + 1 < t.n() && ImGui::GetItemRectMax().x + ImGui::GetFontSize() * 4 < ImGui::GetWindowPos().x + ImGui::GetContentRegionMax().x)
        ImGui::SameLine();
    }
  }
  if (!s.revealed) {
    ImGui::BeginDisabled(s.guess < 0);
    if (ImGui::Button(_("Commit and reveal"))) request(s, LessonRequest::Reveal, s.guess);
    ImGui::EndDisabled();
    if (s.guess < 0) ImGui::TextDisabled("%s", _("Choose an answer first."));
  } else {
    if (q.kind == LessonQuestion::Kind::Token && v.trace) {
      LessonValue best;
      LessonContext c = lesson_context(v, ui);
      if (lesson_eval("argmax_at " + std::to_string(q.query), c, &best).empty()) {
        const bool right = int(best.number) == s.guess;
        ImGui::TextColored(right ? ImVec4(0.2f, 0.6f, 0.3f, 1) : ImVec4(0.8f, 0.2f, 0.2f, 1), "%s",
                           right ? _("✓ Right.") : _("✗ Not this time."));
      }
    }
    text_wrapped("%s", s.explain.c_str());
  }
}

}  // namespace

std::string lesson_glyph_text(const LessonState& s) {
  std::string t = "✓✗";
  if (s.lessons)
    for (const Lesson& l : *s.lessons) {
      t += l.title.zh + l.summary.zh;
      for (const LessonStep& st : l.steps) {
        t += st.title.zh + st.text.zh;
        if (!st.has_question) continue;
        t += st.question.prompt.zh + st.question.explain.zh;
        for (const LocalText& c : st.question.choices) t += c.zh;
      }
    }
  return t;
}

LessonContext lesson_context(const Views& v, const UiState& ui) {
  LessonContext c;
  c.trace = v.trace;
  c.layer = ui.layer, c.head = ui.head;
  c.vars = {{"cx_n", ui.cx_n},       {"cx_d", ui.cx_d},     {"kernel_k", ui.conv_k}, {"neighbourhood_r", ui.restricted_r},
            {"lab_dk", ui.lab_dk},   {"path_i", ui.path_i}, {"path_j", ui.path_j}};
  return c;
}

float lessons_drawer_width(const UiState& ui) {
  if (!ui.lessons.drawer) return 0;
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  const float fh = ImGui::GetFontSize();
  return std::clamp(vp->WorkSize.x * 0.26f, std::min(fh * 16, vp->WorkSize.x * 0.4f), fh * 26);
}

void lesson_keys(UiState& ui) {
  LessonState& s = ui.lessons;
  if (s.lesson < 0 || !s.lessons || ImGui::GetIO().WantTextInput) return;
  const int steps = int((*s.lessons)[size_t(s.lesson)].steps.size());
  auto pressed = [](ImGuiKey k) { return ImGui::IsKeyPressed(ImGui::GetKeyIndex(k)); };
  const bool arrows = ui.view != View::Steps;  // there the arrows step through the stages
  const bool next = pressed(ImGuiKey_PageDown) || (arrows && (pressed(ImGuiKey_RightArrow) || pressed(ImGuiKey_DownArrow)));
  const bool prev = pressed(ImGuiKey_PageUp) || (arrows && (pressed(ImGuiKey_LeftArrow) || pressed(ImGuiKey_UpArrow)));
  if (next && s.step + 1 < steps) request(s, LessonRequest::Go, s.step + 1);
  if (prev && s.step > 0) request(s, LessonRequest::Go, s.step - 1);
}

void draw_lessons_panel(const Views& v, UiState& ui) {
  LessonState& s = ui.lessons;
  s.lang = language().rfind("zh", 0) == 0 ? Lang::Zh : Lang::En;  // the lessons speak the UI's language
  const float w = lessons_drawer_width(ui);
  if (w <= 0) return;
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  const float fh = ImGui::GetFontSize();
  const float status_h = fh * 2.0f + ImGui::GetStyle().WindowPadding.y * 2;
  ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + vp->WorkSize.x - w, vp->WorkPos.y));
  ImGui::SetNextWindowSize(ImVec2(w, vp->WorkSize.y - status_h));
  ImGui::Begin("Lessons", nullptr, ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse |
                                   ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus |
                                   ImGuiWindowFlags_NoTitleBar);
  ImGui::TextColored(ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive), "%s", _("Lessons"));
  ImGui::SameLine(ImGui::GetContentRegionMax().x - fh * 2);
  if (ImGui::SmallButton("×")) {
    if (s.lesson >= 0) request(s, LessonRequest::Leave, -1);
    s.drawer = false;
  }
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", _("Close the drawer (and leave the lesson)"));
  ImGui::Separator();
  if (!s.lessons) {
    text_wrapped("%s %s", _("No lessons:"), s.load_error.c_str());
  } else if (s.lesson < 0 || s.lesson >= int(s.lessons->size())) {
    draw_list(s);
  } else {
    const Lesson& l = (*s.lessons)[size_t(s.lesson)];
    const LessonStep& st = l.steps[size_t(s.step)];
    refresh_text(v, ui);
    text_wrapped("%s", l.title.in(s.lang).c_str());
    ImGui::ProgressBar(float(s.step + 1) / float(l.steps.size()), ImVec2(-1, 0), nullptr);
    // TRANSLATORS: the lesson's step: this step and how many there are.
    ImGui::TextDisabled(_("Step %d / %zu"), s.step + 1, l.steps.size());
    ImGui::Spacing();
    ImGui::TextColored(ImVec4(0.25f, 0.5f, 0.85f, 1), "%s", st.title.in(s.lang).c_str());
    text_wrapped("%s", s.text.c_str());
    if (!s.error.empty()) ImGui::TextColored(ImVec4(0.8f, 0.2f, 0.2f, 1), "%s", s.error.c_str());
    if (!s.text_error.empty())
      ImGui::TextColored(ImVec4(0.8f, 0.2f, 0.2f, 1), "%s %s", _("A number could not be read:"), s.text_error.c_str());
    if (!s.failed_checks.empty() && !v.busy) {
      ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.8f, 0.45f, 0.1f, 1));
      text_wrapped(
          "%s", _("With your changes, this step's claim no longer holds on screen (reset the step to see it again):"));
      ImGui::PopStyleColor();
      for (const std::string& c : s.failed_checks) ImGui::BulletText("%s", c.c_str());
    }
    if (st.has_question) draw_question(v, ui, st);
    ImGui::Separator();
    ImGui::BeginDisabled(s.step == 0);
    if (ImGui::Button(_("< Previous"))) request(s, LessonRequest::Go, s.step - 1);
    ImGui::EndDisabled();
    ImGui::SameLine();
    const bool last = s.step + 1 >= int(l.steps.size());
    if (ImGui::Button(last ? _("Finish") : _("Next >")))
      request(s, last ? LessonRequest::Leave : LessonRequest::Go, last ? -1 : s.step + 1);
    if (ImGui::Button(_("Reset this step"))) request(s, LessonRequest::ResetStep, s.step);
    ImGui::SameLine();
    if (ImGui::Button(_("Leave lesson"))) request(s, LessonRequest::Leave, -1);
    text_wrapped_str(_("PageDown / PageUp or the arrow keys: next / previous"), true);
  }
  ImGui::End();
}

}  // namespace attn
