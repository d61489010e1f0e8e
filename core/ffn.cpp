#include "ffn.h"

#include <algorithm>
#include <cmath>

#include "parallel.h"

namespace attn {

namespace {
constexpr float kSqrt2OverPi = 0.7978845608028654f;  // √(2/π)
}

float gelu_tanh(float a) { return 0.5f * a * (1.0f + std::tanh(kSqrt2OverPi * (a + 0.044715f * a * a * a))); }

// d/da 0.5·a·(1 + tanh(u)), u = √(2/π)(a + 0.044715a³): 0.5(1 + tanh u) + 0.5·a·(1 − tanh²u)·√(2/π)(1 + 3·0.044715a²)
// On whole arrays, with Eigen's vectorised tanh (as the forward): per element it took 15% of a language model's
// training step (bench_train, BM_LmStep).
Mat gelu_tanh_derivative(const MatRef& x) {
  const auto a = x.array();
  const Eigen::ArrayXXf t = (kSqrt2OverPi * (a + 0.044715f * a.cube())).tanh();
  return (0.5f * (1.0f + t) + 0.5f * a * (1.0f - t.square()) * kSqrt2OverPi * (1.0f + 3.0f * 0.044715f * a.square()))
      .matrix();
}

float gelu_tanh_derivative(float a) { return gelu_tanh_derivative(Mat::Constant(1, 1, a))(0, 0); }

void feed_forward(const MatRef& x, const FFNWeights& w, Mat* hidden, Mat* out, Mat* pre) {
  matmul(x, w.W_1, w.b_1, hidden);  // x·W_1 + b_1
  if (pre) *pre = *hidden;
  if (w.activation == Activation::ReLU) {
    *hidden = hidden->cwiseMax(0.0f);
  } else {
    // gelu_tanh's formula on whole arrays: Eigen's tanh is vectorised (std::tanh per element is ~80× slower).
    const auto a = hidden->array();
    hidden->array() = 0.5f * a * (1.0f + (kSqrt2OverPi * (a + 0.044715f * a.cube())).tanh());
  }
  matmul(*hidden, w.W_2, w.b_2, out);  // ·W_2 + b_2
}

FfnTokenStats ffn_token_stats(const MatRef& x, const MatRef& ffn_in, const MatRef& hidden, const MatRef& ffn_out,
                              const FFNWeights& w) {
  FfnTokenStats s;
  const int n = int(hidden.rows());
  const auto cosine = [](const RowVec& a, const RowVec& b) {
    const double na = a.norm(), nb = b.norm();
    return na > 0 && nb > 0 ? double(a.dot(b)) / (na * nb) : 0.0;
  };
  Mat h1, o1;
  for (int i = 0; i < n; ++i) {
    s.zero_fraction.push_back(hidden.cols() ? double((hidden.row(i).array() == 0.0f).count()) / double(hidden.cols()) : 0);
    const RowVec xi = x.row(i), fi = ffn_out.row(i);
    s.norm_x.push_back(xi.norm());
    s.norm_ffn.push_back(fi.norm());
    s.cos_residual.push_back(cosine(xi, xi + fi));
    feed_forward(ffn_in.row(i), w, &h1, &o1);  // the same W_1, W_2 on this row alone
    s.max_row_alone_diff = std::max(s.max_row_alone_diff, double((o1 - ffn_out.row(i)).cwiseAbs().maxCoeff()));
  }
  if (ffn_out.size()) s.max_abs_out = ffn_out.cwiseAbs().maxCoeff();
  return s;
}

}  // namespace attn
