#include "layernorm.h"

#include <cassert>

#include <cmath>

namespace attn {

Mat layer_norm(const MatRef& x, const RowVecRef& gamma, const RowVecRef& beta, float eps) {
  assert(gamma.size() == x.cols() && beta.size() == x.cols());
  Mat y(x.rows(), x.cols());
  const float d = float(x.cols());
  for (int i = 0; i < x.rows(); ++i) {
    // Two passes in float (vectorised): μ, then σ² of the centred row, which keeps σ² accurate without doubles.
    const float mu = x.row(i).sum() / d;
    y.row(i) = x.row(i).array() - mu;
    const float inv = 1.0f / std::sqrt(y.row(i).squaredNorm() / d + eps);
    y.row(i) = (y.row(i).array() * inv) * gamma.array() + beta.array();
  }
  return y;
}

BatchNormResult batch_norm(const std::vector<Mat>& xs, const std::vector<int>& valid_len, bool count_padding,
                           float eps) {
  BatchNormResult r;
  if (xs.empty()) return r;
  const int d = int(xs[0].cols());
  Eigen::VectorXd sum = Eigen::VectorXd::Zero(d), sq = Eigen::VectorXd::Zero(d);
  double count = 0;
  for (size_t b = 0; b < xs.size(); ++b) {
    const int rows = count_padding ? int(xs[b].rows()) : std::min(int(xs[b].rows()), valid_len[b]);
    for (int i = 0; i < rows; ++i) {
      for (int j = 0; j < d; ++j) sum[j] += xs[b](i, j);
      count += 1;
    }
  }
  r.mean = RowVec::Zero(d);
  r.var = RowVec::Zero(d);
  if (count > 0)
    for (int j = 0; j < d; ++j) r.mean[j] = float(sum[j] / count);
  for (size_t b = 0; b < xs.size(); ++b) {
    const int rows = count_padding ? int(xs[b].rows()) : std::min(int(xs[b].rows()), valid_len[b]);
    for (int i = 0; i < rows; ++i)
      for (int j = 0; j < d; ++j) sq[j] += (xs[b](i, j) - r.mean[j]) * double(xs[b](i, j) - r.mean[j]);
  }
  if (count > 0)
    for (int j = 0; j < d; ++j) r.var[j] = float(sq[j] / count);
  for (const Mat& x : xs) {
    Mat y(x.rows(), d);
    for (int i = 0; i < x.rows(); ++i)
      for (int j = 0; j < d; ++j) y(i, j) = (x(i, j) - r.mean[j]) / std::sqrt(r.var[j] + eps);
    r.y.push_back(std::move(y));
  }
  return r;
}

}  // namespace attn
