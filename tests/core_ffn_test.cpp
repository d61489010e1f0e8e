// The position-wise FFN as the Feed-forward tab shows it: the trace's pre-activations and hidden activations against
// a double-precision recomputation, per-token statistics by hand, and one layer's parameter and multiply-add shares.
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <string>

#include "complexity.h"
#include "ffn.h"
#include "model.h"
#include "settings.h"
#include "trace.h"

using namespace attn;

namespace {

double relu(double a) { return a > 0 ? a : 0; }
double gelu(double a) { return 0.5 * a * (1 + std::tanh(std::sqrt(2 / M_PI) * (a + 0.044715 * a * a * a))); }

// Every layer's ffn_pre and ffn_hidden against x·W_1 + b_1 and the activation, summed in double by hand.
void expect_trace_matches_by_hand(Activation act) {
  Settings s;
  s.d_model = 8, s.heads = 2, s.layers = 2, s.d_ff = 24, s.seed = 7;
  auto m = std::make_shared<Model>(make_model(s));
  for (EncoderLayerWeights& w : m->encoder) w.ffn.activation = act;
  Trace t;
  ASSERT_EQ(build_trace(s, "the cat sat on the mat", &t, m), "");
  int zeros = 0, negatives = 0;
  for (size_t l = 0; l < t.layers.size(); ++l) {
    const EncoderLayerTrace& L = t.layers[l];
    const FFNWeights& w = m->encoder[l].ffn;
    ASSERT_EQ(L.ffn_pre.rows(), t.n());
    ASSERT_EQ(L.ffn_pre.cols(), s.d_ff);
    ASSERT_EQ(L.ffn_hidden.cols(), s.d_ff);
    for (int i = 0; i < t.n(); ++i)
      for (int j = 0; j < s.d_ff; ++j) {
        double a = w.b_1[j];
        for (int k = 0; k < s.d_model; ++k) a += double(L.ffn_in(i, k)) * double(w.W_1(k, j));
        EXPECT_NEAR(L.ffn_pre(i, j), a, 1e-5) << "layer " << l << " token " << i << " unit " << j;
        const double h = act == Activation::ReLU ? relu(a) : gelu(a);
        EXPECT_NEAR(L.ffn_hidden(i, j), h, 1e-5) << "layer " << l << " token " << i << " unit " << j;
        if (act == Activation::ReLU && a < 0) {
          EXPECT_EQ(L.ffn_hidden(i, j), 0.0f);  // exactly 0, not just small
        }
        zeros += L.ffn_hidden(i, j) == 0.0f;
        negatives += a < 0;
      }
  }
  // Random weights: about half the units are negative before the activation; ReLU zeroes exactly those.
  EXPECT_GT(negatives, 0);
  if (act == Activation::ReLU) {
    EXPECT_EQ(zeros, negatives);
  } else {
    EXPECT_EQ(zeros, 0);  // GELU(a) = 0 only at a = 0 (or, in float, below about −5: not reached here)
  }
}

}  // namespace

TEST(FfnTrace, ReluHiddenEqualsARecomputationByHand) { expect_trace_matches_by_hand(Activation::ReLU); }
TEST(FfnTrace, GeluHiddenEqualsARecomputationByHand) { expect_trace_matches_by_hand(Activation::GeluTanh); }

TEST(FfnTokenStats, ZeroFractionNormsAndCosineByHand) {
  // d_model = d_ff = 2, W_1 = I, b_1 = 0, W_2 = [[0, 1], [0, 0]], b_2 = 0: h = ReLU(x), FFN(x) = (0, h₀).
  FFNWeights w;
  w.W_1 = Mat::Identity(2, 2);
  w.b_1 = RowVec::Zero(2);
  w.W_2 = (Mat(2, 2) << 0, 1, 0, 0).finished();
  w.b_2 = RowVec::Zero(2);
  const Mat x = (Mat(4, 2) << 1, 0, -1, 2, -1, -1, 3, 4).finished();
  Mat hidden, out;
  feed_forward(x, w, &hidden, &out);
  const FfnTokenStats st = ffn_token_stats(x, x, hidden, out, w);
  // h = (1,0), (0,2), (0,0), (3,4): zeros 1/2, 1/2, 1, 0.
  EXPECT_EQ(st.zero_fraction, (std::vector<double>{0.5, 0.5, 1.0, 0.0}));
  EXPECT_NEAR(st.norm_x[3], 5.0, 1e-6);
  EXPECT_NEAR(st.norm_ffn[0], 1.0, 1e-6);  // FFN(1, 0) = (0, 1)
  EXPECT_NEAR(st.norm_ffn[1], 0.0, 1e-6);  // FFN(−1, 2) = (0, 0)
  EXPECT_NEAR(st.norm_ffn[3], 3.0, 1e-6);  // FFN(3, 4) = (0, 3)
  EXPECT_NEAR(st.cos_residual[0], 1 / std::sqrt(2.0), 1e-6);  // cos((1,0), (1,1))
  EXPECT_NEAR(st.cos_residual[1], 1.0, 1e-6);                 // unchanged
  EXPECT_NEAR(st.cos_residual[3], 37 / (5 * std::sqrt(58.0)), 1e-6);  // cos((3,4), (3,7))
  EXPECT_LE(st.max_row_alone_diff, 1e-6);  // each row alone gives its row of the whole
  EXPECT_NEAR(st.max_abs_out, 3.0, 1e-6);
}

TEST(FfnTokenStats, ARowComputedAloneEqualsItsRowOfTheWhole) {
  // The position-wise claim on a real layer: W_1, W_2 applied to one row at a time give FFN(X)'s rows.
  Settings s;
  s.d_model = 16, s.heads = 2, s.layers = 1, s.d_ff = 64;
  Trace t;
  ASSERT_EQ(build_trace(s, "one two three four five", &t), "");
  const EncoderLayerTrace& L = t.layers[0];
  const FfnTokenStats st = ffn_token_stats(L.norm1, L.ffn_in, L.ffn_hidden, L.ffn_out, t.model->encoder[0].ffn);
  ASSERT_EQ(st.zero_fraction.size(), size_t(t.n()));
  EXPECT_GT(st.max_abs_out, 0.1);
  EXPECT_LE(st.max_row_alone_diff, 1e-5 * st.max_abs_out);
  // Swap in a row of another token: the statistic must see the difference (the check can fail).
  Mat wrong = L.ffn_out;
  wrong.row(0) = L.ffn_out.row(1);
  EXPECT_GT(ffn_token_stats(L.norm1, L.ffn_in, L.ffn_hidden, wrong, t.model->encoder[0].ffn).max_row_alone_diff, 1e-3);
}

TEST(LayerShare, SmallCaseByHand) {
  // n = 3, d = 4, f = 8.
  const LayerShare s = layer_share(3, 4, 8);
  EXPECT_EQ(s.ffn_params, 2u * 4 * 8 + 8 + 4);    // 76
  EXPECT_EQ(s.attention_params, 4u * 16 + 4 * 4);  // 80
  EXPECT_EQ(s.norm_params, 16u);
  EXPECT_EQ(s.layer_params(), 172u);
  EXPECT_EQ(s.ffn_macs, 2u * 3 * 4 * 8);            // 192
  EXPECT_EQ(s.attention.projections, 4u * 3 * 16);  // 192
  EXPECT_EQ(s.attention.scores + s.attention.weighted_sum, 2u * 9 * 4);  // 72
  EXPECT_EQ(s.layer_macs(), 192u + 192 + 72);
  // The paper's base model: d = 512, d_ff = 2048, n = 512. The FFN holds 2/3 of a layer's weights.
  const LayerShare b = layer_share(512, 512, 2048);
  EXPECT_EQ(b.ffn_params, 2099712u);
  EXPECT_EQ(b.attention_params, 1050624u);
  EXPECT_EQ(b.ffn_macs, 1073741824u);  // 2·512·512·2048 = 2³⁰
}

TEST(LayerShare, AgreesWithTheTensorsOfARealLayer) {
  Model m = make_model(12, 20, 1, 3, false);
  uint64_t ffn = 0, attn = 0, norms = 0;
  for (const Param& p : parameters(m)) {
    if (p.name.rfind("enc0.", 0) != 0) continue;
    const std::string n = p.name.substr(5);
    if (n == "W_1" || n == "b_1" || n == "W_2" || n == "b_2") ffn += p.size();
    else if (n.rfind("ln", 0) == 0) norms += p.size();
    else attn += p.size();
  }
  const LayerShare s = layer_share(5, 12, 20);
  EXPECT_EQ(ffn, s.ffn_params);
  EXPECT_EQ(attn, s.attention_params);
  EXPECT_EQ(norms, s.norm_params);
  EXPECT_DOUBLE_EQ(layer_weight_floats(12, 20, false), double(s.layer_params()));
}
