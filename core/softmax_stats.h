// softmax_stats.h: numbers behind "why divide by √d_k" (paper §3.2.1, footnote 4).
//
// If q and k have independent components of mean 0 and variance 1, q·k = Σ_i q_i·k_i has variance d_k:
// unscaled scores grow like √d_k, softmax saturates towards one-hot, and its Jacobian
//   ∂p_i/∂x_j = p_i·(δ_ij − p_j)      (J = diag(p) − p·pᵀ)
// shrinks towards 0: gradients vanish. Dividing by √d_k keeps the scores' variance at 1.
#pragma once
#include <cstdint>
#include <vector>

#include "mat.h"

namespace attn {

// Shannon entropy −Σ p log p (natural log) of a probability row; 0·log 0 = 0.
double entropy(const float* p, int n);
// Frobenius norm of the softmax Jacobian diag(p) − p·pᵀ at probabilities p.
double softmax_jacobian_norm(const float* p, int n);
// Per-row entropy and Jacobian norm of a weights matrix (rows that are all 0, i.e. fully masked, give 0).
std::vector<double> row_entropies(const Mat& weights);
std::vector<double> row_jacobian_norms(const Mat& weights);

// Softmax of scores / divisor for every row (no mask), for "what if scaling were on/off" comparisons.
Mat softmax_rows(const Mat& scores, float divisor);

// How far a head's scores spread within a row (what softmax responds to: a shift of a whole row changes
// nothing), and the spread of its q and k components. For independent zero-mean components
// std(q·k) ≈ √d_k·std(q)·std(k): the paper's "variance d_k" assumes std(q) = std(k) = 1.
struct ScoreSpread {
  double row_std = 0;  // mean over rows of the std of the row's unblocked scores (rows with < 2 of them skipped)
  double q_std = 0;    // std of all components of Q
  double k_std = 0;    // std of all components of K
};
// scores: n_q × n_k; blocked: n_q·n_k flags (row-major) or null.
ScoreSpread score_spread(const Mat& scores, const Mat& Q, const Mat& K, const uint8_t* blocked);

struct DkSweepPoint {
  int d_k = 0;
  double score_std = 0;      // standard deviation of q·k over the samples (≈ √d_k)
  double max_weight = 0;     // mean over rows of the largest softmax weight
  double entropy = 0;        // mean row entropy
  double jacobian_norm = 0;  // mean ‖J‖_F
};
// Random q, k with N(0, 1) components (seeded): `rows` queries against n keys, scaled or not.
// d_k is clamped to [1, kMaxSweepDk] (the result's d_k says which was used): memory is (rows + n)·d_k floats, and
// past 1024 unscaled rows are already one-hot, so larger d_k shows nothing new. n and rows are clamped to ≥ 1.
constexpr int kMaxSweepDk = 1024;
DkSweepPoint dk_sweep_point(int d_k, int n, int rows, bool scaled, uint64_t seed);

}  // namespace attn
