#include "ffn.h"

namespace attn {

void feed_forward(const MatRef& x, const FFNWeights& w, Mat* hidden, Mat* out) {
  hidden->resize(x.rows(), w.W_1.cols());
  hidden->noalias() = x * w.W_1;
  hidden->rowwise() += w.b_1;
  *hidden = hidden->cwiseMax(0.0f);  // ReLU
  out->resize(x.rows(), w.W_2.cols());
  out->noalias() = *hidden * w.W_2;
  out->rowwise() += w.b_2;
}

}  // namespace attn
