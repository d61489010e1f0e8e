// attention.h: scaled dot-product attention, one head, every stage kept (paper §3.2.1).
//
//   Attention(Q, K, V) = softmax(Q·Kᵀ / √d_k) · V
//
// Stages, in order: scores = Q·Kᵀ → scaled = scores / (√d_k·τ) → masked (blocked cells = mask value)
// → weights = softmax(masked) row by row (or one-hot at the argmax for hard attention) → output = weights·V.
#pragma once
#include <vector>

#include "mat.h"

namespace attn {

struct AttentionOptions {
  bool scale = true;          // divide by √d_k
  float temperature = 1.0f;   // and by τ
  float mask_value = -1e9f;   // −1e9 or −∞ in blocked cells of `masked`
  bool hard = false;          // one-hot at each row's argmax (first index on ties)
};

struct HeadTrace {
  Mat Q;        // n_q × d_k
  Mat K;        // n_k × d_k
  Mat V;        // n_k × d_k
  Mat scores;   // n_q × n_k   Q·Kᵀ
  Mat scaled;   // n_q × n_k   scores / divisor
  Mat masked;   // n_q × n_k   scaled, with blocked cells set to the mask value
  Mat weights;  // n_q × n_k   each row sums to 1 (or is all 0 when every key is blocked); blocked cells are 0
  Mat output;   // n_q × d_k   weights·V
  std::vector<uint8_t> row_fully_masked;  // n_q flags: every key blocked, weights and output set to 0
  float divisor = 1.0f;                   // √d_k·τ (or τ when scaling is off)
};

// divisor = (scale ? √d_k : 1) · τ
float attention_divisor(int d_k, const AttentionOptions& opt);

// Numerically stable softmax of one row, ignoring blocked cells (which get exactly 0).
// Returns false (row of zeros) when every cell is blocked.
bool softmax_row(const float* x, const uint8_t* blocked, int n, float* out);

// One head. `mask` may be null (nothing blocked) or n_q × n_k.
void scaled_dot_product_attention(const MatRef& Q, const MatRef& K, const MatRef& V, const BoolMat* mask,
                                  const AttentionOptions& opt, HeadTrace* out);

}  // namespace attn
