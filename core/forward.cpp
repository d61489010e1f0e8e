#include "forward.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "layernorm.h"
#include "positional.h"

namespace attn {

void embed_ids(const Model& m, const std::vector<int>& ids, Mat* tokens, Mat* positions) {
  const int n = int(ids.size());
  tokens->resize(n, m.d_model);
  for (int i = 0; i < n; ++i) tokens->row(i) = m.embedding.row(ids[size_t(i)]);
  switch (m.config.positions) {
    case PEKind::Learned:  // GPT-2's wpe: row i is position i's vector
      *positions = m.wpe.topRows(n);
      break;
    case PEKind::Sinusoidal:
      *positions = m.pe_table.rows() >= n ? Mat(m.pe_table.topRows(n)) : sinusoidal_pe(n, m.d_model);
      break;
    case PEKind::None:
      *positions = Mat::Zero(n, m.d_model);
      break;
  }
}

Mat embed_ids(const Model& m, const std::vector<int>& ids) {
  Mat tok, pos;
  embed_ids(m, ids, &tok, &pos);
  return tok + pos;
}

void output_head(const Model& m, const MatRef& last, Mat* normed, Mat* logits) {
  Mat h = m.config.final_norm ? layer_norm(last, m.ln_f.gamma, m.ln_f.beta, m.ln_f.eps) : Mat(last);
  switch (m.config.output) {
    case OutputKind::Separate:  // logits = h·W_out + b_out
      logits->resize(h.rows(), m.W_out.cols());
      logits->noalias() = h * m.W_out;
      logits->rowwise() += m.b_out;
      break;
    case OutputKind::Tied:  // logits = h·Eᵀ
      logits->resize(h.rows(), m.embedding.rows());
      logits->noalias() = h * m.embedding.transpose();
      break;
    case OutputKind::None:
      logits->resize(0, 0);
      break;
  }
  if (normed) *normed = std::move(h);
}

int argmax_row(const MatRef& logits, int i) {
  Eigen::Index best = 0;
  logits.row(i).maxCoeff(&best);
  return int(best);
}

TopK top_k(const MatRef& logits, int row, int k) {
  const int V = int(logits.cols());
  k = std::min(k, V);
  const float mx = logits.row(row).maxCoeff();
  double z = 0;
  for (int j = 0; j < V; ++j) z += std::exp(double(logits(row, j)) - mx);
  std::vector<int> idx(static_cast<size_t>(V));
  std::iota(idx.begin(), idx.end(), 0);
  std::partial_sort(idx.begin(), idx.begin() + k, idx.end(), [&](int a, int b) {
    return logits(row, a) > logits(row, b) || (logits(row, a) == logits(row, b) && a < b);
  });
  TopK r;
  for (int i = 0; i < k; ++i) {
    r.ids.push_back(idx[size_t(i)]);
    r.probs.push_back(float(std::exp(double(logits(row, idx[size_t(i)])) - mx) / z));
  }
  return r;
}

float softmax_prob(const MatRef& logits, int row, int id) {
  const float mx = logits.row(row).maxCoeff();
  double z = 0;
  for (int j = 0; j < logits.cols(); ++j) z += std::exp(double(logits(row, j)) - mx);
  return float(std::exp(double(logits(row, id)) - mx) / z);
}

}  // namespace attn
