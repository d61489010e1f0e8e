// The engine's own threads (core/parallel.h): split products against a double-precision reference, every part of a
// parallel_for run exactly once (also with several callers at once, as the app's jobs), and a GPT-2-sized layer's
// heads, split over the cores, equal to each head computed alone.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <string>
#include <stdexcept>
#include <thread>
#include <vector>

#include "blas.h"
#include "mask.h"
#include "multihead.h"
#include "parallel.h"
#include "rng.h"

using namespace attn;

namespace {

Mat random(int r, int c, uint64_t seed) {
  Rng rng(seed);
  Mat m(r, c);
  for (int i = 0; i < m.size(); ++i) m.data()[i] = rng.normal();
  return m;
}

// max |C − A·B| over the entries, against a double-precision triple loop; B_transposed: A·Bᵀ.
double max_error(const Mat& A, const Mat& B, const Mat& C, bool B_transposed) {
  const int n = int(B_transposed ? B.rows() : B.cols());
  EXPECT_EQ(C.rows(), A.rows());
  EXPECT_EQ(C.cols(), n);
  double worst = 0;
  for (int i = 0; i < A.rows(); ++i)
    for (int j = 0; j < n; ++j) {
      double s = 0;
      for (int k = 0; k < A.cols(); ++k) s += double(A(i, k)) * (B_transposed ? B(j, k) : B(k, j));
      worst = std::max(worst, std::abs(s - C(i, j)));
    }
  return worst;
}

}  // namespace

// 128 × 256 · 256 × 301: 9.9 M multiply-adds, above the threshold, so the columns are split (301 = 2 blocks of
// 16-multiples plus a ragged end). Entries are sums of 256 products of N(0, 1): |error| ≤ 1e-3 is float rounding.
TEST(Parallel, SplitProductsEqualDoubleReference) {
  const Mat A = random(128, 256, 1), B = random(256, 301, 2), Bt = random(301, 256, 3);
  ASSERT_GE(128.0 * 256 * 301, kParallelMinMacs);
  Mat C;
  matmul(A, B, &C);
  EXPECT_LT(max_error(A, B, C, false), 1e-3);
  matmul_bt(A, Bt, &C);
  EXPECT_LT(max_error(A, Bt, C, true), 1e-3);
}

// C = A·B + b on every row: on the BLAS path the bias is written first and the product added onto it (beta = 1), on
// Eigen's path added after; both against the double reference plus b, above and below the split threshold.
TEST(Parallel, ProductWithBiasAddsTheBiasToEveryRow) {
  for (const int m : {128, 3}) {
    const Mat A = random(m, 256, 11), B = random(256, 301, 12);
    const RowVec bias = random(1, 301, 13);
    Mat C;
    matmul(A, B, bias, &C);
    Mat C_minus_bias = C;
    C_minus_bias.rowwise() -= bias;
    EXPECT_LT(max_error(A, B, C_minus_bias, false), 1e-3) << m << " rows";
    EXPECT_NE(C(m - 1, 300), 0.0f);
  }
}

TEST(Parallel, SmallAndDegenerateProducts) {
  const Mat A = random(5, 3, 4), B = random(3, 1, 5);
  Mat C;
  matmul(A, B, &C);
  EXPECT_LT(max_error(A, B, C, false), 1e-5);
  matmul(A, Mat(3, 0), &C);  // no columns: an empty result, no part to run
  EXPECT_EQ(C.rows(), 5);
  EXPECT_EQ(C.cols(), 0);
  // One column of a big product: a single block, however many cores.
  const Mat A2 = random(1100, 4000, 6), B2 = random(4000, 1, 7);
  ASSERT_GE(1100.0 * 4000, kParallelMinMacs);
  matmul(A2, B2, &C);
  EXPECT_LT(max_error(A2, B2, C, false), 2e-3);
}

TEST(Parallel, EveryPartRunsExactlyOnceWithConcurrentCallers) {
  constexpr int kCallers = 4, kCalls = 200, kParts = 7;
  std::vector<std::atomic<int>> runs(size_t(kCallers) * kParts);
  std::vector<std::thread> callers;
  for (int c = 0; c < kCallers; ++c)
    callers.emplace_back([&, c] {
      for (int k = 0; k < kCalls; ++k) parallel_for(kParts, [&](int p) { runs[size_t(c * kParts + p)]++; });
    });
  for (std::thread& t : callers) t.join();
  for (const std::atomic<int>& r : runs) EXPECT_EQ(r.load(), kCalls);
}

TEST(Parallel, ExceptionFromAPartReachesTheCaller) {
  std::atomic<int> ran{0};
  EXPECT_THROW(parallel_for(6,
                            [&](int p) {
                              ran++;
                              if (p == 3) throw std::runtime_error("part 3");
                            }),
               std::runtime_error);
  EXPECT_EQ(ran.load(), 6);  // the other parts still ran
  int sum = 0;               // and the helpers are free again
  std::vector<int> parts(4, 0);
  parallel_for(4, [&](int p) { parts[size_t(p)] = p + 1; });
  for (int v : parts) sum += v;
  EXPECT_EQ(sum, 10);
}

// GPT-2 small's attention shape (128 tokens, 768 = 12 × 64, causal): the heads run on both cores. Each must equal
// the same head computed alone on its slice of Q, K, V, and Q must equal X·W_q + b_q in double precision.
TEST(Parallel, Gpt2SizedHeadsSplitOverCoresEqualEachHeadAlone) {
  const int n = 128, d = 768, heads = 12, d_k = d / heads;
  AttentionWeights w;
  w.W_q = random(d, d, 10) / 28.f, w.W_k = random(d, d, 11) / 28.f, w.W_v = random(d, d, 12) / 28.f;
  w.W_o = random(d, d, 13) / 28.f;
  w.b_q = random(1, d, 14), w.b_k = random(1, d, 15), w.b_v = random(1, d, 16), w.b_o = random(1, d, 17);
  const Mat X = random(n, d, 18);
  const BoolMat mask = causal_mask(n);
  ASSERT_GE(2.0 * n * n * d, kParallelMinMacs);
  MultiHeadTrace t;
  multi_head_attention(X, X, w, heads, &mask, AttentionOptions{}, nullptr, &t);
  for (int i = 0; i < n; i += 17)
    for (int j = 0; j < d; j += 13) {
      double s = w.b_q[j];
      for (int k = 0; k < d; ++k) s += double(X(i, k)) * w.W_q(k, j);
      EXPECT_NEAR(t.Q(i, j), s, 1e-4 * (1 + std::abs(s))) << i << "," << j;
    }
  ASSERT_EQ(int(t.heads.size()), heads);
  for (int h = 0; h < heads; ++h) {
    HeadTrace alone;
    scaled_dot_product_attention(t.Q.middleCols(h * d_k, d_k), t.K.middleCols(h * d_k, d_k),
                                 t.V.middleCols(h * d_k, d_k), &mask, AttentionOptions{}, &alone);
    EXPECT_EQ(t.heads[size_t(h)].weights, alone.weights) << "head " << h;
    EXPECT_EQ(Mat(t.concat.middleCols(h * d_k, d_k)), alone.output) << "head " << h;
  }
  EXPECT_FLOAT_EQ(t.heads[0].weights(0, 0), 1.0f);  // causal: the first query sees only itself
  EXPECT_EQ(t.heads[5].weights(3, 4), 0.0f);
}

// The engine's OpenBLAS (core/blas.h): loaded when installed (.ci/setup.sh installs it), and on an AVX-512 CPU with
// AVX-512 kernels whatever OPENBLAS_CORETYPE the environment carries (this machine's says Haswell, for other programs).
TEST(Blas, LoadedWithKernelsForThisCpu) {
  const Mat A = random(128, 256, 1), B = random(256, 301, 2);
  Mat C;
  matmul(A, B, &C);  // a product over the threshold loads the library
  const std::string d = blas_description();
  const char* off = std::getenv("ATTN_BLAS");
  if (off && std::string(off) == "off") {
    EXPECT_EQ(d.rfind("Eigen", 0), 0u) << d;
    return;
  }
  if (!std::ifstream("/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0")) GTEST_SKIP() << d;
  EXPECT_EQ(d.rfind("OpenBLAS", 0), 0u) << d;
#if defined(__x86_64__) && defined(__GNUC__)
  if (__builtin_cpu_supports("avx512f") && !std::getenv("ATTN_BLAS_CORETYPE")) {
    EXPECT_EQ(d.find("Haswell"), std::string::npos) << d;
    EXPECT_EQ(d.find("Zen"), std::string::npos) << d;
  }
#endif
}
