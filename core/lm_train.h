// lm_train.h: training a GPT-2-shaped causal language model on a token stream (issue 13).
//
//   model   GPT-2's architecture (model.h's ModelConfig): pre-norm layers, learned positions, GELU (tanh form),
//           a final LayerNorm, logits = LN_f(x_L)·Eᵀ tied to the token embedding E, causal self-attention.
//   data    one long stream of token ids; a batch is `batch` windows of context + 1 tokens at uniformly drawn
//           offsets (the stream of step t: Rng(stream_seed(seed, "batch t"))), each window's first context tokens
//           predict its last context tokens
//   loss    mean over the batch's tokens of −log softmax(logits_i)[ids_{i+1}]
//   AdamW   Adam (β₁, β₂, ε) with decoupled weight decay on the matrices only (not biases, not LayerNorm), as GPT-2
//           and nanoGPT train: θ ← θ − lr_t·(m̂/(√v̂ + ε) + λ·θ)
//   lr_t    linear warm-up to `lr` over `warmup` steps, then cosine decay to min_lr at `steps`:
//           lr_t = min_lr + (lr − min_lr)·(1 + cos(π·(t − warmup)/(steps − warmup)))/2
//   clip    the gradient's global L2 norm to `clip`
// Both cores: the batch is cut into kLmParts fixed parts, each with a gradient of its own, summed in part order, so
// the result does not depend on how many threads ran them (bit-identical on the same build and machine).
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "model.h"

namespace attn {

class BpeTokenizer;
struct LmWorkspace;

// The defaults are the shipped model's configuration (assets/models/wordnet-lm, README): sized by measurement to
// train in under 30 minutes on this project's 2-core machine (bench_train's BM_LmStep; train-lm's progress line).
struct LmConfig {
  int d_model = 192, heads = 4, layers = 2, d_ff = 768;
  int context = 64;   // tokens per window (GPT-2's n_positions)
  int vocab = 4096;
  int batch = 64;     // windows per step
  int steps = 6000;
  int warmup = 200;
  float lr = 2e-3f, min_lr = 2e-4f;
  float weight_decay = 0.1f;
  float beta1 = 0.9f, beta2 = 0.95f, eps = 1e-8f;
  float clip = 1.0f;
  uint64_t seed = 1;
  // The learned positions' initial values: 0 for GPT-2's N(0, 0.02²); s > 0 for s times the paper's sinusoidal table
  // (positional.h), whose rows are linear maps of each other across a fixed offset, a head start for heads that
  // attend by relative position (the previous token).
  float wpe_sinusoid = 0.05f;
};

constexpr int kLmParts = 4;  // fixed gradient parts per batch (see above)

std::string validate(const LmConfig& c);  // "" or one sentence naming the problem
float lm_learning_rate(const LmConfig& c, int t);  // lr_t for step t = 1, 2, …

// GPT-2's initialisation (Radford et al. 2019; Hugging Face's _init_weights): every matrix and both embeddings
// N(0, 0.02²), the two projections into the residual stream (W_O, W_2) N(0, (0.02/√(2·layers))²), biases 0,
// LayerNorm γ = 1, β = 0; each tensor from its own stream Rng(stream_seed(seed, name)). The vocabulary's labels come
// from `bpe` when given (its size must equal c.vocab), else "<id>".
Model init_lm(const LmConfig& c, std::shared_ptr<const BpeTokenizer> bpe = nullptr);

// One window: ids holds n + 1 tokens (n ≤ the model's context). Returns Σ_{i<n} −log p(ids[i+1] | ids[0..i]) and
// adds its gradient, times `scale`, into *grad (null: forward only).
double lm_window_loss(const Model& m, const int* ids, int n, Model* grad, float scale = 1.0f);

// Mean loss per predicted token over consecutive windows of context + 1 tokens (overlapping by one token, so every
// token after the first is predicted exactly once) of `stream`, at most max_windows of them (0: all).
struct LmEval {
  double loss = 0;  // nats per token
  long tokens = 0;
  double perplexity() const;
};
LmEval lm_evaluate(const Model& m, const std::vector<int>& stream, int context, int max_windows);

// Baselines on exactly the positions lm_evaluate scores: the same windows, the same targets. The unigram model has
// add-one counts from `train`; the bigram model interpolates λ·P_ML(b | a) + (1 − λ)·P_unigram(b), with λ chosen on
// the evaluated text itself from 0.05, 0.10, … 0.95 (which flatters the baseline); the first target of each window,
// whose previous token the window's model sees, also gets the bigram. *lambda receives the chosen λ.
LmEval unigram_evaluate(const std::vector<int>& train, int vocab, const std::vector<int>& stream, int context,
                        int max_windows);
LmEval bigram_evaluate(const std::vector<int>& train, int vocab, const std::vector<int>& stream, int context,
                       int max_windows, double* lambda);

// Continues `ids` by `steps` tokens, each from the logits of the last position over at most the model's context
// (the most recent tokens): the argmax when temperature is 0 (greedy), else drawn from softmax(logits / temperature)
// with Rng(stream_seed(seed, "sample")). Returns only the new tokens. ids must be non-empty and < the vocabulary.
std::vector<int> lm_generate(const Model& m, std::vector<int> ids, int steps, float temperature, uint64_t seed);

class LmTrainer {
 public:
  // c must validate; train holds the training stream (every id < c.vocab, more than context + 1 of them).
  LmTrainer(const LmConfig& c, std::shared_ptr<const std::vector<int>> train, Model start);
  double step();  // one optimiser step; returns the batch's mean loss
  int steps_done() const { return step_; }
  const Model& model() const { return model_; }
  const LmConfig& config() const { return cfg_; }
  double last_grad_norm() const { return grad_norm_; }

  // Everything a resumed run needs beside the config and the data: weights, both moments, the step.
  struct State {
    Model model, m1, m2;
    int step = 0;
  };
  State state() const { return {model_, m1_, m2_, step_}; }
  void restore(State s);  // shapes must match the config's

 private:
  LmConfig cfg_;
  std::shared_ptr<const std::vector<int>> train_;
  Model model_, m1_, m2_;
  std::vector<Model> part_grads_;
  std::vector<std::shared_ptr<LmWorkspace>> work_;  // one per part
  int step_ = 0;
  double grad_norm_ = 0;
};

}  // namespace attn
