// multihead.h: multi-head attention (paper §3.2.2).
//
//   MultiHead(Q, K, V) = Concat(head_1, …, head_h)·W_O + b_O,  head_i = Attention(X_q·W_Q_i, X_kv·W_K_i, X_kv·W_V_i)
//
// With the row-vector convention, Q = X_q·W_q + b_q is n × d_model and head h takes its columns [h·d_k, (h+1)·d_k).
#pragma once
#include <vector>

#include "attention.h"
#include "model.h"

namespace attn {

struct MultiHeadTrace {
  Mat Q, K, V;                  // n_q × d_model, n_k × d_model, n_k × d_model: all heads side by side
  std::vector<HeadTrace> heads;
  Mat concat;                   // n_q × d_model   Concat(head_1 … head_h) (a switched-off head contributes zeros)
  Mat output;                   // n_q × d_model   concat·W_O + b_O
  Mat mean_weights;             // n_q × n_k       the average of the heads' weights (a summary view)
};

// head_on: h flags (null = every head on). A head that is off is still traced but leaves zeros in the concat.
void multi_head_attention(const MatRef& X_q, const MatRef& X_kv, const AttentionWeights& w, int heads,
                          const BoolMat* mask, const AttentionOptions& opt, const uint8_t* head_on,
                          MultiHeadTrace* t);

}  // namespace attn
