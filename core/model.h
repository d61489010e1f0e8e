// model.h: the Transformer's parameters, generated deterministically from the seed.
//   Linear weights: Xavier-uniform, U(−a, a) with a = √(6 / (fan_in + fan_out)).
//   Biases: U(−1/√fan_in, 1/√fan_in) (PyTorch's nn.Linear default), so they are not all zero.
//   LayerNorm: γ = 1, β = 0.
// Each tensor has its own stream, Rng(stream_seed(seed, "<name>")), e.g. "enc0.W_q", "dec1.cross_W_o".
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "mat.h"
#include "settings.h"
#include "weight.h"

namespace attn {

enum class Activation { ReLU, GeluTanh };  // GELU(x) ≈ 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))) (GPT-2)

// The matrices are Weights (weight.h): owned, or views into a loaded checkpoint's memory-mapped file.
struct AttentionWeights {
  Weight W_q, W_k, W_v;  // d_model × d_model; head h uses columns [h·d_k, (h+1)·d_k)
  RowVec b_q, b_k, b_v;
  Weight W_o;            // d_model × d_model
  RowVec b_o;
};

struct FFNWeights {
  Weight W_1;  // d_model × d_ff
  RowVec b_1;
  Weight W_2;  // d_ff × d_model
  RowVec b_2;
  Activation activation = Activation::ReLU;  // the module carries its non-linearity, as nn.Module does
};

struct NormWeights {
  RowVec gamma, beta;  // d_model
  float eps = kLayerNormEps;  // the module carries its ε (GPT-2: layer_norm_epsilon)
};

struct EncoderLayerWeights {
  AttentionWeights attn;
  NormWeights ln1;
  FFNWeights ffn;
  NormWeights ln2;
};

struct DecoderLayerWeights {
  AttentionWeights self;   // causal self-attention
  NormWeights ln1;
  AttentionWeights cross;  // queries from the decoder, keys and values from the encoder output
  NormWeights ln2;
  FFNWeights ffn;
  NormWeights ln3;
};

// The architecture, carried by the model itself so nothing downstream infers it (issue 12).
enum class ModelKind { Encoder, EncoderDecoder, DecoderOnly };
enum class OutputKind { None, Tied, Separate };  // logits = h·Eᵀ (tied to the token embedding) or h·W_out + b_out
enum class TokenizerKind { Word, ByteBPE };       // core/tokenizer.h, or GPT-2's byte-level BPE (core/bpe.h)

struct ModelConfig {
  ModelKind kind = ModelKind::Encoder;
  int d_model = 0, heads = 0, layers = 0, d_ff = 0;
  Activation activation = Activation::ReLU;
  PEKind positions = PEKind::Sinusoidal;  // Learned: Model::wpe holds one row per position
  NormPlacement norm = NormPlacement::Post;
  bool final_norm = false;                // a LayerNorm after the last layer (GPT-2's ln_f)
  OutputKind output = OutputKind::None;
  TokenizerKind tokenizer = TokenizerKind::Word;
  int context = 0;                        // positions it was trained for (0: any)
  int vocab_size = 0;                     // rows of the token embedding (0: random weights hash every token)
  float ln_eps = kLayerNormEps;
};

class BpeTokenizer;  // core/bpe.h

struct Model {
  ModelConfig config;  // the shapes (d_model, heads, layers, d_ff) and the architecture
  uint64_t seed = 0;
  std::vector<EncoderLayerWeights> encoder;
  std::vector<DecoderLayerWeights> decoder;
  Mat pe_table;  // sinusoidal PE for the first kPeTableRows positions (sin/cos are the slow part of a small trace)

  // A trained model (core/train.h) has a fixed vocabulary, learned embeddings and an output layer. A random-weight
  // model leaves these empty and embeds any token by its hash (positional.h).
  std::vector<std::string> vocab;  // id → token; the first `classes` ids are the outputs, then "<s>"
  int classes = 0;                 // output classes (the task's symbols)
  Weight embedding;                // |vocab| × d_model   E[token]
  Weight W_out;                    // d_model × classes    logits = output·W_out + b_out
  RowVec b_out;                    // classes
  Weight wpe;                      // context × d_model: learned positional embeddings (config.positions == Learned)
  NormWeights ln_f;                // the final LayerNorm (config.final_norm)
  std::shared_ptr<const BpeTokenizer> bpe;  // config.tokenizer == ByteBPE
  std::string name;                // "gpt2", "induction-16x16"; "" for random weights
  std::string source;              // the file or folder it was loaded from ("" when built here)
  std::string source_sha256;       // of the weights file, for exports that name it instead of copying it
  bool trained() const { return !vocab.empty(); }
  int token_id(const std::string& token) const;  // -1 when not in vocab
};

constexpr int kPeTableRows = 512;

// Xavier-uniform fan_in × fan_out from Rng(stream_seed(seed, name)), row by row (every linear layer's initialiser).
Mat xavier_uniform(int fan_in, int fan_out, uint64_t seed, const std::string& name);

// The decoder's weights are made only when asked for (they double the model's size).
Model make_model(int d_model, int d_ff, int layers, uint64_t seed, bool with_decoder);
Model make_model(const Settings& s);  // with a decoder when s.target is set
bool model_fits(const Model& m, const Settings& s);  // same shapes, seed and parts: can be reused

// The settings a loaded checkpoint (GPT-2 family) runs with: its shapes, positions and norm placement; no decoder
// target; at most config.context tokens. Everything else (scale, τ, mask, hard attention, heads switched off, the
// text's length) stays the user's: on a pretrained model those are interventions.
Settings checkpoint_settings(const Model& m, const Settings& doc);
// estimate_size (settings.h) for a given model: its exact parameter count as the weights, and beyond the layers its
// output: the final LayerNorm (n × d_model), the logits (n × vocabulary) and the top-5 predictions.
SizeEstimate estimate_size(const Model& m, const Settings& s, int n);

// "GPT-2 family · 12 layers × 12 heads · d_model 768 · d_ff 3072 · 124.4M parameters · context 1024 · vocabulary 50257"
std::string model_summary(const Model& m);

// ---- Parameters by name, for the optimiser, gradient checks and weight files.
// Names: "enc0.W_q" … "enc0.ln2_beta", "dec0.self_W_q", "dec0.cross_W_q", "dec0.ln3_gamma", "embedding", "W_out",
// "b_out". A row vector is 1 × cols. The pointers stay valid while the Model is not resized.
// Row r starts at data + r·stride: a checkpoint's W_q/W_k/W_v view column blocks of c_attn (stride 3·d_model). Every
// Model built here (make_model, training, zeros_like) is owned and contiguous (stride == cols); only those are
// written through a Param (a checkpoint's views are shared by the Model's copies, weight.h).
struct Param {
  std::string name;
  float* data = nullptr;
  int rows = 0, cols = 0;
  bool vector = false;  // a bias or LayerNorm vector (1 × cols), not a 1-row matrix
  size_t stride = 0;    // floats from one row's start to the next
  size_t size() const { return size_t(rows) * size_t(cols); }
  // The i-th value in row-major order.
  float& operator[](size_t i) const {
    return stride == size_t(cols) ? data[i] : data[i / size_t(cols) * stride + i % size_t(cols)];
  }
};
std::vector<Param> parameters(Model& m);
size_t parameter_count(const Model& m);
Model zeros_like(const Model& m);  // same shapes, every parameter 0 (gradients, optimiser moments)

}  // namespace attn
