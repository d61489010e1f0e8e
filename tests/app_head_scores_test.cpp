// Head scores on the shipped trained models (assets/models, loaded as the app loads them): the two-layer induction
// model's induction head ranks first by induction score on the probe, its layer-0 previous-token head first by
// previous-token score; the copy-shift model's single head is a previous-token head. (Closed-form cases:
// core_head_scores_test.cpp.)
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "app_state.h"
#include "head_scores.h"
#include "weights_file.h"

using namespace attn;

namespace {

struct Loaded {
  std::shared_ptr<TrainedModel> model;
  TraceSet set;
  Trace probe;
  HeadScores scores;
};

// The model file, its trace on one of its task's examples (as the explorer runs it) and its scores on the probe.
void load_and_score(const std::string& file, uint64_t probe_seed, Loaded* out) {
  out->model = std::make_shared<TrainedModel>();
  ASSERT_EQ(load_weights(std::string(ATTN_SOURCE_DIR) + "/assets/models/" + file, out->model.get()), "");
  Document doc;
  doc.model = out->model->name;
  doc.text = task_examples(out->model->config.task, 1, 0)[0];
  ASSERT_EQ(compute_traces(doc, out->set, out->model), "");
  const Trace& t = out->set.trace;
  Probe p;
  ASSERT_EQ(probe_text(*t.model, t.settings, out->model->config.task.length / 2, probe_seed, &p), "");
  ASSERT_EQ(build_trace(p.settings, p.text, &out->probe, t.model), "");
  out->scores = score_heads(t, &out->probe);
}

}  // namespace

TEST(HeadScoresShipped, InductionModelsInductionHeadRanksFirst) {
  // Found by inspection (every head on probes of seeds 1 … 5): both heads of layer 1 are induction heads (0.80–0.85
  // of their weight on the token after the first occurrence), both of layer 0 stay near 0.1 and split the
  // previous-token work (previous-token 0.32 and 0.34 on an example input, against 0.15 in layer 1). Which of the
  // two layer-1 heads is ahead changes with the probe's words; on the app's probe (seed 1) it is head 1.
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    Loaded m;
    load_and_score("induction.safetensors", seed, &m);
    if (HasFatalFailure()) return;
    ASSERT_EQ(m.scores.layers, 2);
    ASSERT_EQ(m.scores.heads, 2);
    EXPECT_EQ(m.probe.n_real, 16);  // L = 8: half the trained length, an input the model was trained on
    const std::vector<int> by_ind = rank_heads(m.scores, HeadScoreKind::Induction);
    for (int r = 0; r < 2; ++r) {  // the first two are layer 1's, each far above layer 0's
      const HeadScore& s = m.scores.all[size_t(by_ind[size_t(r)])];
      EXPECT_EQ(s.layer, 1) << "seed " << seed << " rank " << r;
      EXPECT_GT(s.induction, 0.6) << "seed " << seed;
      EXPECT_GT(s.induction, 3 * m.scores.all[size_t(by_ind[2])].induction) << "seed " << seed;
    }
    if (seed == 1) {
      EXPECT_EQ(m.scores.all[size_t(by_ind[0])].head, 1);
    }
    // Layer 0 holds the previous-token heads the induction heads read.
    const std::vector<int> by_prev = rank_heads(m.scores, HeadScoreKind::Previous);
    for (int r = 0; r < 2; ++r) {
      const HeadScore& s = m.scores.all[size_t(by_prev[size_t(r)])];
      EXPECT_EQ(s.layer, 0) << "seed " << seed << " rank " << r;
      EXPECT_GT(s.prev, 1.5 * m.scores.all[size_t(by_prev[2])].prev) << "seed " << seed;
    }
  }
}

TEST(HeadScoresShipped, CopyShiftHeadIsAPreviousTokenHead) {
  Loaded m;
  load_and_score("copy-shift.safetensors", 1, &m);
  if (HasFatalFailure()) return;
  ASSERT_EQ(m.scores.all.size(), 1u);  // one layer, one head: the whole model
  EXPECT_EQ(rank_heads(m.scores, HeadScoreKind::Previous)[0], 0);
  const HeadScore& s = m.scores.all[0];
  // README: the largest weight on the previous token for most positions, the rest on the token itself.
  EXPECT_GT(s.prev, 0.5);
  EXPECT_GT(s.prev, s.diag);
  EXPECT_GT(s.prev, s.first);
  EXPECT_LT(s.entropy_norm, 0.7);
}
