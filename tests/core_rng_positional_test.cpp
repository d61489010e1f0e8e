// Hash, generator, embeddings and positional encodings against published vectors and the paper's formula.
#include <gtest/gtest.h>

#include <cmath>

#include "positional.h"
#include "rng.h"

using namespace attn;

TEST(Rng, Fnv1aPublishedVectors) {
  EXPECT_EQ(fnv1a64(""), 0xcbf29ce484222325ull);
  EXPECT_EQ(fnv1a64("a"), 0xaf63dc4c8601ec8cull);
  EXPECT_EQ(fnv1a64("foobar"), 0x85944171f73967e8ull);
}

TEST(Rng, SplitMix64ReferenceOutputs) {
  Rng r(0);  // reference sequence of SplitMix64 seeded with 0
  EXPECT_EQ(r.next_u64(), 0xe220a8397b1dcdafull);
  EXPECT_EQ(r.next_u64(), 0x6e789e6aa1b965f4ull);
  EXPECT_EQ(r.next_u64(), 0x06c45d188009454full);
}

TEST(Rng, UniformAndNormalMoments) {
  Rng r(42);
  double s = 0, s2 = 0, mn = 1, mx = 0;
  const int N = 100000;
  for (int i = 0; i < N; ++i) {
    const double u = r.uniform();
    mn = std::min(mn, u), mx = std::max(mx, u);
    s += u;
  }
  EXPECT_GE(mn, 0.0);
  EXPECT_LT(mx, 1.0);
  EXPECT_NEAR(s / N, 0.5, 0.01);
  s = 0;
  for (int i = 0; i < N; ++i) {
    const double z = r.normal();
    s += z, s2 += z * z;
  }
  EXPECT_NEAR(s / N, 0.0, 0.02);
  EXPECT_NEAR(s2 / N, 1.0, 0.02);
}

TEST(Embedding, DeterministicPerTokenAndSeed) {
  const RowVec a = token_embedding("cat", 16, 1), b = token_embedding("cat", 16, 1);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, token_embedding("dog", 16, 1));
  EXPECT_NE(a, token_embedding("cat", 16, 2));
  EXPECT_EQ(token_embedding("<pad>", 16, 1), RowVec::Zero(16));
  // U(−√3, √3): every entry inside the range, variance near 1 over many entries.
  const RowVec big = token_embedding("variance", 20000, 3);
  EXPECT_LE(big.cwiseAbs().maxCoeff(), std::sqrt(3.0f));
  EXPECT_NEAR(big.squaredNorm() / 20000.0, 1.0, 0.05);
}

TEST(Positional, SinusoidalMatchesThePaper) {
  const int d = 8;
  const Mat pe = sinusoidal_pe(50, d);
  for (int j = 0; j < d; ++j) EXPECT_FLOAT_EQ(pe(0, j), j % 2 == 0 ? 0.0f : 1.0f);  // sin 0, cos 0
  EXPECT_NEAR(pe(1, 0), std::sin(1.0), 1e-6);
  EXPECT_NEAR(pe(1, 1), std::cos(1.0), 1e-6);
  // PE(pos, 2i) = sin(pos / 10000^(2i/d)): pos 37, i = 2 (dims 4 and 5).
  const double w = 37.0 / std::pow(10000.0, 4.0 / d);
  EXPECT_NEAR(pe(37, 4), std::sin(w), 1e-6);
  EXPECT_NEAR(pe(37, 5), std::cos(w), 1e-6);
}

TEST(Positional, DotProductDependsOnTheOffsetOnly) {
  // PE(p)·PE(q) = Σ_i cos((p − q)·ω_i): the same for every pair with the same offset.
  const Mat pe = sinusoidal_pe(64, 32);
  for (int k : {1, 3, 10}) {
    const float ref = pe.row(0).dot(pe.row(k));
    for (int p = 1; p + k < 64; p += 7) EXPECT_NEAR(pe.row(p).dot(pe.row(p + k)), ref, 1e-4) << "offset " << k;
    double closed = 0;
    for (int i = 0; i < 16; ++i) closed += std::cos(k / std::pow(10000.0, 2.0 * i / 32));
    EXPECT_NEAR(ref, closed, 1e-4);
  }
}

TEST(Positional, LearnedIsSeededAndNoneIsZero) {
  EXPECT_EQ(learned_pe(5, 8, 1), learned_pe(5, 8, 1));
  EXPECT_NE(learned_pe(5, 8, 1), learned_pe(5, 8, 2));
  EXPECT_EQ(learned_pe(3, 8, 1), Mat(learned_pe(5, 8, 1).topRows(3)));  // a row does not depend on n
  EXPECT_EQ(positional_encoding(PEKind::None, 4, 8, 1), Mat::Zero(4, 8));
}
