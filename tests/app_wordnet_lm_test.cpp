// The shipped language model, assets/models/wordnet-lm (issue 13): it opens through the checkpoint path, its trace
// equals an independent double-precision GPT-2 computed from the saved files, it beats the baselines its training
// measured, and the Head gallery's scorer finds a previous-token head on held-out text.
//
// tests/fixtures/wordnet-heldout-100.txt: the first 100 lines of the held-out split (core/corpus.h), glosses of
// WordNet 3.0, Copyright 2006 by Princeton University, redistributed under its licence (Debian's wordnet-base,
// /usr/share/doc/wordnet-base/copyright).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "bpe.h"
#include "forward.h"
#include "head_report.h"
#include "hf_checkpoint.h"
#include "lm_train.h"
#include "model_library.h"
#include "reference_check.h"
#include "tiny_gpt2.h"
#include "trace.h"

using namespace attn;
namespace fs = std::filesystem;

namespace {
const fs::path kDir = fs::path(ATTN_SOURCE_DIR) / "assets" / "models" / kDefaultLanguageModel;

std::shared_ptr<const Model> load() {
  std::shared_ptr<const Model> m;
  CheckpointInfo info;
  EXPECT_EQ(load_hf_checkpoint(kDir.string(), &m, &info), "");
  EXPECT_EQ(info.dtype, "F16");
  return m;
}
}  // namespace

TEST(WordnetLm, ItsTraceEqualsADoublePrecisionGpt2OnTheSavedFiles) {
  const std::shared_ptr<const Model> m = load();
  ASSERT_TRUE(m);
  const nlohmann::json training = nlohmann::json::parse(test::read_text(kDir / "training.json"));
  const nlohmann::json& c = training["config"];
  EXPECT_EQ(m->config.d_model, c["d_model"]);
  EXPECT_EQ(m->config.layers, c["layers"]);
  EXPECT_EQ(m->config.heads, c["heads"]);
  EXPECT_EQ(m->config.context, c["context"]);
  EXPECT_EQ(m->config.vocab_size, c["vocab"]);
  EXPECT_LE(fs::file_size(kDir / "model.safetensors"), 20u << 20);

  const test::TinyGpt2 saved = test::read_gpt2_folder(kDir);
  Settings s;
  s.mask = MaskKind::Causal;
  Trace t;
  ASSERT_EQ(build_trace(checkpoint_settings(*m, s), "The children went to the park because the weather was warm", &t, m),
            "");
  ASSERT_GE(t.n(), 10);
  test::expect_trace_matches_reference(t, test::reference_forward(saved, t.token_ids));
}

// What training measured on the whole held-out split (training.json): the model beats the bigram clearly.
TEST(WordnetLm, BeatsTheBigramItWasMeasuredAgainst) {
  const nlohmann::json j = nlohmann::json::parse(test::read_text(kDir / "training.json"));
  const double model = j["held_out"]["perplexity"], bigram = j["baselines"]["bigram"]["perplexity"],
               unigram = j["baselines"]["unigram"]["perplexity"];
  EXPECT_LT(model, 0.5 * bigram);
  EXPECT_LT(bigram, unigram);
  EXPECT_EQ(j["held_out"]["tokens"], j["baselines"]["bigram"]["tokens"]);  // the same positions
}

// The bar: a head whose mean weight on the previous token is at least 0.4 (uniform attention over 64 tokens
// would give about 0.03), on held-out glosses, by the gallery's own scorer.
TEST(WordnetLm, HasAPreviousTokenHeadOnHeldOutText) {
  const std::shared_ptr<const Model> m = load();
  ASSERT_TRUE(m);
  HeadReport r;
  ASSERT_EQ(head_report(m, test::read_text(fs::path(ATTN_SOURCE_DIR) / "tests/fixtures/wordnet-heldout-100.txt"), 1000,
                        &r),
            "");
  EXPECT_GE(r.windows, 5);
  const int best = rank_heads(r.mean, HeadScoreKind::Previous)[0];
  EXPECT_GE(r.mean.all[size_t(best)].prev, 0.4) << head_report_csv(r);
}

// Greedy continuation is the argmax at each step: the first new token is the trace's top prediction at the last
// position.
TEST(WordnetLm, GreedyContinuationFollowsTheTopPrediction) {
  const std::shared_ptr<const Model> m = load();
  ASSERT_TRUE(m);
  const std::vector<int> ids = m->bpe->encode("a small bird");
  const std::vector<int> more = lm_generate(*m, ids, 3, 0.0f, 1);
  ASSERT_EQ(more.size(), 3u);
  Settings s;
  s.mask = MaskKind::Causal;
  Trace t;
  ASSERT_EQ(build_trace(checkpoint_settings(*m, s), "a small bird", &t, m), "");
  EXPECT_EQ(more[0], argmax_row(t.logits, t.n() - 1));
  // Sampling is reproducible from its seed.
  EXPECT_EQ(lm_generate(*m, ids, 5, 1.0f, 7), lm_generate(*m, ids, 5, 1.0f, 7));
}
