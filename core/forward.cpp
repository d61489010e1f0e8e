#include "forward.h"

#include <algorithm>
#include <cmath>

#include "layernorm.h"
#include "parallel.h"
#include "positional.h"

namespace attn {

Mat position_rows(const Model& m, PEKind kind, int n, uint64_t seed) {
  if (kind == PEKind::Learned && m.wpe.size() > 0) return m.wpe.topRows(n);  // GPT-2's wpe: row i is position i
  if (kind == PEKind::Sinusoidal && m.pe_table.rows() >= n && m.pe_table.cols() == m.d_model)
    return m.pe_table.topRows(n);  // precomputed with the model
  return positional_encoding(kind, n, m.d_model, seed);
}

void embed_ids(const Model& m, const std::vector<int>& ids, Mat* tokens, Mat* positions) {
  const int n = int(ids.size());
  tokens->resize(n, m.d_model);
  for (int i = 0; i < n; ++i) tokens->row(i) = m.embedding.row(ids[size_t(i)]);
  *positions = position_rows(m, m.config.positions, n, 0);  // a trained model's positions use no seed
}

Mat embed_ids(const Model& m, const std::vector<int>& ids) {
  Mat tok, pos;
  embed_ids(m, ids, &tok, &pos);
  return tok + pos;
}

const Mat& run_layers(const Model& m, const Mat& x, const Settings& s, const BoolMat* mask, const uint8_t* head_on,
                      std::vector<EncoderLayerTrace>* layers) {
  layers->resize(m.encoder.size());
  const Mat* in = &x;
  for (size_t l = 0; l < m.encoder.size(); ++l) {
    encoder_layer(*in, m.encoder[l], s, mask, head_on ? head_on + l * size_t(s.heads) : nullptr, &(*layers)[l]);
    in = &(*layers)[l].output;
  }
  return *in;
}

const Mat& run_decoder_layers(const Model& m, const Mat& y, const MatRef& memory, const Settings& s,
                              const BoolMat& self_mask, const BoolMat* cross_mask,
                              std::vector<DecoderLayerTrace>* layers) {
  layers->resize(m.decoder.size());
  const Mat* in = &y;
  for (size_t l = 0; l < m.decoder.size(); ++l) {
    decoder_layer(*in, memory, m.decoder[l], s, self_mask, cross_mask, &(*layers)[l]);
    in = &(*layers)[l].output;
  }
  return *in;
}

void greedy_decode(int max_steps, const std::function<const Mat&()>& step, const std::function<bool(int)>& emit) {
  for (int i = 0; i < max_steps; ++i) {
    const Mat& logits = step();
    if (logits.rows() == 0 || !emit(argmax_row(logits, int(logits.rows()) - 1))) return;
  }
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
      matmul_bt(h, m.embedding, logits);
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

// Σ_j exp(logits_j − max): exp and sum vectorised in float over blocks of 256 (each term ≤ 1, so a block's sum is
// off by at most ~16 float roundings), the blocks summed in double. A double sum of every term was 4× slower.
RowSoftmax row_softmax(const MatRef& logits, int row) {
  RowSoftmax sm;
  const auto r = logits.row(row).array();
  sm.max = r.maxCoeff();
  sm.z = 0;
  constexpr Eigen::Index kBlock = 256;
  for (Eigen::Index j0 = 0; j0 < r.size(); j0 += kBlock)
    sm.z += double((r.segment(j0, std::min(kBlock, r.size() - j0)) - sm.max).exp().sum());
  return sm;
}

float RowSoftmax::prob(float logit) const { return float(std::exp(double(logit) - max) / z); }

TopK top_k(const MatRef& logits, int row, int k) { return top_k(logits, row, k, row_softmax(logits, row)); }

TopK top_k(const MatRef& logits, int row, int k, const RowSoftmax& sm) {
  const int V = int(logits.cols());
  k = std::min(k, V);
  if (k <= 0) return {};
  // One pass keeping the k best, best first; a later id enters only when strictly greater (ties: lower id first).
  // A block of 64 whose maximum (a vectorised reduction) cannot enter is skipped: after the first blocks almost
  // every block of a 50257-word row is, which makes the scan 4× faster (BM_Gpt2Predictions).
  constexpr int kBlock = 64;
  std::vector<int> best;
  best.reserve(size_t(k) + 1);
  for (int j0 = 0; j0 < V; j0 += kBlock) {
    const int w = std::min(kBlock, V - j0);
    if (int(best.size()) == k && !(logits.row(row).segment(j0, w).maxCoeff() > logits(row, best.back()))) continue;
    for (int j = j0; j < j0 + w; ++j) {
      const float v = logits(row, j);
      if (int(best.size()) == k && !(v > logits(row, best.back()))) continue;
      auto at = std::find_if(best.begin(), best.end(), [&](int b) { return v > logits(row, b); });
      best.insert(at, j);
      if (int(best.size()) > k) best.pop_back();
    }
  }
  TopK r;
  for (int id : best) {
    r.ids.push_back(id);
    r.probs.push_back(sm.prob(logits(row, id)));
  }
  return r;
}

float softmax_prob(const MatRef& logits, int row, int id) { return row_softmax(logits, row).prob(logits(row, id)); }

}  // namespace attn
