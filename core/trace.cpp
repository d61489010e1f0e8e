#include "trace.h"

#include <algorithm>

#include "mask.h"
#include "positional.h"
#include "tokenizer.h"

namespace attn {

namespace {

// A trained model embeds from its own table (<pad> as the zero row); a random-weight model hashes any token.
Mat embed(const Model& m, const std::vector<std::string>& tokens, const Settings& s) {
  if (!m.trained()) return embed_tokens(tokens, s.d_model, s.seed);
  Mat E = Mat::Zero(Eigen::Index(tokens.size()), m.d_model);
  for (size_t i = 0; i < tokens.size(); ++i) {
    const int id = m.token_id(tokens[i]);
    if (id >= 0) E.row(Eigen::Index(i)) = m.embedding.row(id);
  }
  return E;
}

// "" when every token is in the trained model's vocabulary, else a sentence naming the first that is not.
std::string check_vocab(const Model& m, const std::vector<std::string>& tokens) {
  for (const std::string& w : tokens)
    if (m.token_id(w) < 0 && w != kPadToken)
      return "\"" + untrusted_text(w) + "\" is not in this model's vocabulary (" + m.vocab.front() + " … " +
             m.vocab[size_t(m.classes - 1)] + ")";
  return {};
}

}  // namespace

DecoderTrace run_decoder(const Trace& enc, const std::vector<std::string>& tokens) {
  const Settings& s = enc.settings;
  DecoderTrace d;
  d.tokens = tokens;
  const int m = int(tokens.size()), n = enc.n();
  d.embeddings = embed(*enc.model, tokens, s);
  d.positional = positional_encoding(s.pe, m, s.d_model, s.seed);
  d.input = d.embeddings + d.positional;
  d.self_mask = causal_mask(m);
  d.cross_mask = BoolMat(m, n);
  for (int i = 0; i < m; ++i)
    for (int j = 0; j < n; ++j) d.cross_mask(i, j) = enc.is_pad[size_t(j)];
  d.layers.resize(size_t(s.layers));
  Mat y = d.input;
  for (int l = 0; l < s.layers; ++l) {
    decoder_layer(y, enc.output, enc.model->decoder[size_t(l)], s, d.self_mask, &d.cross_mask, &d.layers[size_t(l)]);
    y = d.layers[size_t(l)].output;
  }
  d.output = y;
  if (enc.model->trained()) {
    d.logits = output_logits(*enc.model, d.output);
    return d;
  }
  const Mat E = embed_tokens(enc.vocab, s.d_model, s.seed);  // |vocab| × d_model
  d.logits.resize(m, E.rows());
  d.logits.noalias() = d.output * E.transpose();           // logits = output·Eᵀ (tied embeddings)
  return d;
}

std::string build_trace(const Settings& s, std::string_view text, Trace* out, std::shared_ptr<const Model> model) {
  std::string err = validate(s);
  if (!err.empty()) return err;
  const Tokenized tok = tokenize(text, s.max_tokens);
  if (tok.tokens.empty()) return "the text has no tokens: type a sentence";
  if (s.target) {
    if (tokenize(*s.target, s.max_tokens).tokens.empty() && s.decode_steps == 0)
      return "the decoder target has no tokens: type a target or ask for decoding steps";
  }
  if (model && !model_fits(*model, s)) return "the model's weights do not fit these settings";
  if (model && model->trained()) {
    std::string e = check_vocab(*model, tok.tokens);
    if (e.empty() && s.target) e = check_vocab(*model, tokenize(*s.target, s.max_tokens).tokens);
    if (!e.empty()) return e;
  }
  // From here nothing can fail: compute straight into *out, so a rebuilt trace reuses the previous one's buffers
  // (same shapes, no allocation, no page faults).
  Trace& t = *out;
  t.settings = s;
  t.model = model ? std::move(model) : std::make_shared<const Model>(make_model(s));
  t.tokens = tok.tokens;
  t.truncated = tok.truncated;
  t.invalid_utf8 = tok.invalid_bytes;
  t.n_real = int(t.tokens.size());
  if (s.mask == MaskKind::Padding)
    while (int(t.tokens.size()) < s.pad_to) t.tokens.push_back(kPadToken);
  t.is_pad.assign(t.tokens.size(), 0);
  for (size_t i = size_t(t.n_real); i < t.tokens.size(); ++i) t.is_pad[i] = 1;
  const int n = t.n();

  t.embeddings = embed(*t.model, t.tokens, s);
  if (s.pe == PEKind::Sinusoidal && t.model->pe_table.rows() >= n && t.model->pe_table.cols() == s.d_model)
    t.positional = t.model->pe_table.topRows(n);  // precomputed with the model
  else
    t.positional = positional_encoding(s.pe, n, s.d_model, s.seed);
  t.input = t.embeddings + t.positional;  // the paper sums embeddings and positional encodings
  t.mask = make_mask(s, n, t.is_pad);

  t.layers.resize(size_t(s.layers));
  const Mat* x = &t.input;
  for (int l = 0; l < s.layers; ++l) {
    const uint8_t* head_on = nullptr;
    if (s.head_enabled.size() == size_t(s.layers) * size_t(s.heads)) head_on = &s.head_enabled[size_t(l * s.heads)];
    encoder_layer(*x, t.model->encoder[size_t(l)], s, &t.mask, head_on, &t.layers[size_t(l)]);
    x = &t.layers[size_t(l)].output;
  }
  t.output = *x;
  t.logits.resize(0, 0);
  t.predicted.clear();
  if (t.model->trained() && t.model->decoder.empty()) {  // a decoder-only model: next-token prediction
    t.logits = output_logits(*t.model, t.output);
    for (int i = 0; i < n; ++i) {
      Eigen::Index best = 0;
      t.logits.row(i).maxCoeff(&best);
      t.predicted.push_back(t.model->vocab[size_t(best)]);
    }
  }

  t.decoder.reset();
  t.vocab.clear();
  t.steps.clear();
  if (s.target && t.model->trained()) {
    t.vocab.assign(t.model->vocab.begin(), t.model->vocab.begin() + t.model->classes);  // its output classes
  } else if (s.target) {
    for (int i = 0; i < t.n_real; ++i)
      if (std::find(t.vocab.begin(), t.vocab.end(), t.tokens[size_t(i)]) == t.vocab.end())
        t.vocab.push_back(t.tokens[size_t(i)]);
    t.vocab.push_back("</s>");
  }
  if (s.target) {
    std::vector<std::string> dec_tokens{"<s>"};
    for (const std::string& w : tokenize(*s.target, s.max_tokens).tokens) dec_tokens.push_back(w);
    t.decoder = run_decoder(t, dec_tokens);
    // Greedy autoregressive decoding: one token per step, each step a full decoder run under the causal mask.
    std::vector<std::string> so_far = dec_tokens;
    for (int step = 0; step < s.decode_steps && int(so_far.size()) < kMaxTokensLimit; ++step) {
      DecodeStep st;
      st.trace = step == 0 ? *t.decoder : run_decoder(t, so_far);
      const Mat& lg = st.trace.logits;
      Eigen::Index best = 0;
      lg.row(lg.rows() - 1).maxCoeff(&best);  // first maximum on ties
      st.chosen = int(best);
      st.token = t.vocab[size_t(best)];
      so_far.push_back(st.token);
      t.steps.push_back(std::move(st));
      if (t.steps.back().token == "</s>") break;
    }
  }
  return {};
}

namespace {

void add_attention_stages(std::vector<Stage>& v, const std::string& part, const std::string& pre, int l,
                          const MultiHeadTrace& a) {
  v.push_back({pre + "Q projection", "Q = X·W_Q + b_Q", part, l, -1, &a.Q});
  v.push_back({pre + "K projection", "K = X·W_K + b_K", part, l, -1, &a.K});
  v.push_back({pre + "V projection", "V = X·W_V + b_V", part, l, -1, &a.V});
  for (int h = 0; h < int(a.heads.size()); ++h) {
    const HeadTrace& ht = a.heads[size_t(h)];
    const std::string p = pre + "H" + std::to_string(h) + " ";
    v.push_back({p + "Q·Kᵀ", "scores = Q_h·K_hᵀ", part, l, h, &ht.scores});
    v.push_back({p + "scale", "scaled = scores / (√d_k·τ)", part, l, h, &ht.scaled});
    v.push_back({p + "mask", "masked = blocked ? mask value : scaled", part, l, h, &ht.masked});
    v.push_back({p + "softmax", "weights = softmax(masked) per row", part, l, h, &ht.weights});
    v.push_back({p + "·V", "head = weights·V_h", part, l, h, &ht.output});
  }
  v.push_back({pre + "concat", "Concat(head_1, …, head_h)", part, l, -1, &a.concat});
  v.push_back({pre + "W_O", "MultiHead = Concat·W_O + b_O", part, l, -1, &a.output});
}

}  // namespace

std::vector<Stage> list_stages(const Trace& t) {
  std::vector<Stage> v;
  const bool pre = t.settings.norm == NormPlacement::Pre;
  v.push_back({"tokenize", "text → tokens", "encoder", -1, -1, nullptr});
  v.push_back({"embed", "E[token]", "encoder", -1, -1, &t.embeddings});
  v.push_back({"+ PE", "X = E + PE", "encoder", -1, -1, &t.input});
  for (int l = 0; l < int(t.layers.size()); ++l) {
    const EncoderLayerTrace& L = t.layers[size_t(l)];
    const std::string p = "L" + std::to_string(l) + " ";
    add_attention_stages(v, "encoder", p, l, L.attn);
    v.push_back({p + "Add & Norm", pre ? "x + MultiHead(LN(x))" : "LN(x + MultiHead(x))", "encoder", l, -1, &L.norm1});
    v.push_back({p + "FFN", "max(0, x·W_1 + b_1)·W_2 + b_2", "encoder", l, -1, &L.ffn_out});
    v.push_back({p + "Add & Norm", pre ? "x + FFN(LN(x))" : "LN(x + FFN(x))", "encoder", l, -1, &L.output});
  }
  if (t.logits.size() > 0) v.push_back({"logits", "output·W_out + b_out", "encoder", -1, -1, &t.logits});
  if (t.decoder) {
    const DecoderTrace& d = *t.decoder;
    v.push_back({"dec + PE", "Y = E[<s>, target…] + PE", "decoder", -1, -1, &d.input});
    for (int l = 0; l < int(d.layers.size()); ++l) {
      const DecoderLayerTrace& L = d.layers[size_t(l)];
      const std::string p = "D" + std::to_string(l) + " ";
      add_attention_stages(v, "decoder", p + "self ", l, L.self_attn);
      v.push_back({p + "Add & Norm", "LN(y + SelfAttn(y))", "decoder", l, -1, &L.norm1});
      add_attention_stages(v, "decoder", p + "cross ", l, L.cross_attn);
      v.push_back({p + "Add & Norm", "LN(y + CrossAttn(y, memory))", "decoder", l, -1, &L.norm2});
      v.push_back({p + "FFN", "max(0, y·W_1 + b_1)·W_2 + b_2", "decoder", l, -1, &L.ffn_out});
      v.push_back({p + "Add & Norm", "LN(y + FFN(y))", "decoder", l, -1, &L.output});
    }
    v.push_back({"logits", t.model && t.model->trained() ? "output·W_out + b_out" : "output·E_vocabᵀ", "decoder", -1,
                 -1, &d.logits});
  }
  return v;
}

}  // namespace attn
