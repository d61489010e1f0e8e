#include "train.h"

#include <algorithm>
#include <cmath>

#include "adam.h"
#include "backward.h"
#include "forward.h"
#include "mask.h"
#include "positional.h"
#include "rng.h"
#include "translate.h"

namespace attn {

std::string validate(const TrainConfig& c) {
  std::string e = validate(c.task);
  if (!e.empty()) return e;
  if (c.d_model < 2 || c.d_model > 512) return _("d_model must be between 2 and 512 for training");
  if (c.heads < 1 || c.d_model % c.heads != 0)
    return printf_text(_("heads (%d) must divide d_model (%d)"), c.heads, c.d_model);
  if (c.layers < 1 || c.layers > 8) return _("layers must be between 1 and 8 for training");
  if (c.d_ff < 1 || c.d_ff > 4096) return _("d_ff must be between 1 and 4096 for training");
  if (!(c.lr > 0.0f && c.lr <= 1.0f)) return _("the learning rate must be in (0, 1]");
  if (c.batch < 1 || c.batch > 4096) return _("the batch size must be between 1 and 4096");
  if (c.steps < 0 || c.steps > 10000000) return _("steps must be between 0 and 10,000,000");
  if (c.warmup < 0) return _("warm-up steps cannot be negative");
  if (!(c.clip > 0.0f) || !std::isfinite(c.clip)) return _("the clipping norm must be a positive number");
  return memory_refusal(training_bytes(c), _("training (weights, gradients, Adam's moments)"));
}

double parameter_floats(const TrainConfig& c) {
  const double d = c.d_model, f = c.d_ff, v = c.task.vocab, L = c.layers;
  double n = (v + 1) * d + d * v + v + L * layer_weight_floats(d, f, false);  // embedding, W_out, b_out, encoder
  if (is_seq2seq(c.task.kind)) n += L * layer_weight_floats(d, f, true);
  return n;
}

double training_bytes(const TrainConfig& c) {
  Settings one = task_settings(c);  // one example: `length` tokens in, at most length + 1 decoder tokens, no greedy steps
  one.max_tokens = c.task.length, one.decode_steps = 0;
  return 4 * (9 * parameter_floats(c) + 2 * estimate_size(one, c.task.length).trace_floats);
}

TrainConfig recommended_config(TaskKind k) {
  TrainConfig c;
  c.task.kind = k;
  switch (k) {
    case TaskKind::Reverse: c.steps = 1500; break;
    case TaskKind::Sort: c.steps = 3000; break;
    case TaskKind::CopyShift:  // one layer, one head: the previous-token head is the whole model
      c.layers = 1;
      c.heads = 1;
      c.steps = 2000;
      break;
    case TaskKind::Induction:  // two layers: a previous-token head, then the induction head that reads it
      c.task.length = 16;
      c.task.vocab = 16;
      c.steps = 3000;
      break;
  }
  return c;
}

Settings task_settings(const TrainConfig& c) {
  Settings s;
  s.d_model = c.d_model;
  s.heads = c.heads;
  s.layers = c.layers;
  s.d_ff = c.d_ff;
  s.seed = c.seed;
  s.norm = c.norm;
  s.pe = PEKind::Sinusoidal;
  s.max_tokens = kMaxTaskLength;
  if (is_seq2seq(c.task.kind)) {
    s.mask = MaskKind::None;
    s.target = std::string();        // the decoder starts from "<s>" alone…
    s.decode_steps = c.task.length;  // …and decodes the answer greedily
  } else {
    s.mask = MaskKind::Causal;       // a decoder-only model: each position sees itself and what precedes it
  }
  return s;
}

Model init_task_model(const TrainConfig& c) {
  Model m = make_model(c.d_model, c.d_ff, c.layers, c.seed, is_seq2seq(c.task.kind));
  m.vocab = task_vocab(c.task);
  m.classes = c.task.vocab;
  const int V = int(m.vocab.size());
  Rng re(stream_seed(c.seed, "embedding"));
  m.embedding.resize(V, c.d_model);
  for (int i = 0; i < V; ++i)
    for (int j = 0; j < c.d_model; ++j) m.embedding(i, j) = re.normal();  // N(0, 1), the scale of the PE
  m.W_out = xavier_uniform(c.d_model, m.classes, c.seed, "W_out");  // as the other layers
  m.b_out = RowVec::Zero(m.classes);
  m.config.kind = is_seq2seq(c.task.kind) ? ModelKind::EncoderDecoder : ModelKind::DecoderOnly;
  m.config.heads = c.heads;
  m.config.norm = c.norm;
  m.config.output = OutputKind::Separate;
  m.config.vocab_size = V;
  return m;
}

namespace {

// ∂E[ids[i]] += ∂X_i  (the PE has no parameters)
void embed_backward(const std::vector<int>& ids, const MatRef& dX, Model* g) {
  for (size_t i = 0; i < ids.size(); ++i) g->embedding.row(ids[i]) += dX.row(Eigen::Index(i));
}

// Every intermediate of one forward pass, kept for the backward pass.
struct Forward {
  Settings s;
  BoolMat enc_mask, dec_mask;
  std::vector<EncoderLayerTrace> enc;
  std::vector<DecoderLayerTrace> dec;
  std::vector<int> dec_ids;
  Mat final_out;  // the last layer's output, what the output layer reads
  Mat logits;     // rows × classes  output_head(final_out): h·W_out + b_out
};

void run_encoder(const Model& m, const std::vector<int>& src, Forward& f) {
  const int n = int(src.size());
  const bool causal = f.s.mask == MaskKind::Causal;
  if (causal) f.enc_mask = causal_mask(n);
  run_layers(m, embed_ids(m, src), f.s, causal ? &f.enc_mask : nullptr, nullptr, &f.enc);  // the trace's own stack
}

// The decoder over dec_ids against the encoder output (seq2seq). Fills final_out and logits.
void run_decoder_ids(const Model& m, Forward& f) {
  const int len = int(f.dec_ids.size());
  f.dec_mask = causal_mask(len);
  f.final_out = run_decoder_layers(m, embed_ids(m, f.dec_ids), f.enc.back().output, f.s, f.dec_mask, nullptr, &f.dec);
}

}  // namespace

double example_loss(const Model& m, const TrainConfig& c, const Example& ex, Model* grad, Metrics* acc) {
  const bool s2s = is_seq2seq(c.task.kind);
  Forward f;
  f.s = task_settings(c);
  run_encoder(m, ex.src, f);
  if (s2s) {
    f.dec_ids = decoder_input(c.task, ex.tgt);  // teacher forcing: all positions at once under the causal mask
    run_decoder_ids(m, f);
  } else {
    f.final_out = f.enc.back().output;
  }
  output_head(m, f.final_out, nullptr, &f.logits);
  Mat d_logits;
  const double loss = cross_entropy(f.logits, ex.tgt, ex.scored, &d_logits);

  if (acc) {
    bool all = true;
    int right = 0;
    for (int i = 0; i < f.logits.rows(); ++i) {
      if (!ex.scored[size_t(i)]) continue;
      const bool ok = argmax_row(f.logits, i) == ex.tgt[size_t(i)];
      right += ok;
      all = all && ok;
    }
    acc->token_acc += right;
    acc->seq_acc += all;
    acc->loss += loss;
    acc->examples += 1;
  }
  if (!grad) return loss;

  // Output layer, then back through the stacks, last layer first.
  grad->W_out.noalias() += f.final_out.transpose() * d_logits;
  grad->b_out += d_logits.colwise().sum();
  Mat d(f.final_out.rows(), f.final_out.cols());
  d.noalias() = d_logits * m.W_out.transpose();
  Mat d_enc;
  if (s2s) {
    const Mat& memory = f.enc.back().output;
    Mat d_memory = Mat::Zero(memory.rows(), memory.cols());
    for (size_t l = m.decoder.size(); l-- > 0;)
      d = decoder_layer_backward(f.dec[l], memory, m.decoder[l], f.s, d, &grad->decoder[l], &d_memory);
    embed_backward(f.dec_ids, d, grad);
    d_enc = std::move(d_memory);
  } else {
    d_enc = std::move(d);
  }
  for (size_t l = m.encoder.size(); l-- > 0;)
    d_enc = encoder_layer_backward(f.enc[l], m.encoder[l], f.s, nullptr, d_enc, &grad->encoder[l]);
  embed_backward(ex.src, d_enc, grad);
  return loss;
}

std::vector<int> predict(const Model& m, const TrainConfig& c, const std::vector<int>& src) {
  Forward f;
  f.s = task_settings(c);
  run_encoder(m, src, f);
  std::vector<int> out;
  if (!is_seq2seq(c.task.kind)) {
    f.final_out = f.enc.back().output;
    output_head(m, f.final_out, nullptr, &f.logits);
    for (int i = 0; i < f.logits.rows(); ++i) out.push_back(argmax_row(f.logits, i));
    return out;
  }
  // One symbol per step, each step re-running the decoder over what it has so far (forward.h).
  f.dec_ids = {c.task.vocab};  // "<s>"
  greedy_decode(
      int(src.size()),
      [&]() -> const Mat& {
        run_decoder_ids(m, f);
        output_head(m, f.final_out, nullptr, &f.logits);
        return f.logits;
      },
      [&](int id) {
        out.push_back(id);
        f.dec_ids.push_back(id);
        return true;
      });
  return out;
}

Metrics evaluate(const Model& m, const TrainConfig& c, int examples, uint64_t seed) {
  Rng rng(stream_seed(seed, "heldout"));
  Metrics r;
  long right = 0, scored = 0;
  for (int e = 0; e < examples; ++e) {
    const Example ex = make_example(c.task, rng);
    Metrics tf;
    r.loss += example_loss(m, c, ex, nullptr, &tf);  // teacher-forced loss
    const std::vector<int> p = predict(m, c, ex.src);
    bool all = true;
    for (size_t i = 0; i < ex.tgt.size(); ++i) {
      if (!ex.scored[i]) continue;
      ++scored;
      right += p[i] == ex.tgt[i];
      all = all && p[i] == ex.tgt[i];
    }
    r.seq_acc += all;
  }
  r.examples = examples;
  if (examples > 0) {
    r.loss /= double(std::max(1L, scored));
    r.token_acc = double(right) / double(std::max(1L, scored));
    r.seq_acc /= examples;
  }
  return r;
}

Trainer::Trainer(const TrainConfig& c) : Trainer(c, init_task_model(c)) {}

Trainer::Trainer(const TrainConfig& c, Model start)
    : cfg_(c), model_(std::move(start)), data_(stream_seed(c.seed, "train-data")) {
  grad_ = zeros_like(model_);
  m1_ = zeros_like(model_);
  m2_ = zeros_like(model_);
}

float Trainer::current_lr() const { return schedule_lr(cfg_.lr, std::max(1, step_), cfg_.warmup); }

Metrics Trainer::step() {
  for (Param& p : parameters(grad_))
    for (size_t i = 0; i < p.size(); ++i) p[i] = 0.0f;
  Metrics r;
  long scored = 0;
  for (int b = 0; b < cfg_.batch; ++b) {
    const Example ex = make_example(cfg_.task, data_);
    for (uint8_t s : ex.scored) scored += s;
    example_loss(model_, cfg_, ex, &grad_, &r);
  }
  // The loss is the mean over every scored position of the batch.
  const float inv = 1.0f / float(std::max(1L, scored));
  for (Param& p : parameters(grad_))
    for (size_t i = 0; i < p.size(); ++i) p[i] *= inv;
  clip_grad_norm(grad_, cfg_.clip);
  ++step_;
  adam_step(model_, grad_, m1_, m2_, step_, schedule_lr(cfg_.lr, step_, cfg_.warmup));
  r.loss /= double(std::max(1L, scored));
  r.token_acc /= double(std::max(1L, scored));
  r.seq_acc /= double(cfg_.batch);
  return r;
}

}  // namespace attn
