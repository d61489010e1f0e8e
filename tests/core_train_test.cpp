// Training: the toy tasks' data against their definitions, Adam and clipping in closed form, a loss that falls,
// determinism, and the two attention patterns the tasks exist for (reverse: anti-diagonal cross-attention;
// induction: a second-layer head on the token after an earlier occurrence of the current one), read from the explorer's own trace.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "adam.h"
#include "rng.h"
#include "trace.h"
#include "train.h"

using namespace attn;

TEST(Task, ExamplesFollowTheirDefinitions) {
  Rng rng(5);
  for (int e = 0; e < 50; ++e) {
    const Example r = make_example({TaskKind::Reverse, 7, 10}, rng);
    ASSERT_EQ(r.src.size(), 7u);
    for (int i = 0; i < 7; ++i) EXPECT_EQ(r.tgt[size_t(i)], r.src[size_t(6 - i)]);
    const Example s = make_example({TaskKind::Sort, 6, 4}, rng);
    EXPECT_TRUE(std::is_sorted(s.tgt.begin(), s.tgt.end()));
    EXPECT_TRUE(std::is_permutation(s.tgt.begin(), s.tgt.end(), s.src.begin()));
    for (int v : s.src) EXPECT_TRUE(v >= 0 && v < 4);
    const Example c = make_example({TaskKind::CopyShift, 5, 10}, rng);
    EXPECT_EQ(c.scored[0], 0);
    for (int i = 1; i < 5; ++i) EXPECT_EQ(c.tgt[size_t(i)], c.src[size_t(i - 1)]);
  }
}

TEST(Task, InductionRepeatsAtAVaryingOffsetAndScoresOnlyThePredictable) {
  Rng rng(6);
  std::set<int> offsets;
  for (int e = 0; e < 100; ++e) {
    const Example x = make_example({TaskKind::Induction, 16, 16}, rng);
    ASSERT_EQ(x.src.size(), 16u);
    int k = 1;  // the first repeated symbol's position is the prefix length
    while (std::find(x.src.begin(), x.src.begin() + k, x.src[size_t(k)]) == x.src.begin() + k) ++k;
    offsets.insert(k);
    EXPECT_TRUE(k >= 4 && k <= 8) << k;
    for (int i = 0; i < 16; ++i) {
      EXPECT_EQ(x.scored[size_t(i)], i >= k && i < 15 ? 1 : 0) << i;
      if (!x.scored[size_t(i)]) continue;
      EXPECT_EQ(x.tgt[size_t(i)], x.src[size_t(i + 1)]);
      EXPECT_EQ(x.src[size_t(i - k)], x.src[size_t(i)]);          // the previous occurrence is k back…
      EXPECT_EQ(x.src[size_t(i - k + 1)], x.tgt[size_t(i)]);      // …and what followed it is the answer
    }
  }
  EXPECT_GE(offsets.size(), 3u);  // no single positional offset solves the task
}

TEST(Task, ValidationAndParsing) {
  EXPECT_EQ(validate(TaskSpec{TaskKind::Reverse, 8, 10}), "");
  EXPECT_NE(validate(TaskSpec{TaskKind::Reverse, 1, 10}), "");
  EXPECT_NE(validate(TaskSpec{TaskKind::Sort, 8, 1}), "");
  EXPECT_NE(validate(TaskSpec{TaskKind::Induction, 15, 16}), "");  // odd
  EXPECT_NE(validate(TaskSpec{TaskKind::Induction, 16, 5}), "");   // fewer symbols than the prefix needs
  TrainConfig c;
  c.heads = 3;
  EXPECT_NE(validate(c).find("must divide"), std::string::npos);
  c = TrainConfig{};
  c.lr = 0;
  EXPECT_NE(validate(c), "");
  std::vector<int> ids;
  EXPECT_EQ(parse_task_input({TaskKind::Reverse, 8, 10}, "3 1 4 1 5", &ids), "");
  EXPECT_EQ(ids, (std::vector<int>{3, 1, 4, 1, 5}));
  EXPECT_EQ(ids_to_text(ids), "3 1 4 1 5");
  EXPECT_NE(parse_task_input({TaskKind::Reverse, 8, 10}, "3 12", &ids), "");
  EXPECT_NE(parse_task_input({TaskKind::Reverse, 8, 10}, "cat", &ids), "");
  EXPECT_NE(parse_task_input({TaskKind::Reverse, 8, 10}, "   ", &ids), "");
  EXPECT_EQ(task_answer({TaskKind::Sort, 4, 10}, {3, 1, 2, 1}), (std::vector<int>{1, 1, 2, 3}));
  // induction on a user's input: defined where the token occurred before, except at the end
  const std::vector<uint8_t> sc = task_scored({TaskKind::Induction, 8, 10}, {5, 6, 7, 5, 6, 9, 7, 5});
  EXPECT_EQ(sc, (std::vector<uint8_t>{0, 0, 0, 1, 1, 0, 1, 0}));
  EXPECT_EQ(ids_to_text({6, 7, 1, 2}, {0, 1, 1, 0}), "· 7 1 ·");
  EXPECT_EQ(decoder_input({TaskKind::Reverse, 3, 10}, {7, 8, 9}), (std::vector<int>{10, 7, 8}));  // "<s>" = 10
}

TEST(Adam, FirstStepMovesEachWeightByTheLearningRateAgainstItsGradientSign) {
  // After bias correction m̂ = g and v̂ = g², so the first update is −lr·g/(|g| + ε) ≈ −lr·sign(g).
  Model w = make_model(4, 4, 1, 1, false), g = zeros_like(w), m = zeros_like(w), v = zeros_like(w);
  const Model before = w;
  parameters(g)[0].data[0] = 0.5f;
  parameters(g)[0].data[1] = -3.0f;
  adam_step(w, g, m, v, 1, 0.01f);
  EXPECT_NEAR(parameters(w)[0].data[0], before.encoder[0].attn.W_q(0, 0) - 0.01f, 1e-6f);
  EXPECT_NEAR(parameters(w)[0].data[1], before.encoder[0].attn.W_q(0, 1) + 0.01f, 1e-6f);
  EXPECT_EQ(parameters(w)[0].data[2], before.encoder[0].attn.W_q(0, 2));  // zero gradient: unchanged
  EXPECT_FLOAT_EQ(schedule_lr(1e-3f, 25, 100), 2.5e-4f);   // warming up: 25/100 of the peak
  EXPECT_FLOAT_EQ(schedule_lr(1e-3f, 100, 100), 1e-3f);    // the peak
  EXPECT_FLOAT_EQ(schedule_lr(1e-3f, 400, 100), 5e-4f);    // then √(100/400) of it
  EXPECT_FLOAT_EQ(schedule_lr(1e-3f, 7, 0), 1e-3f);
}

TEST(Adam, ClippingScalesToTheMaximumNorm) {
  Model g = zeros_like(make_model(4, 4, 1, 1, false));
  parameters(g)[0].data[0] = 3.0f;
  parameters(g)[3].data[1] = 4.0f;  // ‖g‖ = 5
  EXPECT_NEAR(clip_grad_norm(g, 1.0f), 5.0, 1e-6);
  EXPECT_NEAR(parameters(g)[0].data[0], 0.6f, 1e-6f);
  EXPECT_NEAR(parameters(g)[3].data[1], 0.8f, 1e-6f);
  EXPECT_NEAR(clip_grad_norm(g, 10.0f), 1.0, 1e-6);  // under the limit: unchanged
  EXPECT_NEAR(parameters(g)[0].data[0], 0.6f, 1e-6f);
}

TEST(Training, LossFallsOnAFixedBatch) {
  TrainConfig c;
  c.task = {TaskKind::Reverse, 6, 8};
  c.d_model = 16;
  c.d_ff = 32;
  c.warmup = 0;
  Rng rng(11);
  std::vector<Example> batch;
  for (int i = 0; i < 8; ++i) batch.push_back(make_example(c.task, rng));
  Model w = init_task_model(c), m = zeros_like(w), v = zeros_like(w);
  auto loss_and_grad = [&](Model* g) {
    double sum = 0;
    for (const Example& ex : batch) sum += example_loss(w, c, ex, g, nullptr);
    return sum / (8.0 * 6.0);
  };
  const double first = loss_and_grad(nullptr);
  EXPECT_NEAR(first, std::log(8.0), 1.0);  // near chance at initialisation
  for (int t = 1; t <= 60; ++t) {
    Model g = zeros_like(w);
    loss_and_grad(&g);
    for (Param& p : parameters(g))
      for (size_t i = 0; i < p.size(); ++i) p.data[i] /= 48.0f;
    adam_step(w, g, m, v, t, 3e-3f);
  }
  EXPECT_LT(loss_and_grad(nullptr), 0.2 * first);
}

TEST(Training, SameSeedGivesBitIdenticalWeights) {
  TrainConfig c;
  c.task = {TaskKind::Sort, 5, 6};
  c.d_model = 8;
  c.d_ff = 16;
  c.batch = 4;
  Trainer a(c), b(c);
  for (int i = 0; i < 15; ++i) {
    a.step();
    b.step();
  }
  Model wa = a.model(), wb = b.model();
  const std::vector<Param> pa = parameters(wa), pb = parameters(wb);
  for (size_t k = 0; k < pa.size(); ++k)
    EXPECT_TRUE(std::equal(pa[k].data, pa[k].data + pa[k].size(), pb[k].data)) << pa[k].name;
  c.seed = 2;
  Trainer d(c);
  d.step();
  Model wd = d.model();
  EXPECT_NE(parameters(wd)[1].data[0], parameters(wa)[1].data[0]);  // another seed, other weights
}

TEST(Training, ReverseLearnsAnAntiDiagonalCrossAttention) {
  TrainConfig c;  // reverse, length 8, 10 symbols, d_model 32, 2 heads, 2 layers
  Trainer tr(c);
  for (int i = 0; i < 800; ++i) tr.step();
  const Metrics held = evaluate(tr.model(), c, 300, 123);
  EXPECT_GE(held.seq_acc, 0.99);
  // The explorer's trace of held-out inputs: the last greedy step's decoder sees all 8 positions. Some head of the
  // last layer must, at every output position i, put most of its weight (on average over the inputs) on the
  // mirrored input position L−1−i, more than on any other position.
  auto model = std::make_shared<const Model>(tr.model());
  Rng rng(stream_seed(77, "anti-diagonal"));
  const int examples = 20;
  std::vector<Mat> mean(size_t(c.heads), Mat::Zero(8, 8));
  for (int e = 0; e < examples; ++e) {
    const Example ex = make_example(c.task, rng);
    Trace t;
    ASSERT_EQ(build_trace(task_settings(c), ids_to_text(ex.src), &t, model), "");
    ASSERT_EQ(t.steps.size(), 8u);
    const DecoderLayerTrace& last = t.steps.back().trace.layers.back();
    for (int h = 0; h < c.heads; ++h) mean[size_t(h)] += last.cross_attn.heads[size_t(h)].weights / float(examples);
  }
  int anti_diagonal_heads = 0;
  std::string report;
  for (int h = 0; h < c.heads; ++h) {
    bool all = true;
    report += "head " + std::to_string(h) + ":";
    for (int i = 0; i < 8; ++i) {
      Eigen::Index best = 0;
      mean[size_t(h)].row(i).maxCoeff(&best);
      all = all && best == 7 - i && mean[size_t(h)](i, 7 - i) > 0.5f;
      report += " " + std::to_string(mean[size_t(h)](i, 7 - i));
    }
    report += "\n";
    anti_diagonal_heads += all;
  }
  EXPECT_GE(anti_diagonal_heads, 1) << "mean weight on the mirrored position, per output position:\n" << report;
}

TEST(Training, InductionLearnsAHeadOnTheTokenAfterThePreviousOccurrence) {
  TrainConfig c;
  c.task = {TaskKind::Induction, 16, 16};
  c.layers = 2;
  Trainer tr(c);
  for (int i = 0; i < 3000; ++i) tr.step();
  EXPECT_GE(evaluate(tr.model(), c, 300, 123).token_acc, 0.97);
  auto model = std::make_shared<const Model>(tr.model());
  Rng rng(stream_seed(78, "induction"));
  std::vector<int> hits(size_t(c.heads), 0);
  int rows = 0;
  for (int e = 0; e < 30; ++e) {
    const Example ex = make_example(c.task, rng);
    Trace t;
    ASSERT_EQ(build_trace(task_settings(c), ids_to_text(ex.src), &t, model), "");
    ASSERT_EQ(t.predicted.size(), 16u);
    for (int i = 1; i < 15; ++i) {
      if (!ex.scored[size_t(i)]) continue;
      // Positions right after an earlier occurrence of the current token, found from the data alone. When k < L/2
      // the symbols repeat more than twice, and any earlier occurrence's successor holds the same (right) symbol.
      std::vector<uint8_t> after_occurrence(16, 0);
      for (int j = 0; j < i; ++j)
        if (ex.src[size_t(j)] == ex.src[size_t(i)]) after_occurrence[size_t(j + 1)] = 1;
      ++rows;
      for (int h = 0; h < c.heads; ++h) {
        Eigen::Index best = 0;
        t.layers[1].attn.heads[size_t(h)].weights.row(i).maxCoeff(&best);
        hits[size_t(h)] += after_occurrence[size_t(best)] && best != i;  // (i itself is the trivial successor)
      }
    }
  }
  EXPECT_GE(*std::max_element(hits.begin(), hits.end()), int(0.9 * rows)) << "rows " << rows << " head 0: " << hits[0] << " head 1: " << hits[1];
}

TEST(Training, TraceOfATrainedModelUsesItsVocabularyAndPredicts) {
  TrainConfig c;
  c.task = {TaskKind::CopyShift, 6, 10};
  c.d_model = 8;
  c.d_ff = 16;
  Trainer tr(c);
  for (int i = 0; i < 5; ++i) tr.step();
  auto model = std::make_shared<const Model>(tr.model());
  Trace t;
  EXPECT_EQ(build_trace(task_settings(c), "cat 1 2", &t, model), "\"cat\" is not in this model's vocabulary (0 … 9)");
  EXPECT_EQ(t.n(), 0);  // refused: the trace is untouched
  ASSERT_EQ(build_trace(task_settings(c), "3 1 4 1 5", &t, model), "");
  EXPECT_EQ(t.embeddings.row(1), model->embedding.row(1));  // "1" is id 1, from the model's own table
  const std::vector<int> p = predict(*model, c, {3, 1, 4, 1, 5});
  ASSERT_EQ(t.predicted.size(), 5u);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(t.predicted[size_t(i)], std::to_string(p[size_t(i)]));
  EXPECT_EQ(t.mask(0, 1), 1);  // decoder-only: causal
  EXPECT_EQ(list_stages(t).back().name, "logits");
}
