// The language-model trainer (core/lm_train.h): schedule, AdamW, evaluation and baselines against values worked
// out by hand, and the trainer's determinism and resumption. Its gradients are checked against finite differences
// in core_backward_test.cpp (Backward.LanguageModelEveryParameter).
#include <gtest/gtest.h>

#include <cmath>
#include <memory>

#include "adam.h"
#include "lm_train.h"

using namespace attn;

namespace {

LmConfig tiny() {
  LmConfig c;
  c.d_model = 16, c.heads = 2, c.layers = 2, c.d_ff = 32, c.context = 8, c.vocab = 12;
  c.batch = 8, c.steps = 80, c.warmup = 10, c.lr = 1e-2f, c.min_lr = 1e-3f, c.seed = 3;
  return c;
}

// A stream with structure: the cycle 0 1 2 … 9 repeated (10 and 11 never occur).
std::shared_ptr<const std::vector<int>> cycle_stream(int n) {
  auto s = std::make_shared<std::vector<int>>();
  for (int i = 0; i < n; ++i) s->push_back(i % 10);
  return s;
}

bool same_parameters(const Model& a, const Model& b) {
  const std::vector<Param> pa = parameters(const_cast<Model&>(a)), pb = parameters(const_cast<Model&>(b));
  if (pa.size() != pb.size()) return false;
  for (size_t k = 0; k < pa.size(); ++k)
    for (size_t i = 0; i < pa[k].size(); ++i)
      if (pa[k][i] != pb[k][i]) return false;
  return true;
}

}  // namespace

TEST(LmSchedule, WarmupThenCosineToTheFloor) {
  LmConfig c;
  c.lr = 1e-3f, c.min_lr = 1e-4f, c.warmup = 10, c.steps = 110;
  EXPECT_FLOAT_EQ(lm_learning_rate(c, 1), 1e-4f);                      // t / warmup · lr
  EXPECT_FLOAT_EQ(lm_learning_rate(c, 5), 5e-4f);
  EXPECT_FLOAT_EQ(lm_learning_rate(c, 10), 1e-3f);                     // the peak
  EXPECT_NEAR(lm_learning_rate(c, 60), 5.5e-4f, 1e-9);                 // half-way down: (lr + min) / 2
  EXPECT_NEAR(lm_learning_rate(c, 35), 1e-4f + 9e-4f * (1 + std::cos(M_PI / 4)) / 2, 1e-9);
  EXPECT_FLOAT_EQ(lm_learning_rate(c, 110), 1e-4f);                    // the floor, and it stays there
  EXPECT_FLOAT_EQ(lm_learning_rate(c, 500), 1e-4f);
}

TEST(LmConfigCheck, RefusesImpossibleSettings) {
  LmConfig c;
  EXPECT_EQ(validate(c), "");
  c.heads = 5;  // 192 is not a multiple of 5
  EXPECT_NE(validate(c).find("divide"), std::string::npos);
  c = {};
  c.wpe_sinusoid = -1;
  EXPECT_NE(validate(c), "");
  c = {};
  c.warmup = c.steps + 1;
  EXPECT_NE(validate(c), "");
  c = {};
  c.min_lr = c.lr * 2;
  EXPECT_NE(validate(c), "");
  c = {};
  c.weight_decay = std::nanf("");
  EXPECT_NE(validate(c), "");
  c = {};
  c.context = 1;
  EXPECT_NE(validate(c), "");
}

// One AdamW step from zero moments: m̂ = g, v̂ = g², so θ ← θ − lr·(g/(|g| + ε) + λ·θ) on a matrix and
// θ ← θ − lr·g/(|g| + ε) on a bias or LayerNorm vector (no decay).
TEST(AdamW, DecaysMatricesButNotVectors) {
  LmConfig c = tiny();
  Model w = init_lm(c), g = zeros_like(w), m = zeros_like(w), v = zeros_like(w);
  w.encoder[0].attn.W_q(0, 0) = 1.0f;
  g.encoder[0].attn.W_q(0, 0) = 0.5f;
  w.encoder[0].attn.b_q[0] = 1.0f;
  g.encoder[0].attn.b_q[0] = 0.5f;
  w.encoder[0].ln1.gamma[0] = 1.0f;
  g.encoder[0].ln1.gamma[0] = -2.0f;
  AdamOptions o;
  o.eps = 1e-8f, o.weight_decay = 0.1f;
  adam_step(w, g, m, v, 1, 0.1f, o);
  EXPECT_NEAR(w.encoder[0].attn.W_q(0, 0), 1.0f - 0.1f * (1.0f + 0.1f), 1e-6f);
  EXPECT_NEAR(w.encoder[0].attn.b_q[0], 0.9f, 1e-6f);
  EXPECT_NEAR(w.encoder[0].ln1.gamma[0], 1.1f, 1e-6f);
  // A matrix entry with no gradient still shrinks by lr·λ·θ.
  const float before = init_lm(c).encoder[0].attn.W_q(0, 1);
  EXPECT_NEAR(w.encoder[0].attn.W_q(0, 1), before * (1.0f - 0.1f * 0.1f), 1e-9f);
}

// With every weight 0 (γ = 1) the logits are all 0, so each prediction is uniform: loss = ln V exactly.
TEST(LmEvaluate, UniformModelScoresLnV) {
  LmConfig c = tiny();
  Model m = init_lm(c);
  for (Param& p : parameters(m))
    for (size_t i = 0; i < p.size(); ++i) p[i] = p.name.find("gamma") != std::string::npos ? 1.0f : 0.0f;
  const auto s = cycle_stream(8 * 5 + 3);  // 43 tokens: (43 − 1) / 8 = 5 full windows
  const LmEval e = lm_evaluate(m, *s, c.context, 0);
  EXPECT_EQ(e.tokens, 5 * 8);
  EXPECT_NEAR(e.loss, std::log(12.0), 1e-5);
  EXPECT_NEAR(e.perplexity(), 12.0, 1e-3);
  EXPECT_EQ(lm_evaluate(m, *s, c.context, 2).tokens, 2 * 8);
}

// train 0 1 0 1 0 2 (V = 3). Add-one unigram: counts (3, 2, 1) + 1 → (4, 3, 2)/9. Held-out 0 1 0 2 2, context 4:
// one window, targets 1 0 2 2.
TEST(LmBaselines, UnigramAndBigramByHand) {
  const std::vector<int> train = {0, 1, 0, 1, 0, 2}, held = {0, 1, 0, 2, 2};
  const LmEval u = unigram_evaluate(train, 3, held, 4, 0);
  EXPECT_EQ(u.tokens, 4);
  EXPECT_NEAR(u.loss, -(std::log(3.0 / 9) + std::log(4.0 / 9) + 2 * std::log(2.0 / 9)) / 4, 1e-12);
  // Bigram: 0→1 twice, 1→0 twice, 0→2 once; 2 precedes nothing. With P = λ·ML + (1−λ)·unigram:
  //   P(1|0) = (1+λ)/3,  P(0|1) = (4+5λ)/9,  P(2|0) = (2+λ)/9,  P(2|2) = 2(1−λ)/9.
  // The loss is least where 1/(1+λ) + 5/(4+5λ) + 1/(2+λ) = 1/(1−λ), λ ≈ 0.467; of the grid's 0.45 and 0.50,
  // Σ log is 2.5025 at 0.45 and 2.5005 at 0.50, so 0.45 wins.
  double lambda = 0;
  const LmEval b = bigram_evaluate(train, 3, held, 4, 0, &lambda);
  EXPECT_NEAR(lambda, 0.45, 1e-12);
  const double l = 0.45;
  EXPECT_NEAR(b.loss,
              -(std::log((1 + l) / 3) + std::log((4 + 5 * l) / 9) + std::log((2 + l) / 9) +
                std::log(2 * (1 - l) / 9)) / 4,
              1e-12);
  EXPECT_LT(b.loss, u.loss);
}

TEST(LmTrainer, LearnsACycleAndIsDeterministic) {
  const LmConfig c = tiny();
  const auto data = cycle_stream(2000);
  LmTrainer a(c, data, init_lm(c)), b(c, data, init_lm(c));
  double first = 0, last = 0;
  for (int i = 0; i < c.steps; ++i) {
    const double l = a.step();
    if (i == 0) first = l;
    last = l;
    b.step();
  }
  EXPECT_NEAR(first, std::log(12.0), 0.1);  // σ = 0.02 weights predict nearly uniformly
  EXPECT_LT(last, 0.2);                     // the next token of a cycle is certain after one token of context
  EXPECT_TRUE(same_parameters(a.model(), b.model()));
  const auto held = cycle_stream(400);
  EXPECT_LT(lm_evaluate(a.model(), *held, c.context, 0).loss, 0.2);
}

TEST(LmTrainer, ResumedRunEqualsAnUnbrokenOne) {
  LmConfig c = tiny();
  c.steps = 6;
  const auto data = cycle_stream(500);
  LmTrainer whole(c, data, init_lm(c));
  for (int i = 0; i < 6; ++i) whole.step();
  LmTrainer first(c, data, init_lm(c));
  for (int i = 0; i < 3; ++i) first.step();
  LmTrainer resumed(c, data, init_lm(c));
  resumed.restore(first.state());
  EXPECT_EQ(resumed.steps_done(), 3);
  for (int i = 0; i < 3; ++i) resumed.step();
  EXPECT_TRUE(same_parameters(whole.model(), resumed.model()));
  EXPECT_FALSE(same_parameters(whole.model(), first.model()));
}
