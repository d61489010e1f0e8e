// ffn.h: position-wise feed-forward network (paper §3.3):  FFN(x) = act(x·W_1 + b_1)·W_2 + b_2
//   act = ReLU, max(0, a) (the paper), or GELU with GPT-2's tanh approximation:
//   GELU(a) = 0.5·a·(1 + tanh(√(2/π)·(a + 0.044715·a³)))
#pragma once
#include <vector>

#include "mat.h"
#include "model.h"

namespace attn {

// x: n × d_model → hidden: n × d_ff (after the activation w.activation), out: n × d_model;
// pre (optional): n × d_ff, x·W_1 + b_1 before the activation (what the FFN view marks on the activation's curve).
void feed_forward(const MatRef& x, const FFNWeights& w, Mat* hidden, Mat* out, Mat* pre = nullptr);

float gelu_tanh(float a);
float gelu_tanh_derivative(float a);  // d GELU(a) / da of the same approximation
Mat gelu_tanh_derivative(const MatRef& a);  // element by element

// What the FFN does to each token of one layer (the Feed-forward tab; pure, so tests and the CLI share it).
//   x: the residual stream entering the sublayer (post-norm: the FFN's input; pre-norm: before its LayerNorm),
//   ffn_in: what W_1 reads, hidden: act(ffn_in·W_1 + b_1), ffn_out: FFN(ffn_in).
struct FfnTokenStats {
  std::vector<double> zero_fraction;  // per token: hidden units exactly 0 (ReLU's dead units; GELU: almost never)
  std::vector<double> norm_x, norm_ffn;  // ‖x‖ and ‖FFN(x)‖
  std::vector<double> cos_residual;      // cos(x, x + FFN(x)): how far the sublayer turns the token's vector
  double max_row_alone_diff = 0;  // max |FFN(row i alone) − row i of FFN(X)|: position-wise up to float rounding
  double max_abs_out = 0;         // max |FFN(X)|, the scale of that difference
};
FfnTokenStats ffn_token_stats(const MatRef& x, const MatRef& ffn_in, const MatRef& hidden, const MatRef& ffn_out,
                              const FFNWeights& w);

}  // namespace attn
