// Guided lessons (issue 14 §1): the format, the live numbers, and every shipped lesson run from start to end in both
// languages, each step's state checked against what its actions say, every placeholder filled, every claim true.
#include <gtest/gtest.h>

#include <algorithm>
#include <unistd.h>

#include <cmath>
#include <filesystem>

#include "app_state.h"
#include "lesson.h"
#include "lessons.h"
#include "lessons_panel.h"
#include "view_settings.h"

using namespace attn;
namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

// A trace of the default sentence with random weights, built by the engine itself.
Trace small_trace(Settings s = Settings()) {
  Trace t;
  EXPECT_EQ(build_trace(s, "The animal didn't cross the street because it was too tired", &t), "");
  return t;
}

std::string eval(const LessonContext& c, const std::string& e) {
  LessonValue v;
  const std::string err = lesson_eval(e, c, &v);
  return err.empty() ? v.text : "ERROR: " + err;
}

double num(const LessonContext& c, const std::string& e) {
  LessonValue v;
  EXPECT_EQ(lesson_eval(e, c, &v), "") << e;
  return v.number;
}

const char* kOne = R"({"id": "x", "title": {"en": "T", "zh": "标"}, "summary": {"en": "S", "zh": "概"},
  "steps": [{"title": {"en": "a", "zh": "甲"}, "text": {"en": "n = {n}", "zh": "n = {n}"},
             "state": [{"view": "masks"}, {"set": "mask", "value": "causal"}],
             "question": {"kind": "choice", "prompt": {"en": "?", "zh": "？"},
                          "choices": [{"en": "0", "zh": "0"}, {"en": "1", "zh": "1"}], "answer": 1,
                          "reveal": [{"pin": [1, 0]}], "explain": {"en": "!", "zh": "！"}}}]})";

}  // namespace

TEST(LessonFormat, ParsesALessonAndRefusesWhatIsWrongByName) {
  Lesson l;
  ASSERT_EQ(parse_lesson(kOne, &l), "");
  EXPECT_EQ(l.id, "x");
  ASSERT_EQ(l.steps.size(), 1u);
  EXPECT_EQ(l.steps[0].state.size(), 2u);
  EXPECT_TRUE(l.steps[0].has_question);
  EXPECT_EQ(l.steps[0].question.answer, 1);
  EXPECT_EQ(l.title.in(Lang::Zh), "标");

  auto refused = [](std::string text, const std::string& what) {
    Lesson x;
    const std::string e = parse_lesson(text, &x);
    EXPECT_NE(e.find(what), std::string::npos) << "got: " << e;
  };
  auto with = [](const std::string& from, const std::string& to) {
    std::string s = kOne;
    const size_t p = s.find(from);
    EXPECT_NE(p, std::string::npos) << from;
    return s.replace(p, from.size(), to);
  };
  refused("{", "not valid JSON");
  refused(with("\"zh\": \"标\"", "\"zh\": \"\""), "empty text");
  refused(with("{\"view\": \"masks\"}", "{\"screenshot\": \"a.png\"}"), "\"screenshot\", which a lesson may not");
  refused(with("\"answer\": 1", "\"answer\": 2"), "the index of the right choice");
  refused(with("\"kind\": \"choice\"", "\"kind\": \"essay\""), "\"choice\" or \"token\"");
  refused(with("\"steps\": [", "\"steps\": [] , \"x\": ["), "non-empty \"steps\"");
}

TEST(LessonNumbers, PlaceholdersReadTheEngineAndClosedForms) {
  const Trace t = small_trace();
  LessonContext c;
  c.trace = &t;
  c.vars = {{"cx_n", 512}, {"cx_d", 512}, {"kernel_k", 3}, {"neighbourhood_r", 4}};
  EXPECT_EQ(eval(c, "n"), "11");
  EXPECT_EQ(eval(c, "d_k"), "16");
  EXPECT_EQ(eval(c, "sqrt_dk"), "4.00");
  EXPECT_EQ(eval(c, "tok 7"), "it");
  // Softmax rows sum to 1; the argmax's weight is the row's largest.
  EXPECT_NEAR(num(c, "row_sum 7"), 1.0, 1e-3);
  const int best = int(num(c, "argmax_at 7"));
  for (int j = 0; j < 11; ++j) EXPECT_LE(num(c, "w 7 " + std::to_string(j)), num(c, "max 7") + 1e-9);
  EXPECT_EQ(eval(c, "argmax 7"), t.tokens[size_t(best)]);
  // Scaled score = raw score / √d_k (τ = 1, no mask), to the 2 decimals shown.
  EXPECT_NEAR(num(c, "x 7 1"), num(c, "s 7 1") / 4.0, 0.006);
  // Without ÷√d_k the row is sharper: the largest weight grows and the entropy falls (both from the same scores).
  EXPECT_GT(num(c, "max_unscaled 7"), num(c, "max_scaled 7"));
  EXPECT_LT(num(c, "entropy_unscaled 7"), num(c, "entropy_scaled 7"));
  EXPECT_LE(num(c, "entropy 7"), std::log(11.0) + 1e-3);
  {  // The mean over rows of each row's standard deviation of the raw scores, computed here from the trace.
    const Mat& S = t.layers[0].attn.heads[0].scores;
    double total = 0;
    for (int i = 0; i < S.rows(); ++i) {
      double m = 0, v = 0;
      for (int j = 0; j < S.cols(); ++j) m += S(i, j) / S.cols();
      for (int j = 0; j < S.cols(); ++j) v += (S(i, j) - m) * (S(i, j) - m) / S.cols();
      total += std::sqrt(v) / S.rows();
    }
    EXPECT_NEAR(num(c, "std_s"), total, 0.006);
  }  // no distribution over 11 keys exceeds ln 11
  // Table 1 at n = d = 512, k = 3, r = 4: n²·d = 134,217,728 = n·d²; k·n·d² three times that; r·n·d.
  EXPECT_EQ(eval(c, "cx_self"), "134,217,728");
  EXPECT_EQ(eval(c, "cx_rnn"), "134,217,728");
  EXPECT_EQ(eval(c, "cx_conv"), "402,653,184");
  EXPECT_EQ(eval(c, "cx_restricted"), "1,048,576");
  EXPECT_EQ(eval(c, "path_self"), "1");
  EXPECT_EQ(eval(c, "path_rnn"), "511");
  EXPECT_EQ(eval(c, "path_conv"), "6");         // ⌈log₃ 512⌉ = 6 (3⁵ = 243 < 512 ≤ 729)
  EXPECT_EQ(eval(c, "path_restricted"), "256");  // ⌈511 / 2⌉
  EXPECT_EQ(eval(c, "cx_n"), "512");
  EXPECT_EQ(eval(c, "r"), "4");
  EXPECT_EQ(eval(c, "rnn_path 2 9"), "7");
  EXPECT_EQ(eval(c, "restricted_path 0 9"), "5");  // hops of ⌊4/2⌋ = 2 positions
  // One FFN: 2·64·256 + 256 + 64; one attention sublayer: 4·64² + 4·64.
  EXPECT_EQ(eval(c, "ffn_params"), "33,088");
  EXPECT_EQ(eval(c, "attn_params"), "16,640");
  // The sinusoid of the paper: PE(pos, 2i) = sin(pos / 10000^(2i/d)), so PE(3, 0) = sin 3, PE(3, 1) = cos 3.
  EXPECT_NEAR(num(c, "pe 3 0"), std::sin(3.0), 1e-3);
  EXPECT_NEAR(num(c, "pe 3 1"), std::cos(3.0), 1e-3);
  // Post-norm: each row after Add & Norm has mean 0 and standard deviation 1 (γ = 1, β = 0 at initialisation).
  EXPECT_NEAR(num(c, "ln_mean 4"), 0.0, 2e-3);
  EXPECT_NEAR(num(c, "ln_std 4"), 1.0, 2e-3);
  // ReLU zeros are a share of d_ff: between 0 and 100 %.
  EXPECT_GE(num(c, "ffn_zero 2"), 0.0);
  EXPECT_LE(num(c, "ffn_zero 2"), 100.0);
  // Errors name the problem instead of printing a number.
  EXPECT_NE(eval(c, "w 7 11").find("outside 0 … 10"), std::string::npos);
  EXPECT_NE(eval(c, "nope").find("unknown name"), std::string::npos);
  EXPECT_NE(eval(c, "w 7").find("takes 2 numbers"), std::string::npos);
  EXPECT_NE(eval(c, "dec_n").find("no decoder"), std::string::npos);
  std::string filled;
  EXPECT_EQ(lesson_fill("q = {tok 7}, n = {n}", c, &filled), "");
  EXPECT_EQ(filled, "q = “it”, n = 11");
  EXPECT_NE(lesson_fill("{w 99 0} and {n}", c, &filled), "");
  EXPECT_EQ(filled, "? and 11");
  bool holds = false;
  EXPECT_EQ(lesson_check("row_sum 7 > 0.99", c, &holds), "");
  EXPECT_TRUE(holds);
  EXPECT_EQ(lesson_check("tok 7 == tok 4", c, &holds), "");
  EXPECT_FALSE(holds);
  EXPECT_NE(lesson_check("n", c, &holds), "");
}

TEST(LessonNumbers, CausalMaskBlocksTheUpperTriangle) {
  Settings s;
  s.mask = MaskKind::Causal;
  const Trace t = small_trace(s);
  LessonContext c;
  c.trace = &t;
  EXPECT_EQ(eval(c, "blocked"), "55");  // 11·10/2 cells above the diagonal
  EXPECT_EQ(eval(c, "blocked_row 0"), "10");
  EXPECT_EQ(eval(c, "w 0 0"), "1.000");  // the first token sees only itself
  EXPECT_EQ(eval(c, "w 1 5"), "0.000");
}

namespace {

// The action took effect: the app's state now says what the action set.
void expect_applied(const AppState& s, const json& a, const std::string& where) {
  const std::string verb = a.begin().key();
  const json& v = a.begin().value();
  if (verb == "view") {
    View want;
    ASSERT_TRUE(parse_view(v.get<std::string>(), &want)) << where;
    EXPECT_EQ(s.ui.view, want) << where;
  } else if (verb == "text") {
    EXPECT_EQ(s.doc.text, v.get<std::string>()) << where;
  } else if (verb == "model") {
    EXPECT_EQ(s.doc.model, v.get<std::string>() == "random" ? "" : v.get<std::string>()) << where;
  } else if (verb == "set") {
    const std::string name = v.get<std::string>();
    const json& value = a["value"];
    std::string want = value.is_string() ? value.get<std::string>() : value.is_boolean() ? (value.get<bool>() ? "true" : "false") : "";
    std::string got;
    for (const Field<Settings>& f : settings_table())
      if (name == f.name) got = field_text(f, s.doc.settings);
    for (const Field<UiState>& f : view_settings_table())
      if (name == f.name) got = field_text(f, s.ui);
    if (value.is_number()) EXPECT_NEAR(std::stod(got), value.get<double>(), 1e-6) << where << " " << name;
    else EXPECT_EQ(got, want) << where << " " << name;
  } else if (verb == "select") {
    if (v.contains("layer")) {
      EXPECT_EQ(s.ui.layer, v["layer"].get<int>()) << where;
    }
    if (v.contains("head")) {
      EXPECT_EQ(s.ui.head, v["head"].get<int>()) << where;
    }
  } else if (verb == "pin") {
    EXPECT_EQ(s.ui.pinned_q, v[0].get<int>()) << where;
    EXPECT_EQ(s.ui.pinned_k, v[1].get<int>()) << where;
  } else if (verb == "highlight") {  // each region as the file writes it; -1: the whole axis
    ASSERT_EQ(s.ui.highlights.size(), v.size()) << where;
    for (size_t k = 0; k < v.size(); ++k) {
      const json& r = v[k];
      int r0 = -1, r1 = -1, c0 = -1, c1 = -1;
      if (r.contains("cell")) r0 = r1 = r["cell"][0].get<int>(), c0 = c1 = r["cell"][1].get<int>();
      if (r.contains("row")) r0 = r1 = r["row"].get<int>();
      if (r.contains("col")) c0 = c1 = r["col"].get<int>();
      if (r.contains("rows")) r0 = r["rows"][0].get<int>(), r1 = r["rows"][1].get<int>();
      if (r.contains("cols")) c0 = r["cols"][0].get<int>(), c1 = r["cols"][1].get<int>();
      const HeatmapRegion& h = s.ui.highlights[k];
      EXPECT_EQ(std::vector<int>({h.r0, h.r1, h.c0, h.c1}), std::vector<int>({r0, r1, c0, c1})) << where << " region " << k;
    }
  }
}

void expect_filled(const std::string& text, const LessonContext& c, const std::string& where) {
  std::string out;
  EXPECT_EQ(lesson_fill(text, c, &out), "") << where;
  EXPECT_EQ(out.find('{'), std::string::npos) << where;
  EXPECT_EQ(out.find("nan"), std::string::npos) << where;
}

void expect_checks(const std::vector<std::string>& checks, const LessonContext& c, const std::string& where) {
  for (const std::string& ch : checks) {
    bool holds = false;
    EXPECT_EQ(lesson_check(ch, c, &holds), "") << where << ": " << ch;
    EXPECT_TRUE(holds) << where << ": the claim \"" << ch << "\" does not hold on screen";
  }
}

LessonContext context_of(const AppState& s) {
  Views v;
  v.trace = s.traces.has_trace ? &s.traces.trace : nullptr;
  return lesson_context(v, s.ui);
}

// A fresh app with its own folders, random weights as the user's choice.
GuiOptions fresh_options(const fs::path& dir) {
  fs::remove_all(dir);
  GuiOptions o;
  o.io_dir = dir.string();
  o.config_dir = (dir / "config").string();
  o.weights = "random";
  return o;
}

}  // namespace

TEST(Lessons, EveryLessonRunsFromStartToEndInBothLanguagesAndLeavingRestoresTheUsersState) {
  const fs::path dir = fs::temp_directory_path() / ("attn-lessons-" + std::to_string(::getpid()));
  const GuiOptions o = fresh_options(dir);
  AppState s;
  ASSERT_EQ(app_init(s, o), "");
  ASSERT_TRUE(s.ui.lessons.lessons) << s.ui.lessons.load_error;
  const std::vector<Lesson>& all = *s.ui.lessons.lessons;
  EXPECT_EQ(all.size(), 14u) << "one lesson for each concept of the study notes";

  // What the user had: restored after every lesson.
  s.doc.text = "Cats like to sleep";
  s.doc.settings.heads = 2;
  s.ui.view = View::Complexity;
  s.ui.cx_n = 100;
  s.ui.pinned_q = 2, s.ui.pinned_k = 1;
  recompute(s);
  ASSERT_TRUE(s.traces.has_trace) << s.error;

  for (size_t i = 0; i < all.size(); ++i) {
    const Lesson& l = all[i];
    for (Lang lang : {Lang::En, Lang::Zh}) {
      s.ui.lessons.lang = lang;
      for (size_t k = 0; k < l.steps.size(); ++k) {
        const std::string where = l.file + " (" + lang_code(lang) + ") step " + std::to_string(k + 1);
        const LessonStep& st = l.steps[k];
        ASSERT_EQ(k == 0 ? app_lesson_open(s, int(i)) : app_lesson_go(s, int(k)), "") << where;
        recompute(s);
        ASSERT_TRUE(s.traces.has_trace && s.error.empty()) << where << ": " << s.error;
        for (const json& a : st.state) expect_applied(s, a, where);
        // A step without highlights shows none (not the previous step's).
        if (std::none_of(st.state.begin(), st.state.end(), [](const json& a) { return a.contains("highlight"); })) {
          EXPECT_TRUE(s.ui.highlights.empty()) << where;
        }
        const LessonContext c = context_of(s);
        expect_filled(st.title.in(lang), c, where + " title");
        expect_filled(st.text.in(lang), c, where + " text");
        expect_checks(st.checks, c, where);
        if (!st.has_question) continue;
        const LessonQuestion& q = st.question;
        expect_filled(q.prompt.in(lang), c, where + " question");
        int answer = q.answer;
        if (q.kind == LessonQuestion::Kind::Token) answer = int(num(c, "argmax_at " + std::to_string(q.query)));
        ASSERT_EQ(app_lesson_reveal(s, answer), "") << where;
        EXPECT_TRUE(s.ui.lessons.revealed);
        recompute(s);
        ASSERT_TRUE(s.traces.has_trace && s.error.empty()) << where << " (revealed): " << s.error;
        for (const json& a : q.reveal) expect_applied(s, a, where + " reveal");
        const LessonContext r = context_of(s);
        expect_filled(q.explain.in(lang), r, where + " explanation");
        expect_checks(q.checks, r, where + " (revealed)");
      }
      EXPECT_EQ(s.ui.lessons.progress[l.id], int(l.steps.size())) << l.file;
      app_lesson_leave(s);
      EXPECT_EQ(s.ui.lessons.lesson, -1);
      EXPECT_EQ(s.doc.text, "Cats like to sleep") << l.file;
      EXPECT_EQ(s.doc.settings.heads, 2) << l.file;
      EXPECT_EQ(s.doc.model, "") << l.file;
      EXPECT_EQ(s.ui.view, View::Complexity) << l.file;
      EXPECT_EQ(s.ui.cx_n, 100) << l.file;
      EXPECT_EQ(s.ui.pinned_q, 2) << l.file;
      EXPECT_TRUE(s.ui.highlights.empty()) << l.file;
    }
  }
  // Progress is remembered.
  app_save_lesson_progress(s);
  AppState next;
  ASSERT_EQ(app_init(next, o), "");
  EXPECT_EQ(next.ui.lessons.progress[all[0].id], int(all[0].steps.size()));
  fs::remove_all(dir);
}

TEST(Lessons, TheDrawersRequestsAreCarriedOutAndImpossibleStepsAndAnswersAreRefused) {
  const fs::path dir = fs::temp_directory_path() / ("attn-lessons-req-" + std::to_string(::getpid()));
  AppState s;
  ASSERT_EQ(app_init(s, fresh_options(dir)), "");
  ASSERT_TRUE(s.ui.lessons.lessons) << s.ui.lessons.load_error;
  s.ui.lessons.request = LessonRequest::Open, s.ui.lessons.request_arg = 0;
  app_lessons_before_frame(s);
  EXPECT_EQ(s.ui.lessons.lesson, 0);
  EXPECT_EQ(s.ui.lessons.step, 0);
  s.ui.lessons.request = LessonRequest::Go, s.ui.lessons.request_arg = 1;
  app_lessons_before_frame(s);
  EXPECT_EQ(s.ui.lessons.step, 1);
  EXPECT_EQ(s.ui.lessons.request, LessonRequest::None);
  EXPECT_NE(app_lesson_go(s, 99), "");  // refused, the step stays
  EXPECT_EQ(s.ui.lessons.step, 1);
  EXPECT_NE(app_lesson_open(s, 99), "");
  EXPECT_NE(app_lesson_reveal(s, 0), "") << "step 2 of lesson 1 asks nothing";
  ASSERT_EQ(app_lesson_go(s, 2), "");  // a token question over the sentence's tokens
  recompute(s);
  EXPECT_NE(app_lesson_reveal(s, s.traces.trace.n()), "") << "no such token";
  EXPECT_NE(app_lesson_reveal(s, -1), "");
  EXPECT_FALSE(s.ui.lessons.revealed);
  EXPECT_EQ(app_lesson_reveal(s, 0), "");
  EXPECT_TRUE(s.ui.lessons.revealed);
  s.ui.lessons.request = LessonRequest::Leave;
  app_lessons_before_frame(s);
  EXPECT_EQ(s.ui.lessons.lesson, -1);
  fs::remove_all(dir);
}

TEST(LessonNumbers, CrossAttentionRowsSumToOneOverTheSource) {
  Settings s;
  s.target = std::string("the animal was tired");
  s.decode_steps = 2;
  const Trace t = small_trace(s);
  LessonContext c;
  c.trace = &t;
  double sum = 0;
  for (int j = 0; j < 11; ++j) sum += num(c, "cw 1 " + std::to_string(j));
  EXPECT_NEAR(sum, 1.0, 0.006);  // 11 weights shown to 3 decimals
  EXPECT_EQ(eval(c, "dec_steps"), "2");
  EXPECT_EQ(eval(c, "dec_n"), "5");  // "<s>" then the target's 4 tokens
  EXPECT_NE(eval(c, "cw 1 11").find("outside"), std::string::npos);
}
