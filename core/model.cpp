#include "model.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "positional.h"
#include "rng.h"
#include "translate.h"

namespace attn {

Mat xavier_uniform(int fan_in, int fan_out, uint64_t seed, const std::string& name) {
  Rng rng(stream_seed(seed, name));
  const float a = std::sqrt(6.0f / float(fan_in + fan_out));
  Mat W(fan_in, fan_out);
  for (int i = 0; i < fan_in; ++i)
    for (int j = 0; j < fan_out; ++j) W(i, j) = rng.uniform(-a, a);
  return W;
}

namespace {

RowVec bias(int fan_in, int n, uint64_t seed, const std::string& name) {
  Rng rng(stream_seed(seed, name));
  const float a = 1.0f / std::sqrt(float(fan_in));
  RowVec b(n);
  for (int j = 0; j < n; ++j) b[j] = rng.uniform(-a, a);
  return b;
}

AttentionWeights make_attention(int d, uint64_t seed, const std::string& p) {
  AttentionWeights w;
  w.W_q = xavier_uniform(d, d, seed, p + "W_q");
  w.b_q = bias(d, d, seed, p + "b_q");
  w.W_k = xavier_uniform(d, d, seed, p + "W_k");
  w.b_k = bias(d, d, seed, p + "b_k");
  w.W_v = xavier_uniform(d, d, seed, p + "W_v");
  w.b_v = bias(d, d, seed, p + "b_v");
  w.W_o = xavier_uniform(d, d, seed, p + "W_o");
  w.b_o = bias(d, d, seed, p + "b_o");
  return w;
}

FFNWeights make_ffn(int d, int d_ff, uint64_t seed, const std::string& p) {
  return {xavier_uniform(d, d_ff, seed, p + "W_1"), bias(d, d_ff, seed, p + "b_1"),
          xavier_uniform(d_ff, d, seed, p + "W_2"),
          bias(d_ff, d, seed, p + "b_2")};
}

NormWeights make_norm(int d) { return {RowVec::Ones(d), RowVec::Zero(d)}; }

}  // namespace

Model make_model(int d_model, int d_ff, int layers, uint64_t seed, bool with_decoder) {
  Model m;
  m.seed = seed;
  m.config.kind = with_decoder ? ModelKind::EncoderDecoder : ModelKind::Encoder;
  m.config.d_model = d_model;
  m.config.d_ff = d_ff;
  m.config.layers = layers;
  m.pe_table = sinusoidal_pe(kPeTableRows, d_model);
  for (int l = 0; l < layers; ++l) {
    const std::string e = "enc" + std::to_string(l) + ".";
    m.encoder.push_back({make_attention(d_model, seed, e), make_norm(d_model), make_ffn(d_model, d_ff, seed, e),
                         make_norm(d_model)});
    if (!with_decoder) continue;
    const std::string d = "dec" + std::to_string(l) + ".";
    m.decoder.push_back({make_attention(d_model, seed, d), make_norm(d_model),
                         make_attention(d_model, seed, d + "cross_"), make_norm(d_model),
                         make_ffn(d_model, d_ff, seed, d), make_norm(d_model)});
  }
  return m;
}

Model make_model(const Settings& s) {
  Model m = make_model(s.d_model, s.d_ff, s.layers, s.seed, s.target.has_value());
  m.config.heads = s.heads;
  m.config.norm = s.norm;
  m.config.positions = s.pe;
  return m;
}

bool model_fits(const Model& m, const Settings& s) {
  return m.config.d_model == s.d_model && m.config.d_ff == s.d_ff && m.config.layers == s.layers && (m.trained() || m.seed == s.seed) &&
         (!s.target || int(m.decoder.size()) == s.layers);
}

SizeEstimate estimate_size(const Model& m, const Settings& s, int n) {
  SizeEstimate e = estimate_size(s, n);
  e.weight_floats = double(parameter_count(m)) + double(m.pe_table.size());
  const double outputs = m.config.output == OutputKind::Tied ? double(m.embedding.rows())
                         : m.config.output == OutputKind::Separate ? double(m.W_out.cols()) : 0.0;
  if (m.decoder.empty() && m.trained()) e.trace_floats += double(n) * (outputs + 10 + (m.config.final_norm ? m.config.d_model : 0));
  return e;
}

std::string model_summary(const Model& m) {
  return printf_text(
      // TRANSLATORS: the model's family, layers, heads, d_model, d_ff, millions of parameters, then the context part.
      _("%s · %d layers × %d heads · d_model %d · d_ff %d · %.1fM parameters%s"),
      m.config.tokenizer == TokenizerKind::ByteBPE ? _("GPT-2 family") : "Transformer", m.config.layers, m.config.heads,
      m.config.d_model, m.config.d_ff, double(parameter_count(m)) / 1e6,
      m.config.context > 0
          ? printf_text(_(" · context %d · vocabulary %d"), m.config.context, m.config.vocab_size).c_str()
          : "");
}

Settings checkpoint_settings(const Model& m, const Settings& doc) {
  Settings s = doc;
  s.d_model = m.config.d_model;
  s.heads = m.config.heads;
  s.layers = m.config.layers;
  s.d_ff = m.config.d_ff;
  s.pe = m.config.positions;
  s.norm = m.config.norm;
  s.target.reset();
  s.decode_steps = 0;
  if (m.config.context > 0) s.max_tokens = std::min(s.max_tokens, m.config.context);
  if (s.head_enabled.size() != size_t(s.layers) * size_t(s.heads)) s.head_enabled.clear();
  return s;
}

int Model::token_id(const std::string& token) const {
  for (size_t i = 0; i < vocab.size(); ++i)
    if (vocab[i] == token) return int(i);
  return -1;
}

namespace {
void add(std::vector<Param>& v, const std::string& name, Weight& m) {
  v.push_back({name, m.data(), int(m.rows()), int(m.cols()), false, size_t(m.outerStride())});
}
void add(std::vector<Param>& v, const std::string& name, RowVec& r) {
  v.push_back({name, r.data(), 1, int(r.cols()), true, size_t(r.cols())});
}

void add_attention(std::vector<Param>& v, const std::string& p, AttentionWeights& w) {
  add(v, p + "W_q", w.W_q); add(v, p + "b_q", w.b_q);
  add(v, p + "W_k", w.W_k); add(v, p + "b_k", w.b_k);
  add(v, p + "W_v", w.W_v); add(v, p + "b_v", w.b_v);
  add(v, p + "W_o", w.W_o); add(v, p + "b_o", w.b_o);
}
void add_ffn(std::vector<Param>& v, const std::string& p, FFNWeights& w) {
  add(v, p + "W_1", w.W_1); add(v, p + "b_1", w.b_1); add(v, p + "W_2", w.W_2); add(v, p + "b_2", w.b_2);
}
void add_norm(std::vector<Param>& v, const std::string& p, NormWeights& w) {
  add(v, p + "_gamma", w.gamma); add(v, p + "_beta", w.beta);
}
}  // namespace

std::vector<Param> parameters(Model& m) {
  std::vector<Param> v;
  if (m.trained()) add(v, "embedding", m.embedding);
  if (m.config.positions == PEKind::Learned && m.wpe.size() > 0) add(v, "wpe", m.wpe);
  for (size_t l = 0; l < m.encoder.size(); ++l) {
    const std::string p = "enc" + std::to_string(l) + ".";
    EncoderLayerWeights& w = m.encoder[l];
    add_attention(v, p, w.attn);
    add_norm(v, p + "ln1", w.ln1);
    add_ffn(v, p, w.ffn);
    add_norm(v, p + "ln2", w.ln2);
  }
  for (size_t l = 0; l < m.decoder.size(); ++l) {
    const std::string p = "dec" + std::to_string(l) + ".";
    DecoderLayerWeights& w = m.decoder[l];
    add_attention(v, p + "self_", w.self);
    add_norm(v, p + "ln1", w.ln1);
    add_attention(v, p + "cross_", w.cross);
    add_norm(v, p + "ln2", w.ln2);
    add_ffn(v, p, w.ffn);
    add_norm(v, p + "ln3", w.ln3);
  }
  if (m.config.final_norm) add_norm(v, "ln_f", m.ln_f);
  if (m.trained() && m.config.output == OutputKind::Separate) {
    add(v, "W_out", m.W_out);
    add(v, "b_out", m.b_out);
  }
  return v;
}

size_t parameter_count(const Model& m) {
  size_t n = 0;
  for (const Param& p : parameters(const_cast<Model&>(m))) n += p.size();  // only reads the shapes
  return n;
}

namespace {
// A view is shared by the Model's copies (weight.h): a copy that will be written gets storage of its own.
void own_zeros(Weight& w) {
  if (w.viewed()) w = Mat::Zero(w.rows(), w.cols());
}
void own_zeros(AttentionWeights& a) {
  for (Weight* w : {&a.W_q, &a.W_k, &a.W_v, &a.W_o}) own_zeros(*w);
}
}  // namespace

Model zeros_like(const Model& m) {
  Model z = m;  // owned weights are deep copies
  for (Weight* w : {&z.embedding, &z.W_out, &z.wpe}) own_zeros(*w);
  for (EncoderLayerWeights& l : z.encoder) {
    own_zeros(l.attn);
    for (Weight* w : {&l.ffn.W_1, &l.ffn.W_2}) own_zeros(*w);
  }
  for (DecoderLayerWeights& l : z.decoder) {
    own_zeros(l.self);
    own_zeros(l.cross);
    for (Weight* w : {&l.ffn.W_1, &l.ffn.W_2}) own_zeros(*w);
  }
  for (Param& p : parameters(z)) std::fill(p.data, p.data + p.size(), 0.0f);  // all owned and contiguous now
  return z;
}

}  // namespace attn
