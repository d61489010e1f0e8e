// Scaled dot-product attention against hand-computed values.
#include <gtest/gtest.h>

#include <cmath>

#include "attention.h"

using namespace attn;

// Q = [[1, 0]], K = [[1, 0], [0, 1]], V = [[1, 2], [3, 4]], d_k = 2.
// scores = [1, 0]; scaled = [1/√2, 0]; weights = [e^{1/√2}, 1] / (e^{1/√2} + 1).
TEST(Attention, HandComputedTwoKeys) {
  Mat Q(1, 2), K(2, 2), V(2, 2);
  Q << 1, 0;
  K << 1, 0, 0, 1;
  V << 1, 2, 3, 4;
  HeadTrace t;
  scaled_dot_product_attention(Q, K, V, nullptr, AttentionOptions{}, &t);
  const double a = std::exp(1.0 / std::sqrt(2.0)), w0 = a / (a + 1), w1 = 1 / (a + 1);
  EXPECT_FLOAT_EQ(t.scores(0, 0), 1.0f);
  EXPECT_FLOAT_EQ(t.scores(0, 1), 0.0f);
  EXPECT_NEAR(t.scaled(0, 0), 1 / std::sqrt(2.0), 1e-6);
  EXPECT_NEAR(t.weights(0, 0), w0, 1e-6);
  EXPECT_NEAR(t.weights(0, 1), w1, 1e-6);
  EXPECT_NEAR(t.output(0, 0), w0 * 1 + w1 * 3, 1e-5);
  EXPECT_NEAR(t.output(0, 1), w0 * 2 + w1 * 4, 1e-5);
}
