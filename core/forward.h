// forward.h: the parts of the forward pass that read a model's own configuration (ModelConfig), on token ids.
// The trace (trace.h) and training (train.h) both run these, so what is shown is what is trained.
//
//   X = E[ids] + P          P: sinusoidal PE, learned rows wpe[0‥n), or none (config.positions)
//   layers (layers.h)       post- or pre-norm, ReLU or GELU: carried by the weights
//   h = LN_f(x_L)           only with config.final_norm (GPT-2's ln_f)
//   logits = h·W_out + b_out (separate) or h·Eᵀ (tied to the token embedding, GPT-2)
#pragma once
#include <functional>
#include <vector>

#include "layers.h"
#include "model.h"

namespace attn {

// P for n positions (n × d_model), from the kind's table: a checkpoint's learned rows (wpe), the model's precomputed
// sinusoidal table, or computed (positional.h: a random-weight model's learned PE comes from the seed).
Mat position_rows(const Model& m, PEKind kind, int n, uint64_t seed);

// tokens = E[ids] (n × d_model), positions = P (n × d_model). ids must be < |E|; learned positions need n ≤ context.
void embed_ids(const Model& m, const std::vector<int>& ids, Mat* tokens, Mat* positions);
Mat embed_ids(const Model& m, const std::vector<int>& ids);  // X = E[ids] + P

// The stack: x → layer 0 → … → layer L−1, each layer's trace kept in *layers (resized to the model's layers; buffers
// reused). head_on: layers·heads flags, or null for every head. Returns the last output (x when there are none).
const Mat& run_layers(const Model& m, const Mat& x, const Settings& s, const BoolMat* mask, const uint8_t* head_on,
                      std::vector<EncoderLayerTrace>* layers);

// The decoder stack (seq2seq): y → decoder layer 0 → … against the encoder's output (memory); self_mask is causal,
// cross_mask (may be null) blocks padded source tokens. Traces kept in *layers. Returns the last output.
const Mat& run_decoder_layers(const Model& m, const Mat& y, const MatRef& memory, const Settings& s,
                              const BoolMat& self_mask, const BoolMat* cross_mask,
                              std::vector<DecoderLayerTrace>* layers);

// Greedy autoregressive decoding: each step runs the decoder over what it has so far (step() returns the logits);
// the argmax of the last row is the next token, handed to emit(), which returns false to stop. At most max_steps.
void greedy_decode(int max_steps, const std::function<const Mat&()>& step, const std::function<bool(int)>& emit);

// The output head: *normed = LN_f(last) (or last, without a final norm) and *logits (empty when the model has no
// output layer). normed may be null.
void output_head(const Model& m, const MatRef& last, Mat* normed, Mat* logits);

int argmax_row(const MatRef& logits, int i);  // first maximum on ties

// Next-token predictions of one row: the k most probable ids with their softmax probabilities, best first.
struct TopK {
  std::vector<int> ids;
  std::vector<float> probs;
};
// One row's softmax normaliser, computed once for every probability read from that row.
struct RowSoftmax {
  float max = 0;  // the row's largest logit
  double z = 1;   // Σ_j exp(logit_j − max)
  float prob(float logit) const;  // exp(logit − max) / z, in double then rounded
};
RowSoftmax row_softmax(const MatRef& logits, int row);
TopK top_k(const MatRef& logits, int row, int k, const RowSoftmax& sm);
TopK top_k(const MatRef& logits, int row, int k);
float softmax_prob(const MatRef& logits, int row, int id);  // softmax(logits_row)[id], in double then rounded

}  // namespace attn
