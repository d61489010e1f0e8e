// reference_check.h: an engine trace against tiny_gpt2.h's independent double-precision GPT-2 on the same ids.
#pragma once
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "tiny_gpt2.h"
#include "trace.h"

namespace attn::test {

// The logits within 1e-4 of the largest reference logit; every head's attention weights within 1e-4.
inline void expect_trace_matches_reference(const Trace& t, const ReferenceOutput& ref) {
  ASSERT_EQ(t.logits.rows(), ref.logits.rows);
  ASSERT_EQ(t.logits.cols(), ref.logits.cols);
  double scale = 1, worst = 0;
  for (double v : ref.logits.v) scale = std::max(scale, std::abs(v));
  for (int i = 0; i < ref.logits.rows; ++i)
    for (int v = 0; v < ref.logits.cols; ++v) worst = std::max(worst, std::abs(double(t.logits(i, v)) - ref.logits(i, v)));
  EXPECT_LT(worst / scale, 1e-4) << "float engine against double reference, relative to the largest logit " << scale;
  ASSERT_EQ(t.layers.size(), ref.weights.size());
  for (size_t l = 0; l < ref.weights.size(); ++l)
    for (size_t h = 0; h < ref.weights[l].size(); ++h)
      for (int i = 0; i < t.n(); ++i)
        for (int j = 0; j < t.n(); ++j)
          ASSERT_NEAR(t.layers[l].attn.heads[h].weights(i, j), ref.weights[l][h](i, j), 1e-4)
              << "layer " << l << " head " << h << " (" << i << ", " << j << ")";
}

}  // namespace attn::test
