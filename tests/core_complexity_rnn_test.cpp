// Table 1 by hand, exact integer logs, path lengths, the RNN's Jacobian against finite differences,
// and the softmax statistics behind the scaling argument.
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>

#include "complexity.h"
#include "rng.h"
#include "rnn.h"
#include "softmax_stats.h"

using namespace attn;

TEST(Complexity, TableOneForSmallValues) {
  const auto t = complexity_table(32, 64, 3, 8);
  ASSERT_EQ(t.size(), 4u);
  EXPECT_EQ(t[0].per_layer, 32u * 32 * 64);  // n²·d
  EXPECT_EQ(t[0].sequential, 1u);
  EXPECT_EQ(t[0].max_path, 1u);
  EXPECT_EQ(t[1].per_layer, 32u * 64 * 64);  // n·d²
  EXPECT_EQ(t[1].sequential, 32u);
  EXPECT_EQ(t[1].max_path, 31u);                 // positions 0 and 31: 31 edges of the chain
  EXPECT_EQ(t[2].per_layer, 3u * 32 * 64 * 64);  // k·n·d²
  EXPECT_EQ(t[2].max_path, 4u);                   // 3⁴ = 81 ≥ 32 > 27 = 3³
  EXPECT_EQ(t[3].per_layer, 8u * 32 * 64);        // r·n·d
  EXPECT_EQ(t[3].max_path, 8u);                   // r = 8 sees ±4: ⌈31/4⌉ hops
}

TEST(Complexity, NeighbourhoodIsClampedToN) {
  // Regression (complexity --n 10 --d 10 --r 20): r·n·d was 2000 against full attention's 1000.
  EXPECT_EQ(clamp_neighbourhood(20, 10), 10u);
  EXPECT_EQ(clamp_neighbourhood(0, 10), 2u);
  EXPECT_EQ(clamp_neighbourhood(1, 10), 2u);
  EXPECT_EQ(clamp_neighbourhood(7, 10), 7u);
  EXPECT_EQ(clamp_neighbourhood(5, 1), 1u);
  const auto t = complexity_table(10, 10, 3, 20);
  EXPECT_EQ(t[0].per_layer, 1000u);
  EXPECT_EQ(t[3].per_layer, 1000u);  // r = 10
  EXPECT_EQ(t[3].max_path, 2u);      // ±5: ⌈9/5⌉
  // Restricted attention never costs more than full attention, for any n and r.
  for (uint64_t n : {1u, 2u, 3u, 10u, 100u})
    for (uint64_t r : {0u, 1u, 2u, 5u, 99u, 100u, 1000u}) {
      const auto row = complexity_table(n, 16, 3, r);
      EXPECT_LE(row[3].per_layer, row[0].per_layer) << n << " " << r;
      EXPECT_GE(row[3].max_path, row[0].max_path) << n << " " << r;
    }
}

TEST(Complexity, TableDefinesKernelAndNeighbourhoodBelowTwo) {
  // k = 0 or 1 counts as 2, r = 0 or 1 as 2 (documented clamps): finite numbers, no division by zero.
  for (uint64_t bad : {0u, 1u}) {
    const auto t = complexity_table(8, 4, bad, bad);
    EXPECT_EQ(t[2].per_layer, 2u * 8 * 4 * 4);
    EXPECT_EQ(t[2].max_path, 3u);  // 2³ = 8 positions
    EXPECT_EQ(t[3].per_layer, 2u * 8 * 4);
    EXPECT_EQ(t[3].max_path, 7u);  // ±1 per hop: 7 hops from 0 to 7
  }
  const auto one = complexity_table(1, 4, 3, 4);
  for (const ComplexityRow& row : one) EXPECT_EQ(row.max_path, 0u) << row.layer;
}

TEST(Complexity, CeilLogIsExact) {
  EXPECT_EQ(ceil_log(1, 3), 0u);
  EXPECT_EQ(ceil_log(8, 2), 3u);
  EXPECT_EQ(ceil_log(9, 2), 4u);
  // k < 2 never widens the reach: no layer count, and it returns at once (k = 1 looped forever in the view).
  EXPECT_EQ(ceil_log(8, 1), kNoPathU64);
  EXPECT_EQ(ceil_log(8, 0), kNoPathU64);
  EXPECT_EQ(ceil_log(1, 0), 0u);
  EXPECT_EQ(ceil_log(9, 3), 2u);
  EXPECT_EQ(ceil_log(10, 3), 3u);
  EXPECT_EQ(ceil_log(1024, 2), 10u);
  EXPECT_EQ(ceil_log(1025, 2), 11u);
}

TEST(Complexity, MultiHeadBreakdownAndRnnCost) {
  const MultiHeadCost c = multi_head_cost(10, 8, 2);
  EXPECT_EQ(c.projections, 4u * 10 * 64);
  EXPECT_EQ(c.scores, 100u * 8);
  EXPECT_EQ(c.weighted_sum, 100u * 8);
  EXPECT_EQ(c.total(), 2560u + 1600u);
  EXPECT_EQ(rnn_cost(10, 8), 2u * 10 * 64);
  EXPECT_GT(measure_attention_seconds(64, 16, 3), 0.0);
}

TEST(Paths, LengthsBetweenPositions) {
  EXPECT_EQ(rnn_path_length(2, 9), 7);
  EXPECT_EQ(self_attention_path_length(2, 9), 1);
  EXPECT_EQ(self_attention_path_length(4, 4), 0);
  EXPECT_EQ(restricted_path_length(0, 9, 4), 5);  // r = 4 sees ±2: ⌈9/2⌉
  EXPECT_EQ(conv_path_length(0, 8, 3), 2);         // 3² = 9 positions cover offsets up to 8
  EXPECT_EQ(conv_path_length(0, 9, 3), 3);
}

TEST(Paths, ConvolutionStackHandComputed) {
  // k = 2, n = 8: L layers see 2^L positions, so offsets 1, 2..3, 4..7 need 1, 2, 3 layers; 0 and 7 are ⌈log₂ 8⌉ apart.
  EXPECT_EQ(conv_path_length(0, 1, 2), 1);
  EXPECT_EQ(conv_path_length(0, 2, 2), 2);
  EXPECT_EQ(conv_path_length(0, 3, 2), 2);
  EXPECT_EQ(conv_path_length(0, 4, 2), 3);
  EXPECT_EQ(conv_path_length(7, 0, 2), 3);
  EXPECT_EQ(conv_path_length(3, 3, 2), 0);
}

TEST(Paths, KernelBelowTwoHasNoPath) {
  // Regression: k = 0 was a division by zero (SIGFPE) and k = 1 an endless loop in the RNN vs attention view.
  for (int k : {-1, 0, 1}) {
    EXPECT_EQ(conv_path_length(0, 5, k), kNoPath) << k;
    EXPECT_EQ(conv_path_length(2, 2, k), 0) << k;
  }
}

TEST(Paths, RestrictedNeighbourhoodOfSizeR) {
  // A neighbourhood of size r, centred on the query: keys within ±⌊r/2⌋.
  EXPECT_EQ(restricted_reach(2), 1);
  EXPECT_EQ(restricted_reach(4), 2);
  EXPECT_EQ(restricted_reach(5), 2);
  EXPECT_EQ(restricted_reach(1), 0);
  EXPECT_EQ(restricted_path_length(0, 9, 2), 9);  // ±1: as many hops as the RNN's chain
  EXPECT_EQ(restricted_path_length(0, 9, 5), 5);  // ±2: ⌈9/2⌉
  EXPECT_EQ(restricted_path_length(0, 9, 6), 3);  // ±3
  EXPECT_EQ(restricted_path_length(9, 0, 6), 3);
  EXPECT_EQ(restricted_path_length(0, 9, 18), 1);  // ±9 reaches it directly
  // Regression: r = 0 was an endless loop in the view. r < 2 is the query alone: no path, at once.
  for (int r : {-3, 0, 1}) {
    EXPECT_EQ(restricted_path_length(0, 9, r), kNoPath) << r;
    EXPECT_EQ(restricted_path_length(4, 4, r), 0) << r;
  }
}

TEST(Rnn, JacobianMatchesFiniteDifferences) {
  const int n = 6, d = 5;
  Rng rng(3);
  Mat X(n, d);
  for (int i = 0; i < X.size(); ++i) X.data()[i] = rng.normal();
  const RnnWeights w = make_rnn(d, d, 9);
  const Mat H = rnn_forward(X, w);
  const int i = 1, j = 4;
  const Mat J = rnn_jacobian(H, w, i, j);
  const float eps = 1e-2f;
  for (int b = 0; b < d; ++b) {
    Mat Xp = X, Xm = X;
    Xp(i, b) += eps, Xm(i, b) -= eps;
    const RowVec col = (rnn_forward(Xp, w).row(j) - rnn_forward(Xm, w).row(j)) / (2 * eps);
    for (int a = 0; a < d; ++a) EXPECT_NEAR(J(a, b), col[a], 2e-3) << a << "," << b;
  }
  EXPECT_EQ(rnn_jacobian(H, w, 4, 1), Mat::Zero(d, d));
}

TEST(Rnn, InfluenceFallsWithDistance) {
  const int n = 12, d = 16;
  Rng rng(5);
  Mat X(n, d);
  for (int i = 0; i < X.size(); ++i) X.data()[i] = rng.normal();
  const std::vector<double> f = rnn_influence_by_distance(X, make_rnn(d, d, 2));
  ASSERT_EQ(f.size(), size_t(n));
  EXPECT_GT(f[0], f[3]);
  EXPECT_GT(f[3], f[n - 1]);
  EXPECT_LT(f[n - 1], 0.1 * f[0]);  // ‖W‖∞ = 0.9 and |tanh'| ≤ 1: geometric decay
}

// The paths view runs it in a job: progress counts the n(n+1)/2 pairs (reported before each start position i), and
// a set cancel flag stops it before any pair is computed.
TEST(Rnn, InfluenceReportsProgressAndStopsWhenCancelled) {
  const int n = 6, d = 4;
  Rng rng(5);
  Mat X(n, d);
  for (int i = 0; i < X.size(); ++i) X.data()[i] = rng.normal();
  std::vector<int> dones;
  int total = 0;
  const std::atomic<bool> go{false};
  const std::vector<double> full = rnn_influence_by_distance(X, make_rnn(d, d, 2), &go, [&](int k, int t) { dones.push_back(k), total = t; });
  EXPECT_EQ(total, 21);
  EXPECT_EQ(dones, (std::vector<int>{0, 6, 11, 15, 18, 20}));  // i = 0 … 5 each add n − i pairs
  EXPECT_GT(full[0], 0.0);
  const std::atomic<bool> stop{true};
  const std::vector<double> cut = rnn_influence_by_distance(X, make_rnn(d, d, 2), &stop);
  EXPECT_EQ(cut, std::vector<double>(size_t(n), 0.0));
}

TEST(SoftmaxStats, EntropyAndJacobianClosedForms) {
  const float uniform[4] = {0.25f, 0.25f, 0.25f, 0.25f}, onehot[4] = {0, 1, 0, 0};
  EXPECT_NEAR(entropy(uniform, 4), std::log(4.0), 1e-6);
  EXPECT_NEAR(entropy(onehot, 4), 0.0, 1e-12);
  // J = diag(p) − p·pᵀ: uniform over 4 → diagonal 3/16, off-diagonal −1/16 → ‖J‖² = 4·9/256 + 12/256.
  EXPECT_NEAR(softmax_jacobian_norm(uniform, 4), std::sqrt(48.0 / 256.0), 1e-6);
  EXPECT_NEAR(softmax_jacobian_norm(onehot, 4), 0.0, 1e-12);
}

TEST(SoftmaxStats, UnscaledScoresSaturateAsDkGrows) {
  const DkSweepPoint u16 = dk_sweep_point(16, 32, 64, false, 1), u512 = dk_sweep_point(512, 32, 64, false, 1);
  const DkSweepPoint s16 = dk_sweep_point(16, 32, 64, true, 1), s512 = dk_sweep_point(512, 32, 64, true, 1);
  EXPECT_NEAR(u512.score_std, std::sqrt(512.0), 0.1 * std::sqrt(512.0));  // var(q·k) = d_k
  EXPECT_GT(u512.max_weight, 0.9);
  EXPECT_GT(u512.max_weight, u16.max_weight);
  EXPECT_LT(u512.jacobian_norm, 0.5 * s512.jacobian_norm);
  EXPECT_NEAR(s16.max_weight, s512.max_weight, 0.1);  // scaled: independent of d_k
}

TEST(SoftmaxStats, SweepClampsDkInsteadOfAllocating) {
  // Regression: d_k typed as 100000000 allocated (64 + n)·d_k floats and aborted with std::bad_alloc.
  const DkSweepPoint huge = dk_sweep_point(100000000, 32, 64, false, 1), cap = dk_sweep_point(kMaxSweepDk, 32, 64, false, 1);
  EXPECT_EQ(huge.d_k, kMaxSweepDk);
  EXPECT_EQ(huge.score_std, cap.score_std);  // the same seeded sample
  EXPECT_EQ(huge.max_weight, cap.max_weight);
  for (int bad : {0, -7}) {
    const DkSweepPoint p = dk_sweep_point(bad, 32, 64, true, 1);
    EXPECT_EQ(p.d_k, 1) << bad;
    EXPECT_TRUE(std::isfinite(p.jacobian_norm)) << bad;
  }
}

TEST(SoftmaxStats, ScoreSpreadByHand) {
  // Rows {1, 3} and {0, 4}: stds 1 and 2, mean 1.5. Blocking cell (1, 1) leaves one score in row 1: skipped.
  Mat S(2, 2);
  S << 1, 3, 0, 4;
  Mat Q(2, 2), K(2, 2);
  Q << 1, -1, 1, -1;  // mean 0, std 1
  K << 2, 2, 2, 2;    // constant: std 0
  const ScoreSpread a = score_spread(S, Q, K, nullptr);
  EXPECT_NEAR(a.row_std, 1.5, 1e-9);
  EXPECT_NEAR(a.q_std, 1.0, 1e-9);
  EXPECT_NEAR(a.k_std, 0.0, 1e-9);
  const uint8_t blocked[4] = {0, 0, 0, 1};
  EXPECT_NEAR(score_spread(S, Q, K, blocked).row_std, 1.0, 1e-9);
}
