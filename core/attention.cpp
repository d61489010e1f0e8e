#include "attention.h"

#include <cassert>

#include <algorithm>
#include <cmath>
#include <limits>

namespace attn {

float attention_divisor(int d_k, const AttentionOptions& opt) {
  return (opt.scale ? std::sqrt(float(d_k)) : 1.0f) * opt.temperature;
}

bool softmax_row(const float* x, const uint8_t* blocked, int n, float* out) {
  // softmax(x)_j = exp(x_j − m) / Σ_k exp(x_k − m), m = max over unblocked cells (stable: every exp ≤ 1).
  // Vectorised (Eigen's exp); blocked cells are set to exactly 0 afterwards, whatever value they held.
  Eigen::Map<const Eigen::ArrayXf> xs(x, n);
  Eigen::Map<Eigen::ArrayXf> o(out, n);
  float m = -std::numeric_limits<float>::infinity();
  bool any = false;
  if (!blocked) {
    any = n > 0;
    if (any) m = xs.maxCoeff();
  } else {
    for (int j = 0; j < n; ++j)
      if (!blocked[j]) { m = any ? std::max(m, x[j]) : x[j]; any = true; }
  }
  if (!any || !std::isfinite(m)) {
    o.setZero();
    return false;
  }
  o = (xs - m).exp();
  if (blocked)
    for (int j = 0; j < n; ++j)
      if (blocked[j]) out[j] = 0.0f;
  o *= 1.0f / o.sum();
  return true;
}

void scaled_dot_product_attention(const MatRef& Q, const MatRef& K, const MatRef& V, const BoolMat* mask,
                                  const AttentionOptions& opt, HeadTrace* t) {
  const int n_q = int(Q.rows()), n_k = int(K.rows());
  // Shapes: Q n_q × d_k, K n_k × d_k, V n_k × d_v, mask n_q × n_k (checked builds: -UNDEBUG in ATTN_SANITIZE).
  assert(K.cols() == Q.cols() && V.rows() == K.rows());
  assert(!mask || (mask->rows == n_q && mask->cols == n_k));
  t->Q = Q;
  t->K = K;
  t->V = V;
  t->divisor = attention_divisor(int(Q.cols()), opt);

  t->scores.resize(n_q, n_k);
  t->scores.noalias() = Q * K.transpose();  // scores_ij = q_i · k_j
  t->scaled = t->scores / t->divisor;       // ÷ √d_k (and τ)

  t->masked = t->scaled;
  if (mask) {
    for (int i = 0; i < n_q; ++i)
      for (int j = 0; j < n_k; ++j)
        if ((*mask)(i, j)) t->masked(i, j) = opt.mask_value;
  }

  t->weights.resize(n_q, n_k);
  t->row_fully_masked.assign(size_t(n_q), 0);
  for (int i = 0; i < n_q; ++i) {
    const uint8_t* blocked = mask ? &mask->cells[size_t(i) * size_t(n_k)] : nullptr;
    float* w = t->weights.row(i).data();
    if (!softmax_row(t->masked.row(i).data(), blocked, n_k, w)) {
      t->row_fully_masked[size_t(i)] = 1;  // defined, never NaN: weights and output stay 0
      continue;
    }
    if (opt.hard) {
      // Hard attention: one-hot at the argmax of the masked scores, the first index on ties.
      int best = -1;
      for (int j = 0; j < n_k; ++j)
        if (!(blocked && blocked[j]) && (best < 0 || t->masked(i, j) > t->masked(i, best))) best = j;
      std::fill(w, w + n_k, 0.0f);
      w[best] = 1.0f;
    }
  }
  t->output.resize(n_q, V.cols());
  t->output.noalias() = t->weights * V;  // output_i = Σ_j weights_ij · v_j
}

}  // namespace attn
