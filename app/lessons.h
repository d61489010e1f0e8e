// lessons.h: running a guided lesson in the app (the data: core/lesson.h; the drawer: ui/lessons_panel.h).
//
// A step starts from the app's defaults (random weights, the default sentence and settings, no pinned cell), then
// applies its actions with the UI script's own verbs (app/script.h), so every step shows the same thing whatever
// came before it, and "reset this step" and going back are the same operation. Opening a lesson saves what the user
// had; leaving it (or quitting the app) restores that.
#pragma once
#include <string>

namespace attn {

struct AppState;

// The lessons folder: $ATTN_LESSONS_DIR, else "lessons" beside the models folder (model_library.h). "" when none.
std::string find_lessons_dir();
// Loads the lessons into s.ui.lessons and the learner's progress from <config>/lessons.json. "" or why not.
std::string app_load_lessons(AppState& s);
// Carries out the drawer's request (s.ui.lessons.request), if any. Called before each frame's recompute.
void app_lessons_before_frame(AppState& s);
// Each is also a drawer button; "" or why not (the lesson state is unchanged then).
std::string app_lesson_open(AppState& s, int lesson);
std::string app_lesson_go(AppState& s, int step);        // also "reset this step" (the same step)
std::string app_lesson_reveal(AppState& s, int guess);   // commits the guess and applies the reveal's actions
void app_lesson_leave(AppState& s);                      // restores what the user had
// Writes <config>/lessons.json (the learner's progress).
void app_save_lesson_progress(const AppState& s);

}  // namespace attn
