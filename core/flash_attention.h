// flash_attention.h: softmax(Q·Kᵀ/√d_k)·V without ever holding the n × n matrix (FlashAttention's idea).
//
// Keys are processed in tiles; each query row keeps a running maximum m, a running sum ℓ of exp(s − m) and a
// running output o. A new tile with scores s_j rescales what came before (online softmax, Milakov & Gimelshein):
//   m' = max(m, max_j s_j),  ℓ' = ℓ·e^(m − m') + Σ_j e^(s_j − m'),  o' = o·e^(m − m') + Σ_j e^(s_j − m')·v_j
// and at the end output = o / ℓ. Memory: O(n·d) plus one tile, instead of O(n²).
// It computes the same function as scaled_dot_product_attention (no mask, scaling on, τ = 1 unless given)
// and is used for large n in the complexity benchmark, where keeping every stage would not fit.
#pragma once
#include "mat.h"

namespace attn {

struct FlashOptions {
  float divisor = 0;     // 0: √d_k
  bool causal = false;   // block keys j > i
  int tile_q = 128;      // query rows per tile
  int tile_k = 256;      // keys per tile
  int threads = 0;       // 0: all hardware threads (query tiles are independent)
};

// Q: n_q × d, K: n_k × d, V: n_k × d_v → n_q × d_v. A row whose keys are all blocked gives 0.
Mat flash_attention(const MatRef& Q, const MatRef& K, const MatRef& V, const FlashOptions& opt = {});

// Bytes of working memory flash_attention uses beyond its inputs and output (per thread: one score tile and
// the row statistics), to set beside the 4·n_q·n_k bytes of the plain path's weights matrix alone.
size_t flash_attention_scratch_bytes(int n_q, int d_v, const FlashOptions& opt = {});

}  // namespace attn
