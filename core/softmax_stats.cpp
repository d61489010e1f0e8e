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

ScoreSpread score_spread(const Mat& scores, const Mat& Q, const Mat& K, const uint8_t* blocked) {
  auto std_of = [](const Mat& m) -> double {
    if (m.size() == 0) return 0.0;
    const double mean = m.mean();
    return std::sqrt((m.array() - float(mean)).square().mean());
  };
  ScoreSpread s;
  s.q_std = std_of(Q), s.k_std = std_of(K);
  const int n_k = int(scores.cols());
  int rows = 0;
  for (int i = 0; i < scores.rows(); ++i) {
    double sum = 0, sum2 = 0;
    int c = 0;
    for (int j = 0; j < n_k; ++j) {
      if (blocked && blocked[size_t(i) * size_t(n_k) + size_t(j)]) continue;
      const double x = scores(i, j);
      sum += x, sum2 += x * x, ++c;
    }
    if (c < 2) continue;
    const double m = sum / c;
    s.row_std += std::sqrt(std::max(0.0, sum2 / c - m * m)), ++rows;
  }
  if (rows) s.row_std /= rows;
  return s;
}

DkSweepPoint dk_sweep_point(int d_k, int n, int rows, bool scaled, uint64_t seed) {
  d_k = std::clamp(d_k, 1, kMaxSweepDk);
  n = std::max(n, 1), rows = std::max(rows, 1);
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
