// lesson.h: guided lessons kept as data (assets/lessons/*.json), and the live numbers their texts cite.
//
// A lesson is a list of steps. A step says what to look at (title and text, in English and Simplified Chinese), the
// app state it sets (a list of UI script actions: the verbs of docs/script.md, e.g. {"view": "softmax"},
// {"set": "scale", "value": false}, {"pin": [7, 1]}), and optionally a "predict, then reveal" question whose reveal
// applies more actions (the learner commits to a guess before the view shows the answer).
//
// Every number a text cites comes from the engine: a text holds placeholders {NAME ARGS…} that lesson_fill replaces
// with values read from the trace on screen (the list of names is lesson_names()). A step may also list checks,
// "EXPR OP EXPR" with OP one of < <= > >= == !=, the claims its text makes; tests assert they hold in the state the
// step sets, and the drawer warns when a user's edit makes one false.
//
// File format (one lesson per file, files read in name order):
//   {"id": "scaling", "title": {"en": "…", "zh": "…"}, "summary": {"en": "…", "zh": "…"},
//    "steps": [{"title": {…}, "text": {…}, "state": [actions…], "checks": ["max_unscaled 7 > max_scaled 7"],
//               "question": {"kind": "choice", "prompt": {…}, "choices": [{…}, {…}], "answer": 1,
//                            "reveal": [actions…], "explain": {…}, "checks": [...]}}]}
//   A "token" question asks which key a query attends to most: {"kind": "token", "query": 7, "prompt": {…},
//   "explain": {…}}; the answer is the engine's argmax of that row for the selected head.
#pragma once
#include <nlohmann/json.hpp>
#include <map>
#include <string>
#include <vector>

#include "trace.h"

namespace attn {

enum class Lang { En, Zh };
constexpr int kLangCount = 2;
const char* lang_code(Lang l);  // "en", "zh"

struct LocalText {
  std::string en, zh;
  const std::string& in(Lang l) const { return l == Lang::Zh ? zh : en; }
};

struct LessonQuestion {
  enum class Kind { Choice, Token };
  Kind kind = Kind::Choice;
  LocalText prompt, explain;
  std::vector<LocalText> choices;  // Choice
  int answer = -1;                 // Choice: the right choice's index
  int query = -1;                  // Token: the query row whose most-attended key is asked for
  std::vector<nlohmann::json> reveal;   // actions applied when the learner commits
  std::vector<std::string> checks;      // claims that hold after the reveal
};

struct LessonStep {
  LocalText title, text;
  std::vector<nlohmann::json> state;
  std::vector<std::string> checks;
  bool has_question = false;
  LessonQuestion question;
};

struct Lesson {
  std::string id, file;
  LocalText title, summary;
  std::vector<LessonStep> steps;
};

// The script verbs a lesson step may use (state and reveal): what the app shows, never files, training or waits.
const std::vector<std::string>& lesson_verbs();

// Parses one lesson file's text. "" or one sentence naming the step and field that is wrong.
std::string parse_lesson(const std::string& text, Lesson* out);
// Reads every *.json of `dir` in name order. "" or the first file's problem (named).
std::string load_lessons(const std::string& dir, std::vector<Lesson>* out);

// What a placeholder reads: the trace on screen, the selected layer and head, and the views' own numbers the UI
// passes by name (cx_n, cx_d, kernel_k, neighbourhood_r, lab_dk, path_i, path_j).
struct LessonContext {
  const Trace* trace = nullptr;
  int layer = 0, head = 0;
  std::map<std::string, double> vars;
};

struct LessonValue {
  bool is_text = false;
  double number = 0;
  std::string text;  // is_text: a token; otherwise the number as shown
};

// The names a placeholder may use, each with its arguments and meaning (for docs and error messages).
const std::vector<std::pair<std::string, std::string>>& lesson_names();
// Evaluates "w 7 1". "" or why not (unknown name, an index outside the trace, no such layer).
std::string lesson_eval(const std::string& expr, const LessonContext& c, LessonValue* out);
// Replaces every {expr} of `text`. "" or the first placeholder's problem; *out then holds the text with "?" there.
std::string lesson_fill(const std::string& text, const LessonContext& c, std::string* out);
// Evaluates a check "max_unscaled 7 > max_scaled 7" (either side may be a number). "" or why it cannot be evaluated.
std::string lesson_check(const std::string& check, const LessonContext& c, bool* holds);

}  // namespace attn
