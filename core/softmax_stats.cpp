#include "softmax_stats.h"

#include <algorithm>
#include <cmath>

#include "attention.h"
#include "rng.h"

namespace attn {

double entropy(const float* p, int n) {
  double h = 0;
  for (int j = 0; j < n; ++j)
    if (p[j] > 0) h -= double(p[j]) * std::log(double(p[j]));
  return h;
}

double softmax_jacobian_norm(const float* p, int n) {
  // ‖diag(p) − p·pᵀ‖_F² = Σ_i (p_i − p_i²)² + Σ_{i≠j} p_i²·p_j²
  double s2 = 0, sum_sq = 0;
  for (int i = 0; i < n; ++i) sum_sq += double(p[i]) * p[i];
  for (int i = 0; i < n; ++i) {
    const double pi = p[i], diag = pi - pi * pi;
    s2 += diag * diag + pi * pi * (sum_sq - pi * pi);
  }
  return std::sqrt(std::max(0.0, s2));
}

std::vector<double> row_entropies(const Mat& w) {
  std::vector<double> v(size_t(w.rows()));
  for (int i = 0; i < w.rows(); ++i) v[size_t(i)] = entropy(w.row(i).data(), int(w.cols()));
  return v;
}

std::vector<double> row_jacobian_norms(const Mat& w) {
  std::vector<double> v(size_t(w.rows()));
  for (int i = 0; i < w.rows(); ++i) v[size_t(i)] = softmax_jacobian_norm(w.row(i).data(), int(w.cols()));
  return v;
}

Mat softmax_rows(const Mat& scores, float divisor) {
  Mat x = scores / divisor, p(scores.rows(), scores.cols());
  for (int i = 0; i < x.rows(); ++i) softmax_row(x.row(i).data(), nullptr, int(x.cols()), p.row(i).data());
  return p;
}

DkSweepPoint dk_sweep_point(int d_k, int n, int rows, bool scaled, uint64_t seed) {
  Rng rng(stream_seed(seed, "dk_sweep:" + std::to_string(d_k)));
  Mat Q(rows, d_k), K(n, d_k);
  for (int i = 0; i < Q.size(); ++i) Q.data()[i] = rng.normal();
  for (int i = 0; i < K.size(); ++i) K.data()[i] = rng.normal();
  const Mat S = Q * K.transpose();
  const double mean = S.mean();
  const double var = (S.array() - mean).square().mean();
  const Mat P = softmax_rows(S, scaled ? std::sqrt(float(d_k)) : 1.0f);
  DkSweepPoint pt;
  pt.d_k = d_k;
  pt.score_std = std::sqrt(var);
  for (int i = 0; i < rows; ++i) {
    pt.max_weight += P.row(i).maxCoeff();
    pt.entropy += entropy(P.row(i).data(), n);
    pt.jacobian_norm += softmax_jacobian_norm(P.row(i).data(), n);
  }
  pt.max_weight /= rows;
  pt.entropy /= rows;
  pt.jacobian_norm /= rows;
  return pt;
}

}  // namespace attn
