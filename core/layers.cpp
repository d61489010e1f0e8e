#include "layers.h"

#include "layernorm.h"

namespace attn {

AttentionOptions attention_options(const Settings& s) {
  AttentionOptions o;
  o.scale = s.scale;
  o.temperature = s.temperature;
  o.mask_value = mask_value_float(s.mask_value);
  o.hard = s.hard;
  return o;
}

namespace {
Mat norm(const MatRef& x, const NormWeights& n) { return layer_norm(x, n.gamma, n.beta, n.eps); }
}  // namespace

void encoder_layer(const MatRef& x, const EncoderLayerWeights& w, const Settings& s, const BoolMat* mask,
                   const uint8_t* head_on, EncoderLayerTrace* t) {
  const bool pre = s.norm == NormPlacement::Pre;
  const AttentionOptions opt = attention_options(s);
  t->input = x;
  t->attn_in = pre ? norm(x, w.ln1) : Mat(x);
  multi_head_attention(t->attn_in, t->attn_in, w.attn, s.heads, mask, opt, head_on, &t->attn);
  t->add1 = x + t->attn.output;                         // residual
  t->norm1 = pre ? t->add1 : norm(t->add1, w.ln1);      // Add & Norm
  t->ffn_in = pre ? norm(t->norm1, w.ln2) : t->norm1;
  feed_forward(t->ffn_in, w.ffn, &t->ffn_hidden, &t->ffn_out, &t->ffn_pre);
  t->add2 = t->norm1 + t->ffn_out;                      // residual
  t->output = pre ? t->add2 : norm(t->add2, w.ln2);     // Add & Norm
}

void decoder_layer(const MatRef& y, const MatRef& memory, const DecoderLayerWeights& w, const Settings& s,
                   const BoolMat& self_mask, const BoolMat* cross_mask, DecoderLayerTrace* t) {
  const bool pre = s.norm == NormPlacement::Pre;
  const AttentionOptions opt = attention_options(s);
  t->input = y;
  t->self_in = pre ? norm(y, w.ln1) : Mat(y);
  multi_head_attention(t->self_in, t->self_in, w.self, s.heads, &self_mask, opt, nullptr, &t->self_attn);
  t->add1 = y + t->self_attn.output;
  t->norm1 = pre ? t->add1 : norm(t->add1, w.ln1);
  t->cross_in = pre ? norm(t->norm1, w.ln2) : t->norm1;
  multi_head_attention(t->cross_in, memory, w.cross, s.heads, cross_mask, opt, nullptr, &t->cross_attn);
  t->add2 = t->norm1 + t->cross_attn.output;
  t->norm2 = pre ? t->add2 : norm(t->add2, w.ln2);
  t->ffn_in = pre ? norm(t->norm2, w.ln3) : t->norm2;
  feed_forward(t->ffn_in, w.ffn, &t->ffn_hidden, &t->ffn_out);
  t->add3 = t->norm2 + t->ffn_out;
  t->output = pre ? t->add3 : norm(t->add3, w.ln3);
}

}  // namespace attn
