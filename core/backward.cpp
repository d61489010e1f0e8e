#include "backward.h"

#include <cmath>

#include "attention.h"
#include "ffn.h"
#include "forward.h"
#include "parallel.h"

namespace attn {

namespace {

// Y = X·W + b:  ∂W += Xᵀ·∂Y,  ∂b += Σ_rows ∂Y;  returns ∂X = ∂Y·Wᵀ
Mat linear_backward(const MatRef& X, const MatRef& dY, const MatRef& W, Weight* dW, RowVec* db) {
  matmul_tn_add(X, dY, *dW);
  *db += dY.colwise().sum();
  Mat dX;
  matmul_bt(dY, W, &dX);
  return dX;
}

}  // namespace

Mat layer_norm_backward(const MatRef& x, const MatRef& dy, const NormWeights& w, NormWeights* g) {
  const int n = int(x.rows()), d = int(x.cols());
  Mat dx(n, d);
  for (int i = 0; i < n; ++i) {
    // μ, σ² (biased) of this token's features, as layer_norm computes them
    double mu = 0;
    for (int j = 0; j < d; ++j) mu += x(i, j);
    mu /= d;
    double var = 0;
    for (int j = 0; j < d; ++j) var += (x(i, j) - mu) * (x(i, j) - mu);
    var /= d;
    const double r = 1.0 / std::sqrt(var + double(w.eps));
    double mean_g = 0, mean_gx = 0;
    for (int j = 0; j < d; ++j) {
      const double xhat = (x(i, j) - mu) * r, gj = double(dy(i, j)) * w.gamma[j];
      mean_g += gj;
      mean_gx += gj * xhat;
      g->gamma[j] += float(dy(i, j) * xhat);
      g->beta[j] += dy(i, j);
    }
    mean_g /= d;
    mean_gx /= d;
    for (int j = 0; j < d; ++j) {
      const double xhat = (x(i, j) - mu) * r, gj = double(dy(i, j)) * w.gamma[j];
      dx(i, j) = float(r * (gj - mean_g - xhat * mean_gx));
    }
  }
  return dx;
}

Mat feed_forward_backward(const MatRef& x, const MatRef& hidden, const MatRef& d_out, const FFNWeights& w,
                          FFNWeights* g) {
  Mat d_hidden = linear_backward(hidden, d_out, w.W_2, &g->W_2, &g->b_2);  // out = h·W_2 + b_2
  if (w.activation == Activation::ReLU) {
    d_hidden.array() *= (hidden.array() > 0.0f).cast<float>();              // h = max(0, a)
  } else {                                                                  // h = GELU(a): a is recomputed
    Mat a;
    matmul(x, w.W_1, w.b_1, &a);
    d_hidden.array() *= gelu_tanh_derivative(a).array();
  }
  return linear_backward(x, d_hidden, w.W_1, &g->W_1, &g->b_1);            // a = x·W_1 + b_1
}

void attention_backward(const HeadTrace& t, const MatRef& d_output, Mat* dQ, Mat* dK, Mat* dV) {
  const Mat& P = t.weights;
  dV->noalias() = P.transpose() * d_output;  // O = P·V
  Mat dP(P.rows(), P.cols());
  dP.noalias() = d_output * t.V.transpose();
  Mat dS(P.rows(), P.cols());
  for (int i = 0; i < P.rows(); ++i) {
    const float dot = P.row(i).dot(dP.row(i));  // Σ_k P_ik ∂P_ik
    dS.row(i) = P.row(i).array() * (dP.row(i).array() - dot);
  }
  dS /= t.divisor;  // scaled = scores / divisor; a blocked cell's value does not depend on the scores
  dQ->noalias() = dS * t.K;                 // scores = Q·Kᵀ
  dK->noalias() = dS.transpose() * t.Q;
}

void multi_head_attention_backward(const MatRef& X_q, const MatRef& X_kv, const MultiHeadTrace& t,
                                   const AttentionWeights& w, const uint8_t* head_on, const MatRef& d_out,
                                   AttentionWeights* g, Mat* dX_q, Mat* dX_kv) {
  const int heads = int(t.heads.size()), d_model = int(w.W_q.cols()), d_k = d_model / heads;
  const Mat d_concat = linear_backward(t.concat, d_out, w.W_o, &g->W_o, &g->b_o);  // Concat·W_O + b_O
  Mat dQ = Mat::Zero(t.Q.rows(), d_model), dK = Mat::Zero(t.K.rows(), d_model), dV = Mat::Zero(t.V.rows(), d_model);
  Mat dQh(t.Q.rows(), d_k), dKh(t.K.rows(), d_k), dVh(t.V.rows(), d_k);
  for (int h = 0; h < heads; ++h) {
    if (head_on && !head_on[h]) continue;  // a switched-off head left zeros in the concat: no gradient
    attention_backward(t.heads[size_t(h)], d_concat.middleCols(h * d_k, d_k), &dQh, &dKh, &dVh);
    dQ.middleCols(h * d_k, d_k) = dQh;
    dK.middleCols(h * d_k, d_k) = dKh;
    dV.middleCols(h * d_k, d_k) = dVh;
  }
  *dX_q += linear_backward(X_q, dQ, w.W_q, &g->W_q, &g->b_q);   // Q = X_q·W_q + b_q
  *dX_kv += linear_backward(X_kv, dK, w.W_k, &g->W_k, &g->b_k);  // K = X_kv·W_k + b_k
  *dX_kv += linear_backward(X_kv, dV, w.W_v, &g->W_v, &g->b_v);  // V = X_kv·W_v + b_v
}

namespace {

// The Add & Norm around one sublayer f, from ∂L/∂(its output) to ∂L/∂x (x: the residual stream entering it).
//   post: out = LN(x + f(x))      pre: out = x + f(LN(x))
// `sub_in` is what f read, `sum` is x + f(…); `d_sub` maps ∂L/∂f's output to ∂L/∂f's input (adding the weights'
// gradients). For cross-attention f also reads the memory, which d_sub handles itself.
template <class SubBackward>
Mat add_norm_backward(bool pre, const MatRef& x, const MatRef& sum, const NormWeights& ln, NormWeights* g_ln,
                      const MatRef& d_out, SubBackward d_sub) {
  if (pre) {
    Mat dx = d_out;                       // the residual path
    const Mat d_sub_in = d_sub(d_out);    // through f
    dx += layer_norm_backward(x, d_sub_in, ln, g_ln);
    return dx;
  }
  const Mat d_sum = layer_norm_backward(sum, d_out, ln, g_ln);
  Mat dx = d_sum;                         // the residual path
  dx += d_sub(d_sum);                     // through f (which read x itself)
  return dx;
}

}  // namespace

Mat encoder_layer_backward(const EncoderLayerTrace& t, const EncoderLayerWeights& w, const Settings& s,
                           const uint8_t* head_on, const MatRef& d_out, EncoderLayerWeights* g) {
  const bool pre = s.norm == NormPlacement::Pre;
  // Sublayer 2: out = Add&Norm(norm1, FFN)
  const Mat d_norm1 = add_norm_backward(pre, t.norm1, t.add2, w.ln2, &g->ln2, d_out, [&](const MatRef& d) {
    return feed_forward_backward(t.ffn_in, t.ffn_hidden, d, w.ffn, &g->ffn);
  });
  // Sublayer 1: norm1 = Add&Norm(input, MultiHead)
  return add_norm_backward(pre, t.input, t.add1, w.ln1, &g->ln1, d_norm1, [&](const MatRef& d) {
    Mat d_in = Mat::Zero(t.attn_in.rows(), t.attn_in.cols());
    multi_head_attention_backward(t.attn_in, t.attn_in, t.attn, w.attn, head_on, d, &g->attn, &d_in, &d_in);
    return d_in;
  });
}

Mat decoder_layer_backward(const DecoderLayerTrace& t, const MatRef& memory, const DecoderLayerWeights& w,
                           const Settings& s, const MatRef& d_out, DecoderLayerWeights* g, Mat* d_memory) {
  const bool pre = s.norm == NormPlacement::Pre;
  const Mat d_norm2 = add_norm_backward(pre, t.norm2, t.add3, w.ln3, &g->ln3, d_out, [&](const MatRef& d) {
    return feed_forward_backward(t.ffn_in, t.ffn_hidden, d, w.ffn, &g->ffn);
  });
  const Mat d_norm1 = add_norm_backward(pre, t.norm1, t.add2, w.ln2, &g->ln2, d_norm2, [&](const MatRef& d) {
    Mat d_in = Mat::Zero(t.cross_in.rows(), t.cross_in.cols());
    multi_head_attention_backward(t.cross_in, memory, t.cross_attn, w.cross, nullptr, d, &g->cross, &d_in,
                                  d_memory);
    return d_in;
  });
  return add_norm_backward(pre, t.input, t.add1, w.ln1, &g->ln1, d_norm1, [&](const MatRef& d) {
    Mat d_in = Mat::Zero(t.self_in.rows(), t.self_in.cols());
    multi_head_attention_backward(t.self_in, t.self_in, t.self_attn, w.self, nullptr, d, &g->self, &d_in, &d_in);
    return d_in;
  });
}

double cross_entropy(const MatRef& logits, const std::vector<int>& target, const std::vector<uint8_t>& scored,
                     Mat* d_logits) {
  const int n = int(logits.rows()), c = int(logits.cols());
  d_logits->setZero(n, c);
  double loss = 0;
  for (int i = 0; i < n; ++i) {
    if (!scored[size_t(i)]) continue;
    // −log p_t as log z + max − logit_t (z = Σ exp(logit − max)), finite when p_t underflows; the exponentials
    // vectorised in float (forward.h's row_softmax), 4,096 of them per row for a language model.
    const RowSoftmax sm = row_softmax(logits, i);
    loss += std::log(sm.z) + sm.max - logits(i, target[size_t(i)]);
    d_logits->row(i) = ((logits.row(i).array() - sm.max).exp() * float(1.0 / sm.z)).matrix();
    (*d_logits)(i, target[size_t(i)]) -= 1.0f;
  }
  return loss;
}

}  // namespace attn
