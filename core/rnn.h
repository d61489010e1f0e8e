// rnn.h: an Elman RNN over the same embeddings, to set beside self-attention's constant path length.
//
//   h_t = tanh(x_t·U + h_{t−1}·W + b),   h_{−1} = 0
//
// Information from x_i reaches h_j (j ≥ i) only through j − i applications of W: path length |i − j|, and
//   ∂h_j/∂x_i = D_j·Wᵀ·D_{j−1}·Wᵀ ⋯ D_{i+1}·Wᵀ·D_i·Uᵀ,   D_t = diag(1 − h_t²)
// whose norm typically shrinks with the distance (vanishing gradients).
#pragma once
#include <atomic>
#include <functional>
#include <vector>

#include "mat.h"

namespace attn {

struct RnnWeights {
  Mat U;     // d_in × d_h
  Mat W;     // d_h × d_h
  RowVec b;  // d_h
};

// U, W: Xavier-uniform and b as model.h's biases, from streams "rnn.U", "rnn.W", "rnn.b"; W is rescaled to
// spectral-ish radius `w_gain` (max absolute row sum) so the teaching picture is stable.
RnnWeights make_rnn(int d_in, int d_h, uint64_t seed, float w_gain = 0.9f);

Mat rnn_forward(const MatRef& X, const RnnWeights& w);  // X: n × d_in → H: n × d_h

// Jacobian ∂h_j/∂x_i (d_h × d_in), zero when i > j.
Mat rnn_jacobian(const MatRef& H, const RnnWeights& w, int i, int j);
// influence[k] = mean over pairs (i, j = i + k) of ‖∂h_j/∂x_i‖_F, for k = 0 … n − 1. O(n²·d³): run it off the UI
// thread. When *cancel becomes true it returns early with an incomplete result (the caller drops it); progress(done,
// total) counts the (i, j) pairs.
std::vector<double> rnn_influence_by_distance(const MatRef& X, const RnnWeights& w, const std::atomic<bool>* cancel = nullptr,
                                              const std::function<void(int, int)>& progress = {});

// Path lengths between positions (the RNN's, convolutions', attention's): complexity.h.

}  // namespace attn
