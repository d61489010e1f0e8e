// The model-configured parts of the forward pass (core/forward.h, core/ffn.h): GELU, learned positions, the final
// LayerNorm and tied output, next-token predictions. Expected values are computed here in double from the
// definitions, or by hand.
#include <gtest/gtest.h>

#include <algorithm>

#include <cmath>

#include "ffn.h"
#include "forward.h"
#include "rng.h"
#include "trace.h"

using namespace attn;

TEST(Gelu, TanhApproximationByHand) {
  // 0.5·a·(1 + tanh(√(2/π)·(a + 0.044715·a³))) evaluated with a calculator (Python's math module).
  EXPECT_NEAR(gelu_tanh(1.0f), 0.8411919906082768, 1e-6);
  EXPECT_NEAR(gelu_tanh(-2.0f), -0.04540230591222494, 1e-6);
  EXPECT_EQ(gelu_tanh(0.0f), 0.0f);
  // Its derivative against a central difference, over a range that covers both tails and the kink-free middle.
  for (float a = -5.0f; a <= 5.0f; a += 0.37f) {
    const double num = (double(gelu_tanh(a + 1e-3f)) - gelu_tanh(a - 1e-3f)) / 2e-3;
    EXPECT_NEAR(gelu_tanh_derivative(a), num, 2e-3) << a;
  }
}

namespace {

// A 0-layer GPT-2-shaped model: vocabulary of 3, d_model 2, 4 learned positions, final LayerNorm, tied output.
Model tiny_tied_model() {
  Model m;
  m.config.d_ff = 4;
  m.config.kind = ModelKind::DecoderOnly;
  m.config.d_model = 2;
  m.config.heads = 1;
  m.config.positions = PEKind::Learned;
  m.config.norm = NormPlacement::Pre;
  m.config.final_norm = true;
  m.config.output = OutputKind::Tied;
  m.config.vocab_size = 3;
  m.config.context = 4;
  m.vocab = {"a", "b", "c"};
  m.classes = 3;
  m.embedding.resize(3, 2);
  m.embedding << 1, 0, 0, 2, -1, 1;
  m.wpe.resize(4, 2);
  m.wpe << 0, 0, 1, 1, 0.5f, -0.5f, 0, 3;
  m.ln_f.gamma = RowVec::Constant(2, 2.0f);
  m.ln_f.beta = RowVec::Constant(2, 0.5f);
  return m;
}

}  // namespace

TEST(Forward, LearnedPositionsFinalNormAndTiedLogitsByHand) {
  const Model m = tiny_tied_model();
  const std::vector<int> ids = {2, 0, 1};
  Mat tok, pos;
  embed_ids(m, ids, &tok, &pos);
  EXPECT_EQ(tok.row(0), m.embedding.row(2));
  EXPECT_EQ(pos.row(1), m.wpe.row(1));
  const Mat x = tok + pos;  // rows: (-1, 1), (2, 1), (0.5, 1.5)
  Mat h, logits;
  output_head(m, x, &h, &logits);
  ASSERT_EQ(logits.rows(), 3);
  ASSERT_EQ(logits.cols(), 3);
  // A LayerNorm of 2 features maps (u, v) to γ·(±1, ∓1)·|u−v|/√((u−v)² + 4ε) + β: here ≈ γ·sign + β.
  for (int i = 0; i < 3; ++i) {
    const double u = x(i, 0), v = x(i, 1), half = (u - v) / 2, r = 1.0 / std::sqrt(half * half + 1e-5);
    const double h0 = 2 * half * r + 0.5, h1 = -2 * half * r + 0.5;
    EXPECT_NEAR(h(i, 0), h0, 1e-5);
    EXPECT_NEAR(h(i, 1), h1, 1e-5);
    for (int k = 0; k < 3; ++k)  // logits = h·Eᵀ
      EXPECT_NEAR(logits(i, k), h0 * m.embedding(k, 0) + h1 * m.embedding(k, 1), 1e-4) << i << "," << k;
  }
}

TEST(Forward, TopKAndNextTokenProbabilityFromSoftmax) {
  Mat logits(1, 4);
  logits << 1, 3, 2, 3;  // softmax: e^1, e^3, e^2, e^3 over their sum; ties keep the lower id first
  const double z = std::exp(1.0) + 2 * std::exp(3.0) + std::exp(2.0);
  const TopK k = top_k(logits, 0, 3);
  ASSERT_EQ(k.ids, (std::vector<int>{1, 3, 2}));
  EXPECT_NEAR(k.probs[0], std::exp(3.0) / z, 1e-6);
  EXPECT_NEAR(k.probs[2], std::exp(2.0) / z, 1e-6);
  EXPECT_NEAR(softmax_prob(logits, 0, 0), std::exp(1.0) / z, 1e-6);
  EXPECT_EQ(top_k(logits, 0, 10).ids.size(), 4u);  // never more than the vocabulary
}

// A row as long as GPT-2's: the scan skips blocks that cannot enter, so check it against sorting every id (value
// descending, id ascending on ties) on rows with ties inside and across blocks, the best at the very end, and a
// vocabulary that is not a multiple of the block.
TEST(Forward, TopKOfALongRowEqualsAFullSort) {
  for (const int V : {50257, 64, 65, 130, 7}) {
    Rng rng{uint64_t(V)};
    Mat logits(3, V);
    for (int j = 0; j < V; ++j) {
      logits(0, j) = float(int(rng.uniform() * 40));  // many ties
      logits(1, j) = float(j % 97) * 0.5f;            // increasing blocks, the maximum repeated every 97 ids
      logits(2, j) = -float(j);                       // best first, strictly decreasing
    }
    logits(0, V - 1) = 100;  // the single best is the last id
    for (int r = 0; r < 3; ++r) {
      std::vector<int> order(static_cast<size_t>(V));
      for (int j = 0; j < V; ++j) order[size_t(j)] = j;
      std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return logits(r, a) > logits(r, b); });
      const int k = std::min(5, V);
      order.resize(size_t(k));
      EXPECT_EQ(top_k(logits, r, 5).ids, order) << "V=" << V << " row " << r;
      EXPECT_EQ(argmax_row(logits, r), order[0]) << "V=" << V << " row " << r;
    }
  }
}

TEST(Forward, TraceOfATiedModelPredictsEveryPositionAndListsItsStagesByKind) {
  auto m = std::make_shared<Model>(tiny_tied_model());
  Settings s;
  s.d_model = 2, s.heads = 1, s.layers = 0, s.d_ff = 4, s.pe = PEKind::Learned, s.norm = NormPlacement::Pre;
  s.mask = MaskKind::Causal;
  Trace t;
  ASSERT_EQ(build_trace(s, "c a b", &t, m), "");
  EXPECT_EQ(t.token_ids, (std::vector<int>{2, 0, 1}));
  ASSERT_EQ(t.next.size(), 3u);
  // p(next) at position 0 is the softmax of row 0 at the id of token 1 ("a" = 0); none after the last token.
  EXPECT_NEAR(t.next_actual[0], softmax_prob(t.logits, 0, 0), 1e-7);
  EXPECT_NEAR(t.next_actual[1], softmax_prob(t.logits, 1, 1), 1e-7);
  EXPECT_EQ(t.next_actual[2], -1.0f);
  const std::vector<Stage> st = list_stages(t);
  ASSERT_GE(st.size(), 2u);
  EXPECT_EQ(st[st.size() - 2].kind, StageKind::FinalNorm);
  EXPECT_EQ(st.back().kind, StageKind::Logits);
  EXPECT_EQ(st.back().tensor, &t.logits);
  // Its settings never ask for more tokens than its 4 positions.
  s.max_tokens = 64;
  EXPECT_EQ(checkpoint_settings(*m, s).max_tokens, 4);
}
