// Numbers the teaching panels show: PE similarity by offset, embedding/PE orthogonality, the fitted exponent.
#include <gtest/gtest.h>

#include <cmath>

#include "positional.h"
#include "teaching_stats.h"

using namespace attn;

TEST(TeachingStats, PeSimilarityByOffsetIsTheClosedForm) {
  const int d = 16;
  const Mat pe = sinusoidal_pe(40, d);
  const std::vector<double> s = pe_similarity_by_offset(pe);
  for (int k : {0, 1, 5, 20}) {
    double closed = 0;  // Σ_i cos(k·ω_i), ω_i = 1/10000^(2i/d)
    for (int i = 0; i < d / 2; ++i) closed += std::cos(k / std::pow(10000.0, 2.0 * i / d));
    EXPECT_NEAR(s[size_t(k)], closed, 1e-4) << "offset " << k;
  }
  EXPECT_NEAR(s[0], d / 2.0, 1e-5);  // ‖PE(p)‖² = d/2
  const Mat S = pe_similarity(pe);
  EXPECT_NEAR(S(3, 7), S(10, 14), 1e-4);  // same offset, same similarity
}

TEST(TeachingStats, EmbeddingsAndPositionsGetMoreOrthogonalWithWidth) {
  const double c16 = mean_abs_cos_embedding_pe(16, 200, 1), c512 = mean_abs_cos_embedding_pe(512, 200, 1);
  EXPECT_GT(c16, c512);
  // For independent random directions E|cos| ≈ √(2/(π·d)).
  EXPECT_NEAR(c512, std::sqrt(2.0 / (M_PI * 512)), 0.012);
}

TEST(TeachingStats, FitRecoversTheExponent) {
  std::vector<double> n, t;
  for (double x : {64.0, 128.0, 256.0, 512.0, 1024.0}) n.push_back(x), t.push_back(3e-9 * x * x);
  double c = 0;
  EXPECT_NEAR(fit_power_law(n, t, &c), 2.0, 1e-9);
  EXPECT_NEAR(c, 3e-9, 1e-15);
  t.clear();
  for (double x : n) t.push_back(5e-7 * x);
  EXPECT_NEAR(fit_power_law(n, t), 1.0, 1e-9);
  EXPECT_TRUE(std::isnan(fit_power_law({1.0}, {1.0})));
}

TEST(TeachingStats, MeasureScalingHonoursCancel) {
  std::atomic<bool> cancel{false};
  int calls = 0;
  const auto pts = measure_scaling({16, 32, 64}, 8, &cancel, [&](int k, int total) {
    ++calls;
    EXPECT_EQ(total, 3);
    if (k == 1) cancel = true;
  });
  EXPECT_EQ(pts.size(), 1u);
  EXPECT_EQ(calls, 1);
  EXPECT_GT(pts[0].attention_s, 0.0);
  EXPECT_GT(pts[0].rnn_s, 0.0);
}

TEST(TeachingStats, CosineAndRms) {
  Mat a(2, 2), b(2, 2);
  a << 1, 0, 0, 2;
  b << 2, 0, 0, -1;
  EXPECT_NEAR(mean_row_cosine(a, b), 0.0, 1e-12);  // rows: +1 and −1
  EXPECT_NEAR(rms(a), std::sqrt(5.0 / 4.0), 1e-12);
}

TEST(TeachingStats, LocalExponentsBetweenSuccessiveSizes) {
  // t = n² then n³: slopes 2, 2, then 3 between 4 and 8 (t from 16 to 512).
  const std::vector<double> p = local_exponents({1, 2, 4, 8}, {1, 4, 16, 512});
  ASSERT_EQ(p.size(), 3u);
  EXPECT_NEAR(p[0], 2.0, 1e-12);
  EXPECT_NEAR(p[1], 2.0, 1e-12);
  EXPECT_NEAR(p[2], std::log(32.0) / std::log(2.0), 1e-12);  // = 5
  EXPECT_NEAR(local_exponents({100, 200}, {1, std::pow(2.0, 1.5)})[0], 1.5, 1e-12);
  EXPECT_TRUE(std::isnan(local_exponents({1, 2}, {0, 1})[0]));  // a zero time has no logarithm
  EXPECT_TRUE(local_exponents({1}, {1}).empty());
}

TEST(TeachingStats, SizeAtWhichTheMatricesOutgrowACache) {
  // 16 bytes per cell, 1 MiB: 256² · 16 = 1 MiB exactly still fits, 257 does not.
  EXPECT_EQ(n_exceeding(1u << 20, 16), 257u);
  EXPECT_EQ(n_exceeding(100, 16), 3u);  // 2²·16 = 64 ≤ 100 < 144 = 3²·16
  EXPECT_EQ(n_exceeding(0, 16), 0u);
  EXPECT_EQ(n_exceeding(100, 0), 0u);
}
