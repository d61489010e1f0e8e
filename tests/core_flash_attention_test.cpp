// The fused, tiled attention equals the plain path (which keeps every stage) within 1e-5.
#include <gtest/gtest.h>

#include "attention.h"
#include "flash_attention.h"
#include "mask.h"
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

TEST(FlashAttention, EqualsThePlainPathForSizesAcrossTileEdges) {
  for (int n : {1, 7, 128, 300, 513}) {
    const Mat Q = random(n, 16, 10 + n), K = random(n, 16, 20 + n), V = random(n, 16, 30 + n);
    HeadTrace plain;
    scaled_dot_product_attention(Q, K, V, nullptr, AttentionOptions{}, &plain);
    for (int threads : {1, 2}) {
      FlashOptions o;
      o.tile_q = 64, o.tile_k = 100, o.threads = threads;  // tiles that do not divide n
      const Mat f = flash_attention(Q, K, V, o);
      ASSERT_EQ(f.rows(), n);
      EXPECT_LE((f - plain.output).cwiseAbs().maxCoeff(), 1e-5f) << "n = " << n << ", threads = " << threads;
    }
  }
}

TEST(FlashAttention, CausalEqualsThePlainPathWithACausalMask) {
  const int n = 257;
  const Mat Q = random(n, 32, 1), K = random(n, 32, 2), V = random(n, 32, 3);
  const BoolMat mask = causal_mask(n);
  HeadTrace plain;
  scaled_dot_product_attention(Q, K, V, &mask, AttentionOptions{}, &plain);
  FlashOptions o;
  o.causal = true, o.tile_q = 50, o.tile_k = 64;
  EXPECT_LE((flash_attention(Q, K, V, o) - plain.output).cwiseAbs().maxCoeff(), 1e-5f);
}

TEST(FlashAttention, HugeScoresStayFinite) {
  Mat Q = random(20, 8, 4) * 1000.0f, K = random(20, 8, 5) * 1000.0f, V = random(20, 8, 6);
  const Mat f = flash_attention(Q, K, V);
  EXPECT_TRUE(f.allFinite());
}

TEST(FlashAttention, ScratchMemoryDoesNotGrowWithTheKeys) {
  // O(n·d): the scratch depends on the tile sizes and d_v only, never on n².
  EXPECT_EQ(flash_attention_scratch_bytes(4096, 64), flash_attention_scratch_bytes(1 << 20, 64));
  EXPECT_LT(flash_attention_scratch_bytes(4096, 64), size_t(4) * 4096 * 4096 / 100);
}
