#include "trace.h"

#include <algorithm>

#include "bpe.h"
#include "mask.h"
#include "parallel.h"
#include "positional.h"
#include "tokenizer.h"
#include "translate.h"

namespace attn {

namespace {

// Ids of a trained word-level model's tokens (-1 for <pad>, and for a token outside the vocabulary).
std::vector<int> word_ids(const Model& m, const std::vector<std::string>& tokens) {
  std::vector<int> ids;
  for (const std::string& w : tokens) ids.push_back(m.token_id(w));
  return ids;
}

// E (token part) and P (position part). A trained model embeds ids from its own table (<pad>, id -1, as the zero
// row) with its own positions (forward.h); a random-weight model hashes any token and uses the settings' PE.
void embed(const Model& m, const std::vector<std::string>& tokens, const std::vector<int>& ids, const Settings& s,
           Mat* E, Mat* P) {
  const int n = int(tokens.size());
  if (!m.trained()) {
    *E = embed_tokens(tokens, s.d_model, s.seed);
    *P = position_rows(m, s.pe, n, s.seed);  // the settings choose the kind (forward.h)
    return;
  }
  std::vector<int> safe(ids);
  for (int& id : safe) id = std::max(id, 0);
  embed_ids(m, safe, E, P);
  for (int i = 0; i < n; ++i)
    if (ids[size_t(i)] < 0) E->row(i).setZero();
}

// "" when every token is in the trained model's vocabulary, else a sentence naming the first that is not.
std::string check_vocab(const Model& m, const std::vector<std::string>& tokens) {
  for (const std::string& w : tokens)
    if (m.token_id(w) < 0 && w != kPadToken)
      return printf_text(_("\"%s\" is not in this model's vocabulary (%s … %s)"), untrusted_text(w).c_str(),
                         m.vocab.front().c_str(), m.vocab[size_t(m.classes - 1)].c_str());
  return {};
}

// The sentence as the model reads it: GPT-2's byte-level BPE (ids and readable labels), or words (core/tokenizer.h).
// At most max_tokens tokens, and no more than the model's context.
Tokenized model_tokens(const Model* m, const Settings& s, std::string_view text, std::vector<int>* ids) {
  ids->clear();
  if (!m || m->config.tokenizer != TokenizerKind::ByteBPE || !m->bpe) return tokenize(text, s.max_tokens);
  Tokenized tok;
  decode_utf8(text, &tok.invalid_bytes);
  *ids = m->bpe->encode(text);
  const size_t limit = size_t(m->config.context > 0 ? std::min(s.max_tokens, m->config.context) : s.max_tokens);
  if (ids->size() > limit) ids->resize(limit), tok.truncated = true;
  for (int id : *ids) tok.tokens.push_back(m->bpe->label(id));
  return tok;
}

}  // namespace

DecoderTrace run_decoder(const Trace& enc, const std::vector<std::string>& tokens) {
  const Settings& s = enc.settings;
  DecoderTrace d;
  d.tokens = tokens;
  const int m = int(tokens.size()), n = enc.n();
  embed(*enc.model, tokens, enc.model->trained() ? word_ids(*enc.model, tokens) : std::vector<int>(), s, &d.embeddings,
        &d.positional);
  d.input = d.embeddings + d.positional;
  d.self_mask = causal_mask(m);
  d.cross_mask = BoolMat(m, n);
  for (int i = 0; i < m; ++i)
    for (int j = 0; j < n; ++j) d.cross_mask(i, j) = enc.is_pad[size_t(j)];
  d.output = run_decoder_layers(*enc.model, d.input, enc.output, s, d.self_mask, &d.cross_mask, &d.layers);
  if (enc.model->trained()) {
    output_head(*enc.model, d.output, nullptr, &d.logits);
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
  if (model && !model_fits(*model, s)) return _("the model's weights do not fit these settings");
  std::vector<int> ids;
  const Tokenized tok = model_tokens(model.get(), s, text, &ids);
  if (tok.tokens.empty()) return _("the text has no tokens: type a sentence");
  if (s.target) {
    if (model && model->config.kind == ModelKind::DecoderOnly && model->config.tokenizer == TokenizerKind::ByteBPE)
      return _("this model has no decoder: remove the target sentence");
    if (tokenize(*s.target, s.max_tokens).tokens.empty() && s.decode_steps == 0)
      return _("the decoder target has no tokens: type a target or ask for decoding steps");
  }
  if (model && model->trained() && model->config.tokenizer == TokenizerKind::Word) {
    std::string e = check_vocab(*model, tok.tokens);
    if (e.empty() && s.target) e = check_vocab(*model, tokenize(*s.target, s.max_tokens).tokens);
    if (!e.empty()) return e;
  }
  // From here nothing can fail: compute straight into *out, so a rebuilt trace reuses the previous one's buffers
  // (same shapes, no allocation, no page faults).
  Trace& t = *out;
  t.settings = s;
  t.model = model ? std::move(model) : std::make_shared<const Model>(make_model(s));
  const Model& M = *t.model;
  t.tokens = tok.tokens;
  t.truncated = tok.truncated;
  t.invalid_utf8 = tok.invalid_bytes;
  t.n_real = int(t.tokens.size());
  if (s.mask == MaskKind::Padding)
    while (int(t.tokens.size()) < s.pad_to) t.tokens.push_back(kPadToken);
  t.is_pad.assign(t.tokens.size(), 0);
  for (size_t i = size_t(t.n_real); i < t.tokens.size(); ++i) t.is_pad[i] = 1;
  const int n = t.n();
  if (!M.trained()) t.token_ids.clear();
  else if (M.config.tokenizer == TokenizerKind::ByteBPE) t.token_ids = ids, t.token_ids.resize(size_t(n), -1);
  else t.token_ids = word_ids(M, t.tokens);

  embed(M, t.tokens, t.token_ids, s, &t.embeddings, &t.positional);
  t.input = t.embeddings + t.positional;  // the paper sums embeddings and positional encodings
  t.mask = make_mask(s, n, t.is_pad);

  const bool some_off = s.head_enabled.size() == size_t(s.layers) * size_t(s.heads);
  t.output = run_layers(M, t.input, s, &t.mask, some_off ? s.head_enabled.data() : nullptr, &t.layers);
  t.final_norm.resize(0, 0);
  t.logits.resize(0, 0);
  t.predicted.clear();
  t.next.clear();
  t.next_actual.clear();
  if (M.trained() && M.decoder.empty()) {  // a decoder-only model: next-token prediction at every position
    output_head(M, t.output, M.config.final_norm ? &t.final_norm : nullptr, &t.logits);
    t.next.assign(size_t(t.n_real), TopK{});
    t.next_actual.assign(size_t(t.n_real), -1.0f);
    auto predict = [&](int i) {  // rows are independent; each row's softmax normaliser is computed once
      const RowSoftmax sm = row_softmax(t.logits, i);
      t.next[size_t(i)] = top_k(t.logits, i, 5, sm);
      const int next_id = i + 1 < t.n_real ? t.token_ids[size_t(i + 1)] : -1;  // "<s>" is an input, never an output
      if (next_id >= 0 && next_id < t.logits.cols()) t.next_actual[size_t(i)] = sm.prob(t.logits(i, next_id));
    };
    if (double(t.n_real) * double(t.logits.cols()) >= 1e6) {  // GPT-2's vocabulary, not the toy models'
      parallel_for(t.n_real, predict);
    } else {
      for (int i = 0; i < t.n_real; ++i) predict(i);
    }
    for (int i = 0; i < n; ++i) {  // the top-1 is the argmax (same tie rule); padding rows have no top 5
      const int id = i < t.n_real && !t.next[size_t(i)].ids.empty() ? t.next[size_t(i)].ids[0] : argmax_row(t.logits, i);
      t.predicted.push_back(M.vocab[size_t(id)]);
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
    // One token per step, each step a full decoder run under the causal mask (forward.h), until "</s>".
    std::vector<std::string> so_far = dec_tokens;
    const int steps = std::min(s.decode_steps, std::max(0, kMaxTokensLimit - int(so_far.size())));
    greedy_decode(
        steps,
        [&]() -> const Mat& {
          t.steps.push_back({t.steps.empty() ? *t.decoder : run_decoder(t, so_far), -1, {}});
          return t.steps.back().trace.logits;
        },
        [&](int id) {
          DecodeStep& st = t.steps.back();
          st.chosen = id;
          st.token = t.vocab[size_t(id)];
          so_far.push_back(st.token);
          return st.token != "</s>";
        });
  }
  return {};
}

namespace {

using K = StageKind;

void add_attention_stages(std::vector<Stage>& v, const std::string& part, const std::string& pre, int l,
                          const MultiHeadTrace& a) {
  v.push_back({K::Q, pre + _("Q projection"), "Q = X·W_Q + b_Q", part, l, -1, &a.Q});
  v.push_back({K::K, pre + _("K projection"), "K = X·W_K + b_K", part, l, -1, &a.K});
  v.push_back({K::V, pre + _("V projection"), "V = X·W_V + b_V", part, l, -1, &a.V});
  for (int h = 0; h < int(a.heads.size()); ++h) {
    const HeadTrace& ht = a.heads[size_t(h)];
    const std::string p = pre + "H" + std::to_string(h) + " ";
    v.push_back({K::Scores, p + "Q·Kᵀ", "scores = Q_h·K_hᵀ", part, l, h, &ht.scores});
    v.push_back({K::Scaled, p + _("scale"), "scaled = scores / (√d_k·τ)", part, l, h, &ht.scaled});
    v.push_back({K::Masked, p + _("mask"), _("masked = blocked ? mask value : scaled"), part, l, h, &ht.masked});
    v.push_back({K::Softmax, p + "softmax", _("weights = softmax(masked) per row"), part, l, h, &ht.weights});
    v.push_back({K::HeadOutput, p + "·V", "head = weights·V_h", part, l, h, &ht.output});
  }
  v.push_back({K::Concat, pre + _("concat"), "Concat(head_1, …, head_h)", part, l, -1, &a.concat});
  v.push_back({K::OutputProjection, pre + "W_O", "MultiHead = Concat·W_O + b_O", part, l, -1, &a.output});
}

const char* ffn_formula(const Model* m) {
  const bool gelu = m && !m->encoder.empty() && m->encoder.front().ffn.activation == Activation::GeluTanh;
  return gelu ? "GELU(x·W_1 + b_1)·W_2 + b_2" : "max(0, x·W_1 + b_1)·W_2 + b_2";
}

}  // namespace

std::vector<Stage> list_stages(const Trace& t) {
  std::vector<Stage> v;
  const bool pre = t.settings.norm == NormPlacement::Pre;
  const Model* m = t.model.get();
  const bool learned = m && m->trained() && m->config.positions == PEKind::Learned;
  v.push_back({K::Tokenize, _("tokenize"), m && m->bpe ? _("text → byte-level BPE tokens") : _("text → tokens"),
               "encoder", -1, -1, nullptr});
  v.push_back({K::Embed, _("embed"), "E[token]", "encoder", -1, -1, &t.embeddings});
  v.push_back({K::Positions, "+ PE", learned ? "X = E[token] + W_pos[position]" : "X = E + PE", "encoder", -1, -1,
               &t.input});
  const char* ffn = ffn_formula(m);
  for (int l = 0; l < int(t.layers.size()); ++l) {
    const EncoderLayerTrace& L = t.layers[size_t(l)];
    const std::string p = "L" + std::to_string(l) + " ";
    if (pre) v.push_back({K::PreNorm, p + "LN₁", "LN(x)", "encoder", l, -1, &L.attn_in});
    add_attention_stages(v, "encoder", p, l, L.attn);
    v.push_back({K::AddNorm1, p + _("Add & Norm"), pre ? "x + MultiHead(LN(x))" : "LN(x + MultiHead(x))", "encoder", l,
                 -1, &L.norm1});
    v.push_back({K::FFN, p + "FFN", ffn, "encoder", l, -1, &L.ffn_out});
    v.push_back(
        {K::AddNorm2, p + _("Add & Norm"), pre ? "x + FFN(LN(x))" : "LN(x + FFN(x))", "encoder", l, -1, &L.output});
  }
  if (t.final_norm.size() > 0)
    v.push_back({K::FinalNorm, _("final LN"), "h = LN_f(x)", "encoder", -1, -1, &t.final_norm});
  if (t.logits.size() > 0) {
    const bool tied = m && m->config.output == OutputKind::Tied;
    v.push_back({K::Logits, _("logits"), tied ? _("logits = h·Eᵀ (tied to the embedding)") : "output·W_out + b_out",
                 "encoder", -1, -1, &t.logits});
  }
  if (t.decoder) {
    const DecoderTrace& d = *t.decoder;
    v.push_back({K::DecoderInput, "dec + PE", "Y = E[<s>, target…] + PE", "decoder", -1, -1, &d.input});
    for (int l = 0; l < int(d.layers.size()); ++l) {
      const DecoderLayerTrace& L = d.layers[size_t(l)];
      const std::string p = "D" + std::to_string(l) + " ";
      add_attention_stages(v, "decoder", p + _("self "), l, L.self_attn);
      v.push_back({K::AddNorm1, p + _("Add & Norm"), "LN(y + SelfAttn(y))", "decoder", l, -1, &L.norm1});
      add_attention_stages(v, "decoder", p + _("cross "), l, L.cross_attn);
      v.push_back({K::AddNorm2, p + _("Add & Norm"), "LN(y + CrossAttn(y, memory))", "decoder", l, -1, &L.norm2});
      v.push_back({K::FFN, p + "FFN", ffn, "decoder", l, -1, &L.ffn_out});
      v.push_back({K::AddNorm3, p + _("Add & Norm"), "LN(y + FFN(y))", "decoder", l, -1, &L.output});
    }
    v.push_back({K::Logits, _("logits"), m && m->trained() ? "output·W_out + b_out" : "output·E_vocabᵀ", "decoder", -1,
                 -1, &d.logits});
  }
  return v;
}

}  // namespace attn
