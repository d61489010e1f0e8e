// Head scores (core/head_scores.h) on hand-made weight matrices whose scores have a closed form, the ranking, and the
// induction probe's text. The shipped models' heads are checked in app_head_scores_test.cpp (loading a weight file
// is app/'s).
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>

#include "bpe.h"
#include "head_scores.h"
#include "tokenizer.h"

using namespace attn;

namespace {

// A trace with `heads` heads in one layer over `tokens`, every weight 0, the mask `causal` or none; the last `pads`
// tokens are <pad> and blocked as keys (as the padding mask does).
Trace skeleton(const std::vector<std::string>& tokens, int heads, bool causal, int pads = 0) {
  Trace t;
  const int n = int(tokens.size());
  t.tokens = tokens;
  t.n_real = n - pads;
  t.is_pad.assign(size_t(n), 0);
  for (int i = t.n_real; i < n; ++i) t.is_pad[size_t(i)] = 1;
  t.mask = BoolMat(n, n);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) t.mask(i, j) = (causal && j > i) || j >= t.n_real;
  t.layers.resize(1);
  t.layers[0].attn.heads.resize(size_t(heads));
  for (HeadTrace& h : t.layers[0].attn.heads) h.weights = Mat::Zero(n, n);
  return t;
}

std::vector<std::string> words(int n) {
  std::vector<std::string> w;
  for (int i = 0; i < n; ++i) w.push_back("w" + std::to_string(i));
  return w;
}

}  // namespace

TEST(HeadScores, UniformCausalHeadHasTheClosedFormScores) {
  // w[i][j] = 1/(i+1) for j ≤ i. n = 4: prev = first = diag = (1/2 + 1/3 + 1/4)/3 = 13/36; H(i) = ln(i+1), so
  // entropy = (ln 1 + ln 2 + ln 3 + ln 4)/4 = ln(24)/4 and every row i ≥ 1 is uniform: entropy_norm = 1.
  Trace t = skeleton(words(4), 1, true);
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j <= i; ++j) t.layers[0].attn.heads[0].weights(i, j) = 1.0f / float(i + 1);
  const HeadScore s = score_heads(t, nullptr).at(0, 0);
  EXPECT_NEAR(s.prev, 13.0 / 36, 1e-6);
  EXPECT_NEAR(s.first, 13.0 / 36, 1e-6);
  EXPECT_NEAR(s.diag, 13.0 / 36, 1e-6);
  EXPECT_NEAR(s.entropy, std::log(24.0) / 4, 1e-6);
  EXPECT_NEAR(s.entropy_norm, 1.0, 1e-6);
  EXPECT_TRUE(std::isnan(s.induction));  // no probe
}

TEST(HeadScores, PerfectPreviousTokenHead) {
  // w[0][0] = 1 (the only key query 0 sees), w[i][i−1] = 1: prev = 1, diag = 0 (query 0 is left out), first = 1/(n−1)
  // (only query 1's previous token is position 0), entropy 0.
  const int n = 6;
  Trace t = skeleton(words(n), 2, true);
  Mat& w = t.layers[0].attn.heads[1].weights;
  w(0, 0) = 1;
  for (int i = 1; i < n; ++i) w(i, i - 1) = 1;
  const HeadScores all = score_heads(t, nullptr);
  ASSERT_EQ(all.all.size(), 2u);
  const HeadScore& s = all.at(0, 1);
  EXPECT_EQ(s.layer, 0);
  EXPECT_EQ(s.head, 1);
  EXPECT_DOUBLE_EQ(s.prev, 1.0);
  EXPECT_DOUBLE_EQ(s.diag, 0.0);
  EXPECT_NEAR(s.first, 1.0 / (n - 1), 1e-12);
  EXPECT_DOUBLE_EQ(s.entropy, 0.0);
  EXPECT_DOUBLE_EQ(s.entropy_norm, 0.0);
}

TEST(HeadScores, PaddingIsNotCounted) {
  // 3 real tokens and 2 <pad>, no causal mask. Real rows are uniform over the 3 real keys (1/3 each); pad rows hold
  // junk that must not count. prev = first = diag = 1/3, entropy = ln 3, entropy_norm = 1.
  Trace t = skeleton({"a", "b", "c", "<pad>", "<pad>"}, 1, false, 2);
  Mat& w = t.layers[0].attn.heads[0].weights;
  for (int i = 0; i < 5; ++i)
    for (int j = 0; j < 5; ++j) w(i, j) = i < 3 ? (j < 3 ? 1.0f / 3 : 0.0f) : 0.9f;
  const HeadScore s = score_heads(t, nullptr).at(0, 0);
  EXPECT_NEAR(s.prev, 1.0 / 3, 1e-6);
  EXPECT_NEAR(s.first, 1.0 / 3, 1e-6);
  EXPECT_NEAR(s.diag, 1.0 / 3, 1e-6);
  EXPECT_NEAR(s.entropy, std::log(3.0), 1e-6);
  EXPECT_NEAR(s.entropy_norm, 1.0, 1e-6);
}

TEST(HeadScores, OneTokenHasNoScoreRatherThanAZero) {
  Trace t = skeleton({"a"}, 1, true);
  t.layers[0].attn.heads[0].weights(0, 0) = 1;
  const HeadScore s = score_heads(t, nullptr).at(0, 0);
  EXPECT_TRUE(std::isnan(s.prev));
  EXPECT_TRUE(std::isnan(s.first));
  EXPECT_TRUE(std::isnan(s.diag));
  EXPECT_DOUBLE_EQ(s.entropy, 0.0);       // one row with one visible key: H = 0
  EXPECT_TRUE(std::isnan(s.entropy_norm));  // … but no row with a choice
}

TEST(HeadScores, InductionOnAProbe) {
  // Probe "a b c a b c" (L = 3). Head 0: perfect induction, query i ≥ 3 puts 1 on i − L + 1 (its token's first
  // occurrence + 1), the first copy on itself: ind = 1. Head 1 uniform causal: ind = (1/4 + 1/5 + 1/6)/3 = 37/180.
  Trace t = skeleton(words(6), 2, true);
  Trace p = skeleton({"a", "b", "c", "a", "b", "c"}, 2, true);
  Mat& ind = p.layers[0].attn.heads[0].weights;
  for (int i = 0; i < 3; ++i) ind(i, i) = 1;
  for (int i = 3; i < 6; ++i) ind(i, i - 3 + 1) = 1;
  Mat& uni = p.layers[0].attn.heads[1].weights;
  for (int i = 0; i < 6; ++i)
    for (int j = 0; j <= i; ++j) uni(i, j) = 1.0f / float(i + 1);
  const HeadScores s = score_heads(t, &p);
  EXPECT_TRUE(s.has_induction);
  EXPECT_DOUBLE_EQ(s.at(0, 0).induction, 1.0);
  EXPECT_NEAR(s.at(0, 1).induction, 37.0 / 180, 1e-6);
  // A head that looks one step further back (i − L) scores 0: the stripe is i − L + 1, not the earlier occurrence.
  ind.setZero();
  for (int i = 0; i < 3; ++i) ind(i, i) = 1;
  for (int i = 3; i < 6; ++i) ind(i, i - 3) = 1;
  EXPECT_DOUBLE_EQ(score_heads(t, &p).at(0, 0).induction, 0.0);
}

TEST(HeadScores, InductionTargetsAreTheTokenAfterTheFirstOccurrence) {
  // "x a y a a": positions 3 and 4 repeat "a" (first at 1), so both target position 2; nothing else counts.
  // Head weights: query 3 puts 0.25 on key 2, query 4 puts 0.75 on key 2: ind = (0.25 + 0.75)/2 = 0.5.
  Trace t = skeleton(words(5), 1, true);
  Trace p = skeleton({"x", "a", "y", "a", "a"}, 1, true);
  Mat& w = p.layers[0].attn.heads[0].weights;
  w(3, 2) = 0.25f, w(3, 3) = 0.75f, w(4, 2) = 0.75f, w(4, 4) = 0.25f;
  EXPECT_DOUBLE_EQ(score_heads(t, &p).at(0, 0).induction, 0.5);
  // A probe of another model (2 heads against 1) is not scored.
  Trace other = skeleton({"a", "b", "a", "b"}, 2, true);
  const HeadScores s = score_heads(t, &other);
  EXPECT_FALSE(s.has_induction);
  EXPECT_TRUE(std::isnan(s.at(0, 0).induction));
}

TEST(HeadScores, RankingIsHighestFirstEntropyLowestFirstNaNLast) {
  HeadScores s;
  s.layers = 1, s.heads = 4;
  s.all.resize(4);
  const double nan = std::nan("");
  const double prev[4] = {0.2, 0.9, nan, 0.9};
  const double ent[4] = {0.5, 0.1, 0.3, nan};
  for (int h = 0; h < 4; ++h) s.all[size_t(h)].head = h, s.all[size_t(h)].prev = prev[h], s.all[size_t(h)].entropy_norm = ent[h];
  EXPECT_EQ(rank_heads(s, HeadScoreKind::Previous), (std::vector<int>{1, 3, 0, 2}));  // tie 1, 3 in head order
  EXPECT_EQ(rank_heads(s, HeadScoreKind::Entropy), (std::vector<int>{1, 2, 0, 3}));
}

TEST(InductionProbe, RandomWeightsGetDistinctWordsRepeatedOnce) {
  Settings s;
  s.max_tokens = 8;  // shorter than the probe: raised so the whole probe runs
  s.mask = MaskKind::Padding, s.pad_to = 40;
  s.target = "le chat", s.decode_steps = 3;
  Model random;  // untrained: no vocabulary
  Probe p;
  ASSERT_EQ(probe_text(random, s, 12, 7, &p), "");
  const std::vector<std::string> tok = tokenize(p.text, 100).tokens;
  ASSERT_EQ(tok.size(), 24u);
  EXPECT_EQ(p.length, 12);
  EXPECT_EQ(std::set<std::string>(tok.begin(), tok.begin() + 12).size(), 12u);  // distinct within the first copy
  for (int i = 0; i < 12; ++i) EXPECT_EQ(tok[size_t(i)], tok[size_t(i + 12)]);
  EXPECT_EQ(p.settings.max_tokens, 24);
  EXPECT_EQ(p.settings.pad_to, 0);
  EXPECT_FALSE(p.settings.target.has_value());
  EXPECT_EQ(p.settings.decode_steps, 0);
  Probe same, other;
  ASSERT_EQ(probe_text(random, s, 12, 7, &same), "");
  ASSERT_EQ(probe_text(random, s, 12, 8, &other), "");
  EXPECT_EQ(same.text, p.text);  // seed fixed: the same probe every time
  EXPECT_NE(other.text, p.text);
}

TEST(InductionProbe, TrainedModelDrawsFromItsVocabularyWithoutSpecials) {
  Model m;
  m.vocab = {"0", "1", "2", "3", "4", "<s>"};
  m.classes = 5;
  Probe p;
  ASSERT_EQ(probe_text(m, Settings(), 16, 1, &p), "");
  EXPECT_EQ(p.length, 5);  // cut to the 5 words there are
  const std::vector<std::string> tok = tokenize(p.text, 100).tokens;
  ASSERT_EQ(tok.size(), 10u);
  for (const std::string& w : tok) EXPECT_NE(m.token_id(w), -1) << w;
  EXPECT_EQ(p.text.find("<s>"), std::string::npos);
  m.vocab = {"7", "<s>"};
  EXPECT_NE(probe_text(m, Settings(), 16, 1, &p), "");  // one word cannot make a probe
}

// GPT-2's tokenizer: the probe's words are whole-word tokens (" word"), so its text encodes to exactly 2L ids, the
// first L distinct and the second L the same again.
TEST(InductionProbe, Gpt2ProbeEncodesToARepeatedRunOfDistinctIds) {
  auto read = [](const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  auto bpe = std::make_shared<BpeTokenizer>();
  ASSERT_EQ(BpeTokenizer::from_files_text(read(ATTN_GPT2_BPE_DIR "/encoder.json"), read(ATTN_GPT2_BPE_DIR "/vocab.bpe"),
                                          bpe.get()),
            "");
  Model gpt2;
  gpt2.config.tokenizer = TokenizerKind::ByteBPE;
  gpt2.bpe = bpe;
  Probe p;
  ASSERT_EQ(probe_text(gpt2, Settings(), 16, 1, &p), "");
  ASSERT_EQ(p.length, 16);
  const std::vector<int> ids = bpe->encode(p.text);
  ASSERT_EQ(ids.size(), 32u);
  for (int i = 0; i < 16; ++i) {
    EXPECT_EQ(ids[size_t(i)], ids[size_t(i + 16)]);
    for (int j = 0; j < i; ++j) EXPECT_NE(ids[size_t(i)], ids[size_t(j)]);
    EXPECT_EQ(bpe->bytes(ids[size_t(i)])[0], ' ');
  }
}

TEST(InductionProbe, WeightsOnlyCopyScoresTheSame) {
  Trace t = skeleton(words(5), 2, true);
  for (int i = 0; i < 5; ++i) t.layers[0].attn.heads[0].weights(i, i / 2) = 1;
  t.layers[0].attn.Q = Mat::Ones(5, 8);  // not copied
  Trace c;
  weights_only(t, &c);
  EXPECT_EQ(c.layers[0].attn.Q.size(), 0);
  const HeadScores a = score_heads(t, nullptr), b = score_heads(c, nullptr);
  for (size_t k = 0; k < a.all.size(); ++k) {
    EXPECT_EQ(a.all[k].prev, b.all[k].prev);
    EXPECT_EQ(a.all[k].entropy, b.all[k].entropy);
  }
  // Copied again into the same trace: the buffers are reused, not reallocated.
  const float* before = c.layers[0].attn.heads[1].weights.data();
  t.layers[0].attn.heads[1].weights(2, 1) = 0.5f;
  weights_only(t, &c);
  EXPECT_EQ(c.layers[0].attn.heads[1].weights.data(), before);
  EXPECT_EQ(c.layers[0].attn.heads[1].weights(2, 1), 0.5f);
}
