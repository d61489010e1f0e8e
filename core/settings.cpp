#include "settings.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "model.h"
#include "settings_table.h"
#include "translate.h"

namespace attn {

double layer_weight_floats(double d, double f, bool decoder) {
  const double attn = 4 * d * d + 4 * d, norm = 2 * d, ffn = 2 * d * f + f + d;
  return decoder ? 2 * attn + 3 * norm + ffn : attn + 2 * norm + ffn;
}

SizeEstimate estimate_size(const Settings& s, int n_tokens) {
  const double d = s.d_model, f = s.d_ff, h = std::max(1, s.heads), L = std::max(0, s.layers), n = n_tokens;
  SizeEstimate e;
  e.weight_floats = L * layer_weight_floats(d, f, false) + double(kPeTableRows) * d;
  // Encoder layer: 8 n×d and 2 n×d_ff (EncoderLayerTrace: before and after the activation), 5 n×d and the n×n mean (MultiHeadTrace), per head
  // Q, K, V, output (4 n×d over all heads) and scores, scaled, masked, weights (4 n×n each).
  const auto encoder_layer = [&](double n) { return 17 * n * d + 2 * n * f + (4 * h + 1) * n * n; };
  e.trace_floats = L * encoder_layer(n) + 4 * n * d + n * n / 4;  // embeddings, PE, input, output; the bool mask
  e.flops = std::max(1.0, L) * (n * (4 * d * d + 2 * d * f) + 2 * n * n * d);
  if (s.target) {
    e.weight_floats += L * layer_weight_floats(d, f, true);
    // Decoder layer over m target tokens: 25 m×d, m×d_ff, 4 n×d (cross K, V), self (m×m) and cross (m×n) attention
    // (4 per head and the mean); then embeddings, PE, input, output and the logits over ≤ n + 1 words.
    const auto decoder = [&](double m) {
      return L * (25 * m * d + m * f + 4 * n * d + (4 * h + 1) * (m * m + m * n)) + 4 * m * d + m * (n + 1) +
             (m * m + m * n) / 4;
    };
    const double m = s.max_tokens + 1.0, steps = std::max(0, s.decode_steps);
    e.trace_floats += decoder(m) + steps * decoder(m + steps);
  }
  return e;
}

double estimate_bytes(const Settings& s) { return estimate_size(s, std::max(s.max_tokens, s.pad_to)).bytes(); }

std::string memory_refusal(double bytes, const std::string& what) {
  if (bytes <= kMaxModelBytes) return {};
  // TRANSLATORS: megabytes needed, for what (e.g. "weights and trace"), the app's limit in megabytes.
  return printf_text(_("these sizes need about %lld MB for %s, more than the %d MB this app allows"),
                     (long long)(bytes / 1e6), what.c_str(), int(kMaxModelBytes / 1e6));
}

std::string validate(const Settings& s) {
  const std::vector<Field<Settings>>& table = settings_table();
  for (const Field<Settings>& f : table) {
    const std::string e = field_check(f, s);
    if (!e.empty()) return e;
    if (std::string(f.name) == "heads" && s.d_model % s.heads != 0)  // checked right after heads' own range
      return printf_text(_("heads (%d) must divide d_model (%d) so that d_k = d_model / h is a whole number"), s.heads,
                         s.d_model);
  }
  if (s.custom_mask.cells.size() != size_t(s.custom_mask.rows) * size_t(s.custom_mask.cols) ||
      s.custom_mask.rows < 0 || s.custom_mask.cols < 0)
    return _("the custom mask's size does not match its cells");
  return memory_refusal(estimate_bytes(s), _("weights and trace"));
}

const char* to_string(MaskKind k) {
  switch (k) {
    case MaskKind::None: return "none";
    case MaskKind::Causal: return "causal";
    case MaskKind::Padding: return "padding";
    case MaskKind::Custom: return "custom";
  }
  return "none";
}
const char* to_string(MaskValue v) { return v == MaskValue::NegInf ? "-inf" : "-1e9"; }
const char* to_string(PEKind k) {
  switch (k) {
    case PEKind::Sinusoidal: return "sinusoidal";
    case PEKind::Learned: return "learned";
    case PEKind::None: return "none";
  }
  return "none";
}
const char* to_string(NormPlacement p) { return p == NormPlacement::Pre ? "pre" : "post"; }

bool parse_mask_kind(const std::string& s, MaskKind* out) {
  for (MaskKind k : {MaskKind::None, MaskKind::Causal, MaskKind::Padding, MaskKind::Custom})
    if (s == to_string(k)) { *out = k; return true; }
  return false;
}
bool parse_mask_value(const std::string& s, MaskValue* out) {
  if (s == "-1e9" || s == "-1000000000") { *out = MaskValue::NegBillion; return true; }
  if (s == "-inf") { *out = MaskValue::NegInf; return true; }
  return false;
}
bool parse_pe_kind(const std::string& s, PEKind* out) {
  for (PEKind k : {PEKind::Sinusoidal, PEKind::Learned, PEKind::None})
    if (s == to_string(k)) { *out = k; return true; }
  return false;
}
bool parse_norm(const std::string& s, NormPlacement* out) {
  if (s == "post") { *out = NormPlacement::Post; return true; }
  if (s == "pre") { *out = NormPlacement::Pre; return true; }
  return false;
}

float mask_value_float(MaskValue v) {
  return v == MaskValue::NegInf ? -std::numeric_limits<float>::infinity() : kMaskNegBillion;
}

}  // namespace attn
