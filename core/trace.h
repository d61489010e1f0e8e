// trace.h: the whole forward pass for (Settings, text), every intermediate tensor kept.
//
//  Sections: Trace (encoder), DecoderTrace (decoder + autoregressive steps), build_trace, stages.
//
// The trace owns its tensors; nothing is overwritten in place, so every stage can be shown, tested and exported.
// The UI and the CLI only read a Trace; they recompute one when the settings or the text change.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "forward.h"
#include "layers.h"
#include "model.h"
#include "settings.h"

namespace attn {

struct DecoderTrace {
  std::vector<std::string> tokens;  // m: "<s>" then the target's tokens (the target shifted right)
  Mat embeddings;                   // m × d_model
  Mat positional;                   // m × d_model
  Mat input;                        // m × d_model  embeddings + positional
  BoolMat self_mask;                // m × m causal
  BoolMat cross_mask;               // m × n: <pad> source tokens blocked
  std::vector<DecoderLayerTrace> layers;
  Mat output;                       // m × d_model  the last layer's output
  Mat logits;                       // m × |vocab|  output·E_vocabᵀ (tied to the token embeddings);
                                    // a trained model: output·W_out + b_out
};

// One step of greedy autoregressive decoding: the decoder re-run over the tokens so far.
struct DecodeStep {
  DecoderTrace trace;
  int chosen = -1;     // index into Trace::vocab of the argmax of the last row's logits
  std::string token;   // vocab[chosen]
};

struct Trace {
  Settings settings;
  std::shared_ptr<const Model> model;
  std::vector<std::string> tokens;  // n, the sentence's tokens then any <pad>
  std::vector<uint8_t> is_pad;      // n flags
  int n_real = 0;                   // tokens before padding
  bool truncated = false;           // the text had more than max_tokens tokens
  int invalid_utf8 = 0;             // malformed sequences replaced by U+FFFD
  std::vector<int> token_ids;       // n ids in the model's vocabulary (-1 for <pad>); empty for random weights
  Mat embeddings;                   // n × d_model
  Mat positional;                   // n × d_model
  Mat input;                        // n × d_model  embeddings + positional: what enters layer 0
  BoolMat mask;                     // n × n, true = blocked
  std::vector<EncoderLayerTrace> layers;
  Mat output;                       // n × d_model  the encoder's output (input when there are no layers)

  // A trained decoder-only model (model->trained() without a decoder): its next-token prediction at each position.
  Mat final_norm;                       // n × d_model  LN_f(output), models with a final LayerNorm (GPT-2's ln_f)
  Mat logits;                           // n × classes  output·W_out + b_out, or h·Eᵀ when tied (empty: random weights)
  std::vector<std::string> predicted;   // n: argmax of each row of logits
  std::vector<TopK> next;               // n_real: the 5 most probable next tokens at each position
  std::vector<float> next_actual;       // n_real: the probability given to the token that came next (-1 at the end)

  std::optional<DecoderTrace> decoder;  // when settings.target is set
  std::vector<std::string> vocab;       // greedy decoding's vocabulary: distinct source tokens, then "</s>"
                                        // (a trained model: its output classes)
  std::vector<DecodeStep> steps;        // settings.decode_steps greedy steps (stops after "</s>")

  int n() const { return int(tokens.size()); }
  int d_k() const { return settings.d_k(); }
};

// Builds the trace. Returns "" on success, otherwise a one-sentence reason and *out is untouched.
// `model` may be passed to reuse weights (it must fit the settings: model_fits); otherwise they are made.
// A trained model (core/train.h) embeds tokens from its own table: a token outside its vocabulary is refused.
std::string build_trace(const Settings& s, std::string_view text, Trace* out,
                        std::shared_ptr<const Model> model = nullptr);

// Runs the decoder over `tokens` against the encoder output in `enc` (used by build_trace and each step).
DecoderTrace run_decoder(const Trace& enc, const std::vector<std::string>& tokens);

// ---- Stages: the forward pass as an ordered list of named steps, for step-through views and test messages.
enum class StageKind {
  Tokenize, Embed, Positions, Q, K, V, Scores, Scaled, Masked, Softmax, HeadOutput, Concat, OutputProjection,
  PreNorm, AddNorm1, FFN, AddNorm2, AddNorm3, FinalNorm, Logits, DecoderInput
};
struct Stage {
  StageKind kind = StageKind::Tokenize;
  std::string name;      // "L0 H1 Q·Kᵀ"
  std::string formula;   // "scores = Q·Kᵀ"
  std::string part;      // "encoder", "decoder"
  int layer = -1;        // -1 outside layers
  int head = -1;         // -1 for whole-layer stages
  const Mat* tensor = nullptr;  // points into the trace (may be null for tokenize)
};
std::vector<Stage> list_stages(const Trace& t);

}  // namespace attn
