// adam.h: the optimiser of the paper (§5.3): Adam with β₁ = 0.9, β₂ = 0.98, ε = 10⁻⁹, linear warm-up of the
// learning rate, and clipping of the gradient's global L2 norm.
//
//   m ← β₁·m + (1 − β₁)·g        v ← β₂·v + (1 − β₂)·g²
//   θ ← θ − lr_t · m̂ / (√v̂ + ε),  m̂ = m / (1 − β₁ᵗ),  v̂ = v / (1 − β₂ᵗ)
// AdamW (Loshchilov & Hutter 2019) adds decoupled weight decay on the matrices, not on biases or LayerNorm vectors:
//   θ ← θ − lr_t · (m̂ / (√v̂ + ε) + λ·θ)
#pragma once
#include "model.h"

namespace attn {

struct AdamOptions {
  float beta1 = 0.9f, beta2 = 0.98f, eps = 1e-9f;
  float weight_decay = 0.0f;  // λ (AdamW); 0 is the paper's Adam
};

// The paper's schedule (§5.3) with its peak set to lr: linear warm-up, then decay with the inverse square root of
// the step.  lr_t = lr · min(t / warmup, √(warmup / t))  for t = 1, 2, …  (warmup 0: constant lr)
float schedule_lr(float lr, int t, int warmup);

// Scales every gradient by max_norm / ‖g‖ when the global norm ‖g‖ exceeds max_norm. Returns ‖g‖ before clipping.
double clip_grad_norm(Model& grad, float max_norm);

// One Adam update at step t (1-based) of every parameter of w, from the gradient g and the moments m, v.
void adam_step(Model& w, Model& g, Model& m, Model& v, int t, float lr, const AdamOptions& o = {});

}  // namespace attn
