// Masks, softmax, multi-head slicing, LayerNorm, BatchNorm, FFN: hand-computed cases and properties.
#include <gtest/gtest.h>

#include <cmath>

#include "attention.h"
#include "ffn.h"
#include "layernorm.h"
#include "mask.h"
#include "multihead.h"
#include "rng.h"

using namespace attn;

namespace {
Mat random(int r, int c, uint64_t seed) {
  Rng rng(seed);
  Mat m(r, c);
  for (int i = 0; i < m.size(); ++i) m.data()[i] = rng.normal();
  return m;
}
}  // namespace

TEST(Mask, CausalPaddingCustom) {
  const BoolMat c = causal_mask(4);
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) EXPECT_EQ(c(i, j), j > i ? 1 : 0);
  const BoolMat p = padding_mask(3, {0, 0, 1, 1});
  for (int i = 0; i < 3; ++i) EXPECT_EQ((std::vector<int>{p(i, 0), p(i, 1), p(i, 2), p(i, 3)}), (std::vector<int>{0, 0, 1, 1}));
  BoolMat custom(2, 2);
  custom(0, 1) = 1;
  const BoolMat f = fit_custom_mask(custom, 3);
  EXPECT_EQ(f(0, 1), 1);
  EXPECT_EQ(f(2, 2), 0);
  EXPECT_EQ(fit_custom_mask(custom, 1).cells, std::vector<uint8_t>{0});
}

TEST(Attention, ThreeByThreeByHand) {
  // Q = I₃ (d_k = 3), K = [[1,0,0],[0,2,0],[0,0,3]], V = [[1],[2],[3]] (d_v = 1, allowed).
  Mat Q = Mat::Identity(3, 3), K(3, 3), V(3, 1);
  K << 1, 0, 0, 0, 2, 0, 0, 0, 3;
  V << 1, 2, 3;
  HeadTrace t;
  AttentionOptions o;
  o.scale = false;
  scaled_dot_product_attention(Q, K, V, nullptr, o, &t);
  // scores = K (diagonal 1, 2, 3), each row: softmax of (s, 0, 0) with s on the diagonal.
  for (int i = 0; i < 3; ++i) {
    const double s = i + 1, z = std::exp(s) + 2;
    for (int j = 0; j < 3; ++j) {
      EXPECT_FLOAT_EQ(t.scores(i, j), i == j ? float(s) : 0.0f);
      EXPECT_NEAR(t.weights(i, j), (i == j ? std::exp(s) : 1.0) / z, 1e-6);
    }
    double out = 0;
    for (int j = 0; j < 3; ++j) out += (i == j ? std::exp(s) : 1.0) / z * (j + 1);
    EXPECT_NEAR(t.output(i, 0), out, 1e-5);
  }
}

TEST(Attention, RowsSumToOneAndCausalIsExactlyZeroAboveTheDiagonal) {
  const Mat Q = random(6, 4, 1), K = random(6, 4, 2), V = random(6, 4, 3);
  const BoolMat m = causal_mask(6);
  HeadTrace t;
  scaled_dot_product_attention(Q, K, V, &m, AttentionOptions{}, &t);
  for (int i = 0; i < 6; ++i) {
    EXPECT_NEAR(t.weights.row(i).sum(), 1.0f, 1e-6);
    for (int j = i + 1; j < 6; ++j) {
      EXPECT_EQ(t.weights(i, j), 0.0f);
      EXPECT_EQ(t.masked(i, j), -1e9f);
    }
  }
  EXPECT_FLOAT_EQ(t.weights(0, 0), 1.0f);  // the first query sees only itself
}

TEST(Attention, NoScalingEqualsTemperatureOneOverSqrtDk) {
  const Mat Q = random(5, 16, 4), K = random(5, 16, 5), V = random(5, 16, 6);
  HeadTrace a, b;
  AttentionOptions off;
  off.scale = false;
  AttentionOptions on;
  on.temperature = 1.0f / 4.0f;  // √16 = 4: dividing by √d_k·τ = 1 is no scaling at all
  scaled_dot_product_attention(Q, K, V, nullptr, off, &a);
  scaled_dot_product_attention(Q, K, V, nullptr, on, &b);
  EXPECT_LE((a.weights - b.weights).cwiseAbs().maxCoeff(), 1e-6f);
  EXPECT_FLOAT_EQ(attention_divisor(16, AttentionOptions{}), 4.0f);
}

TEST(Attention, TemperatureDividesTheScores) {
  const Mat Q = random(3, 4, 7), K = random(3, 4, 8), V = random(3, 4, 9);
  HeadTrace t;
  AttentionOptions o;
  o.temperature = 2.5f;
  scaled_dot_product_attention(Q, K, V, nullptr, o, &t);
  EXPECT_LE((t.scaled - t.scores / 5.0f).cwiseAbs().maxCoeff(), 1e-6f);  // √4 · 2.5
}

TEST(Attention, FullyMaskedRowIsZeroNeverNaN) {
  const Mat Q = random(3, 4, 1), K = random(3, 4, 2), V = random(3, 4, 3);
  BoolMat m(3, 3);
  for (int j = 0; j < 3; ++j) m(1, j) = 1;  // row 1 sees nothing
  for (float mv : {-1e9f, -INFINITY}) {
    HeadTrace t;
    AttentionOptions o;
    o.mask_value = mv;
    scaled_dot_product_attention(Q, K, V, &m, o, &t);
    EXPECT_EQ(t.row_fully_masked, (std::vector<uint8_t>{0, 1, 0}));
    EXPECT_EQ(t.weights.row(1), RowVec::Zero(3));
    EXPECT_EQ(t.output.row(1), RowVec::Zero(4));
    EXPECT_TRUE(t.weights.allFinite());
    EXPECT_TRUE(t.output.allFinite());
    EXPECT_EQ(t.masked(1, 0), mv);
    EXPECT_NEAR(t.weights.row(0).sum(), 1.0f, 1e-6);
  }
}

TEST(Attention, HardAttentionIsOneHotAtTheFirstArgmax) {
  Mat Q(1, 1), K(4, 1), V(4, 1);
  Q << 1;
  K << 1, 3, 3, 2;  // tie between keys 1 and 2: the first wins
  V << 10, 20, 30, 40;
  HeadTrace t;
  AttentionOptions o;
  o.hard = true;
  scaled_dot_product_attention(Q, K, V, nullptr, o, &t);
  EXPECT_EQ(t.weights.row(0), (RowVec(4) << 0, 1, 0, 0).finished());
  EXPECT_FLOAT_EQ(t.output(0, 0), 20.0f);
}

TEST(Attention, HugeScoresAreStable) {
  Mat Q(1, 1), K(3, 1), V(3, 1);
  Q << 1e4f;
  K << 1, 2, 3;
  V << 1, 2, 3;
  HeadTrace t;
  scaled_dot_product_attention(Q, K, V, nullptr, AttentionOptions{}, &t);
  EXPECT_TRUE(t.weights.allFinite());
  EXPECT_FLOAT_EQ(t.weights(0, 2), 1.0f);
}

TEST(MultiHead, HeadsUseColumnSlicesAndConcatThroughWO) {
  const int d = 4, h = 2, n = 3;
  AttentionWeights w;
  w.W_q = random(d, d, 1), w.W_k = random(d, d, 2), w.W_v = random(d, d, 3), w.W_o = random(d, d, 4);
  w.b_q = random(1, d, 5), w.b_k = random(1, d, 6), w.b_v = random(1, d, 7), w.b_o = random(1, d, 8);
  const Mat X = random(n, d, 9);
  MultiHeadTrace t;
  multi_head_attention(X, X, w, h, nullptr, AttentionOptions{}, nullptr, &t);
  // Independent: head 1 from columns 2..3 of the projections, computed here in double.
  const Eigen::MatrixXd Xd = X.cast<double>();
  const Eigen::MatrixXd Q = (Xd * w.W_q.cast<double>()).rowwise() + w.b_q.cast<double>();
  const Eigen::MatrixXd K = (Xd * w.W_k.cast<double>()).rowwise() + w.b_k.cast<double>();
  const Eigen::MatrixXd V = (Xd * w.W_v.cast<double>()).rowwise() + w.b_v.cast<double>();
  Eigen::MatrixXd concat(n, d);
  for (int head = 0; head < h; ++head) {
    const Eigen::MatrixXd S = Q.middleCols(head * 2, 2) * K.middleCols(head * 2, 2).transpose() / std::sqrt(2.0);
    Eigen::MatrixXd P = (S.colwise() - S.rowwise().maxCoeff()).array().exp();
    P = P.array().colwise() / P.rowwise().sum().array();
    concat.middleCols(head * 2, 2) = P * V.middleCols(head * 2, 2);
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j) EXPECT_NEAR(t.heads[size_t(head)].weights(i, j), P(i, j), 1e-5);
  }
  const Eigen::MatrixXd out = (concat * w.W_o.cast<double>()).rowwise() + w.b_o.cast<double>();
  EXPECT_LE((t.output.cast<double>() - out).cwiseAbs().maxCoeff(), 1e-4);
  // Switching head 0 off zeroes its slice of the concatenation only.
  const uint8_t on[2] = {0, 1};
  MultiHeadTrace off;
  multi_head_attention(X, X, w, h, nullptr, AttentionOptions{}, on, &off);
  EXPECT_EQ(Mat(off.concat.leftCols(2)), Mat::Zero(n, 2));
  EXPECT_EQ(Mat(off.concat.rightCols(2)), Mat(t.concat.rightCols(2)));
}

TEST(LayerNorm, MeanZeroVarianceOneAndHandCase) {
  const Mat X = random(5, 32, 11) * 3.0f + Mat::Constant(5, 32, 2.0f);
  const Mat Y = layer_norm(X, RowVec::Ones(32), RowVec::Zero(32), 1e-5f);
  for (int i = 0; i < 5; ++i) {
    EXPECT_NEAR(Y.row(i).mean(), 0.0, 1e-5);
    EXPECT_NEAR((Y.row(i).array() - Y.row(i).mean()).square().mean(), 1.0, 1e-3);
  }
  // [1, 2, 3]: μ = 2, σ² = 2/3 → (−1, 0, 1)/√(2/3 + ε), then γ = (1, 2, 3), β = (0, 1, 0).
  Mat x(1, 3);
  x << 1, 2, 3;
  RowVec g(3), b(3);
  g << 1, 2, 3;
  b << 0, 1, 0;
  const Mat y = layer_norm(x, g, b, 1e-5f);
  const double s = 1.0 / std::sqrt(2.0 / 3.0 + 1e-5);
  EXPECT_NEAR(y(0, 0), -s, 1e-5);
  EXPECT_NEAR(y(0, 1), 1.0, 1e-6);
  EXPECT_NEAR(y(0, 2), 3 * s, 1e-5);
}

TEST(BatchNorm, PaddingPollutesTheStatistics) {
  // Two sentences of one feature: [1, 3] and [5, pad(0)]. Without the pad: μ = 3, σ² = 8/3. With it: μ = 9/4.
  Mat a(2, 1), b(2, 1);
  a << 1, 3;
  b << 5, 0;
  const BatchNormResult clean = batch_norm({a, b}, {2, 1}, false, 0.0f);
  EXPECT_NEAR(clean.mean[0], 3.0, 1e-6);
  EXPECT_NEAR(clean.var[0], 8.0 / 3.0, 1e-5);
  EXPECT_NEAR(clean.y[0](0, 0), (1 - 3) / std::sqrt(8.0 / 3.0), 1e-5);
  const BatchNormResult padded = batch_norm({a, b}, {2, 1}, true, 0.0f);
  EXPECT_NEAR(padded.mean[0], 9.0 / 4.0, 1e-6);
  EXPECT_NEAR(padded.var[0], ((1 - 2.25) * (1 - 2.25) + (3 - 2.25) * (3 - 2.25) + (5 - 2.25) * (5 - 2.25) + 2.25 * 2.25) / 4, 1e-5);
}

TEST(FFN, ReluZeroesNegatives) {
  FFNWeights w;
  w.W_1 = Mat(1, 2);
  w.W_1 << 1, -1;
  w.b_1 = RowVec::Zero(2);
  w.W_2 = Mat(2, 1);
  w.W_2 << 2, 3;
  w.b_2 = RowVec::Constant(1, 0.5f);
  Mat x(2, 1), hidden, out;
  x << 2, -4;
  feed_forward(x, w, &hidden, &out);
  // x = 2: hidden (2, 0) → 4.5;  x = −4: hidden (0, 4) → 12.5
  EXPECT_EQ(hidden, (Mat(2, 2) << 2, 0, 0, 4).finished());
  EXPECT_FLOAT_EQ(out(0, 0), 4.5f);
  EXPECT_FLOAT_EQ(out(1, 0), 12.5f);
}
