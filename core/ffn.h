// ffn.h: position-wise feed-forward network (paper §3.3):  FFN(x) = act(x·W_1 + b_1)·W_2 + b_2
//   act = ReLU, max(0, a) (the paper), or GELU with GPT-2's tanh approximation:
//   GELU(a) = 0.5·a·(1 + tanh(√(2/π)·(a + 0.044715·a³)))
#pragma once
#include "mat.h"
#include "model.h"

namespace attn {

// x: n × d_model → hidden: n × d_ff (after the activation w.activation), out: n × d_model
void feed_forward(const MatRef& x, const FFNWeights& w, Mat* hidden, Mat* out);

float gelu_tanh(float a);
float gelu_tanh_derivative(float a);  // d GELU(a) / da of the same approximation
Mat gelu_tanh_derivative(const MatRef& a);  // element by element

}  // namespace attn
