// head_scores.h: one number per head for what its attention pattern does, so every head of a model can be ranked
// and filtered (the Head gallery, ui/gallery_view.cpp).
//
//  Sections: the scores (definitions), score_heads, the induction probe, a weights-only copy for workers.
//
// Every score reads the softmax weights of an encoder-stack head, w = t.layers[l].attn.heads[h].weights (n × n,
// row i = query i, column j = key j). Notation:
//   R     = the real tokens: positions i with !t.is_pad[i] (padding sits after them)
//   A(i)  = the keys query i may see: j ∈ R with !t.mask(i, j)
//   Q₁    = { i ∈ R : i ≥ 1 }
//   mean over an empty set = NaN ("no score": a one-token sentence, or no probe yet); the gallery shows "–".
//
//   previous-token   prev  = mean_{i ∈ Q₁} w[i][i−1]
//   first-token      first = mean_{i ∈ Q₁} w[i][0]        the "attention sink": weight parked on position 0
//   diagonal         diag  = mean_{i ∈ Q₁} w[i][i]        the same queries as prev and first: under a causal mask
//                                                        query 0 sees only itself, so w[0][0] = 1 says nothing
//   entropy          H(i)  = −Σ_{j ∈ A(i), w[i][j] > 0} w[i][j]·ln w[i][j]               (nats)
//                    entropy      = mean_{i ∈ R, |A(i)| ≥ 1} H(i)
//                    entropy_norm = mean_{i ∈ R, |A(i)| ≥ 2} H(i) / ln|A(i)|
//                    0: each query puts all its weight on one key; 1: uniform over the keys it may see. Rows with a
//                    single visible key have no choice and are left out. The gallery shows and sorts entropy_norm
//                    (comparable across rows of a causal mask and across sentence lengths); nats in the tooltip.
//   induction        on a probe trace p (below): f(i) = the first position whose token equals token i,
//                    D = { i ∈ R_p : f(i) < i } (every position whose token occurred before),
//                    ind = mean_{i ∈ D} p.w[i][f(i) + 1]   (attention to the token after the first occurrence)
//                    On the probe, x₀ … x_{L−1} (distinct) then x₀ … x_{L−1} again, D is exactly the second copy,
//                    i = L … 2L−1, and f(i) + 1 = i − L + 1. The first token of the second copy (i = L, target 1) is
//                    counted: its first occurrence, position 0, has a successor the head can find by the same
//                    match (key 1's previous token is x₀), and the induction task trains its model there (task.h's
//                    task_scored). Nothing past the second copy is scored, and a position is never its own target
//                    (f(i) + 1 ≤ i, equal only for an immediate repeat, which the probe never has).
//
// A head switched off (Settings::head_enabled) is still traced and scored: the scores describe its pattern.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "trace.h"

namespace attn {

enum class HeadScoreKind { Previous, First, Diagonal, Induction, Entropy };
constexpr int kHeadScoreKinds = 5;
const char* to_string(HeadScoreKind k);   // "previous", "first", "diagonal", "induction", "entropy"
const char* score_label(HeadScoreKind k);  // "previous-token", "first-token (sink)", … for the UI

struct HeadScore {
  int layer = 0, head = 0;
  double prev = 0, first = 0, diag = 0;
  double entropy = 0, entropy_norm = 0;  // nats, and ÷ ln(visible keys)
  double induction = 0;                  // NaN without a probe
  double value(HeadScoreKind k) const;   // entropy: entropy_norm
};

struct HeadScores {
  int layers = 0, heads = 0;
  std::vector<HeadScore> all;  // layers · heads, layer-major: all[l·heads + h]
  bool has_induction = false;  // a probe was scored
  const HeadScore& at(int l, int h) const { return all[size_t(l) * size_t(heads) + size_t(h)]; }
};

// Scores every head of t's encoder stack (the whole model for decoder-only and GPT-2 models; the decoder's heads of
// an encoder–decoder model are not scored). `probe` (may be null) gives the induction score; it must be a trace of
// the same model (same layers and heads), else induction stays NaN.
HeadScores score_heads(const Trace& t, const Trace* probe);

// The heads in gallery order: sorted by `k`, highest first (entropy: lowest first, the most focused heads), ties and
// NaN (last) in layer-head order. Indices into s.all.
std::vector<int> rank_heads(const HeadScores& s, HeadScoreKind k);

// ---- The induction probe: a random run of L distinct tokens, then the same run again.
constexpr int kProbeLength = 16;   // L when the model fixes none (random weights)
constexpr int kProbeMinLength = 2;

struct Probe {
  std::string text;   // "x₀ … x_{L−1} x₀ … x_{L−1}", space-separated: the word tokenizer reads 2L tokens
  Settings settings;  // the trace's settings without decoder or padding, max_tokens ≥ 2L (so the same weights run)
  int length = 0;     // L
  std::string words;  // where the tokens came from, for the UI ("the model's vocabulary", "common English words")
};

// Makes the probe for `m` run with settings `s`: L = `length` tokens drawn without repetition (partial Fisher–Yates
// with Rng(stream_seed(seed, "induction-probe"))) from the model's vocabulary (a trained word-level model: its words
// that the tokenizer keeps whole, no "<s>"-style specials) or from a fixed list of common English words (random
// weights, which embed any word). L is cut to the number of words available. Returns "" or why there is no probe.
// A trained task model should get L = half its trained length, so the probe is an input it was trained on.
std::string probe_text(const Model& m, const Settings& s, int length, uint64_t seed, Probe* out);

// ---- For workers: a copy of t holding only what score_heads reads (tokens, pad flags, mask, settings, every
// encoder head's weights; no Q, K, V, scores or layer outputs), so a job can score while the UI thread rebuilds t.
// Written into *out, reusing its buffers: a copy of the same shapes allocates nothing (a fresh 9 MB copy, 144 heads
// of 128 tokens, spends ~45 ms in page faults on this machine; into reused buffers it takes ~1 ms).
void weights_only(const Trace& t, Trace* out);

}  // namespace attn
