#include "rnn.h"

#include <cmath>
#include <cstdlib>

#include "rng.h"

namespace attn {

RnnWeights make_rnn(int d_in, int d_h, uint64_t seed, float w_gain) {
  RnnWeights w;
  Rng ru(stream_seed(seed, "rnn.U")), rw(stream_seed(seed, "rnn.W")), rb(stream_seed(seed, "rnn.b"));
  const float au = std::sqrt(6.0f / float(d_in + d_h)), aw = std::sqrt(6.0f / float(2 * d_h));
  w.U.resize(d_in, d_h);
  for (int i = 0; i < w.U.size(); ++i) w.U.data()[i] = ru.uniform(-au, au);
  w.W.resize(d_h, d_h);
  for (int i = 0; i < w.W.size(); ++i) w.W.data()[i] = rw.uniform(-aw, aw);
  // Rescale W so its induced ∞-norm (max absolute row sum) is w_gain: the recurrence is contractive.
  const float norm = w.W.cwiseAbs().rowwise().sum().maxCoeff();
  if (norm > 0) w.W *= w_gain / norm;
  w.b.resize(d_h);
  const float ab = 1.0f / std::sqrt(float(d_h));
  for (int i = 0; i < d_h; ++i) w.b[i] = rb.uniform(-ab, ab);
  return w;
}

Mat rnn_forward(const MatRef& X, const RnnWeights& w) {
  const int n = int(X.rows()), d_h = int(w.W.rows());
  Mat H(n, d_h);
  RowVec h = RowVec::Zero(d_h);
  for (int t = 0; t < n; ++t) {  // n dependent steps: each needs the previous h
    RowVec a = X.row(t) * w.U + h * w.W + w.b;
    h = a.array().tanh().matrix();
    H.row(t) = h;
  }
  return H;
}

Mat rnn_jacobian(const MatRef& H, const RnnWeights& w, int i, int j) {
  const int d_h = int(w.W.rows());
  if (i > j) return Mat::Zero(d_h, w.U.rows());
  auto D = [&](int t) { return (1.0f - H.row(t).array().square()).matrix().asDiagonal(); };
  Mat J = D(i) * w.U.transpose();  // ∂h_i/∂x_i
  for (int t = i + 1; t <= j; ++t) {
    Mat next = D(t) * (w.W.transpose() * J);  // ∂h_t/∂x_i = D_t·Wᵀ·∂h_{t−1}/∂x_i
    J = std::move(next);
  }
  return J;
}

std::vector<double> rnn_influence_by_distance(const MatRef& X, const RnnWeights& w, const std::atomic<bool>* cancel,
                                              const std::function<void(int, int)>& progress) {
  const int n = int(X.rows());
  const Mat H = rnn_forward(X, w);
  std::vector<double> sum(size_t(n), 0.0);
  std::vector<int> count(size_t(n), 0);
  const int pairs = n * (n + 1) / 2;
  int done = 0;
  for (int i = 0; i < n; ++i) {
    if (progress) progress(done, pairs);
    done += n - i;
    Mat J = Mat(w.W.rows(), w.U.rows());
    for (int j = i; j < n; ++j) {
      if (cancel && cancel->load(std::memory_order_relaxed)) return sum;
      // Same recursion as rnn_jacobian, shared across j to stay O(n²·d²).
      const Eigen::DiagonalMatrix<float, Eigen::Dynamic> Dj((1.0f - H.row(j).array().square()).matrix());
      if (j == i) J = Dj * w.U.transpose();
      else { Mat next = Dj * (w.W.transpose() * J); J = std::move(next); }
      sum[size_t(j - i)] += J.norm();
      count[size_t(j - i)] += 1;
    }
  }
  for (int k = 0; k < n; ++k) sum[size_t(k)] = count[size_t(k)] ? sum[size_t(k)] / count[size_t(k)] : 0.0;
  return sum;
}

}  // namespace attn
