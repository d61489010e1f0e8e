#include "task.h"

#include <algorithm>
#include <sstream>

#include "tokenizer.h"
#include "translate.h"

namespace attn {

const char* to_string(TaskKind k) {
  switch (k) {
    case TaskKind::Reverse: return "reverse";
    case TaskKind::Sort: return "sort";
    case TaskKind::CopyShift: return "copy-shift";
    case TaskKind::Induction: return "induction";
  }
  return "?";
}

bool parse_task_kind(const std::string& s, TaskKind* out) {
  for (TaskKind k : {TaskKind::Reverse, TaskKind::Sort, TaskKind::CopyShift, TaskKind::Induction})
    if (s == to_string(k)) {
      *out = k;
      return true;
    }
  return false;
}

bool is_seq2seq(TaskKind k) { return k == TaskKind::Reverse || k == TaskKind::Sort; }

std::string validate(const TaskSpec& t) {
  if (t.length < 2 || t.length > kMaxTaskLength)
    return printf_text(_("the sequence length must be between 2 and %d"), kMaxTaskLength);
  if (t.vocab < 2 || t.vocab > kMaxTaskVocab)
    return printf_text(_("the vocabulary must have between 2 and %d symbols"), kMaxTaskVocab);
  if (t.kind == TaskKind::Induction) {
    if (t.length % 2 != 0 || t.length < 4) return _("the induction task needs an even length of at least 4");
    if (t.vocab < t.length / 2)
      return printf_text(_("the induction task draws length/2 distinct symbols: the vocabulary must have at least %d"),
                         t.length / 2);
  }
  return {};
}

Example make_example(const TaskSpec& t, Rng& rng) {
  auto draw = [&] { return int(rng.next_u64() % uint64_t(t.vocab)); };
  Example ex;
  const int L = t.length;
  if (t.kind == TaskKind::Induction) {
    // r: k distinct symbols (a partial Fisher–Yates shuffle), then r again from its start until the length is
    // reached. k is drawn in [⌈L/4⌉, L/2] per example, so the repeat's offset varies and no fixed positional
    // head can solve the task: only "find the previous occurrence of my token, copy what came after" does.
    const int k_lo = std::max(2, (L + 3) / 4), k_hi = L / 2;
    const int k = k_lo + int(rng.next_u64() % uint64_t(k_hi - k_lo + 1));
    std::vector<int> pool(size_t(t.vocab));
    for (int i = 0; i < t.vocab; ++i) pool[size_t(i)] = i;
    for (int i = 0; i < k; ++i) std::swap(pool[size_t(i)], pool[size_t(i + int(rng.next_u64() % uint64_t(t.vocab - i)))]);
    for (int i = 0; i < L; ++i) ex.src.push_back(pool[size_t(i % k)]);
  } else {
    for (int i = 0; i < L; ++i) ex.src.push_back(draw());
  }
  ex.tgt = task_answer(t, ex.src);
  ex.scored = task_scored(t, ex.src);  // induction: positions k … L−2, where the next token is predictable
  return ex;
}

std::vector<int> task_answer(const TaskSpec& t, const std::vector<int>& src) {
  std::vector<int> y = src;
  const int n = int(src.size());
  switch (t.kind) {
    case TaskKind::Reverse: std::reverse(y.begin(), y.end()); break;
    case TaskKind::Sort: std::sort(y.begin(), y.end()); break;
    case TaskKind::CopyShift:  // y_i = x_{i−1}; position 0 has no answer (0 by convention, not scored)
      for (int i = n - 1; i > 0; --i) y[size_t(i)] = src[size_t(i - 1)];
      if (n) y[0] = 0;
      break;
    case TaskKind::Induction:  // y_i = x_{i+1}: the next token (the last has no answer)
      for (int i = 0; i + 1 < n; ++i) y[size_t(i)] = src[size_t(i + 1)];
      if (n) y[size_t(n - 1)] = 0;
      break;
  }
  return y;
}

std::vector<uint8_t> task_scored(const TaskSpec& t, const std::vector<int>& src) {
  const int n = int(src.size());
  std::vector<uint8_t> s(size_t(n), 1);
  if (t.kind == TaskKind::CopyShift && n) s[0] = 0;
  if (t.kind == TaskKind::Induction)
    for (int i = 0; i < n; ++i)
      s[size_t(i)] = i + 1 < n && std::find(src.begin(), src.begin() + i, src[size_t(i)]) != src.begin() + i;
  return s;
}

std::string ids_to_text(const std::vector<int>& ids, const std::vector<uint8_t>& scored) {
  std::string s;
  for (size_t i = 0; i < ids.size(); ++i) {
    if (i) s += ' ';
    s += i < scored.size() && !scored[i] ? "·" : std::to_string(ids[i]);
  }
  return s;
}

std::vector<std::string> task_vocab(const TaskSpec& t) {
  std::vector<std::string> v;
  for (int i = 0; i < t.vocab; ++i) v.push_back(std::to_string(i));
  v.push_back("<s>");
  return v;
}

std::vector<int> decoder_input(const TaskSpec& t, const std::vector<int>& tgt) {
  std::vector<int> y{t.vocab};  // "<s>"
  for (size_t i = 0; i + 1 < tgt.size(); ++i) y.push_back(tgt[i]);
  return y;
}

std::string ids_to_text(const std::vector<int>& ids) {
  std::string s;
  for (size_t i = 0; i < ids.size(); ++i) {
    if (i) s += ' ';
    s += std::to_string(ids[i]);
  }
  return s;
}

std::string parse_task_input(const TaskSpec& t, const std::string& text, std::vector<int>* ids) {
  std::vector<int> out;
  for (const std::string& tok : tokenize(text, kMaxTaskLength + 1).tokens) {
    int v = -1;
    if (tok.size() <= 3 && std::all_of(tok.begin(), tok.end(), [](char c) { return c >= '0' && c <= '9'; }))
      v = std::stoi(tok);
    if (v < 0 || v >= t.vocab)
      return printf_text(_("\"%s\" is not a symbol of this task: use the numbers 0 to %d"), untrusted_text(tok).c_str(),
                         t.vocab - 1);
    out.push_back(v);
  }
  if (out.empty()) return _("type a sequence of numbers such as \"3 1 4 1 5\"");
  if (int(out.size()) > kMaxTaskLength) return printf_text(_("at most %d symbols"), kMaxTaskLength);
  *ids = std::move(out);
  return {};
}

std::string untrained_length_note(const TaskSpec& t, size_t input_length) {
  if (input_length == size_t(t.length)) return {};
  return printf_text(
      _("this model was trained on inputs of exactly %d symbols; this one has %zu, so its output is not what "
        "it learned"),
      t.length, input_length);
}

}  // namespace attn
