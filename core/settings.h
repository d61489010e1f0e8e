// settings.h: the plain settings struct the UI and the CLI edit, and its validation.
// Everything the engine computes is a function of (Settings, text); nothing else is hidden state.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mat.h"

namespace attn {

enum class MaskKind { None, Causal, Padding, Custom };
enum class MaskValue { NegBillion, NegInf };  // what a blocked cell holds before softmax: −1e9 or −∞
enum class PEKind { Sinusoidal, Learned, None };
enum class NormPlacement { Post, Pre };  // post-norm: LN(x + Sublayer(x)) as in the paper; pre-norm: x + Sublayer(LN(x))

struct Settings {
  int d_model = 64;
  int heads = 4;
  int layers = 2;
  int d_ff = 256;
  uint64_t seed = 1;
  bool scale = true;          // divide Q·Kᵀ by √d_k
  float temperature = 1.0f;   // and by τ > 0
  MaskKind mask = MaskKind::None;
  MaskValue mask_value = MaskValue::NegBillion;
  PEKind pe = PEKind::Sinusoidal;
  NormPlacement norm = NormPlacement::Post;
  bool hard = false;          // hard attention: one-hot at each row's argmax (first on ties)
  int max_tokens = 64;
  int pad_to = 0;             // Padding mask: pad the sentence with <pad> tokens up to this length (0: no padding)
  BoolMat custom_mask;        // Custom mask, true = blocked; cropped/extended (unblocked) to n × n
  std::optional<std::string> target;  // decoder input text; none = encoder only
  int decode_steps = 0;       // autoregressive greedy steps to run after the target (0: none)
  std::vector<uint8_t> head_enabled;  // per layer·heads + head; empty = all on (interventions)

  int d_k() const { return heads > 0 ? d_model / heads : 0; }
};

constexpr float kLayerNormEps = 1e-5f;
constexpr float kMaskNegBillion = -1e9f;
constexpr int kMaxDModel = 4096;
constexpr int kMaxHeads = 256;
constexpr int kMaxLayers = 48;
constexpr int kMaxDff = 16384;
constexpr int kMaxTokensLimit = 4096;
constexpr double kMaxModelBytes = 2.0e9;  // refuse settings whose weights + trace would not fit comfortably

// Returns an empty string when the settings are usable, else one sentence naming the problem.
std::string validate(const Settings& s);

// ---- Sizes: the one formula for what a setting costs, counted from core/model.h's and core/trace.h's layouts.
// The memory cap (validate), the GUI's choice to compute on a worker (trace_cost), the export's announcement and
// the weight files' and training's checks all read it.
struct SizeEstimate {
  double weight_floats = 0;  // the model: encoder layers, decoder layers (with a target), the PE table
  double trace_floats = 0;   // one trace of n tokens: every tensor kept (core/trace.h), decoder and greedy steps
  double flops = 0;          // multiply-adds of the encoder's forward pass
  double bytes() const { return 4 * (weight_floats + trace_floats); }
};
// n: tokens of the sentence (after padding). With a target the decoder is counted at its largest (max_tokens + 1
// tokens, then decode_steps more), so the estimate is an upper bound there and close to the peak without one.
SizeEstimate estimate_size(const Settings& s, int n);
// Bytes of weights plus one trace at the longest sentence the settings allow (max(max_tokens, pad_to) tokens).
double estimate_bytes(const Settings& s);
// "" when bytes fit under kMaxModelBytes, else "these sizes need about N MB for WHAT, more than the 2000 MB this app
// allows" — the one refusal every path (GUI, export, script, session, training) prints.
std::string memory_refusal(double bytes, const std::string& what);
// Floats of one encoder layer's weights (W_Q, W_K, W_V, W_O and biases, FFN, two LayerNorms); `decoder`: a decoder
// layer's (self- and cross-attention, FFN, three LayerNorms).
double layer_weight_floats(double d_model, double d_ff, bool decoder);

const char* to_string(MaskKind k);
const char* to_string(MaskValue v);
const char* to_string(PEKind k);
const char* to_string(NormPlacement p);
bool parse_mask_kind(const std::string& s, MaskKind* out);
bool parse_mask_value(const std::string& s, MaskValue* out);
bool parse_pe_kind(const std::string& s, PEKind* out);
bool parse_norm(const std::string& s, NormPlacement* out);

float mask_value_float(MaskValue v);

}  // namespace attn
