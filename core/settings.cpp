#include "settings.h"

#include <cmath>
#include <limits>

namespace attn {

double estimate_bytes(const Settings& s, int n) {
  const double d = s.d_model, L = std::max(1, s.layers), f = s.d_ff, h = std::max(1, s.heads), N = n;
  const double weights = L * (4 * d * d + 2 * d * f + 10 * d) * 2;  // encoder + decoder-sized upper bound
  const double trace = L * (h * 4 * N * N + 12 * N * d + 2 * N * f) * 2;
  return 4.0 * (weights + trace);
}

std::string validate(const Settings& s) {
  auto range = [](const char* name, long v, long lo, long hi) -> std::string {
    if (v < lo || v > hi)
      return std::string(name) + " must be between " + std::to_string(lo) + " and " + std::to_string(hi) +
             " (got " + std::to_string(v) + ")";
    return {};
  };
  std::string e;
  if (!(e = range("d_model", s.d_model, 1, kMaxDModel)).empty()) return e;
  if (!(e = range("heads", s.heads, 1, kMaxHeads)).empty()) return e;
  if (s.d_model % s.heads != 0)
    return "heads (" + std::to_string(s.heads) + ") must divide d_model (" + std::to_string(s.d_model) +
           ") so that d_k = d_model / h is a whole number";
  if (!(e = range("layers", s.layers, 0, kMaxLayers)).empty()) return e;
  if (!(e = range("d_ff", s.d_ff, 1, kMaxDff)).empty()) return e;
  if (!(e = range("max_tokens", s.max_tokens, 1, kMaxTokensLimit)).empty()) return e;
  if (!(e = range("pad_to", s.pad_to, 0, kMaxTokensLimit)).empty()) return e;
  if (!(e = range("decode_steps", s.decode_steps, 0, kMaxTokensLimit)).empty()) return e;
  if (!std::isfinite(s.temperature) || s.temperature <= 0.0f)
    return "temperature must be a finite number greater than 0 (got " + std::to_string(s.temperature) + ")";
  if (s.temperature < 1e-3f || s.temperature > 1e3f)
    return "temperature must be between 0.001 and 1000 (got " + std::to_string(s.temperature) + ")";
  if (s.custom_mask.cells.size() != size_t(s.custom_mask.rows) * size_t(s.custom_mask.cols) ||
      s.custom_mask.rows < 0 || s.custom_mask.cols < 0)
    return "the custom mask's size does not match its cells";
  const int n = std::max(s.max_tokens, s.pad_to);
  const double bytes = estimate_bytes(s, n);
  if (bytes > kMaxModelBytes)
    return "these sizes need about " + std::to_string(int(bytes / 1e6)) + " MB for weights and trace, more than the " +
           std::to_string(int(kMaxModelBytes / 1e6)) + " MB this app allows";
  return {};
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
