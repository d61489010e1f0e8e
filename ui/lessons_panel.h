// lessons_panel.h: the Lessons drawer's state (plain data in UiState) and its panel.
//
// The drawer lists the lessons (assets/lessons, core/lesson.h) with the learner's progress, and shows the current
// step: its text with the engine's numbers filled in, a "predict, then reveal" question, next / previous
// (PageDown / PageUp and the arrow keys, so a presenter's clicker works), "reset this step" and "leave". The panel
// only asks: app/lessons.h applies a step's state (the same actions as a UI script) and restores what the user had.
#pragma once
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "document.h"
#include "lesson.h"

namespace attn {

enum class LessonRequest { None, Open, Go, Reveal, ResetStep, Leave };

// What the user had before a lesson started: restored when it ends.
struct LessonSaved {
  Document doc, random_doc;
  bool has_random_doc = false;
  int view = 0, layer = 0, head = 0, pinned_q = -1, pinned_k = -1, step = 0;
  std::vector<std::pair<std::string, std::string>> view_settings;  // name, value as text
};

struct LessonState {
  std::shared_ptr<const std::vector<Lesson>> lessons;  // loaded once at start (app/)
  std::string load_error;                              // why assets/lessons could not be read
  bool drawer = false;                                 // the drawer is open
  Lang lang = Lang::En;
  int lesson = -1, step = 0;                           // the lesson running (-1: none)
  int guess = -1;                                      // the learner's committed choice (token index for Token)
  bool revealed = false;
  std::string error;                                   // applying the step failed: shown, never silently
  std::map<std::string, int> progress;                 // lesson id → steps reached (remembered in lessons.json)
  // The drawer's request for app/ (handled before the next frame).
  LessonRequest request = LessonRequest::None;
  int request_arg = -1;                                // Open: the lesson; Go: the step; Reveal: the guess
  bool saved_valid = false;
  LessonSaved saved;
  // Filled text, cached per (trace version, lesson, step, language, revealed).
  uint64_t text_key = ~0ull;
  std::string text, question, explain, text_error;
  std::vector<std::string> failed_checks;              // claims of the step that do not hold on screen now
};

struct UiState;
struct Views;
// The drawer (right of the views) when ui.lessons.drawer is set; the width it takes (0 when closed).
float lessons_drawer_width(const UiState& ui);
void draw_lessons_panel(const Views& v, UiState& ui);
// The LessonContext of what is on screen (the selected layer and head, the views' own numbers).
LessonContext lesson_context(const Views& v, const UiState& ui);
// Every character the lessons can show (both languages): the font atlas holds their glyphs. (The drawer's own
// words are gettext's: catalogue_text() brings theirs.)
std::string lesson_glyph_text(const LessonState& s);
// PageDown/PageUp/arrows when no text field has focus: next/previous step. Called once per frame by the explorer.
void lesson_keys(UiState& ui);

}  // namespace attn
