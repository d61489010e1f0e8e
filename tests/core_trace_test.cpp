// The whole forward pass: an independent double-precision re-implementation, determinism, the permutation
// property with PE off, settings errors, the decoder and greedy steps, the stage list.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "trace.h"

using namespace attn;
using D = Eigen::MatrixXd;

namespace {

D ln(const D& x, const RowVec& g, const RowVec& b, double eps) {
  D y(x.rows(), x.cols());
  for (int i = 0; i < x.rows(); ++i) {
    const double mu = x.row(i).mean();
    const double var = (x.row(i).array() - mu).square().mean();
    for (int j = 0; j < x.cols(); ++j) y(i, j) = g[j] * (x(i, j) - mu) / std::sqrt(var + eps) + b[j];
  }
  return y;
}

D linear(const D& x, const Mat& W, const RowVec& b) { return (x * W.cast<double>()).rowwise() + b.cast<double>(); }

// Reference multi-head attention, written from the paper, in double.
// Queries from x_q (n_q rows), keys and values from x_kv (n_k rows); mask is n_q × n_k.
D mha_qkv(const D& x_q, const D& x_kv, const AttentionWeights& w, int heads, const BoolMat& mask, bool scale,
          double tau, std::vector<D>* weights_out) {
  const int nq = int(x_q.rows()), nk = int(x_kv.rows()), d = int(x_q.cols()), dk = d / heads;
  const D Q = linear(x_q, w.W_q, w.b_q), K = linear(x_kv, w.W_k, w.b_k), V = linear(x_kv, w.W_v, w.b_v);
  D concat(nq, d);
  for (int h = 0; h < heads; ++h) {
    D S = Q.middleCols(h * dk, dk) * K.middleCols(h * dk, dk).transpose() / ((scale ? std::sqrt(double(dk)) : 1.0) * tau);
    D P = D::Zero(nq, nk);
    for (int i = 0; i < nq; ++i) {
      double m = -INFINITY, z = 0;
      for (int j = 0; j < nk; ++j)
        if (!mask(i, j)) m = std::max(m, S(i, j));
      if (m == -INFINITY) continue;
      for (int j = 0; j < nk; ++j)
        if (!mask(i, j)) z += std::exp(S(i, j) - m);
      for (int j = 0; j < nk; ++j)
        if (!mask(i, j)) P(i, j) = std::exp(S(i, j) - m) / z;
    }
    if (weights_out) weights_out->push_back(P);
    concat.middleCols(h * dk, dk) = P * V.middleCols(h * dk, dk);
  }
  return linear(concat, w.W_o, w.b_o);
}

D mha(const D& x, const AttentionWeights& w, int heads, const BoolMat& mask, bool scale, double tau,
      std::vector<D>* weights_out) {
  return mha_qkv(x, x, w, heads, mask, scale, tau, weights_out);
}

D ffn(const D& x, const FFNWeights& w) { return linear(linear(x, w.W_1, w.b_1).cwiseMax(0.0), w.W_2, w.b_2); }

Settings small() {
  Settings s;
  s.d_model = 16, s.heads = 4, s.layers = 2, s.d_ff = 32;
  return s;
}

}  // namespace

TEST(Trace, MatchesAnIndependentReferenceForPostAndPreNormAndMasks) {
  for (NormPlacement norm : {NormPlacement::Post, NormPlacement::Pre})
    for (MaskKind mk : {MaskKind::None, MaskKind::Causal}) {
      Settings s = small();
      s.norm = norm, s.mask = mk, s.temperature = 0.7f;
      Trace t;
      ASSERT_EQ(build_trace(s, "the cat sat on the mat", &t), "");
      D x = t.embeddings.cast<double>() + t.positional.cast<double>();
      EXPECT_LE((x - t.input.cast<double>()).cwiseAbs().maxCoeff(), 1e-6);
      for (int l = 0; l < s.layers; ++l) {
        const EncoderLayerWeights& W = t.model->encoder[size_t(l)];
        std::vector<D> P;
        D out;
        if (norm == NormPlacement::Post) {
          const D a = ln(x + mha(x, W.attn, s.heads, t.mask, true, 0.7, &P), W.ln1.gamma, W.ln1.beta, 1e-5);
          out = ln(a + ffn(a, W.ffn), W.ln2.gamma, W.ln2.beta, 1e-5);
        } else {
          const D a = x + mha(ln(x, W.ln1.gamma, W.ln1.beta, 1e-5), W.attn, s.heads, t.mask, true, 0.7, &P);
          out = a + ffn(ln(a, W.ln2.gamma, W.ln2.beta, 1e-5), W.ffn);
        }
        for (int h = 0; h < s.heads; ++h)
          EXPECT_LE((t.layers[size_t(l)].attn.heads[size_t(h)].weights.cast<double>() - P[size_t(h)]).cwiseAbs().maxCoeff(), 1e-5)
              << "layer " << l << " head " << h;
        EXPECT_LE((t.layers[size_t(l)].output.cast<double>() - out).cwiseAbs().maxCoeff(), 1e-4) << "layer " << l;
        x = t.layers[size_t(l)].output.cast<double>();  // compare layer by layer
      }
    }
}

TEST(Trace, SameSettingsGiveBitIdenticalTraces) {
  Settings s = small();
  Trace a, b;
  ASSERT_EQ(build_trace(s, "Attention is all you need", &a), "");
  ASSERT_EQ(build_trace(s, "Attention is all you need", &b), "");
  EXPECT_EQ(a.output, b.output);
  for (size_t l = 0; l < a.layers.size(); ++l)
    for (size_t h = 0; h < a.layers[l].attn.heads.size(); ++h) {
      EXPECT_EQ(a.layers[l].attn.heads[h].scores, b.layers[l].attn.heads[h].scores);
      EXPECT_EQ(a.layers[l].attn.heads[h].weights, b.layers[l].attn.heads[h].weights);
    }
  // A rebuild into the same trace (buffer reuse) gives the same numbers too.
  ASSERT_EQ(build_trace(s, "Attention is all you need", &a), "");
  EXPECT_EQ(a.output, b.output);
}

TEST(Trace, WithoutPositionalEncodingPermutingTokensPermutesTheAttention) {
  Settings s = small();
  s.pe = PEKind::None;
  Trace a, b;
  ASSERT_EQ(build_trace(s, "dogs chase cats", &a), "");
  ASSERT_EQ(build_trace(s, "cats chase dogs", &b), "");  // swap positions 0 and 2
  const int perm[3] = {2, 1, 0};
  for (size_t l = 0; l < a.layers.size(); ++l)
    for (size_t h = 0; h < a.layers[l].attn.heads.size(); ++h)
      for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j)
          EXPECT_NEAR(a.layers[l].attn.heads[h].weights(i, j), b.layers[l].attn.heads[h].weights(perm[i], perm[j]), 1e-5);
  // With sinusoidal PE the same swap changes the pattern.
  s.pe = PEKind::Sinusoidal;
  ASSERT_EQ(build_trace(s, "dogs chase cats", &a), "");
  ASSERT_EQ(build_trace(s, "cats chase dogs", &b), "");
  EXPECT_GT(std::fabs(a.layers[0].attn.heads[0].weights(0, 0) - b.layers[0].attn.heads[0].weights(2, 2)), 1e-4);
}

TEST(Trace, InvalidSettingsAreErrorsNotAborts) {
  auto err = [](auto edit) {
    Settings s = small();
    edit(s);
    Trace t;
    const std::string e = build_trace(s, "a b c", &t);
    EXPECT_TRUE(t.tokens.empty()) << "the trace must be untouched on error";
    return e;
  };
  EXPECT_NE(err([](Settings& s) { s.heads = 3; }).find("divide"), std::string::npos);
  EXPECT_NE(err([](Settings& s) { s.d_model = 0; }).find("d_model"), std::string::npos);
  EXPECT_NE(err([](Settings& s) { s.d_ff = -5; }).find("d_ff"), std::string::npos);
  EXPECT_NE(err([](Settings& s) { s.layers = -1; }).find("layers"), std::string::npos);
  EXPECT_NE(err([](Settings& s) { s.temperature = 0; }).find("temperature"), std::string::npos);
  EXPECT_NE(err([](Settings& s) { s.temperature = -2; }).find("temperature"), std::string::npos);
  EXPECT_NE(err([](Settings& s) { s.temperature = NAN; }).find("temperature"), std::string::npos);
  EXPECT_NE(err([](Settings& s) { s.max_tokens = 0; }).find("max_tokens"), std::string::npos);
  EXPECT_NE(err([](Settings& s) { s.d_model = 4096, s.heads = 1, s.layers = 48, s.d_ff = 16384, s.max_tokens = 4096; }).find("MB"),
            std::string::npos);
  Trace t;
  EXPECT_NE(build_trace(small(), "   ", &t).find("no tokens"), std::string::npos);
  EXPECT_EQ(validate(Settings{}), "");
}

TEST(Trace, ZeroLayersOutputIsTheInput) {
  Settings s = small();
  s.layers = 0;
  Trace t;
  ASSERT_EQ(build_trace(s, "one two", &t), "");
  EXPECT_EQ(t.output, t.input);
}

TEST(Trace, PaddingBlocksPadKeys) {
  Settings s = small();
  s.mask = MaskKind::Padding, s.pad_to = 5;
  Trace t;
  ASSERT_EQ(build_trace(s, "a b c", &t), "");
  ASSERT_EQ(t.n(), 5);
  EXPECT_EQ(t.tokens[4], "<pad>");
  for (const auto& h : t.layers[0].attn.heads)
    for (int i = 0; i < 5; ++i) {
      EXPECT_EQ(h.weights(i, 3), 0.0f);
      EXPECT_EQ(h.weights(i, 4), 0.0f);
      EXPECT_NEAR(h.weights.row(i).sum(), 1.0f, 1e-5);
    }
}

TEST(Trace, DecoderShapesCausalSelfAttentionAndGreedySteps) {
  Settings s = small();
  s.target = "le chat";
  s.decode_steps = 3;
  Trace t;
  ASSERT_EQ(build_trace(s, "the cat sat", &t), "");
  ASSERT_TRUE(t.decoder);
  const DecoderTrace& d = *t.decoder;
  EXPECT_EQ(d.tokens, (std::vector<std::string>{"<s>", "le", "chat"}));
  for (const auto& L : d.layers) {
    for (const auto& h : L.cross_attn.heads) {
      EXPECT_EQ(h.weights.rows(), 3);
      EXPECT_EQ(h.weights.cols(), 3);
    }
    for (const auto& h : L.self_attn.heads)
      for (int i = 0; i < 3; ++i)
        for (int j = i + 1; j < 3; ++j) EXPECT_EQ(h.weights(i, j), 0.0f);
  }
  EXPECT_EQ(t.vocab.back(), "</s>");
  ASSERT_GE(t.steps.size(), 1u);
  ASSERT_LE(t.steps.size(), 3u);
  for (size_t k = 0; k < t.steps.size(); ++k) {
    EXPECT_EQ(t.steps[k].trace.tokens.size(), 3 + k);  // one more token each step
    if (k + 1 < t.steps.size()) {
      EXPECT_EQ(t.steps[k + 1].trace.tokens.back(), t.steps[k].token);
    }
    // The chosen token is the argmax of the last position's logits.
    const Mat& lg = t.steps[k].trace.logits;
    Eigen::Index best;
    lg.row(lg.rows() - 1).maxCoeff(&best);
    EXPECT_EQ(t.steps[k].chosen, int(best));
  }
  if (t.steps.size() < 3) {
    EXPECT_EQ(t.steps.back().token, "</s>");
  }
}

TEST(Trace, StagesAreOrderedNamedAndPointIntoTheTrace) {
  Settings s = small();
  Trace t;
  ASSERT_EQ(build_trace(s, "a b", &t), "");
  const std::vector<Stage> st = list_stages(t);
  auto index = [&](const std::string& name) {
    for (size_t i = 0; i < st.size(); ++i)
      if (st[i].name == name) return int(i);
    return -1;
  };
  EXPECT_EQ(st[0].name, "tokenize");
  EXPECT_EQ(st[0].tensor, nullptr);
  EXPECT_LT(index("L0 H0 Q·Kᵀ"), index("L0 H0 scale"));
  EXPECT_LT(index("L0 H0 scale"), index("L0 H0 mask"));
  EXPECT_LT(index("L0 H0 mask"), index("L0 H0 softmax"));
  EXPECT_LT(index("L0 H0 softmax"), index("L0 concat"));
  EXPECT_LT(index("L0 W_O"), index("L1 Q projection"));
  EXPECT_EQ(st[size_t(index("L0 H1 softmax"))].tensor, &t.layers[0].attn.heads[1].weights);
  for (size_t i = 1; i < st.size(); ++i) EXPECT_NE(st[i].tensor, nullptr) << st[i].name;
}

// Cross-attention with different source and target lengths (n = 6 keys, m = 3 queries), so a transposed matrix
// cannot pass: every decoder layer's cross-attention against the double-precision reference, fed with the trace's
// own query-side input (cross_in) and the encoder output as memory. Post- and pre-norm.
TEST(Trace, CrossAttentionMatchesTheReferenceWithUnequalLengths) {
  for (NormPlacement norm : {NormPlacement::Post, NormPlacement::Pre}) {
    Settings s = small();
    s.norm = norm;
    s.target = "le chat";  // <s> le chat: m = 3
    Trace t;
    ASSERT_EQ(build_trace(s, "the cat sat on the mat", &t), "");
    ASSERT_EQ(t.n(), 6);
    ASSERT_TRUE(t.decoder);
    const DecoderTrace& dt = *t.decoder;
    ASSERT_EQ(dt.tokens.size(), 3u);
    ASSERT_EQ(dt.layers.size(), size_t(s.layers));
    BoolMat none(3, 6);  // nothing blocked: no <pad> in the source
    for (size_t l = 0; l < dt.layers.size(); ++l) {
      const DecoderLayerTrace& L = dt.layers[l];
      std::vector<D> ref_w;
      const D out = mha_qkv(L.cross_in.cast<double>(), t.output.cast<double>(), t.model->decoder[l].cross, s.heads,
                            none, s.scale, s.temperature, &ref_w);
      ASSERT_EQ(L.cross_attn.heads.size(), size_t(s.heads));
      for (int h = 0; h < s.heads; ++h) {
        const Mat& w = L.cross_attn.heads[size_t(h)].weights;
        ASSERT_EQ(w.rows(), 3) << "cross-attention rows are the decoder's queries";
        ASSERT_EQ(w.cols(), 6) << "cross-attention columns are the encoder's keys";
        EXPECT_LT((w.cast<double>() - ref_w[size_t(h)]).cwiseAbs().maxCoeff(), 1e-5) << "layer " << l << " head " << h;
      }
      EXPECT_LT((L.cross_attn.output.cast<double>() - out).cwiseAbs().maxCoeff(), 1e-4) << "layer " << l;
    }
  }
}
