#include "trace_json.h"

#include <charconv>
#include <cmath>
#include <sstream>

#include "settings_json.h"
#include "translate.h"

namespace attn {

using json = nlohmann::ordered_json;

namespace {

// Streams JSON to a file as it goes: a trace of 2048 tokens is ~150 M numbers, which as an nlohmann object (16 bytes
// each) and then a dumped string (~20 bytes each, twice) peaked at 8.9 GB; streamed, the trace itself is the peak.
class JsonOut {
 public:
  explicit JsonOut(std::ostream& o, bool count_only = false) : o_(o), count_only_(count_only) {}
  JsonOut& key(const std::string& k) {
    sep();
    o_ << json(k).dump(-1, ' ', false, json::error_handler_t::replace) << ':';
    after_key_ = true;
    return *this;
  }
  void begin_object() { open('{'); }
  void end_object() { close('}'); }
  void begin_array() { open('['); }
  void end_array() { close(']'); }
  void number(float v) {
    if (count_only_) {
      ++numbers_;
      return;
    }
    sep();
    if (std::isnan(v)) o_ << "\"nan\"";  // JSON has no infinities or NaN: strings, never a silent null
    else if (std::isinf(v)) o_ << (v < 0 ? "\"-inf\"" : "\"inf\"");
    else {
      char buf[32];
      const std::to_chars_result r = std::to_chars(buf, buf + sizeof buf, v);  // shortest text that reads back as v
      o_.write(buf, r.ptr - buf);
    }
    ++numbers_;
  }
  void value(const json& v) {  // small values: config, tokens, flags
    if (count_only_) return;
    sep();
    o_ << v.dump(-1, ' ', false, json::error_handler_t::replace);
  }
  void matrix(const MatRef& m) {  // MatRef: a model's Weight is read where it is, not copied
    begin_array();
    for (int i = 0; i < m.rows(); ++i) {
      begin_array();
      for (int j = 0; j < m.cols(); ++j) number(m(i, j));
      end_array();
    }
    end_array();
  }
  void row(const RowVecRef& v) {
    begin_array();
    for (int j = 0; j < v.size(); ++j) number(v[j]);
    end_array();
  }
  void bools(const BoolMat& m) {
    begin_array();
    for (int i = 0; i < m.rows; ++i) {
      begin_array();
      for (int j = 0; j < m.cols; ++j) value(bool(m(i, j)));
      end_array();
    }
    end_array();
  }
  double numbers() const { return numbers_; }

 private:
  void sep() {
    if (after_key_) after_key_ = false;
    else if (!first_.empty()) {
      if (!first_.back()) o_ << ',';
      first_.back() = false;
    }
  }
  void open(char c) {
    sep();
    o_ << c;
    first_.push_back(true);
  }
  void close(char c) {
    first_.pop_back();
    o_ << c;
  }
  std::ostream& o_;
  bool count_only_;          // walk the trace and count its numbers, write nothing of them (the size announcement)
  std::vector<bool> first_;  // per open container: nothing written in it yet
  bool after_key_ = false;
  double numbers_ = 0;
};

void heads_json(JsonOut& o, const MultiHeadTrace& a) {
  o.begin_array();
  for (const HeadTrace& h : a.heads) {
    o.begin_object();
    o.key("Q").matrix(h.Q);
    o.key("K").matrix(h.K);
    o.key("V").matrix(h.V);
    o.key("scores").matrix(h.scores);
    o.key("scaled").matrix(h.scaled);
    o.key("masked").matrix(h.masked);
    o.key("weights").matrix(h.weights);
    o.key("output").matrix(h.output);
    json flags = json::array();
    for (uint8_t f : h.row_fully_masked) flags.push_back(bool(f));
    o.key("row_fully_masked").value(flags);
    o.end_object();
  }
  o.end_array();
}

// One layer's weights, read from the model's parameter table (core/model.h): every tensor named "<layer>.<key>", in
// the table's order. The decoder's self-attention keys drop their "self_" (schema 1: W_q … b_o).
void layer_weights(JsonOut& o, const std::vector<Param>& table, const std::string& layer) {
  o.key("weights").begin_object();
  for (const Param& p : table) {
    if (p.name.compare(0, layer.size(), layer) != 0) continue;
    std::string key = p.name.substr(layer.size());
    if (key.compare(0, 5, "self_") == 0) key.erase(0, 5);
    o.key(key);
    if (p.vector)
      o.row(Eigen::Map<const RowVec>(p.data, p.cols));
    else
      o.matrix(Eigen::Map<const Mat, 0, Eigen::OuterStride<>>(p.data, p.rows, p.cols, Eigen::OuterStride<>(p.stride)));
  }
  o.end_object();
}

void decoder_json(JsonOut& o, const Trace& t, const std::function<void(const std::string&)>& progress) {
  const DecoderTrace& d = *t.decoder;
  const std::vector<Param> table = parameters(const_cast<Model&>(*t.model));  // only read
  o.begin_object();
  o.key("tokens").value(d.tokens);
  o.key("embeddings").matrix(d.embeddings);
  o.key("positional").matrix(d.positional);
  o.key("input").matrix(d.input);
  o.key("self_mask").bools(d.self_mask);
  o.key("cross_mask").bools(d.cross_mask);
  o.key("layers").begin_array();
  for (size_t l = 0; l < d.layers.size(); ++l) {
    if (progress) progress(printf_text(_("decoder layer %zu of %zu"), l + 1, d.layers.size()));
    const DecoderLayerTrace& L = d.layers[l];
    o.begin_object();
    layer_weights(o, table, "dec" + std::to_string(l) + ".");
    o.key("self_heads");
    heads_json(o, L.self_attn);
    o.key("self_attention_output").matrix(L.self_attn.output);
    o.key("cross_heads");
    heads_json(o, L.cross_attn);
    o.key("cross_attention_output").matrix(L.cross_attn.output);
    o.key("output").matrix(L.output);
    o.end_object();
  }
  o.end_array();
  o.key("output").matrix(d.output);
  o.key("logits").matrix(d.logits);
  o.key("vocab").value(t.vocab);
  o.key("steps").begin_array();
  for (const DecodeStep& st : t.steps) {
    o.begin_object();
    o.key("tokens").value(st.trace.tokens);
    o.key("chosen").value(st.token);
    o.key("logits").row(st.trace.logits.row(st.trace.logits.rows() - 1));
    o.end_object();
  }
  o.end_array();
  o.end_object();
}

}  // namespace

// Every field of the settings table, plus what a reader needs to recompute: d_k and LayerNorm's ε; the mask value as
// the number it is (docs/trace-json.md).
json model_to_json(const Model& m) {
  static const char* kinds[] = {"encoder", "encoder-decoder", "decoder-only"};
  static const char* outputs[] = {"none", "tied", "separate"};
  json j;
  j["name"] = m.name;
  if (!m.source.empty()) j["file"] = m.source;
  if (!m.source_sha256.empty()) j["sha256"] = m.source_sha256;
  json c;
  c["kind"] = kinds[int(m.config.kind)];
  c["d_model"] = m.config.d_model;
  c["heads"] = m.config.heads;
  c["layers"] = m.config.layers;
  c["d_ff"] = m.config.d_ff;
  c["activation"] = m.config.activation == Activation::GeluTanh ? "gelu_tanh" : "relu";
  c["positions"] = to_string(m.config.positions);
  c["norm"] = to_string(m.config.norm);
  c["final_norm"] = m.config.final_norm;
  c["output"] = outputs[int(m.config.output)];
  c["tokenizer"] = m.config.tokenizer == TokenizerKind::ByteBPE ? "byte-level-bpe" : "word";
  c["context"] = m.config.context;
  c["vocab_size"] = m.config.vocab_size;
  c["ln_eps"] = double(m.config.ln_eps);
  j["config"] = c;
  j["parameters"] = parameter_count(m);
  return j;
}

json config_to_json(const Settings& s) {
  json c;
  for (const Field<Settings>& f : settings_table()) {
    c[f.name] = field_to_json<json>(f, s);
    if (std::string(f.name) == "heads") c["d_k"] = s.d_k();
    if (std::string(f.name) == "pad_to") c["ln_eps"] = double(kLayerNormEps);
  }
  c["mask_value"] = s.mask_value == MaskValue::NegInf ? json("-inf") : json(double(kMaskNegBillion));
  return c;
}

namespace {

double write_json(const Trace& t, std::ostream& out, bool count_only,
                  const std::function<void(const std::string&)>& progress) {
  JsonOut o(out, count_only);
  o.begin_object();
  o.key("schema_version").value(kTraceSchemaVersion);
  o.key("config").value(config_to_json(t.settings));
  const Model& M = *t.model;
  const bool checkpoint = !M.source.empty() && M.config.tokenizer == TokenizerKind::ByteBPE;
  const std::vector<Param> table = checkpoint ? std::vector<Param>() : parameters(const_cast<Model&>(M));  // only read
  if (M.trained()) o.key("model").value(model_to_json(M));
  o.key("tokens").value(t.tokens);
  if (!t.token_ids.empty()) o.key("token_ids").value(t.token_ids);
  o.key("truncated").value(t.truncated);
  o.key("embeddings").matrix(t.embeddings);
  o.key("positional").matrix(t.positional);
  o.key("input").matrix(t.input);
  o.key("layers").begin_array();
  for (size_t l = 0; l < t.layers.size(); ++l) {
    if (progress) progress(printf_text(_("layer %zu of %zu"), l + 1, t.layers.size()));
    const EncoderLayerTrace& L = t.layers[l];
    o.begin_object();
    if (!checkpoint) {  // a checkpoint's weights are named by its file and SHA-256 ("model"), not copied
      layer_weights(o, table, "enc" + std::to_string(l) + ".");
    }
    o.key("mask").bools(t.mask);
    o.key("heads");
    heads_json(o, L.attn);
    o.key("attention_output").matrix(L.attn.output);
    o.key("output").matrix(L.output);
    o.end_object();
  }
  o.end_array();
  o.key("output").matrix(t.output);
  if (t.final_norm.size() > 0) o.key("final_norm").matrix(t.final_norm);
  // The logits of a small output layer in full; a vocabulary of tens of thousands only as the predictions below.
  if (t.logits.size() > 0 && t.logits.cols() <= kTraceJsonMaxLogitColumns) o.key("logits").matrix(t.logits);
  if (!t.next.empty()) {
    o.key("predictions").begin_array();
    for (size_t i = 0; i < t.next.size(); ++i) {
      json p;
      p["position"] = i;
      p["top_ids"] = t.next[i].ids;
      std::vector<std::string> labels;
      for (int id : t.next[i].ids) labels.push_back(M.vocab[size_t(id)]);
      p["top_tokens"] = labels;
      std::vector<double> probs(t.next[i].probs.begin(), t.next[i].probs.end());
      p["top_probs"] = probs;
      if (t.next_actual[i] >= 0) p["next_token_prob"] = double(t.next_actual[i]);
      o.value(p);
    }
    o.end_array();
  }
  if (t.decoder) {
    o.key("decoder");
    decoder_json(o, t, progress);
  }
  o.end_object();
  out << "\n";
  return o.numbers();
}

}  // namespace

double write_trace_json(const Trace& t, std::ostream& out, const std::function<void(const std::string&)>& progress) {
  return write_json(t, out, false, progress);
}

double trace_json_numbers(const Trace& t) {
  std::ostringstream small;  // receives the structure and the small values only
  return write_json(t, small, true, nullptr);
}

json trace_to_json(const Trace& t) {
  std::ostringstream s;
  write_trace_json(t, s);
  return json::parse(s.str());
}

}  // namespace attn
