#include "lm_train.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "adam.h"
#include "backward.h"
#include "bpe.h"
#include "forward.h"
#include "mask.h"
#include "parallel.h"
#include "positional.h"
#include "rng.h"
#include "settings.h"
#include "translate.h"

namespace attn {

std::string validate(const LmConfig& c) {
  if (c.d_model < 2 || c.d_model > 1024) return _("d_model must be between 2 and 1024 for training");
  if (c.heads < 1 || c.d_model % c.heads != 0)
    return printf_text(_("heads (%d) must divide d_model (%d)"), c.heads, c.d_model);
  if (c.layers < 1 || c.layers > 12) return _("layers must be between 1 and 12 for training");
  if (c.d_ff < 1 || c.d_ff > 4096) return _("d_ff must be between 1 and 4096 for training");
  if (c.context < 2 || c.context > 1024) return _("the context must be between 2 and 1024 tokens");
  if (c.vocab < 2 || c.vocab > 65536) return _("the vocabulary must have between 2 and 65,536 tokens");
  if (c.batch < 1 || c.batch > 4096) return _("the batch size must be between 1 and 4096 windows");
  if (c.steps < 1 || c.steps > 10000000) return _("steps must be between 1 and 10,000,000");
  if (c.warmup < 0 || c.warmup > c.steps) return _("warm-up steps must be between 0 and the number of steps");
  if (!(c.lr > 0.0f && c.lr <= 1.0f)) return _("the learning rate must be in (0, 1]");
  if (!(c.min_lr >= 0.0f && c.min_lr <= c.lr)) return _("the final learning rate must be between 0 and the peak");
  if (!(c.weight_decay >= 0.0f && c.weight_decay < 1.0f)) return _("weight decay must be in [0, 1)");
  if (!(c.beta1 >= 0.0f && c.beta1 < 1.0f && c.beta2 >= 0.0f && c.beta2 < 1.0f))
    return _("β₁ and β₂ must be in [0, 1)");
  if (!(c.eps > 0.0f && std::isfinite(c.eps))) return _("Adam's ε must be a positive number");
  if (!(c.clip > 0.0f) || !std::isfinite(c.clip)) return _("the clipping norm must be a positive number");
  if (!(c.wpe_sinusoid >= 0.0f && c.wpe_sinusoid <= 10.0f)) return _("the sinusoidal scale of wpe must be in [0, 10]");
  return "";
}

float lm_learning_rate(const LmConfig& c, int t) {
  if (t <= c.warmup) return c.lr * float(t) / float(std::max(1, c.warmup));
  const double progress = std::min(1.0, double(t - c.warmup) / double(std::max(1, c.steps - c.warmup)));
  return float(c.min_lr + (double(c.lr) - c.min_lr) * 0.5 * (1.0 + std::cos(M_PI * progress)));
}

Model init_lm(const LmConfig& c, std::shared_ptr<const BpeTokenizer> bpe) {
  Model m;
  ModelConfig& k = m.config;
  k.kind = ModelKind::DecoderOnly;
  k.d_model = c.d_model, k.heads = c.heads, k.layers = c.layers, k.d_ff = c.d_ff;
  k.activation = Activation::GeluTanh;
  k.positions = PEKind::Learned;
  k.norm = NormPlacement::Pre;
  k.final_norm = true;
  k.output = OutputKind::Tied;
  k.tokenizer = TokenizerKind::ByteBPE;
  k.context = c.context;
  k.vocab_size = c.vocab;
  m.seed = c.seed;
  const int d = c.d_model;
  auto normal = [&](int rows, int cols, const std::string& name, float sd) {
    Rng r(stream_seed(c.seed, name));
    Mat w(rows, cols);
    for (Eigen::Index i = 0; i < w.size(); ++i) w.data()[i] = sd * r.normal();
    return w;
  };
  const float sd = 0.02f, sd_proj = 0.02f / std::sqrt(2.0f * float(c.layers));
  auto norm = [&] { return NormWeights{RowVec::Ones(d), RowVec::Zero(d), k.ln_eps}; };
  m.embedding = normal(c.vocab, d, "wte", sd);
  m.wpe = c.wpe_sinusoid > 0 ? Mat(c.wpe_sinusoid * sinusoidal_pe(c.context, d)) : normal(c.context, d, "wpe", sd);
  m.encoder.resize(size_t(c.layers));
  for (int l = 0; l < c.layers; ++l) {
    const std::string p = "h" + std::to_string(l) + ".";
    EncoderLayerWeights& w = m.encoder[size_t(l)];
    w.ln1 = norm();
    w.ln2 = norm();
    w.attn.W_q = normal(d, d, p + "W_q", sd);
    w.attn.W_k = normal(d, d, p + "W_k", sd);
    w.attn.W_v = normal(d, d, p + "W_v", sd);
    w.attn.W_o = normal(d, d, p + "W_o", sd_proj);
    w.attn.b_q = w.attn.b_k = w.attn.b_v = w.attn.b_o = RowVec::Zero(d);
    w.ffn.W_1 = normal(d, c.d_ff, p + "W_1", sd);
    w.ffn.W_2 = normal(c.d_ff, d, p + "W_2", sd_proj);
    w.ffn.b_1 = RowVec::Zero(c.d_ff);
    w.ffn.b_2 = RowVec::Zero(d);
    w.ffn.activation = Activation::GeluTanh;
  }
  m.ln_f = norm();
  m.bpe = std::move(bpe);
  m.vocab.resize(size_t(c.vocab));
  for (int id = 0; id < c.vocab; ++id)
    m.vocab[size_t(id)] = m.bpe && id < m.bpe->size() ? m.bpe->label(id) : "<" + std::to_string(id) + ">";
  m.classes = c.vocab;
  return m;
}

namespace {

}  // namespace

// What one part keeps between windows and steps: the layers' traces, the mask, the logits and their gradients
// (reused: a fresh 2 MB buffer per window cost page faults and zeroing, 18% of a step).
struct LmWorkspace {
  Settings s;
  bool ready = false;  // s holds the model's settings
  BoolMat mask;
  std::vector<EncoderLayerTrace> layers;
  Mat normed, logits, d_logits, dh;
};

namespace {
using Workspace = LmWorkspace;

Settings lm_settings(const Model& m, int n) {
  Settings s = checkpoint_settings(m, Settings{});
  s.mask = MaskKind::Causal;
  s.max_tokens = n;
  return s;
}

double window_loss(const Model& m, const int* ids, int n, Model* grad, float scale, Workspace* w) {
  if (w->mask.rows != n) w->mask = causal_mask(n);
  if (!w->ready) w->s = lm_settings(m, n), w->ready = true;
  const std::vector<int> in(ids, ids + n), target(ids + 1, ids + n + 1);
  const Mat x = embed_ids(m, in);                                   // X = E[ids] + wpe[0‥n)
  const Mat& last = run_layers(m, x, w->s, &w->mask, nullptr, &w->layers);
  output_head(m, last, &w->normed, &w->logits);                     // h = LN_f(x_L), logits = h·Eᵀ
  const double loss = cross_entropy(w->logits, target, std::vector<uint8_t>(size_t(n), 1), &w->d_logits);
  if (!grad) return loss;

  w->d_logits *= scale;
  // logits = h·Eᵀ:  ∂E += ∂logitsᵀ·h,  ∂h = ∂logits·E   (the big products go to the BLAS, parallel.h)
  matmul_tn_add(w->d_logits, w->normed, grad->embedding);
  matmul(w->d_logits, m.embedding, &w->dh);
  Mat d = layer_norm_backward(last, w->dh, m.ln_f, &grad->ln_f);    // h = LN_f(x_L)
  for (size_t l = m.encoder.size(); l-- > 0;)
    d = encoder_layer_backward(w->layers[l], m.encoder[l], w->s, nullptr, d, &grad->encoder[l]);
  for (int i = 0; i < n; ++i) {                                     // X_i = E[ids_i] + wpe_i
    grad->embedding.row(ids[i]) += d.row(i);
    grad->wpe.row(i) += d.row(i);
  }
  return loss;
}

}  // namespace

double lm_window_loss(const Model& m, const int* ids, int n, Model* grad, float scale) {
  Workspace w;
  return window_loss(m, ids, n, grad, scale, &w);
}

std::vector<int> lm_generate(const Model& m, std::vector<int> ids, int steps, float temperature, uint64_t seed) {
  Rng rng(stream_seed(seed, "sample"));
  Workspace w;
  std::vector<int> out;
  for (int k = 0; k < steps && !ids.empty(); ++k) {
    const int n = std::min(int(ids.size()), m.config.context);
    const std::vector<int> window(ids.end() - n, ids.end());
    w.mask = causal_mask(n);
    w.s = lm_settings(m, n), w.ready = true;
    const Mat& last = run_layers(m, embed_ids(m, window), w.s, &w.mask, nullptr, &w.layers);
    output_head(m, last, nullptr, &w.logits);
    int next = argmax_row(w.logits, n - 1);
    if (temperature > 0) {  // inverse CDF of softmax(logits / T) at a uniform draw, in double
      const auto row = w.logits.row(n - 1);
      const double top = row.maxCoeff();
      std::vector<double> p(size_t(row.size()));
      double z = 0;
      for (Eigen::Index j = 0; j < row.size(); ++j) z += p[size_t(j)] = std::exp((row[j] - top) / temperature);
      double u = rng.uniform() * z;
      for (next = 0; next + 1 < int(p.size()) && u >= p[size_t(next)]; ++next) u -= p[size_t(next)];
    }
    ids.push_back(next);
    out.push_back(next);
  }
  return out;
}

double LmEval::perplexity() const { return std::exp(loss); }

namespace {
// The windows lm_evaluate scores: starts 0, context, 2·context, … while a full window of context + 1 fits.
int eval_windows(size_t stream, int context, int max_windows) {
  const long full = stream > size_t(context) ? long((stream - 1) / size_t(context)) : 0;
  return int(max_windows > 0 ? std::min<long>(full, max_windows) : full);
}
}  // namespace

LmEval lm_evaluate(const Model& m, const std::vector<int>& stream, int context, int max_windows) {
  const int windows = eval_windows(stream.size(), context, max_windows);
  std::vector<double> loss(size_t(windows), 0.0);
  const int threads = parallel_threads();
  parallel_for(threads, [&](int part) {
    Workspace w;
    for (int i = part; i < windows; i += threads)
      loss[size_t(i)] = window_loss(m, stream.data() + size_t(i) * size_t(context), context, nullptr, 1, &w);
  });
  LmEval e;
  for (double l : loss) e.loss += l;  // in window order, whatever the threads
  e.tokens = long(windows) * context;
  if (e.tokens > 0) e.loss /= double(e.tokens);
  return e;
}

namespace {
std::vector<double> unigram(const std::vector<int>& train, int vocab) {
  std::vector<double> p(size_t(vocab), 1.0);  // add-one
  for (int t : train) p[size_t(t)] += 1;
  const double total = double(train.size()) + vocab;
  for (double& x : p) x /= total;
  return p;
}

// Σ −log P over the scored targets, P(a → b) given by `prob`.
template <class Prob>
LmEval score_targets(const std::vector<int>& stream, int context, int max_windows, const Prob& prob) {
  const int windows = eval_windows(stream.size(), context, max_windows);
  LmEval e;
  for (int w = 0; w < windows; ++w)
    for (int i = 0; i < context; ++i) {
      const size_t at = size_t(w) * size_t(context) + size_t(i);
      e.loss -= std::log(prob(stream[at], stream[at + 1]));
    }
  e.tokens = long(windows) * context;
  if (e.tokens > 0) e.loss /= double(e.tokens);
  return e;
}
}  // namespace

LmEval unigram_evaluate(const std::vector<int>& train, int vocab, const std::vector<int>& stream, int context,
                        int max_windows) {
  const std::vector<double> p = unigram(train, vocab);
  return score_targets(stream, context, max_windows, [&](int, int b) { return p[size_t(b)]; });
}

LmEval bigram_evaluate(const std::vector<int>& train, int vocab, const std::vector<int>& stream, int context,
                       int max_windows, double* lambda) {
  const std::vector<double> p = unigram(train, vocab);
  std::vector<std::unordered_map<int, int>> pairs(static_cast<size_t>(vocab));  // counts of a → b
  std::vector<double> from(size_t(vocab), 0.0);
  for (size_t i = 0; i + 1 < train.size(); ++i) {
    ++pairs[size_t(train[i])][train[i + 1]];
    ++from[size_t(train[i])];
  }
  LmEval best;
  best.loss = HUGE_VAL;
  for (int k = 1; k <= 19; ++k) {
    const double lam = 0.05 * k;
    LmEval e = score_targets(stream, context, max_windows, [&](int a, int b) {
      const auto& row = pairs[size_t(a)];
      const auto it = row.find(b);
      const double ml = it == row.end() || from[size_t(a)] == 0 ? 0.0 : it->second / from[size_t(a)];
      return lam * ml + (1 - lam) * p[size_t(b)];
    });
    if (e.loss < best.loss) {
      best = e;
      if (lambda) *lambda = lam;
    }
  }
  return best;
}

LmTrainer::LmTrainer(const LmConfig& c, std::shared_ptr<const std::vector<int>> train, Model start)
    : cfg_(c), train_(std::move(train)), model_(std::move(start)) {
  m1_ = zeros_like(model_);
  m2_ = zeros_like(model_);
  part_grads_.assign(size_t(kLmParts), zeros_like(model_));
  for (int i = 0; i < kLmParts; ++i) work_.push_back(std::make_shared<LmWorkspace>());
}

void LmTrainer::restore(State s) {
  model_ = std::move(s.model);
  m1_ = std::move(s.m1);
  m2_ = std::move(s.m2);
  step_ = s.step;
}

double LmTrainer::step() {
  const int n = cfg_.context;
  // This step's windows: offsets from a stream of its own, so a resumed run draws what an unbroken one would.
  Rng pick(stream_seed(cfg_.seed, "batch " + std::to_string(step_ + 1)));
  const uint64_t span = uint64_t(train_->size() - size_t(n));  // window starts 0 … size − n − 1
  std::vector<size_t> start(size_t(cfg_.batch));
  for (size_t& s : start) s = size_t(pick.next_u64() % span);

  const float scale = 1.0f / float(double(cfg_.batch) * n);  // the loss is the mean over every predicted token
  std::vector<double> loss(size_t(kLmParts), 0.0);
  parallel_for(kLmParts, [&](int part) {
    Model& g = part_grads_[size_t(part)];
    for (Param& p : parameters(g)) std::fill(p.data, p.data + p.size(), 0.0f);
    for (int b = part; b < cfg_.batch; b += kLmParts)
      loss[size_t(part)] += window_loss(model_, train_->data() + start[size_t(b)], n, &g, scale, work_[size_t(part)].get());
  });
  // Σ of the parts in part order (fixed, whatever thread ran which part)
  std::vector<Param> total = parameters(part_grads_[0]);
  for (int part = 1; part < kLmParts; ++part) {
    const std::vector<Param> p = parameters(part_grads_[size_t(part)]);
    for (size_t k = 0; k < total.size(); ++k)
      for (size_t i = 0; i < total[k].size(); ++i) total[k].data[i] += p[k].data[i];
  }
  grad_norm_ = clip_grad_norm(part_grads_[0], cfg_.clip);
  ++step_;
  AdamOptions o;
  o.beta1 = cfg_.beta1, o.beta2 = cfg_.beta2, o.eps = cfg_.eps, o.weight_decay = cfg_.weight_decay;
  adam_step(model_, part_grads_[0], m1_, m2_, step_, lm_learning_rate(cfg_, step_), o);
  double sum = 0;
  for (double l : loss) sum += l;
  return sum / (double(cfg_.batch) * n);
}

}  // namespace attn
