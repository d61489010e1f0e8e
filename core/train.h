// train.h: training a small Transformer on a toy task (backward pass in backward.h, optimiser in adam.h).
//
//   seq2seq (reverse, sort): encoder over the input, decoder over "<s>" + target (teacher forcing, causal mask),
//     logits = decoder output·W_out + b_out
//   decoder-only (copy-shift, induction): the encoder stack under a causal mask, logits = output·W_out + b_out
//   loss = mean over scored positions of −log softmax(logits)[target]            (cross-entropy)
//   Adam (β₁ 0.9, β₂ 0.98, ε 1e-9 as in the paper), the paper's learning-rate schedule peaking at `lr` after
//   `warmup` steps (then ∝ 1/√step), gradients clipped to a global L2 norm of `clip`.
// Deterministic for a given config: the same seed gives bit-identical weights.
#pragma once
#include <string>
#include <vector>

#include "model.h"
#include "settings.h"
#include "task.h"

namespace attn {

struct TrainConfig {
  TaskSpec task;
  int d_model = 32, heads = 2, layers = 2, d_ff = 64;
  NormPlacement norm = NormPlacement::Post;
  float lr = 3e-3f;
  int batch = 32;
  int steps = 2000;
  int warmup = 100;
  float clip = 1.0f;
  uint64_t seed = 1;
};

std::string validate(const TrainConfig& c);  // "" or one sentence naming the problem (the memory cap included)

// Floats of a task model's weights (core/model.h's layout, counted without building it): layers, embedding, output.
double parameter_floats(const TrainConfig& c);
// Peak bytes of a training run: the weights, their gradient, Adam's two moments, the published snapshot and the
// GUI's copy of it (6 copies), and one example's forward trace and its gradients (examples run one at a time).
double training_bytes(const TrainConfig& c);

// The configuration the shipped model of each task was trained with (assets/models/, README): small enough to
// train in seconds on one core, large enough to reach ≥ 98% held-out accuracy and a readable attention pattern.
TrainConfig recommended_config(TaskKind k);

// The explorer's settings for a model trained with `c` (shapes, heads, PE, norm; decoder-only tasks use the
// causal mask; seq2seq tasks set a decoder target "" and decode `length` greedy steps).
Settings task_settings(const TrainConfig& c);
// Xavier-initialised weights (as make_model) plus embedding N(0, 1) and the output layer, from c.seed.
Model init_task_model(const TrainConfig& c);

struct Metrics {
  double loss = 0;        // mean cross-entropy per scored position
  double token_acc = 0;   // scored positions whose argmax is the target
  double seq_acc = 0;     // examples whose every scored position is right
  int examples = 0;
};

// Forward and backward of one example under teacher forcing. Adds ∂(Σ over scored positions of the loss)/∂θ into
// *grad (same shapes as m; may be null for the forward only) and returns that sum; counts into *acc.
double example_loss(const Model& m, const TrainConfig& c, const Example& ex, Model* grad, Metrics* acc);

// Greedy prediction: seq2seq decodes autoregressively from "<s>"; decoder-only takes each position's argmax.
std::vector<int> predict(const Model& m, const TrainConfig& c, const std::vector<int>& src);

// Held-out metrics: `examples` fresh examples from Rng(stream_seed(seed, "heldout")), scored by greedy prediction
// (not teacher forcing) for seq2seq.
Metrics evaluate(const Model& m, const TrainConfig& c, int examples, uint64_t seed);

class Trainer {
 public:
  explicit Trainer(const TrainConfig& c);           // c must validate
  Trainer(const TrainConfig& c, Model start);       // continue from weights
  Metrics step();                                   // one optimiser step on a fresh batch (teacher-forced metrics)
  int steps_done() const { return step_; }
  float current_lr() const;
  const Model& model() const { return model_; }
  const TrainConfig& config() const { return cfg_; }

 private:
  TrainConfig cfg_;
  Model model_, grad_, m1_, m2_;  // weights, gradient, Adam's first and second moments
  Rng data_;
  int step_ = 0;
};

// A trained model as the explorer and the weight files see it.
struct TrainedModel {
  std::string name;     // "reverse-8x10"
  TrainConfig config;
  Model model;
  int steps = 0;        // optimiser steps taken
  Metrics held_out;     // evaluate(…, 1000, seed) when it was saved
};

}  // namespace attn
