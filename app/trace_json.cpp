#include "trace_json.h"

#include <cmath>

namespace attn {

using json = nlohmann::ordered_json;

namespace {

// JSON has no infinities or NaN: write them as strings so nothing is silently turned into null.
json number(float v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v < 0 ? "-inf" : "inf";
  return double(v);
}

json row_to_json(const RowVec& v) {
  json a = json::array();
  for (int j = 0; j < v.size(); ++j) a.push_back(number(v[j]));
  return a;
}

json bool_matrix(const BoolMat& m) {
  json rows = json::array();
  for (int i = 0; i < m.rows; ++i) {
    json r = json::array();
    for (int j = 0; j < m.cols; ++j) r.push_back(bool(m(i, j)));
    rows.push_back(std::move(r));
  }
  return rows;
}

json heads_json(const MultiHeadTrace& a) {
  json heads = json::array();
  for (const HeadTrace& h : a.heads) {
    json o;
    o["Q"] = matrix_to_json(h.Q);
    o["K"] = matrix_to_json(h.K);
    o["V"] = matrix_to_json(h.V);
    o["scores"] = matrix_to_json(h.scores);
    o["scaled"] = matrix_to_json(h.scaled);
    o["masked"] = matrix_to_json(h.masked);
    o["weights"] = matrix_to_json(h.weights);
    o["output"] = matrix_to_json(h.output);
    json flags = json::array();
    for (uint8_t f : h.row_fully_masked) flags.push_back(bool(f));
    o["row_fully_masked"] = std::move(flags);
    heads.push_back(std::move(o));
  }
  return heads;
}

void attention_weights(json& w, const AttentionWeights& a, const std::string& prefix) {
  w[prefix + "W_q"] = matrix_to_json(a.W_q);
  w[prefix + "b_q"] = row_to_json(a.b_q);
  w[prefix + "W_k"] = matrix_to_json(a.W_k);
  w[prefix + "b_k"] = row_to_json(a.b_k);
  w[prefix + "W_v"] = matrix_to_json(a.W_v);
  w[prefix + "b_v"] = row_to_json(a.b_v);
  w[prefix + "W_o"] = matrix_to_json(a.W_o);
  w[prefix + "b_o"] = row_to_json(a.b_o);
}

void ffn_weights(json& w, const FFNWeights& f) {
  w["W_1"] = matrix_to_json(f.W_1);
  w["b_1"] = row_to_json(f.b_1);
  w["W_2"] = matrix_to_json(f.W_2);
  w["b_2"] = row_to_json(f.b_2);
}

void norm_weights(json& w, const NormWeights& n, const std::string& name) {
  w[name + "_gamma"] = row_to_json(n.gamma);
  w[name + "_beta"] = row_to_json(n.beta);
}

json decoder_json(const DecoderTrace& d, const Model& m) {
  json o;
  o["tokens"] = d.tokens;
  o["embeddings"] = matrix_to_json(d.embeddings);
  o["positional"] = matrix_to_json(d.positional);
  o["input"] = matrix_to_json(d.input);
  o["self_mask"] = bool_matrix(d.self_mask);
  o["cross_mask"] = bool_matrix(d.cross_mask);
  json layers = json::array();
  for (size_t l = 0; l < d.layers.size(); ++l) {
    const DecoderLayerTrace& L = d.layers[l];
    const DecoderLayerWeights& W = m.decoder[l];
    json w;
    attention_weights(w, W.self, "");
    norm_weights(w, W.ln1, "ln1");
    attention_weights(w, W.cross, "cross_");
    norm_weights(w, W.ln2, "ln2");
    ffn_weights(w, W.ffn);
    norm_weights(w, W.ln3, "ln3");
    json lo;
    lo["weights"] = std::move(w);
    lo["self_heads"] = heads_json(L.self_attn);
    lo["self_attention_output"] = matrix_to_json(L.self_attn.output);
    lo["cross_heads"] = heads_json(L.cross_attn);
    lo["cross_attention_output"] = matrix_to_json(L.cross_attn.output);
    lo["output"] = matrix_to_json(L.output);
    layers.push_back(std::move(lo));
  }
  o["layers"] = std::move(layers);
  o["output"] = matrix_to_json(d.output);
  o["logits"] = matrix_to_json(d.logits);
  return o;
}

}  // namespace

json matrix_to_json(const Mat& m) {
  json rows = json::array();
  for (int i = 0; i < m.rows(); ++i) {
    json r = json::array();
    for (int j = 0; j < m.cols(); ++j) r.push_back(number(m(i, j)));
    rows.push_back(std::move(r));
  }
  return rows;
}

json config_to_json(const Settings& s) {
  json c;
  c["d_model"] = s.d_model;
  c["heads"] = s.heads;
  c["d_k"] = s.d_k();
  c["layers"] = s.layers;
  c["d_ff"] = s.d_ff;
  c["seed"] = s.seed;
  c["scale"] = s.scale;
  c["temperature"] = double(s.temperature);
  c["mask"] = to_string(s.mask);
  c["mask_value"] = s.mask_value == MaskValue::NegInf ? json("-inf") : json(double(kMaskNegBillion));
  c["pe"] = to_string(s.pe);
  c["norm"] = to_string(s.norm);
  c["hard"] = s.hard;
  c["max_tokens"] = s.max_tokens;
  c["pad_to"] = s.pad_to;
  c["ln_eps"] = double(kLayerNormEps);
  c["target"] = s.target ? json(*s.target) : json(nullptr);
  c["decode_steps"] = s.decode_steps;
  return c;
}

json trace_to_json(const Trace& t) {
  json o;
  o["schema_version"] = kTraceSchemaVersion;
  o["config"] = config_to_json(t.settings);
  o["tokens"] = t.tokens;
  o["truncated"] = t.truncated;
  o["embeddings"] = matrix_to_json(t.embeddings);
  o["positional"] = matrix_to_json(t.positional);
  o["input"] = matrix_to_json(t.input);
  json layers = json::array();
  for (size_t l = 0; l < t.layers.size(); ++l) {
    const EncoderLayerTrace& L = t.layers[l];
    const EncoderLayerWeights& W = t.model->encoder[l];
    json w;
    attention_weights(w, W.attn, "");
    norm_weights(w, W.ln1, "ln1");
    ffn_weights(w, W.ffn);
    norm_weights(w, W.ln2, "ln2");
    json lo;
    lo["weights"] = std::move(w);
    lo["mask"] = bool_matrix(t.mask);
    lo["heads"] = heads_json(L.attn);
    lo["attention_output"] = matrix_to_json(L.attn.output);
    lo["output"] = matrix_to_json(L.output);
    layers.push_back(std::move(lo));
  }
  o["layers"] = std::move(layers);
  o["output"] = matrix_to_json(t.output);
  if (t.decoder) {
    json d = decoder_json(*t.decoder, *t.model);
    d["vocab"] = t.vocab;
    json steps = json::array();
    for (const DecodeStep& st : t.steps) {
      json s;
      s["tokens"] = st.trace.tokens;
      s["chosen"] = st.token;
      s["logits"] = row_to_json(st.trace.logits.row(st.trace.logits.rows() - 1));
      steps.push_back(std::move(s));
    }
    d["steps"] = std::move(steps);
    o["decoder"] = std::move(d);
  }
  return o;
}

}  // namespace attn
