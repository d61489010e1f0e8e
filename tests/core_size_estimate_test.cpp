// estimate_size (core/settings.h) against the floats a real trace and model hold, counted tensor by tensor.
#include <gtest/gtest.h>

#include "train.h"
#include "trace.h"

using namespace attn;

namespace {

double floats(const Mat& m) { return double(m.size()); }
double floats(const Weight& w) { return double(w.size()); }
double floats(const RowVec& v) { return double(v.size()); }

double head_floats(const MultiHeadTrace& a) {
  double n = floats(a.Q) + floats(a.K) + floats(a.V) + floats(a.concat) + floats(a.output) + floats(a.mean_weights);
  for (const HeadTrace& h : a.heads)
    n += floats(h.Q) + floats(h.K) + floats(h.V) + floats(h.scores) + floats(h.scaled) + floats(h.masked) +
         floats(h.weights) + floats(h.output);
  return n;
}

double attention_weights(const AttentionWeights& w) {
  return floats(w.W_q) + floats(w.W_k) + floats(w.W_v) + floats(w.W_o) + floats(w.b_q) + floats(w.b_k) + floats(w.b_v) +
         floats(w.b_o);
}

}  // namespace

TEST(SizeEstimate, CountsEveryFloatOfAnEncoderTraceAndItsWeights) {
  Settings s;
  s.d_model = 24, s.heads = 3, s.layers = 2, s.d_ff = 40, s.max_tokens = 50;
  std::string text;
  for (int i = 0; i < 60; ++i) text += "t" + std::to_string(i) + " ";
  Trace t;
  ASSERT_EQ(build_trace(s, text, &t), "");
  ASSERT_EQ(t.n(), 50);
  double trace = floats(t.embeddings) + floats(t.positional) + floats(t.input) + floats(t.output) +
                 double(t.mask.cells.size()) / 4;  // bytes of the bool mask, in floats
  for (const EncoderLayerTrace& L : t.layers)
    trace += floats(L.input) + floats(L.attn_in) + floats(L.add1) + floats(L.norm1) + floats(L.ffn_in) +
             floats(L.ffn_pre) + floats(L.ffn_hidden) + floats(L.ffn_out) + floats(L.add2) + floats(L.output) + head_floats(L.attn);
  double weights = floats(t.model->pe_table);
  for (const EncoderLayerWeights& W : t.model->encoder)
    weights += attention_weights(W.attn) + floats(W.ffn.W_1) + floats(W.ffn.b_1) + floats(W.ffn.W_2) +
               floats(W.ffn.b_2) + floats(W.ln1.gamma) + floats(W.ln1.beta) + floats(W.ln2.gamma) + floats(W.ln2.beta);
  const SizeEstimate e = estimate_size(s, t.n());
  EXPECT_DOUBLE_EQ(e.trace_floats, trace);
  EXPECT_DOUBLE_EQ(e.weight_floats, weights);
}

TEST(SizeEstimate, TheDecoderIsAnUpperBound) {
  Settings s;
  s.d_model = 16, s.heads = 2, s.layers = 1, s.d_ff = 32, s.max_tokens = 12, s.target = "a b c", s.decode_steps = 2;
  Trace t;
  ASSERT_EQ(build_trace(s, "x y z w", &t), "");
  ASSERT_TRUE(t.decoder);
  const DecoderTrace& d = *t.decoder;
  double dec = floats(d.embeddings) + floats(d.positional) + floats(d.input) + floats(d.output) + floats(d.logits);
  for (const DecoderLayerTrace& L : d.layers)
    dec += floats(L.input) + floats(L.self_in) + floats(L.add1) + floats(L.norm1) + floats(L.cross_in) + floats(L.add2) +
           floats(L.norm2) + floats(L.ffn_in) + floats(L.ffn_hidden) + floats(L.ffn_out) + floats(L.add3) +
           floats(L.output) + head_floats(L.self_attn) + head_floats(L.cross_attn);
  Settings enc_only = s;
  enc_only.target.reset();
  const double decoder_estimate = estimate_size(s, t.n()).trace_floats - estimate_size(enc_only, t.n()).trace_floats;
  EXPECT_GE(decoder_estimate, dec * (1 + double(t.steps.size())));  // the decoder and each step's re-run
}

TEST(SizeEstimate, ValidateRefusesOverTheCapWithTheNumbers) {
  Settings s;
  s.max_tokens = 4096;
  const std::string e = validate(s);
  const std::string mb = std::to_string((long long)(estimate_bytes(s) / 1e6));
  EXPECT_EQ(e, "these sizes need about " + mb + " MB for weights and trace, more than the 2000 MB this app allows");
  s.max_tokens = 2048;  // the export: allowed (about 0.6 GB), and now it peaks there
  EXPECT_EQ(validate(s), "");
  EXPECT_LT(estimate_bytes(s), 1e9);
}

// The closed-form counts that refuse settings before any weight exists (estimate_size, parameter_floats) must agree
// with the parameter table (core/model.h parameters()) of the model those settings then build: encoder only, with a
// decoder, and the trained tasks' models (embedding, W_out, b_out) for both kinds of task.
TEST(SizeEstimate, ClosedFormsAgreeWithTheParameterTable) {
  Settings s;
  s.d_model = 20, s.heads = 4, s.layers = 3, s.d_ff = 36;
  const Model enc = make_model(s);
  EXPECT_DOUBLE_EQ(estimate_size(s, 8).weight_floats, double(parameter_count(enc) + size_t(enc.pe_table.size())));
  s.target = "a b";
  const Model encdec = make_model(s);
  ASSERT_FALSE(encdec.decoder.empty());
  EXPECT_DOUBLE_EQ(estimate_size(s, 8).weight_floats,
                   double(parameter_count(encdec) + size_t(encdec.pe_table.size())));
  for (const TaskKind k : {TaskKind::Reverse, TaskKind::Induction}) {
    const TrainConfig c = recommended_config(k);
    EXPECT_DOUBLE_EQ(parameter_floats(c), double(parameter_count(init_task_model(c)))) << int(k);
  }
}
