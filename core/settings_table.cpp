#include "settings_table.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>

namespace attn {

std::string cli_option_name(const char* name) {
  std::string o = std::string("--") + name;
  std::replace(o.begin(), o.end(), '_', '-');
  return o;
}

std::string number_text(double v) {
  char buf[64];
  if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 1e18) std::snprintf(buf, sizeof buf, "%.0f", v);
  else std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

bool parse_whole(const std::string& t, long double* out) {
  size_t k = t.size() > 0 && (t[0] == '-' || t[0] == '+') ? 1 : 0;
  if (k == t.size() || t.size() > 40) return false;
  for (size_t j = k; j < t.size(); ++j)
    if (t[j] < '0' || t[j] > '9') return false;
  *out = std::strtold(t.c_str(), nullptr);
  return true;
}

bool parse_real(const std::string& t, double* out) {
  if (t.empty() || std::isspace(static_cast<unsigned char>(t[0]))) return false;
  char* end = nullptr;
  const double v = std::strtod(t.c_str(), &end);
  if (end != t.c_str() + t.size() || !std::isfinite(v)) return false;  // "inf", "nan" and trailing text refused
  *out = v;
  return true;
}

namespace {

Field<Settings> enum_field(const char* name, std::vector<std::string> choices, int (*get)(const Settings&),
                           void (*set)(Settings&, int), const char* help) {
  Field<Settings> f;
  f.name = name, f.type = FieldType::Enum, f.max = double(choices.size() - 1), f.help = help;
  f.choices = std::move(choices), f.get_choice = get, f.set_choice = set;
  return f;
}

std::vector<Field<Settings>> make_table() {
  using S = Settings;
  std::vector<Field<S>> t;
  t.push_back(int_field<S>("d_model", &S::d_model, 1, kMaxDModel, "",
                           N_("Width of every token vector (the paper's base model: 512).")));
  t.push_back(int_field<S>("heads", &S::heads, 1, kMaxHeads, "",
                           N_("Number of attention heads h; each gets d_k = d_model / h columns, so h must divide d_model.")));
  t.push_back(int_field<S>("layers", &S::layers, 0, kMaxLayers, "", N_("Encoder (and decoder) layers stacked (the paper: N = 6).")));
  t.push_back(int_field<S>("d_ff", &S::d_ff, 1, kMaxDff, "",
                           N_("Hidden width of the feed-forward network max(0, x·W1 + b1)·W2 + b2 (the paper: 2048).")));
  Field<S> seed;
  seed.name = "seed", seed.type = FieldType::UInt64, seed.min = 0, seed.max = 18446744073709551615.0, seed.u = &S::seed;
  seed.help = N_("Seed of the random weights and embeddings: the same seed gives the same numbers on every machine.");
  t.push_back(seed);
  t.push_back(bool_field<S>("scale", &S::scale, N_("Divide Q·Kᵀ by √d_k (scaled dot-product attention).")));
  t.push_back(float_field<S>("temperature", &S::temperature, 1e-3, 1e3, "",
                             N_("Softmax temperature τ > 0: softmax(scores / (√d_k·τ)); τ < 1 sharpens, τ > 1 flattens.")));
  t.push_back(enum_field(
      "mask", {N_("none"), N_("causal"), N_("padding"), N_("custom")}, [](const S& s) { return int(s.mask); },
      [](S& s, int k) { s.mask = MaskKind(k); },
      N_("Causal: query i sees keys j ≤ i. Padding: the padding tokens are blocked as keys. Custom: painted on the Masks tab.")));
  t.push_back(enum_field(
      "mask_value", {"-1e9", "-inf"}, [](const S& s) { return int(s.mask_value); },
      [](S& s, int k) { s.mask_value = MaskValue(k); }, N_("What a blocked cell holds before softmax.")));
  t.push_back(enum_field(
      "pe", {N_("sinusoidal"), N_("learned"), N_("none")}, [](const S& s) { return int(s.pe); }, [](S& s, int k) { s.pe = PEKind(k); },
      N_("Positional encoding added to each embedding (self-attention alone ignores word order).")));
  t.push_back(enum_field(
      "norm", {N_("post"), N_("pre")}, [](const S& s) { return int(s.norm); }, [](S& s, int k) { s.norm = NormPlacement(k); },
      N_("Post-norm (the paper): LayerNorm(x + Sublayer(x)); pre-norm: x + Sublayer(LayerNorm(x)).")));
  t.push_back(bool_field<S>("hard", &S::hard, N_("Hard attention: one-hot at each row's argmax (the first on ties).")));
  t.push_back(int_field<S>("max_tokens", &S::max_tokens, 1, kMaxTokensLimit, "tokens",
                           N_("The longest token sequence kept; longer text is cut and the views say so.")));
  t.push_back(int_field<S>("pad_to", &S::pad_to, 0, kMaxTokensLimit, "tokens",
                           N_("With the padding mask: pad the sentence with padding tokens to this length (0: none).")));
  Field<S> target;
  target.name = "target", target.type = FieldType::OptText, target.text = &S::target;
  target.help = N_("Add a decoder over this text (cross-attention to the sentence); none: encoder only.");
  t.push_back(target);
  t.push_back(int_field<S>("decode_steps", &S::decode_steps, 0, kMaxTokensLimit, "steps",
                           N_("Greedy autoregressive steps run after the target.")));
  for (Field<S>& f : t) {
    const std::string n = f.name;
    f.user_over_model = n == "scale" || n == "temperature" || n == "hard" || n == "mask_value";
    f.fixed_by_checkpoint = n == "d_model" || n == "heads" || n == "layers" || n == "d_ff" || n == "seed" ||
                            n == "pe" || n == "norm" || n == "target" || n == "decode_steps";
  }
  return t;
}

}  // namespace

const std::vector<Field<Settings>>& settings_table() {
  static const std::vector<Field<Settings>> table = make_table();
  return table;
}

}  // namespace attn
