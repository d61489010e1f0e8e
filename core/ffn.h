// ffn.h: position-wise feed-forward network (paper §3.3):  FFN(x) = max(0, x·W_1 + b_1)·W_2 + b_2
#pragma once
#include "mat.h"
#include "model.h"

namespace attn {

// x: n × d_model → hidden: n × d_ff (after ReLU), out: n × d_model
void feed_forward(const MatRef& x, const FFNWeights& w, Mat* hidden, Mat* out);

}  // namespace attn
