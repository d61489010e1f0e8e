#include "monkey.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "rng.h"
#include "settings_table.h"
#include "task.h"
#include "ui_state.h"
#include "view_settings.h"

namespace attn {

using json = nlohmann::json;

namespace {

struct Gen {
  Rng rng;
  explicit Gen(uint64_t seed) : rng(stream_seed(seed, "monkey")) {}
  uint64_t below(uint64_t n) { return n ? rng.next_u64() % n : 0; }
  int in(int lo, int hi) { return lo + int(below(uint64_t(hi - lo + 1))); }  // inclusive
  bool chance(double p) { return double(rng.next_u64() >> 11) * 0x1.0p-53 < p; }
  double uniform(double lo, double hi) { return lo + (hi - lo) * double(rng.next_u64() >> 11) * 0x1.0p-53; }
  template <class T>
  const T& pick(const std::vector<T>& v) { return v[size_t(below(v.size()))]; }
};

// Pieces of text a user can type or paste: words, other scripts, emoji sequences, marks, controls, and byte
// sequences that are not UTF-8 at all (a Latin-1 paste, a truncated or overlong sequence, a UTF-16 surrogate).
const std::vector<std::string>& text_pieces() {
  static const std::vector<std::string> p = {
      "the", "animal", "didn't", "cross", "street", " ", " ", "  ", "\t", "\n", ".", ",", "!?", "3", "1", "4",
      "机器", "学习", "注意力", "很有趣", "。", "שלום", "עולם", "مرحبا", "नमस्ते", "é", "e\xCC\x81", "\xF0\x9F\x98\x80",
      "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7",  // family: a ZWJ sequence
      "\xF0\x9F\x87\xAB\xF0\x9F\x87\xB7",                                          // a flag
      "\xE2\x80\x8B", "\xE2\x80\x8F", "\xEF\xBB\xBF", "\x01", "\x1B[31m", "\x7F",  // zero-width, RTL mark, BOM, controls
      "caf\xE9", "\xFF", "\x80", "\xC3", "\xE6\xB3", "\xC0\x80", "\xED\xA0\x80", "\xF4\x90\x80\x80",  // not UTF-8
      "<pad>", "<s>", "</s>", "0", "9", "10", "-1"};
  return p;
}

std::string random_text(Gen& g) {
  const std::vector<std::string>& pieces = text_pieces();
  std::string t;
  if (g.chance(0.02)) {  // a huge paste: 100,000 characters
    while (t.size() < 100000) t += g.pick(pieces) + (g.chance(0.5) ? " " : "");
    t.resize(100000);  // may cut a sequence in half: that is a paste too
    return t;
  }
  if (g.chance(0.05)) return "";
  const int k = g.in(1, 24);
  for (int i = 0; i < k; ++i) t += g.pick(pieces) + (g.chance(0.6) ? " " : "");
  return t;
}

// A value for a numeric field: its edges, just past them, far past them, a random one inside, or text.
template <class S>
json numeric_value(Gen& g, const Field<S>& f) {
  const double lo = f.min, hi = f.max;
  const bool whole = f.type != FieldType::Float;
  const std::vector<double> edges = {lo, hi, lo - 1, hi + 1, 0, 1, -1, hi * 10, 1e9, -1e9, 1e300, 0.5};
  double v = g.chance(0.5) ? g.pick(edges) : g.uniform(lo, std::min(hi, lo + 64 * (1 + std::abs(lo))));
  if (whole && g.chance(0.8)) v = std::floor(v);
  const int how = g.in(0, 9);
  if (how < 6) return v;                                 // a number
  if (how < 8) return number_text(v);                    // the same, typed as text
  static const std::vector<std::string> junk = {"abc", "1e3", "", " 12", "12 ", "nan", "inf", "-0", "0x10", "٣", "１２"};
  return g.pick(junk);                                   // not a number at all
}

template <class S>
json field_value(Gen& g, const Field<S>& f) {
  switch (f.type) {
    case FieldType::Bool:
      return g.chance(0.9) ? json(g.chance(0.5)) : g.chance(0.5) ? json(1) : json("yes");
    case FieldType::Enum:
      return g.chance(0.9) && !f.choices.empty() ? json(g.pick(f.choices)) : g.chance(0.5) ? json("bogus") : json(3);
    case FieldType::OptText:
      return g.chance(0.3) ? json(nullptr) : json(random_text(g));
    default:
      return numeric_value(g, f);
  }
}

template <class S>
json field_action(Gen& g, const std::vector<Field<S>>& table) {
  const Field<S>& f = g.pick(table);
  // "type": what a user can enter into the control (clamped like the widget); "set": the strict script setter.
  return json{{g.chance(0.7) ? "type" : "set", f.name}, {"value", field_value(g, f)}};
}

json train_action(Gen& g) {
  static const std::vector<std::string> tasks = {"reverse", "sort", "copy-shift", "induction"};
  json c = {{"task", g.pick(tasks)}, {"steps", g.in(1, 200)}, {"seed", g.in(0, 9)}};
  if (g.chance(0.5)) c["length"] = g.in(2, 12);
  if (g.chance(0.3)) c["vocab"] = g.in(2, 12);
  if (g.chance(0.3)) c["d_model"] = g.pick(std::vector<int>{8, 16, 32, 0, 7});
  if (g.chance(0.2)) c["heads"] = g.in(0, 5);
  if (g.chance(0.2)) c["batch"] = g.in(0, 64);
  return json{{"train", c}};
}

}  // namespace

std::vector<json> monkey_actions(uint64_t seed, int count, const std::vector<std::string>& models) {
  Gen g(seed);
  std::vector<std::string> views;
  for (int v = 0; v < kViewCount; ++v) views.push_back(view_id(View(v)));
  std::vector<std::string> model_names = models;
  model_names.push_back("random");
  model_names.push_back("no-such-model");
  std::vector<json> out;
  out.reserve(size_t(count));
  while (int(out.size()) < count) {
    const int r = g.in(0, 99);
    if (r < 30) out.push_back(field_action(g, settings_table()));
    else if (r < 42) out.push_back(field_action(g, view_settings_table()));
    else if (r < 54) out.push_back({{"view", g.chance(0.97) ? g.pick(views) : std::string("bogus")}});
    else if (r < 62) out.push_back({{"text", random_text(g)}});
    else if (r < 64) out.push_back({{"batch_text", random_text(g)}});
    else if (r < 69) out.push_back({{"select", {{"layer", g.in(-2, 12)}, {"head", g.in(-2, 70)}}}});
    else if (r < 74) out.push_back({{"pin", {g.in(-2, 600), g.in(-2, 600)}}});
    else if (r < 78) out.push_back({{"head", {g.in(-1, 6), g.in(-1, 10), g.chance(0.6) ? false : true}}});
    else if (r < 81) out.push_back({{"mask_cell", {g.in(-1, 80), g.in(-1, 80), g.chance(0.7)}}});
    else if (r < 83) out.push_back({{"step", g.in(-5, 500)}});
    else if (r < 84) out.push_back({{"play", g.chance(0.5)}});
    else if (r < 88) out.push_back({{"model", g.pick(model_names)}});
    else if (r < 90) out.push_back(train_action(g));
    else if (r < 92) out.push_back({{"train_control", g.pick(std::vector<std::string>{"pause", "resume", "reset", "use"})}});
    else if (r < 93) {  // lessons: open one (or a number that is none), jump, answer anything, leave
      const int k = g.in(0, 3);
      if (k == 0) out.push_back({{"lesson", g.in(-1, 16)}});
      else if (k == 1) out.push_back({{"lesson_step", g.in(-1, 5)}});
      else if (k == 2) out.push_back({{"lesson_answer", g.in(-1, 14)}});
      else out.push_back({{"lesson_leave", true}});
    } else if (r < 94) out.push_back({{"file", g.pick(std::vector<std::string>{"save_session", "load_session", "png", "csv", "trace"})}});
    else out.push_back({{"frames", g.in(0, 3)}});
  }
  return out;
}

std::string monkey_describe(const json& action, size_t max_chars) {
  std::string s = action.dump(-1, ' ', true, json::error_handler_t::replace);
  if (s.size() > max_chars) s = s.substr(0, max_chars) + "… (" + std::to_string(s.size()) + " characters)";
  return s;
}

double resident_bytes() {
  std::ifstream in("/proc/self/statm");
  double size = 0, resident = 0;
  if (!(in >> size >> resident)) return 0;
  return resident * double(::sysconf(_SC_PAGESIZE));
}

}  // namespace attn
