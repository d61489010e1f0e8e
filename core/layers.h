// layers.h: one encoder layer and one decoder layer, with every intermediate kept (paper §3.1, Figure 1).
//
// Post-norm (the paper):  a = LN(x + Sublayer(x))
// Pre-norm (option):      a = x + Sublayer(LN(x))     (no final LayerNorm is added after the stack)
#pragma once
#include "ffn.h"
#include "multihead.h"
#include "settings.h"

namespace attn {

struct EncoderLayerTrace {
  Mat input;            // n × d_model
  Mat attn_in;          // n × d_model  what attention reads: input (post) or LN1(input) (pre)
  MultiHeadTrace attn;  // attn.output is the attention output after W_O
  Mat add1;             // n × d_model  input + attention output
  Mat norm1;            // n × d_model  post: LN1(add1); pre: add1
  Mat ffn_in;           // n × d_model  post: norm1; pre: LN2(norm1)
  Mat ffn_pre;          // n × d_ff     ffn_in·W_1 + b_1, before the activation (the FFN view's curve)
  Mat ffn_hidden;       // n × d_ff     act(ffn_pre): ReLU, or GELU for GPT-2 models
  Mat ffn_out;          // n × d_model  ffn_hidden·W_2 + b_2
  Mat add2;             // n × d_model  norm1 + ffn_out
  Mat output;           // n × d_model  post: LN2(add2); pre: add2
};

struct DecoderLayerTrace {
  Mat input;                  // m × d_model
  Mat self_in;                // post: input; pre: LN1(input)
  MultiHeadTrace self_attn;   // causal: query i sees target positions ≤ i
  Mat add1, norm1;            // input + self-attention output; post: LN1, pre: unchanged
  Mat cross_in;               // post: norm1; pre: LN2(norm1)
  MultiHeadTrace cross_attn;  // queries from the decoder (m), keys and values from the encoder output (n)
  Mat add2, norm2;            // norm1 + cross output; post: LN2, pre: unchanged
  Mat ffn_in, ffn_hidden, ffn_out;
  Mat add3, output;           // norm2 + ffn_out; post: LN3, pre: unchanged
};

AttentionOptions attention_options(const Settings& s);

// head_on: `heads` flags or null.
void encoder_layer(const MatRef& x, const EncoderLayerWeights& w, const Settings& s, const BoolMat* mask,
                   const uint8_t* head_on, EncoderLayerTrace* t);
void decoder_layer(const MatRef& y, const MatRef& memory, const DecoderLayerWeights& w, const Settings& s,
                   const BoolMat& self_mask, const BoolMat* cross_mask, DecoderLayerTrace* t);

}  // namespace attn
