#include "multihead.h"

#include <cassert>

#include "parallel.h"

namespace attn {

void multi_head_attention(const MatRef& X_q, const MatRef& X_kv, const AttentionWeights& w, int heads,
                          const BoolMat* mask, const AttentionOptions& opt, const uint8_t* head_on,
                          MultiHeadTrace* t) {
  const int d_model = int(w.W_q.cols()), d_k = d_model / heads;
  const int n_q = int(X_q.rows());
  assert(heads > 0 && d_model % heads == 0 && X_q.cols() == w.W_q.rows() && X_kv.cols() == w.W_k.rows());
  assert(!mask || (mask->rows == n_q && mask->cols == int(X_kv.rows())));
  // The projections and the heads are split over the cores when big enough (core/parallel.h); never for the
  // teaching model's tiny matrices.
  matmul(X_q, w.W_q, w.b_q, &t->Q);  // Q = X_q·W_q + b_q
  matmul(X_kv, w.W_k, w.b_k, &t->K);  // K = X_kv·W_k + b_k
  matmul(X_kv, w.W_v, w.b_v, &t->V);  // V = X_kv·W_v + b_v

  t->heads.resize(size_t(heads));
  t->concat = Mat::Zero(n_q, d_model);
  auto head = [&](int h) {  // heads are independent: each writes its own trace and its own columns of concat
    HeadTrace& ht = t->heads[size_t(h)];
    scaled_dot_product_attention(t->Q.middleCols(h * d_k, d_k), t->K.middleCols(h * d_k, d_k),
                                 t->V.middleCols(h * d_k, d_k), mask, opt, &ht);
    if (!head_on || head_on[h]) t->concat.middleCols(h * d_k, d_k) = ht.output;
  };
  if (2.0 * n_q * double(X_kv.rows()) * d_model >= kParallelMinMacs) {  // Q·Kᵀ and weights·V over every head
    parallel_for(heads, head);
  } else {
    for (int h = 0; h < heads; ++h) head(h);
  }
  t->mean_weights = t->heads[0].weights;
  for (int h = 1; h < heads; ++h) t->mean_weights += t->heads[size_t(h)].weights;
  t->mean_weights /= float(heads);
  matmul(t->concat, w.W_o, w.b_o, &t->output);  // MultiHead = Concat(heads)·W_O + b_O
}

}  // namespace attn
