#include "head_scores.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <unordered_map>

#include "bpe.h"
#include "rng.h"
#include "tokenizer.h"
#include "translate.h"

namespace attn {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct Mean {
  double sum = 0;
  int count = 0;
  void add(double v) { sum += v, ++count; }
  double get() const { return count ? sum / count : kNaN; }
};

bool real(const Trace& t, int i) { return i < int(t.is_pad.size()) ? !t.is_pad[size_t(i)] : i < t.n_real; }
bool visible(const Trace& t, int i, int j) {
  return real(t, j) && !(i < t.mask.rows && j < t.mask.cols && t.mask(i, j));
}

// prev, first, diag and the two entropies of one head (the header's formulas).
void pattern_scores(const Trace& t, const Mat& w, HeadScore* s) {
  const int n = std::min(t.n(), int(w.rows()));
  Mean prev, first, diag, ent, ent_norm;
  for (int i = 0; i < n; ++i) {
    if (!real(t, i)) continue;
    if (i >= 1) prev.add(w(i, i - 1)), first.add(w(i, 0)), diag.add(w(i, i));
    double h = 0;
    int keys = 0;
    for (int j = 0; j < n; ++j) {
      if (!visible(t, i, j)) continue;
      ++keys;
      const double p = w(i, j);
      if (p > 0) h -= p * std::log(p);
    }
    if (keys >= 1) ent.add(h);
    if (keys >= 2) ent_norm.add(h / std::log(double(keys)));
  }
  s->prev = prev.get(), s->first = first.get(), s->diag = diag.get();
  s->entropy = ent.get(), s->entropy_norm = ent_norm.get();
}

// For each real position of p: the position after the first occurrence of its token, or -1 when it is the first.
// Tokens are compared by id when the trace has them (two BPE ids can share a display label), else by text.
std::vector<int> induction_targets(const Trace& p) {
  std::vector<int> target(size_t(p.n()), -1);
  std::unordered_map<std::string, int> first_seen;
  const bool ids = p.token_ids.size() == p.tokens.size();
  for (int i = 0; i < p.n(); ++i) {
    if (!real(p, i)) continue;
    const std::string key = ids ? std::to_string(p.token_ids[size_t(i)]) : p.tokens[size_t(i)];
    const auto it = first_seen.find(key);
    if (it == first_seen.end()) first_seen.emplace(key, i);
    else target[size_t(i)] = it->second + 1;
  }
  return target;
}

// Common English words for a model that embeds any word (random weights): 64, each one word-tokenizer token.
const char* const kProbeWords[] = {
    "apple", "river", "stone", "cloud", "music", "tiger", "paper", "garden", "window", "silver", "candle", "forest",
    "bridge", "planet", "coffee", "island", "mirror", "pencil", "rocket", "violin", "winter", "yellow", "basket",
    "castle", "dragon", "engine", "flower", "guitar", "hammer", "jacket", "kettle", "ladder", "magnet", "needle",
    "orange", "pillow", "rabbit", "saddle", "tunnel", "wallet", "anchor", "button", "carpet", "desert", "feather",
    "gravel", "helmet", "lantern", "marble", "nickel", "oyster", "parrot", "quartz", "ribbon", "spider", "tomato",
    "velvet", "walnut", "zipper", "meadow", "harbor", "cactus", "falcon", "glacier"};

}  // namespace

const char* to_string(HeadScoreKind k) {
  switch (k) {
    case HeadScoreKind::Previous: return "previous";
    case HeadScoreKind::First: return "first";
    case HeadScoreKind::Diagonal: return "diagonal";
    case HeadScoreKind::Induction:
      return _("induction");
    case HeadScoreKind::Entropy: return "entropy";
  }
  return "";
}

const char* score_label(HeadScoreKind k) {
  switch (k) {
    case HeadScoreKind::Previous:
      return _("previous-token");
    case HeadScoreKind::First:
      return _("first-token (sink)");
    case HeadScoreKind::Diagonal:
      return _("diagonal (self)");
    case HeadScoreKind::Induction:
      return _("induction");
    case HeadScoreKind::Entropy:
      return _("entropy ÷ ln(keys)");
  }
  return "";
}

double HeadScore::value(HeadScoreKind k) const {
  switch (k) {
    case HeadScoreKind::Previous: return prev;
    case HeadScoreKind::First: return first;
    case HeadScoreKind::Diagonal: return diag;
    case HeadScoreKind::Induction: return induction;
    case HeadScoreKind::Entropy: return entropy_norm;
  }
  return kNaN;
}

HeadScores score_heads(const Trace& t, const Trace* probe) {
  HeadScores out;
  out.layers = int(t.layers.size());
  out.heads = t.layers.empty() ? 0 : int(t.layers[0].attn.heads.size());
  const bool probe_fits = probe && probe->layers.size() == t.layers.size() &&
                          std::all_of(probe->layers.begin(), probe->layers.end(), [&](const EncoderLayerTrace& L) {
                            return int(L.attn.heads.size()) == out.heads;
                          });
  const std::vector<int> targets = probe_fits ? induction_targets(*probe) : std::vector<int>();
  out.has_induction = probe_fits;
  for (int l = 0; l < out.layers; ++l)
    for (int h = 0; h < out.heads; ++h) {
      HeadScore s;
      s.layer = l, s.head = h;
      pattern_scores(t, t.layers[size_t(l)].attn.heads[size_t(h)].weights, &s);
      Mean ind;
      if (probe_fits) {
        const Mat& pw = probe->layers[size_t(l)].attn.heads[size_t(h)].weights;
        for (int i = 0; i < int(targets.size()) && i < pw.rows(); ++i)
          if (targets[size_t(i)] >= 0) ind.add(pw(i, targets[size_t(i)]));
      }
      s.induction = ind.get();
      out.all.push_back(s);
    }
  return out;
}

std::vector<int> rank_heads(const HeadScores& s, HeadScoreKind k) {
  std::vector<int> order(s.all.size());
  std::iota(order.begin(), order.end(), 0);
  const double sign = k == HeadScoreKind::Entropy ? -1 : 1;
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    const double va = s.all[size_t(a)].value(k), vb = s.all[size_t(b)].value(k);
    if (std::isnan(va) || std::isnan(vb)) return !std::isnan(va) && std::isnan(vb);  // NaN last
    return sign * va > sign * vb;
  });
  return order;
}

std::string probe_text(const Model& m, const Settings& s, int length, uint64_t seed, Probe* out) {
  std::vector<std::string> words;
  std::string from;
  if (m.config.tokenizer == TokenizerKind::ByteBPE && m.bpe) {
    // GPT-2's tokens that are a space and a lowercase word, and that encode back to themselves alone: concatenated,
    // each is its own pre-tokeniser piece (" ?\p{L}+"), so the probe's text encodes to exactly the drawn ids.
    for (int id = 0; id < m.bpe->size(); ++id) {
      const std::string b = m.bpe->bytes(id);
      bool word = b.size() >= 3 && b[0] == ' ';
      for (size_t k = 1; word && k < b.size(); ++k) word = b[k] >= 'a' && b[k] <= 'z';
      if (word && m.bpe->encode(b) == std::vector<int>{id}) words.push_back(b);
    }
    from = "whole-word tokens of the model's vocabulary";
  } else if (m.trained()) {
    for (const std::string& w : m.vocab) {
      const bool special = w.size() >= 2 && w.front() == '<' && w.back() == '>';
      const std::vector<std::string> toks = tokenize(w, 2).tokens;
      if (!special && toks.size() == 1 && toks[0] == w) words.push_back(w);
    }
    from = "the model's vocabulary";
  } else {
    words.assign(std::begin(kProbeWords), std::end(kProbeWords));
    from = "common English words (random weights embed any word)";
  }
  const int L = std::min(length, int(words.size()));
  if (L < kProbeMinLength)
    return printf_text(_("the induction probe needs at least %d distinct words; this model has %zu"), kProbeMinLength,
                       words.size());
  Rng rng(stream_seed(seed, "induction-probe"));
  for (int i = 0; i < L; ++i)  // partial Fisher–Yates: the first L entries become a random draw without repetition
    std::swap(words[size_t(i)], words[size_t(i) + size_t(rng.next_u64() % uint64_t(words.size() - size_t(i)))]);
  Probe p;
  const bool bpe = m.config.tokenizer == TokenizerKind::ByteBPE;  // its words carry their own leading space
  for (int copy = 0; copy < 2; ++copy)
    for (int i = 0; i < L; ++i) p.text += (p.text.empty() || bpe ? "" : " ") + words[size_t(i)];
  p.settings = s;
  p.settings.target.reset();  // encoder heads only: no decoder, no greedy steps
  p.settings.decode_steps = 0;
  p.settings.pad_to = 0;
  p.settings.max_tokens = std::max(s.max_tokens, 2 * L);
  p.length = L;
  p.words = from;
  *out = std::move(p);
  return {};
}

void weights_only(const Trace& t, Trace* out) {
  Trace& c = *out;
  c.settings = t.settings;
  c.model = t.model;
  c.tokens = t.tokens;
  c.token_ids = t.token_ids;
  c.is_pad = t.is_pad;
  c.n_real = t.n_real;
  c.mask = t.mask;
  c.layers.resize(t.layers.size());
  for (size_t l = 0; l < t.layers.size(); ++l) {
    c.layers[l].attn.heads.resize(t.layers[l].attn.heads.size());
    for (size_t h = 0; h < t.layers[l].attn.heads.size(); ++h)
      c.layers[l].attn.heads[h].weights = t.layers[l].attn.heads[h].weights;  // same size: no allocation
  }
}

}  // namespace attn
