#include "flash_attention.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <thread>
#include <vector>

namespace attn {

namespace {

// One tile of query rows [r0, r1) against every key tile.
void query_tile(const MatRef& Q, const MatRef& K, const MatRef& V, const FlashOptions& opt, float divisor, int r0, int r1,
                Mat& out) {
  const int rows = r1 - r0, n_k = int(K.rows()), d_v = int(V.cols());
  const float inv = 1.0f / divisor;
  Mat S(rows, opt.tile_k);                       // scores of this tile
  Mat O = Mat::Zero(rows, d_v);                  // running Σ e^(s − m)·v
  Eigen::VectorXf m = Eigen::VectorXf::Constant(rows, -std::numeric_limits<float>::infinity());
  Eigen::VectorXf l = Eigen::VectorXf::Zero(rows);
  const Mat Qs = Q.middleRows(r0, rows) * inv;   // fold 1/√d_k into Q once
  for (int c0 = 0; c0 < n_k; c0 += opt.tile_k) {
    const int cols = std::min(opt.tile_k, n_k - c0);
    if (opt.causal && c0 > r1 - 1) break;        // every key of this and later tiles is in the future
    auto s = S.leftCols(cols);
    s.noalias() = Qs * K.middleRows(c0, cols).transpose();
    if (opt.causal)
      for (int i = 0; i < rows; ++i)
        for (int j = std::max(0, r0 + i + 1 - c0); j < cols; ++j) s(i, j) = -std::numeric_limits<float>::infinity();
    const Eigen::VectorXf tile_max = s.rowwise().maxCoeff();
    for (int i = 0; i < rows; ++i) {
      const float m_new = std::max(m[i], tile_max[i]);
      if (m_new == -std::numeric_limits<float>::infinity()) continue;  // nothing visible yet
      const float scale_old = std::exp(m[i] - m_new);                  // e^(m − m'), 0 when m = −∞
      s.row(i) = (s.row(i).array() - m_new).exp().matrix();
      l[i] = l[i] * scale_old + s.row(i).sum();
      O.row(i) *= scale_old;
      m[i] = m_new;
    }
    for (int i = 0; i < rows; ++i)
      if (m[i] == -std::numeric_limits<float>::infinity()) s.row(i).setZero();
    O.noalias() += s * V.middleRows(c0, cols);
  }
  for (int i = 0; i < rows; ++i) out.row(r0 + i) = l[i] > 0 ? RowVec(O.row(i) / l[i]) : RowVec::Zero(d_v);
}

}  // namespace

Mat flash_attention(const MatRef& Q, const MatRef& K, const MatRef& V, const FlashOptions& opt_in) {
  FlashOptions opt = opt_in;
  opt.tile_q = std::max(1, opt.tile_q);
  opt.tile_k = std::max(1, opt.tile_k);
  const int n_q = int(Q.rows());
  const float divisor = opt.divisor > 0 ? opt.divisor : std::sqrt(float(Q.cols()));
  Mat out(n_q, V.cols());
  const int tiles = (n_q + opt.tile_q - 1) / opt.tile_q;
  int threads = opt.threads > 0 ? opt.threads : int(std::max(1u, std::thread::hardware_concurrency()));
  threads = std::min(threads, tiles);
  auto work = [&](int t) {
    for (int k = t; k < tiles; k += threads)  // interleaved: causal tiles get cheaper towards the top
      query_tile(Q, K, V, opt, divisor, k * opt.tile_q, std::min(n_q, (k + 1) * opt.tile_q), out);
  };
  if (threads <= 1) {
    work(0);
  } else {
    std::vector<std::thread> pool;
    for (int t = 1; t < threads; ++t) pool.emplace_back(work, t);
    work(0);
    for (auto& th : pool) th.join();
  }
  return out;
}

size_t flash_attention_scratch_bytes(int n_q, int d_v, const FlashOptions& opt) {
  const size_t rows = size_t(std::min(n_q, opt.tile_q));
  return 4 * (rows * size_t(opt.tile_k) + rows * size_t(d_v) * 2 + rows * 2);
}

}  // namespace attn
