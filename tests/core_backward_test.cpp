// The backward pass against central finite differences, layer by layer and for the whole model.
// Each check perturbs an input or weight entry by ±ε, recomputes the forward pass (the same code the explorer
// runs) and compares (L(θ+ε) − L(θ−ε)) / 2ε with the analytic gradient. L = Σ R ⊙ output for a fixed random R,
// so ∂L/∂output = R. Float forward passes: ε = 10⁻³ and a tolerance of 3·10⁻³ + 2% of the value.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <string>

#include "adam.h"
#include "backward.h"
#include "ffn.h"
#include "layernorm.h"
#include "layers.h"
#include "lm_train.h"
#include "mask.h"
#include "model.h"
#include "multihead.h"
#include "rng.h"
#include "train.h"

using namespace attn;

namespace {

Mat random(int r, int c, uint64_t seed, float scale = 1.0f) {
  Rng rng(seed);
  Mat m(r, c);
  for (int i = 0; i < m.size(); ++i) m.data()[i] = scale * rng.normal();
  return m;
}

double dot(const Mat& a, const Mat& b) {
  double s = 0;
  for (int i = 0; i < a.size(); ++i) s += double(a.data()[i]) * b.data()[i];
  return s;
}

constexpr float kEps = 1e-3f;  // small enough that ±ε rarely crosses a ReLU kink

// Compares g[i] with the central difference of loss() at up to `samples` entries of x (all when fewer).
void expect_grad(const std::string& what, float* x, const float* g, size_t n, const std::function<double()>& loss,
                 int samples = 10) {
  Rng pick(fnv1a64(what));
  const size_t count = std::min(n, size_t(samples));
  for (size_t s = 0; s < count; ++s) {
    const size_t i = n <= size_t(samples) ? s : size_t(pick.next_u64() % n);
    const float old = x[i];
    x[i] = old + kEps;
    const double lp = loss();
    x[i] = old - kEps;
    const double lm = loss();
    x[i] = old;
    const double num = (lp - lm) / (2.0 * double(kEps));
    EXPECT_NEAR(g[i], num, 3e-3 + 0.02 * std::abs(num)) << what << " entry " << i;
  }
}

void expect_grad(const std::string& what, Eigen::Ref<Mat> x, const MatRef& g, const std::function<double()>& loss) {
  ASSERT_EQ(x.rows(), g.rows());
  ASSERT_EQ(x.cols(), g.cols());
  expect_grad(what, x.data(), g.data(), size_t(x.size()), loss);
}

// Every parameter of `w` against the gradient `g` (same shapes).
void expect_model_grad(const std::string& what, Model& w, Model& g, const std::function<double()>& loss) {
  std::vector<Param> pw = parameters(w), pg = parameters(g);
  ASSERT_EQ(pw.size(), pg.size());
  for (size_t k = 0; k < pw.size(); ++k) expect_grad(what + " " + pw[k].name, pw[k].data, pg[k].data, pw[k].size(), loss, 6);
}

Model small_model(bool decoder, uint64_t seed) {
  Model m = make_model(8, 12, 1, seed, decoder);
  // Non-trivial LayerNorm weights, so γ and β are really exercised.
  for (Param& p : parameters(m))
    if (p.name.find("gamma") != std::string::npos || p.name.find("beta") != std::string::npos)
      for (size_t i = 0; i < p.size(); ++i) p.data[i] += 0.3f * float(int(i % 5) - 2) / 2.0f;
  return m;
}

}  // namespace

TEST(Backward, LayerNormInputGammaBeta) {
  Mat x = random(3, 6, 1);
  NormWeights w{random(1, 6, 2) , random(1, 6, 3)};
  const Mat R = random(3, 6, 4);
  auto loss = [&] { return dot(layer_norm(x, w.gamma, w.beta, kLayerNormEps), R); };
  NormWeights g{RowVec::Zero(6), RowVec::Zero(6)};
  const Mat dx = layer_norm_backward(x, R, w, &g);
  expect_grad("LN x", x, dx, loss);
  expect_grad("LN gamma", w.gamma.data(), g.gamma.data(), 6, loss);
  expect_grad("LN beta", w.beta.data(), g.beta.data(), 6, loss);
  // A property independent of finite differences: LN is invariant to shifting a row, so each row of ∂x sums to 0.
  for (int i = 0; i < 3; ++i) EXPECT_NEAR(dx.row(i).sum(), 0.0f, 1e-5f);
}

void check_feed_forward(Activation act) {
  Mat x = random(4, 5, 5);
  FFNWeights w{random(5, 7, 6, 0.5f), random(1, 7, 7, 0.5f), random(7, 5, 8, 0.5f), random(1, 5, 9, 0.5f)};
  w.activation = act;
  const Mat R = random(4, 5, 10);
  auto loss = [&] {
    Mat h, out;
    feed_forward(x, w, &h, &out);
    return dot(out, R);
  };
  Mat h, out;
  feed_forward(x, w, &h, &out);
  FFNWeights g{Mat::Zero(5, 7), RowVec::Zero(7), Mat::Zero(7, 5), RowVec::Zero(5)};
  g.activation = act;
  const Mat dx = feed_forward_backward(x, h, R, w, &g);
  expect_grad("FFN x", x, dx, loss);
  expect_grad("FFN W_1", w.W_1, g.W_1, loss);
  expect_grad("FFN b_1", w.b_1.data(), g.b_1.data(), 7, loss);
  expect_grad("FFN W_2", w.W_2, g.W_2, loss);
  expect_grad("FFN b_2", w.b_2.data(), g.b_2.data(), 5, loss);
}

TEST(Backward, FeedForward) { check_feed_forward(Activation::ReLU); }
// GELU (GPT-2's tanh approximation): ∂a = ∂h ⊙ GELU′(a), with a recomputed from x.
TEST(Backward, FeedForwardGelu) { check_feed_forward(Activation::GeluTanh); }

TEST(Backward, OneHeadWithScaleTemperatureAndMask) {
  for (const bool scale : {true, false}) {
    for (const bool masked : {false, true}) {
      Mat Q = random(4, 3, 11), K = random(5, 3, 12), V = random(5, 3, 13);
      BoolMat mask(4, 5);
      mask(0, 1) = mask(0, 2) = mask(2, 4) = 1;
      AttentionOptions opt;
      opt.scale = scale;
      opt.temperature = 0.7f;
      const Mat R = random(4, 3, 14);
      auto loss = [&] {
        HeadTrace t;
        scaled_dot_product_attention(Q, K, V, masked ? &mask : nullptr, opt, &t);
        return dot(t.output, R);
      };
      HeadTrace t;
      scaled_dot_product_attention(Q, K, V, masked ? &mask : nullptr, opt, &t);
      Mat dQ(4, 3), dK(5, 3), dV(5, 3);
      attention_backward(t, R, &dQ, &dK, &dV);
      const std::string w = std::string("head scale=") + (scale ? "1" : "0") + " mask=" + (masked ? "1" : "0");
      expect_grad(w + " Q", Q, dQ, loss);
      expect_grad(w + " K", K, dK, loss);
      expect_grad(w + " V", V, dV, loss);
    }
  }
}

TEST(Backward, FullyMaskedRowHasZeroGradient) {
  Mat Q = random(2, 2, 15), K = random(3, 2, 16), V = random(3, 2, 17);
  BoolMat mask(2, 3);
  mask(1, 0) = mask(1, 1) = mask(1, 2) = 1;  // row 1 sees nothing: output 0 whatever Q, K, V are
  HeadTrace t;
  scaled_dot_product_attention(Q, K, V, &mask, AttentionOptions{}, &t);
  Mat dQ(2, 2), dK(3, 2), dV(3, 2);
  attention_backward(t, Mat::Ones(2, 2), &dQ, &dK, &dV);
  EXPECT_EQ(dQ.row(1).norm(), 0.0f);
  EXPECT_TRUE(dQ.allFinite() && dK.allFinite() && dV.allFinite());
}

TEST(Backward, MultiHeadCrossAttention) {
  const int d = 8, heads = 2;
  Model m = small_model(true, 21);
  AttentionWeights& w = m.decoder[0].cross;
  Mat Xq = random(3, d, 22), Xkv = random(4, d, 23);
  BoolMat mask(3, 4);
  mask(0, 3) = 1;
  const Mat R = random(3, d, 24);
  AttentionOptions opt;
  opt.temperature = 1.3f;
  auto loss = [&] {
    MultiHeadTrace t;
    multi_head_attention(Xq, Xkv, w, heads, &mask, opt, nullptr, &t);
    return dot(t.output, R);
  };
  MultiHeadTrace t;
  multi_head_attention(Xq, Xkv, w, heads, &mask, opt, nullptr, &t);
  Model g = zeros_like(m);
  Mat dXq = Mat::Zero(3, d), dXkv = Mat::Zero(4, d);
  multi_head_attention_backward(Xq, Xkv, t, w, nullptr, R, &g.decoder[0].cross, &dXq, &dXkv);
  expect_grad("MHA X_q", Xq, dXq, loss);
  expect_grad("MHA X_kv", Xkv, dXkv, loss);
  for (auto [name, a, b] : {std::tuple{"W_q", &w.W_q, &g.decoder[0].cross.W_q}, {"W_k", &w.W_k, &g.decoder[0].cross.W_k},
                            {"W_v", &w.W_v, &g.decoder[0].cross.W_v}, {"W_o", &w.W_o, &g.decoder[0].cross.W_o}})
    expect_grad(std::string("MHA ") + name, *a, *b, loss);
  expect_grad("MHA b_q", w.b_q.data(), g.decoder[0].cross.b_q.data(), size_t(d), loss);
  expect_grad("MHA b_o", w.b_o.data(), g.decoder[0].cross.b_o.data(), size_t(d), loss);
}

TEST(Backward, EncoderLayerPostAndPreNormCausal) {
  for (const NormPlacement norm : {NormPlacement::Post, NormPlacement::Pre}) {
    Settings s;
    s.d_model = 8;
    s.heads = 2;
    s.d_ff = 12;
    s.norm = norm;
    Model m = small_model(false, 31);
    Mat x = random(4, 8, 32);
    const BoolMat mask = causal_mask(4);
    const Mat R = random(4, 8, 33);
    auto loss = [&] {
      EncoderLayerTrace t;
      encoder_layer(x, m.encoder[0], s, &mask, nullptr, &t);
      return dot(t.output, R);
    };
    EncoderLayerTrace t;
    encoder_layer(x, m.encoder[0], s, &mask, nullptr, &t);
    Model g = zeros_like(m);
    const Mat dx = encoder_layer_backward(t, m.encoder[0], s, nullptr, R, &g.encoder[0]);
    const std::string what = norm == NormPlacement::Post ? "encoder post" : "encoder pre";
    expect_grad(what + " x", x, dx, loss);
    expect_model_grad(what, m, g, loss);
  }
}

TEST(Backward, DecoderLayerPostAndPreNormWithMemory) {
  for (const NormPlacement norm : {NormPlacement::Post, NormPlacement::Pre}) {
    Settings s;
    s.d_model = 8;
    s.heads = 2;
    s.d_ff = 12;
    s.norm = norm;
    Model m = small_model(true, 41);
    m.encoder.clear();  // only the decoder's weights are checked here
    Mat y = random(3, 8, 42), memory = random(5, 8, 43);
    const BoolMat self_mask = causal_mask(3);
    const Mat R = random(3, 8, 44);
    auto loss = [&] {
      DecoderLayerTrace t;
      decoder_layer(y, memory, m.decoder[0], s, self_mask, nullptr, &t);
      return dot(t.output, R);
    };
    DecoderLayerTrace t;
    decoder_layer(y, memory, m.decoder[0], s, self_mask, nullptr, &t);
    Model g = zeros_like(m);
    Mat d_memory = Mat::Zero(5, 8);
    const Mat dy = decoder_layer_backward(t, memory, m.decoder[0], s, R, &g.decoder[0], &d_memory);
    const std::string what = norm == NormPlacement::Post ? "decoder post" : "decoder pre";
    expect_grad(what + " y", y, dy, loss);
    expect_grad(what + " memory", memory, d_memory, loss);
    expect_model_grad(what, m, g, loss);
  }
}

TEST(Backward, CrossEntropyByHand) {
  // logits (0, ln 3): softmax = (1/4, 3/4); target 1 → loss −ln(3/4); ∂ = (1/4, −1/4). Row 1 is not scored.
  Mat logits(2, 2);
  logits << 0.0f, std::log(3.0f), 5.0f, -5.0f;
  Mat d;
  const double loss = cross_entropy(logits, {1, 0}, {1, 0}, &d);
  EXPECT_NEAR(loss, -std::log(0.75), 1e-6);
  EXPECT_NEAR(d(0, 0), 0.25f, 1e-6f);
  EXPECT_NEAR(d(0, 1), -0.25f, 1e-6f);
  EXPECT_EQ(d(1, 0), 0.0f);
  // Far from the target the loss stays finite (log-sum-exp), where −log(softmax) would be −log(0).
  Mat big(1, 2);
  big << 200.0f, -200.0f;
  EXPECT_NEAR(cross_entropy(big, {1}, {1}, &d), 400.0, 1e-3);
}

TEST(Backward, WholeModelEveryParameterBothTaskKindsAndNorms) {
  for (const TaskKind kind : {TaskKind::Reverse, TaskKind::CopyShift}) {
    for (const NormPlacement norm : {NormPlacement::Post, NormPlacement::Pre}) {
      TrainConfig c;
      c.task = {kind, 4, 5};
      c.d_model = 8;
      c.heads = 2;
      c.layers = 2;
      c.d_ff = 12;
      c.norm = norm;
      c.seed = 7;
      Model m = init_task_model(c);
      Rng rng(3);
      const Example ex = make_example(c.task, rng);
      Model g = zeros_like(m);
      const double l0 = example_loss(m, c, ex, &g, nullptr);
      EXPECT_TRUE(std::isfinite(l0));
      auto loss = [&] { return example_loss(m, c, ex, nullptr, nullptr); };
      expect_model_grad(std::string(to_string(kind)) + (norm == NormPlacement::Post ? " post" : " pre"), m, g, loss);
    }
  }
}

// The language model of issue 13 (GPT-2's shape): every parameter, the tied embedding (read by the lookup and by
// the logits), the learned positions, the final LayerNorm and GELU included. init_lm's weights (σ = 0.02) would
// give gradients too small to test, so every parameter is redrawn at σ = 0.4 (LayerNorm γ around 1).
TEST(Backward, LanguageModelEveryParameter) {
  LmConfig c;
  c.d_model = 8, c.heads = 2, c.layers = 2, c.d_ff = 12, c.context = 6, c.vocab = 11, c.seed = 5;
  Model m = init_lm(c);
  Rng rng(9);
  for (Param& p : parameters(m))
    for (size_t i = 0; i < p.size(); ++i)
      p[i] = p.name.find("gamma") != std::string::npos ? 1.0f + 0.3f * rng.normal() : 0.4f * rng.normal();
  const std::vector<int> ids = {3, 1, 4, 1, 5, 9, 2};  // 6 inputs, 6 targets; token 1 twice, 10 never
  Model g = zeros_like(m);
  const double l0 = lm_window_loss(m, ids.data(), 6, &g);
  EXPECT_TRUE(std::isfinite(l0));
  expect_model_grad("lm", m, g, [&] { return lm_window_loss(m, ids.data(), 6, nullptr); });
  // A token that is never an input still gets a gradient through the logits (the tied output), and a position
  // beyond the window gets none.
  EXPECT_GT(g.embedding.row(10).norm(), 0.0f);
  Model g5 = zeros_like(m);
  lm_window_loss(m, ids.data(), 5, &g5);
  EXPECT_EQ(g5.wpe.row(5).norm(), 0.0f);
  EXPECT_GT(g5.wpe.row(4).norm(), 0.0f);
}
