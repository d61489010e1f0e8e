#include "lesson.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "complexity.h"
#include "softmax_stats.h"

namespace attn {

using json = nlohmann::json;

const char* lang_code(Lang l) { return l == Lang::Zh ? "zh" : "en"; }

const std::vector<std::string>& lesson_verbs() {
  static const std::vector<std::string> v = {"text", "batch_text", "view", "set", "select", "pin", "step",
                                             "head", "mask_cell", "model", "highlight"};
  return v;
}

// ---- Parsing ------------------------------------------------------------------------------------------------------

namespace {

std::string read_local(const json& j, const char* key, bool required, LocalText* out) {
  if (!j.contains(key)) return required ? std::string("needs \"") + key + "\"" : std::string();
  const json& v = j.at(key);
  if (!v.is_object() || !v.contains("en") || !v.contains("zh") || !v["en"].is_string() || !v["zh"].is_string())
    return std::string("\"") + key + "\" needs {\"en\": \"…\", \"zh\": \"…\"}";
  out->en = v["en"].get<std::string>(), out->zh = v["zh"].get<std::string>();
  if (out->en.empty() || out->zh.empty()) return std::string("\"") + key + "\" has an empty text";
  return {};
}

std::string read_actions(const json& j, const char* key, std::vector<json>* out) {
  if (!j.contains(key)) return {};
  if (!j[key].is_array()) return std::string("\"") + key + "\" needs a list of script actions";
  for (const json& a : j[key]) {
    if (!a.is_object() || a.empty()) return std::string("\"") + key + "\" holds an action that is not an object";
    const std::string verb = a.begin().key();
    const auto& ok = lesson_verbs();
    if (std::find(ok.begin(), ok.end(), verb) == ok.end())
      return std::string("\"") + key + "\" uses \"" + verb + "\", which a lesson may not (only what the app shows)";
    out->push_back(a);
  }
  return {};
}

std::string read_checks(const json& j, std::vector<std::string>* out) {
  if (!j.contains("checks")) return {};
  if (!j["checks"].is_array()) return "\"checks\" needs a list of strings";
  for (const json& c : j["checks"]) {
    if (!c.is_string()) return "\"checks\" needs a list of strings";
    out->push_back(c.get<std::string>());
  }
  return {};
}

std::string read_question(const json& q, LessonQuestion* out) {
  if (!q.is_object()) return "\"question\" needs an object";
  const std::string kind = q.value("kind", std::string("choice"));
  if (std::string e = read_local(q, "prompt", true, &out->prompt); !e.empty()) return "question: " + e;
  if (std::string e = read_local(q, "explain", true, &out->explain); !e.empty()) return "question: " + e;
  if (std::string e = read_actions(q, "reveal", &out->reveal); !e.empty()) return "question: " + e;
  if (std::string e = read_checks(q, &out->checks); !e.empty()) return "question: " + e;
  if (kind == "token") {
    out->kind = LessonQuestion::Kind::Token;
    if (!q.contains("query") || !q["query"].is_number_integer() || q["query"].get<int>() < 0)
      return "a token question needs \"query\": a token index";
    out->query = q["query"].get<int>();
    return {};
  }
  if (kind != "choice") return "question \"kind\" is \"choice\" or \"token\"";
  out->kind = LessonQuestion::Kind::Choice;
  if (!q.contains("choices") || !q["choices"].is_array() || q["choices"].size() < 2)
    return "a choice question needs at least 2 \"choices\"";
  for (const json& c : q["choices"]) {
    LocalText t;
    if (std::string e = read_local(json{{"choice", c}}, "choice", true, &t); !e.empty()) return "question: " + e;
    out->choices.push_back(t);
  }
  if (!q.contains("answer") || !q["answer"].is_number_integer() || q["answer"].get<int>() < 0 ||
      q["answer"].get<int>() >= int(out->choices.size()))
    return "a choice question needs \"answer\": the index of the right choice";
  out->answer = q["answer"].get<int>();
  return {};
}

}  // namespace

std::string parse_lesson(const std::string& text, Lesson* out) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return "not valid JSON";
  if (!j.is_object()) return "a lesson is a JSON object";
  Lesson l;
  if (!j.contains("id") || !j["id"].is_string() || j["id"].get<std::string>().empty()) return "needs an \"id\"";
  l.id = j["id"].get<std::string>();
  if (std::string e = read_local(j, "title", true, &l.title); !e.empty()) return e;
  if (std::string e = read_local(j, "summary", true, &l.summary); !e.empty()) return e;
  if (!j.contains("steps") || !j["steps"].is_array() || j["steps"].empty()) return "needs a non-empty \"steps\" list";
  for (size_t i = 0; i < j["steps"].size(); ++i) {
    const json& s = j["steps"][i];
    const std::string where = "step " + std::to_string(i + 1) + ": ";
    if (!s.is_object()) return where + "needs an object";
    LessonStep st;
    if (std::string e = read_local(s, "title", true, &st.title); !e.empty()) return where + e;
    if (std::string e = read_local(s, "text", true, &st.text); !e.empty()) return where + e;
    if (std::string e = read_actions(s, "state", &st.state); !e.empty()) return where + e;
    if (std::string e = read_checks(s, &st.checks); !e.empty()) return where + e;
    if (s.contains("question")) {
      st.has_question = true;
      if (std::string e = read_question(s["question"], &st.question); !e.empty()) return where + e;
    }
    l.steps.push_back(std::move(st));
  }
  *out = std::move(l);
  return {};
}

std::string load_lessons(const std::string& dir, std::vector<Lesson>* out) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<fs::path> files;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->path().extension() == ".json") files.push_back(it->path());
  if (ec) return "cannot read the lessons folder " + dir + ": " + ec.message();
  std::sort(files.begin(), files.end());
  std::vector<Lesson> all;
  for (const fs::path& p : files) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    if (!in && !in.eof()) return p.filename().string() + ": cannot be read";
    Lesson l;
    if (std::string e = parse_lesson(ss.str(), &l); !e.empty()) return p.filename().string() + ": " + e;
    l.file = p.filename().string();
    for (const Lesson& o : all)
      if (o.id == l.id) return p.filename().string() + ": the id \"" + l.id + "\" is used by " + o.file + " too";
    all.push_back(std::move(l));
  }
  *out = std::move(all);
  return {};
}

// ---- Placeholders -------------------------------------------------------------------------------------------------

const std::vector<std::pair<std::string, std::string>>& lesson_names() {
  static const std::vector<std::pair<std::string, std::string>> names = {
      {"n", "tokens in the trace"},
      {"d_model", "width of each token vector"},
      {"heads", "heads per layer"},
      {"d_k", "columns per head, d_model / heads"},
      {"sqrt_dk", "√d_k"},
      {"layers", "encoder layers"},
      {"d_ff", "the feed-forward network's hidden width"},
      {"tok i", "token i"},
      {"w i j", "attention weight of query i on key j (selected layer and head)"},
      {"hw h i j", "the same for head h of the selected layer"},
      {"s i j", "raw score q_i·k_j"},
      {"x i j", "the score softmax receives (scaled, masked)"},
      {"argmax i", "the key token query i weighs most"},
      {"argmax_at i", "its index"},
      {"max i", "the largest weight in row i"},
      {"entropy i", "entropy of row i's weights, nats"},
      {"max_scaled i", "largest weight of row i with scores ÷ √d_k"},
      {"max_unscaled i", "largest weight of row i without ÷ √d_k"},
      {"entropy_scaled i", "entropy of row i with ÷ √d_k"},
      {"entropy_unscaled i", "entropy of row i without ÷ √d_k"},
      {"std_s", "standard deviation of the selected head's raw scores within a row (mean over rows)"},
      {"blocked", "blocked cells of the mask"},
      {"blocked_row i", "blocked keys of query i"},
      {"row_sum i", "sum of row i's weights"},
      {"ffn_zero i", "share of query i's FFN hidden units that ReLU set to 0, %"},
      {"ffn_params", "parameters of one feed-forward network: 2·d_model·d_ff + d_ff + d_model"},
      {"attn_params", "parameters of one attention sublayer: 4·d_model² + 4·d_model"},
      {"cx_self", "Table 1, self-attention per layer: n²·d (n = cx_n, d = cx_d)"},
      {"cx_rnn", "Table 1, recurrent: n·d²"},
      {"cx_conv", "Table 1, convolutional: k·n·d²"},
      {"cx_restricted", "Table 1, restricted self-attention: r·n·d"},
      {"seq_rnn", "sequential operations of a recurrent layer (n)"},
      {"path_self", "maximum path length, self-attention"},
      {"path_rnn", "maximum path length, recurrent"},
      {"path_conv", "maximum path length, convolutional"},
      {"path_restricted", "maximum path length, restricted self-attention"},
      {"rnn_path i j", "steps from position i to j through a recurrence"},
      {"restricted_path i j", "hops from i to j with a neighbourhood of r (neighbourhood_r)"},
      {"reach", "positions one restricted hop reaches either side, ⌊r/2⌋"},
      {"cx_n", "the Complexity tab's sequence length n"},
      {"cx_d", "the Complexity tab's width d"},
      {"kernel_k", "the convolution's kernel width k"},
      {"r", "restricted self-attention's neighbourhood size r"},
      {"pe p i", "positional encoding of position p, dimension i"},
      {"ln_mean i", "mean of row i after the selected layer's first Add & Norm"},
      {"ln_std i", "its standard deviation"},
      {"add_std i", "standard deviation of row i before that norm (x + Sublayer(x))"},
      {"dec_n", "decoder tokens"},
      {"dec_tok s", "the token greedy decoding chose at step s"},
      {"cross_argmax i", "the source token decoder row i weighs most (selected decoder layer and head)"},
      {"cw i j", "cross-attention weight of decoder row i on source token j (selected decoder layer and head)"},
      {"dec_steps", "greedy decoding steps that ran"},
      {"next i", "the model's most likely next token after token i"},
      {"next_p i", "its probability"},
  };
  return names;
}

namespace {

std::string number_text(double v, int decimals) {
  if (!std::isfinite(v)) return "?";
  char buf[64];
  if (decimals == 0 && std::fabs(v) < 9.2e18) {
    // Whole numbers with thin grouping: 134,217,728.
    long long x = std::llround(v);
    std::string d = std::to_string(std::llabs(x)), g;
    for (size_t i = 0; i < d.size(); ++i) {
      if (i && (d.size() - i) % 3 == 0) g += ',';
      g += d[i];
    }
    return (x < 0 ? "-" : "") + g;
  }
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

struct Args {
  std::string name;
  std::vector<long long> a;
};

std::string split(const std::string& expr, Args* out) {
  std::istringstream in(expr);
  if (!(in >> out->name)) return "an empty placeholder";
  std::string w;
  while (in >> w) {
    char* end = nullptr;
    const long long v = std::strtoll(w.c_str(), &end, 10);
    if (end == w.c_str() || *end) return "\"" + expr + "\": \"" + w + "\" is not a whole number";
    out->a.push_back(v);
  }
  return {};
}

}  // namespace

std::string lesson_eval(const std::string& expr, const LessonContext& c, LessonValue* out) {
  Args x;
  if (std::string e = split(expr, &x); !e.empty()) return e;
  const auto& names = lesson_names();
  int want = -1;
  for (const auto& [sig, help] : names) {
    std::istringstream in(sig);
    std::string n;
    in >> n;
    if (n != x.name) continue;
    want = 0;
    for (std::string w; in >> w;) ++want;
  }
  if (want < 0) return "unknown name \"" + x.name + "\" in {" + expr + "}";
  if (int(x.a.size()) != want)
    return "{" + expr + "}: " + x.name + " takes " + std::to_string(want) + " number" + (want == 1 ? "" : "s");
  if (!c.trace) return "no trace yet";
  const Trace& t = *c.trace;
  const Settings& s = t.settings;
  const int n = t.n();
  auto num = [&](double v, int decimals) {
    out->is_text = false, out->number = v, out->text = number_text(v, decimals);
    return std::string();
  };
  auto text = [&](const std::string& v) {
    out->is_text = true, out->number = 0, out->text = v;
    return std::string();
  };
  auto var = [&](const char* k, double fallback) {
    auto it = c.vars.find(k);
    return it == c.vars.end() ? fallback : it->second;
  };
  auto index_ok = [&](long long i, long long size, const char* what) -> std::string {
    if (i < 0 || i >= size)
      return "{" + expr + "}: " + what + " " + std::to_string(i) + " is outside 0 … " + std::to_string(size - 1);
    return {};
  };
  const std::vector<long long>& a = x.a;
  const std::string& f = x.name;

  if (f == "n") return num(n, 0);
  if (f == "d_model") return num(s.d_model, 0);
  if (f == "heads") return num(s.heads, 0);
  if (f == "d_k") return num(t.d_k(), 0);
  if (f == "sqrt_dk") return num(std::sqrt(double(t.d_k())), 2);
  if (f == "layers") return num(double(t.layers.size()), 0);
  if (f == "d_ff") return num(s.d_ff, 0);
  if (f == "tok") {
    if (std::string e = index_ok(a[0], n, "token"); !e.empty()) return e;
    return text(t.tokens[size_t(a[0])]);
  }
  if (f == "ffn_params") return num(2.0 * s.d_model * s.d_ff + s.d_ff + s.d_model, 0);
  if (f == "attn_params") return num(4.0 * s.d_model * s.d_model + 4.0 * s.d_model, 0);

  // Table 1 and path lengths: the numbers the Complexity and RNN-vs-attention tabs show.
  const uint64_t cn = uint64_t(std::max(1.0, var("cx_n", 512))), cd = uint64_t(std::max(1.0, var("cx_d", 512)));
  const int k = int(var("kernel_k", 3)), r = int(var("neighbourhood_r", 4));
  if (f.rfind("cx_", 0) == 0 || f.rfind("path_", 0) == 0 || f == "seq_rnn") {
    const std::vector<ComplexityRow> rows = complexity_table(cn, cd, uint64_t(std::max(2, k)), uint64_t(std::max(2, r)));
    auto row = [&](const char* name) -> const ComplexityRow& {
      for (const ComplexityRow& cr : rows)
        if (cr.layer == name) return cr;
      return rows.front();
    };
    if (f == "cx_self") return num(double(row("self-attention").per_layer), 0);
    if (f == "cx_rnn") return num(double(row("recurrent").per_layer), 0);
    if (f == "cx_conv") return num(double(row("convolutional").per_layer), 0);
    if (f == "cx_restricted") return num(double(row("restricted self-attention").per_layer), 0);
    if (f == "seq_rnn") return num(double(row("recurrent").sequential), 0);
    if (f == "path_self") return num(double(row("self-attention").max_path), 0);
    if (f == "path_rnn") return num(double(row("recurrent").max_path), 0);
    if (f == "path_conv") return num(double(row("convolutional").max_path), 0);
    if (f == "path_restricted") return num(double(row("restricted self-attention").max_path), 0);
  }
  if (f == "cx_n") return num(double(cn), 0);
  if (f == "cx_d") return num(double(cd), 0);
  if (f == "kernel_k") return num(k, 0);
  if (f == "r") return num(r, 0);
  if (f == "rnn_path") return num(rnn_path_length(int(a[0]), int(a[1])), 0);
  if (f == "restricted_path") {
    const int p = restricted_path_length(int(a[0]), int(a[1]), r);
    if (p == kNoPath) return "{" + expr + "}: no path with r < 2";
    return num(p, 0);
  }
  if (f == "reach") return num(restricted_reach(r), 0);
  if (f == "pe") {
    if (std::string e = index_ok(a[0], t.positional.rows(), "position"); !e.empty()) return e;
    if (std::string e = index_ok(a[1], t.positional.cols(), "dimension"); !e.empty()) return e;
    return num(t.positional(a[0], a[1]), 3);
  }
  if (f == "blocked") {
    long long b = 0;
    for (int i = 0; i < t.mask.rows; ++i)
      for (int j = 0; j < t.mask.cols; ++j) b += t.mask(i, j) ? 1 : 0;
    return num(double(b), 0);
  }
  if (f == "blocked_row") {
    if (std::string e = index_ok(a[0], t.mask.rows, "query"); !e.empty()) return e;
    long long b = 0;
    for (int j = 0; j < t.mask.cols; ++j) b += t.mask(a[0], j) ? 1 : 0;
    return num(double(b), 0);
  }
  if (f == "next" || f == "next_p") {
    if (std::string e = index_ok(a[0], static_cast<long long>(t.next.size()), "position"); !e.empty())
      return t.next.empty() ? "{" + expr + "}: these weights predict no next token (random weights)" : e;
    const TopK& top = t.next[size_t(a[0])];
    if (top.ids.empty() || !t.model) return "{" + expr + "}: no prediction";
    if (f == "next_p") return num(top.probs[0], 3);
    return text(top.ids[0] >= 0 && top.ids[0] < int(t.model->vocab.size()) ? t.model->vocab[size_t(top.ids[0])] : "?");
  }
  if (f.rfind("dec_", 0) == 0 || f == "cross_argmax" || f == "cw") {
    if (!t.decoder) return "{" + expr + "}: there is no decoder (set a target)";
    const DecoderTrace& d = *t.decoder;
    if (f == "dec_n") return num(double(d.tokens.size()), 0);
    if (f == "dec_steps") return num(double(t.steps.size()), 0);
    if (f == "dec_tok") {
      if (std::string e = index_ok(a[0], static_cast<long long>(t.steps.size()), "decoding step"); !e.empty()) return e;
      return text(t.steps[size_t(a[0])].token);
    }
    if (d.layers.empty()) return "{" + expr + "}: the decoder has no layers";
    const auto& dl = d.layers[size_t(std::clamp(c.layer, 0, int(d.layers.size()) - 1))];
    if (dl.cross_attn.heads.empty()) return "{" + expr + "}: no heads";
    const Mat& W = dl.cross_attn.heads[size_t(std::clamp(c.head, 0, int(dl.cross_attn.heads.size()) - 1))].weights;
    if (std::string e = index_ok(a[0], W.rows(), "decoder row"); !e.empty()) return e;
    if (f == "cw") {
      if (std::string e = index_ok(a[1], W.cols(), "source token"); !e.empty()) return e;
      return num(W(a[0], a[1]), 3);
    }
    int best = 0;
    for (int j = 1; j < W.cols(); ++j)
      if (W(a[0], j) > W(a[0], best)) best = j;
    return text(t.tokens[size_t(best)]);
  }

  // Everything below reads the selected layer.
  if (t.layers.empty()) return "{" + expr + "}: the model has no layers";
  const EncoderLayerTrace& L = t.layers[size_t(std::clamp(c.layer, 0, int(t.layers.size()) - 1))];
  if (f == "ln_mean" || f == "ln_std" || f == "add_std") {
    const Mat& m = f == "add_std" ? L.add1 : L.norm1;
    if (std::string e = index_ok(a[0], m.rows(), "row"); !e.empty()) return e;
    double mean = 0, sq = 0;
    for (int j = 0; j < m.cols(); ++j) mean += m(a[0], j);
    mean /= m.cols();
    for (int j = 0; j < m.cols(); ++j) sq += (m(a[0], j) - mean) * (m(a[0], j) - mean);
    return f == "ln_mean" ? num(mean, 3) : num(std::sqrt(sq / m.cols()), 3);
  }
  if (f == "ffn_zero") {
    if (std::string e = index_ok(a[0], L.ffn_hidden.rows(), "row"); !e.empty()) return e;
    int z = 0;
    for (int j = 0; j < L.ffn_hidden.cols(); ++j) z += L.ffn_hidden(a[0], j) == 0.0f;
    return num(100.0 * z / std::max<Eigen::Index>(1, L.ffn_hidden.cols()), 0);
  }
  if (L.attn.heads.empty()) return "{" + expr + "}: no heads";
  int hi = std::clamp(c.head, 0, int(L.attn.heads.size()) - 1);
  std::vector<long long> rest = a;
  if (f == "hw") {
    if (std::string e = index_ok(a[0], static_cast<long long>(L.attn.heads.size()), "head"); !e.empty()) return e;
    hi = int(a[0]);
    rest.erase(rest.begin());
  }
  const HeadTrace& H = L.attn.heads[size_t(hi)];
  if (f == "std_s") return num(score_spread(H.scores, H.Q, H.K, nullptr).row_std, 2);
  if (rest.empty()) return "{" + expr + "}: not evaluated";  // every name below takes a query index
  if (std::string e = index_ok(rest[0], H.weights.rows(), "query"); !e.empty()) return e;
  const long long i = rest[0];
  if (rest.size() == 2)
    if (std::string e = index_ok(rest[1], H.weights.cols(), "key"); !e.empty()) return e;
  if (f == "w" || f == "hw") return num(H.weights(i, rest[1]), 3);
  if (f == "s") return num(H.scores(i, rest[1]), 2);
  if (f == "x") return num(H.masked(i, rest[1]), 2);
  const int nk = int(H.weights.cols());
  if (f == "argmax" || f == "argmax_at" || f == "max" || f == "row_sum") {
    int best = 0;
    double sum = 0;
    for (int j = 0; j < nk; ++j) {
      sum += H.weights(i, j);
      if (H.weights(i, j) > H.weights(i, best)) best = j;
    }
    if (f == "argmax") return text(t.tokens[size_t(best)]);
    if (f == "argmax_at") return num(best, 0);
    if (f == "row_sum") return num(sum, 3);
    return num(H.weights(i, best), 3);
  }
  if (f == "entropy") return num(entropy(&H.weights(i, 0), nk), 3);
  if (f == "max_scaled" || f == "max_unscaled" || f == "entropy_scaled" || f == "entropy_unscaled") {
    // The same scores with and without ÷ √d_k, whatever the scale switch says (softmax_stats.h).
    const bool scaled = f.find("_scaled") != std::string::npos;
    const Mat row = softmax_rows(H.scores.row(i), scaled ? std::sqrt(float(t.d_k())) : 1.0f);
    if (f.rfind("max", 0) == 0) return num(row.maxCoeff(), 3);
    return num(entropy(row.data(), nk), 3);
  }
  return "{" + expr + "}: not evaluated";  // every name of lesson_names() is handled above
}

std::string lesson_fill(const std::string& text, const LessonContext& c, std::string* out) {
  std::string r, first;
  size_t i = 0;
  while (i < text.size()) {
    const size_t open = text.find('{', i);
    if (open == std::string::npos) {
      r += text.substr(i);
      break;
    }
    const size_t close = text.find('}', open);
    if (close == std::string::npos) {
      if (first.empty()) first = "a \"{\" without its \"}\"";
      r += text.substr(i);
      break;
    }
    r += text.substr(i, open - i);
    LessonValue v;
    const std::string e = lesson_eval(text.substr(open + 1, close - open - 1), c, &v);
    if (!e.empty() && first.empty()) first = e;
    r += e.empty() ? (v.is_text ? "“" + v.text + "”" : v.text) : "?";
    i = close + 1;
  }
  *out = std::move(r);
  return first;
}

std::string lesson_check(const std::string& check, const LessonContext& c, bool* holds) {
  static const char* ops[] = {"<=", ">=", "==", "!=", "<", ">"};
  for (const char* op : ops) {
    const size_t p = check.find(op);
    if (p == std::string::npos) continue;
    const std::string lhs = check.substr(0, p), rhs = check.substr(p + std::string(op).size());
    double v[2];
    const std::string* sides[2] = {&lhs, &rhs};
    std::string txt[2];
    bool is_text[2] = {false, false};
    for (int k = 0; k < 2; ++k) {
      const std::string& side = *sides[k];
      char* end = nullptr;
      const double d = std::strtod(side.c_str(), &end);
      if (end != side.c_str() && std::all_of(static_cast<const char*>(end), side.c_str() + side.size(), [](char ch) { return ch == ' '; })) {
        v[k] = d;
        continue;
      }
      LessonValue lv;
      if (std::string e = lesson_eval(side, c, &lv); !e.empty()) return e;
      v[k] = lv.number, txt[k] = lv.text, is_text[k] = lv.is_text;
    }
    const std::string o = op;
    if (is_text[0] || is_text[1]) {
      if (o != "==" && o != "!=") return "\"" + check + "\": tokens compare only with == or !=";
      *holds = (txt[0] == txt[1]) == (o == "==");
      return {};
    }
    *holds = o == "<" ? v[0] < v[1] : o == ">" ? v[0] > v[1] : o == "<=" ? v[0] <= v[1] : o == ">=" ? v[0] >= v[1]
           : o == "==" ? v[0] == v[1] : v[0] != v[1];
    return {};
  }
  return "\"" + check + "\" has no comparison (< <= > >= == !=)";
}

}  // namespace attn
