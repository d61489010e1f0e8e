#include "multihead.h"

#include <cassert>

namespace attn {

void multi_head_attention(const MatRef& X_q, const MatRef& X_kv, const AttentionWeights& w, int heads,
                          const BoolMat* mask, const AttentionOptions& opt, const uint8_t* head_on,
                          MultiHeadTrace* t) {
  const int d_model = int(w.W_q.cols()), d_k = d_model / heads;
  const int n_q = int(X_q.rows());
  assert(heads > 0 && d_model % heads == 0 && X_q.cols() == w.W_q.rows() && X_kv.cols() == w.W_k.rows());
  assert(!mask || (mask->rows == n_q && mask->cols == int(X_kv.rows())));
  t->Q.resize(n_q, d_model);
  t->Q.noalias() = X_q * w.W_q;
  t->Q.rowwise() += w.b_q;  // Q = X_q·W_q + b_q
  t->K.resize(X_kv.rows(), d_model);
  t->K.noalias() = X_kv * w.W_k;
  t->K.rowwise() += w.b_k;  // K = X_kv·W_k + b_k
  t->V.resize(X_kv.rows(), d_model);
  t->V.noalias() = X_kv * w.W_v;
  t->V.rowwise() += w.b_v;  // V = X_kv·W_v + b_v

  t->heads.resize(size_t(heads));
  t->concat = Mat::Zero(n_q, d_model);
  for (int h = 0; h < heads; ++h) {
    HeadTrace& ht = t->heads[size_t(h)];
    scaled_dot_product_attention(t->Q.middleCols(h * d_k, d_k), t->K.middleCols(h * d_k, d_k),
                                 t->V.middleCols(h * d_k, d_k), mask, opt, &ht);
    if (!head_on || head_on[h]) t->concat.middleCols(h * d_k, d_k) = ht.output;
    if (h == 0) t->mean_weights = ht.weights;
    else t->mean_weights += ht.weights;
  }
  t->mean_weights /= float(heads);
  t->output.resize(n_q, d_model);
  t->output.noalias() = t->concat * w.W_o;
  t->output.rowwise() += w.b_o;  // MultiHead = Concat(heads)·W_O + b_O
}

}  // namespace attn
