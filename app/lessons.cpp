#include "lessons.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "app_state.h"
#include "atomic_file.h"
#include "explorer.h"
#include "model_library.h"
#include "translate.h"
#include "view_settings.h"

namespace attn {

namespace fs = std::filesystem;
using json = nlohmann::json;

std::string find_lessons_dir() {
  if (const char* e = std::getenv("ATTN_LESSONS_DIR"); e && *e) return e;
  const std::string models = find_models_dir();
  if (models.empty()) return {};
  std::error_code ec;
  const fs::path d = fs::path(models).parent_path() / "lessons";
  return fs::is_directory(d, ec) ? d.string() : std::string();
}

namespace {

// How the screen is shown (a teacher's projector scale, presenter mode) is the user's, not a lesson's: steps leave it
// as it is, and leaving a lesson keeps what the user chose meanwhile.
bool display_preference(const std::string& name) { return name == "ui_scale" || name == "presenter" || name == "presenter_scale"; }

std::string progress_path(const AppState& s) { return s.config_dir.empty() ? "" : s.config_dir + "/lessons.json"; }

void save_state(AppState& s) {
  LessonSaved& k = s.ui.lessons.saved;
  k.doc = s.doc, k.random_doc = s.ui.random_doc, k.has_random_doc = s.ui.has_random_doc;
  k.view = int(s.ui.view), k.layer = s.ui.layer, k.head = s.ui.head, k.step = s.ui.step;
  k.pinned_q = s.ui.pinned_q, k.pinned_k = s.ui.pinned_k;
  k.view_settings.clear();
  for (const Field<UiState>& f : view_settings_table()) k.view_settings.emplace_back(f.name, field_text(f, s.ui));
  s.ui.lessons.saved_valid = true;
}

void restore_state(AppState& s) {
  const LessonSaved& k = s.ui.lessons.saved;
  s.doc = k.doc, s.ui.random_doc = k.random_doc, s.ui.has_random_doc = k.has_random_doc;
  for (const auto& [name, value] : k.view_settings)
    for (const Field<UiState>& f : view_settings_table())
      if (name == f.name && !display_preference(name)) field_set_text(f, s.ui, value);
  s.ui.view = View(k.view), s.ui.view_requested = true;
  s.ui.layer = k.layer, s.ui.head = k.head, s.ui.step = k.step, s.ui.playing = false;
  s.ui.pinned_q = k.pinned_q, s.ui.pinned_k = k.pinned_k;
  s.ui.highlights.clear();  // a lesson's, never the user's
  s.dirty = true;
}

// The state every step starts from: random weights, the default document and view settings, nothing pinned.
void reset_to_defaults(AppState& s) {
  s.doc = Document();
  s.ui.has_random_doc = false;
  static const std::vector<std::pair<const Field<UiState>*, std::string>> defaults = [] {
    std::vector<std::pair<const Field<UiState>*, std::string>> d;
    const UiState fresh;  // its member initialisers are the defaults (no textures: nothing to release)
    for (const Field<UiState>& f : view_settings_table())
      if (!display_preference(f.name)) d.emplace_back(&f, field_text(f, fresh));
    return d;
  }();
  for (const auto& [f, value] : defaults) field_set_text(*f, s.ui, value);
  s.ui.layer = 0, s.ui.head = 0, s.ui.step = 0, s.ui.playing = false;
  s.ui.pinned_q = s.ui.pinned_k = -1;
  s.ui.highlights.clear();
  s.ui.view = View::Stages, s.ui.view_requested = true;
  s.dirty = true;
}

// Applies a lesson's actions. "select" and "pin" are clamped to the trace on screen, so the trace of what came
// before them (a new sentence, a model) is computed first, on this thread: lessons use small models.
std::string apply_actions(AppState& s, const std::vector<json>& actions) {
  for (size_t i = 0; i < actions.size(); ++i) {
    const std::string verb = actions[i].begin().key();
    if ((verb == "select" || verb == "pin") && s.dirty) recompute(s);
    if (std::string e = apply_action(s, actions[i], nullptr, nullptr); !e.empty())
      return "action " + std::to_string(i + 1) + " (" + verb + "): " + e;
  }
  return {};
}

const Lesson* current(const AppState& s) {
  const LessonState& l = s.ui.lessons;
  if (!l.lessons || l.lesson < 0 || l.lesson >= int(l.lessons->size())) return nullptr;
  return &(*l.lessons)[size_t(l.lesson)];
}

}  // namespace

std::string app_load_lessons(AppState& s) {
  LessonState& l = s.ui.lessons;
  const std::string dir = find_lessons_dir();
  auto all = std::make_shared<std::vector<Lesson>>();
  if (dir.empty()) l.load_error = _("no lessons folder (assets/lessons) was found");
  else l.load_error = load_lessons(dir, all.get());
  if (l.load_error.empty()) l.lessons = all;
  const std::string p = progress_path(s);
  std::error_code ec;
  if (!p.empty() && fs::exists(p, ec)) {
    std::string text;
    if (read_file_limited(p, 1 << 20, &text).empty()) {
      const json j = json::parse(text, nullptr, false);
      if (j.is_object() && j.contains("progress") && j["progress"].is_object())
        for (auto it = j["progress"].begin(); it != j["progress"].end(); ++it)
          if (it.value().is_number_integer()) l.progress[it.key()] = std::max(0, it.value().get<int>());
    }
  }
  return l.load_error;
}

void app_save_lesson_progress(const AppState& s) {
  const std::string p = progress_path(s);
  if (p.empty()) return;
  json j;
  j["progress"] = json::object();
  for (const auto& [id, n] : s.ui.lessons.progress) j["progress"][id] = n;
  write_file_atomic(p, j.dump(2) + "\n");
}

std::string app_lesson_open(AppState& s, int lesson) {
  LessonState& l = s.ui.lessons;
  if (!l.lessons) return l.load_error.empty() ? _("no lessons are loaded") : l.load_error;
  if (lesson < 0 || lesson >= int(l.lessons->size()))
    return printf_text(_("there is no lesson %d (1 … %zu)"), lesson + 1, l.lessons->size());
  if (!l.saved_valid) save_state(s);  // a lesson opened from another keeps what the user had before both
  l.lesson = lesson, l.drawer = true;
  return app_lesson_go(s, 0);
}

std::string app_lesson_go(AppState& s, int step) {
  LessonState& l = s.ui.lessons;
  const Lesson* lesson = current(s);
  if (!lesson) return _("no lesson is open");
  if (step < 0 || step >= int(lesson->steps.size()))
    return printf_text(_("this lesson has steps 1 … %zu"), lesson->steps.size());
  l.step = step, l.guess = -1, l.revealed = false, l.text_key = ~0ull;
  reset_to_defaults(s);
  l.error = apply_actions(s, lesson->steps[size_t(step)].state);
  if (!l.error.empty()) l.error = printf_text(_("step %d: %s"), step + 1, l.error.c_str());
  int& seen = l.progress[lesson->id];
  seen = std::max(seen, step + 1);
  return l.error;
}

std::string app_lesson_reveal(AppState& s, int guess) {
  LessonState& l = s.ui.lessons;
  const Lesson* lesson = current(s);
  if (!lesson) return _("no lesson is open");
  const LessonStep& st = lesson->steps[size_t(l.step)];
  if (!st.has_question) return _("this step asks nothing");
  if (l.revealed) return {};
  const int choices = st.question.kind == LessonQuestion::Kind::Choice ? int(st.question.choices.size())
                                                                        : (s.traces.has_trace ? s.traces.trace.n() : 0);
  if (guess < 0 || guess >= choices) return printf_text(_("choose one of the %d answers first"), choices);
  l.guess = guess, l.revealed = true, l.text_key = ~0ull;
  l.error = apply_actions(s, st.question.reveal);
  if (!l.error.empty()) l.error = printf_text(_("reveal: %s"), l.error.c_str());
  return l.error;
}

void app_lesson_leave(AppState& s) {
  LessonState& l = s.ui.lessons;
  if (l.saved_valid) restore_state(s);
  l.saved_valid = false;
  l.lesson = -1, l.step = 0, l.guess = -1, l.revealed = false, l.error.clear();
  app_save_lesson_progress(s);
}

void app_lessons_before_frame(AppState& s) {
  LessonState& l = s.ui.lessons;
  const LessonRequest r = l.request;
  const int arg = l.request_arg;
  l.request = LessonRequest::None, l.request_arg = -1;
  std::string e;
  switch (r) {
    case LessonRequest::None: return;
    case LessonRequest::Open: e = app_lesson_open(s, arg); break;
    case LessonRequest::Go:
    case LessonRequest::ResetStep: e = app_lesson_go(s, arg); break;
    case LessonRequest::Reveal: e = app_lesson_reveal(s, arg); break;
    case LessonRequest::Leave: app_lesson_leave(s); break;
  }
  if (!e.empty() && l.error.empty()) l.error = e;
}

}  // namespace attn
