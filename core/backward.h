// backward.h: the backward pass of every layer of the forward pass, reading the forward's own traces.
//
// Each function takes ∂L/∂(its output) and returns ∂L/∂(its input), adding ∂L/∂(its weights) into a gradient of the
// same shape as the weights (a Model made by zeros_like). Nothing is recomputed that the trace already holds, so
// the forward pass the explorer shows is exactly the one that is differentiated.
//
//   Linear      Y = X·W + b                 ∂W += Xᵀ·∂Y,  ∂b += Σ_rows ∂Y,  ∂X = ∂Y·Wᵀ
//   LayerNorm   y = γ ⊙ x̂ + β, x̂ = (x − μ)·r, r = 1/√(σ² + ε)
//               ∂x = r·(g − mean(g) − x̂·mean(g ⊙ x̂)),  g = ∂y ⊙ γ;  ∂γ += Σ_rows ∂y ⊙ x̂,  ∂β += Σ_rows ∂y
//   Softmax     P = softmax(S) per row      ∂S = P ⊙ (∂P − rowsum(∂P ⊙ P))   (blocked cells: P = 0, so ∂S = 0)
//   Attention   O = P·V, S = Q·Kᵀ / (√d_k·τ) ∂V = Pᵀ·∂O,  ∂P = ∂O·Vᵀ,  ∂Q = ∂S·K / div,  ∂K = ∂Sᵀ·Q / div
//   ReLU        h = max(0, a)               ∂a = ∂h ⊙ [h > 0];  GELU: ∂a = ∂h ⊙ GELU′(a), a recomputed
// Training uses soft attention only: a hard (one-hot argmax) row has no gradient (TrainConfig never sets it).
#pragma once
#include "layers.h"
#include "model.h"

namespace attn {

// x: the LayerNorm's input (n × d); dy: ∂L/∂y. Returns ∂L/∂x.
Mat layer_norm_backward(const MatRef& x, const MatRef& dy, const NormWeights& w, NormWeights* g);

// x: the FFN's input; hidden: ReLU(x·W_1 + b_1) from the forward. Returns ∂L/∂x.
Mat feed_forward_backward(const MatRef& x, const MatRef& hidden, const MatRef& d_out, const FFNWeights& w,
                          FFNWeights* g);

// One head: from ∂L/∂output (n_q × d_k) to ∂Q (n_q × d_k), ∂K and ∂V (n_k × d_k).
void attention_backward(const HeadTrace& t, const MatRef& d_output, Mat* dQ, Mat* dK, Mat* dV);

// Multi-head attention from ∂L/∂(Concat·W_O + b_O). Adds ∂L/∂X_q into *dX_q and ∂L/∂X_kv into *dX_kv (which may be
// the same matrix, for self-attention). head_on as in the forward (null: every head on).
void multi_head_attention_backward(const MatRef& X_q, const MatRef& X_kv, const MultiHeadTrace& t,
                                   const AttentionWeights& w, const uint8_t* head_on, const MatRef& d_out,
                                   AttentionWeights* g, Mat* dX_q, Mat* dX_kv);

// Encoder layer (post- or pre-norm, as s.norm). Returns ∂L/∂input.
Mat encoder_layer_backward(const EncoderLayerTrace& t, const EncoderLayerWeights& w, const Settings& s,
                           const uint8_t* head_on, const MatRef& d_out, EncoderLayerWeights* g);

// Decoder layer. Returns ∂L/∂input and adds ∂L/∂memory (the encoder output the cross-attention read) into *d_memory.
Mat decoder_layer_backward(const DecoderLayerTrace& t, const MatRef& memory, const DecoderLayerWeights& w,
                           const Settings& s, const MatRef& d_out, DecoderLayerWeights* g, Mat* d_memory);

// Softmax cross-entropy over the rows where scored[i]: returns Σ −log softmax(logits_i)[target_i] and sets
// *d_logits = softmax(logits) − onehot(target) on those rows, 0 elsewhere.
double cross_entropy(const MatRef& logits, const std::vector<int>& target, const std::vector<uint8_t>& scored,
                     Mat* d_logits);

}  // namespace attn
