// hf_checkpoint.h: a Hugging Face GPT-2-family checkpoint folder opened as an attn::Model.
//
//   config.json        model_type "gpt2": n_embd, n_head, n_layer, n_positions (or n_ctx), vocab_size,
//                      layer_norm_epsilon, activation_function (gelu_new / gelu_pytorch_tanh), n_inner (null: 4·n_embd)
//   model.safetensors  bytes 0‥8: header length N (u64 little-endian); 8‥8+N: JSON header, one entry per tensor
//                      {"dtype", "shape", "data_offsets": [begin, end]} (offsets from the start of the data);
//                      then the data, every byte belonging to exactly one tensor (the format's rule: no holes)
//   vocab.json + merges.txt, or tokenizer.json  → attn::BpeTokenizer (core/bpe.h)
//
// Tensor names, with or without the "transformer." prefix (GPT2LMHeadModel writes it, GPT2Model does not), and where
// they go (Conv1D weights are stored in × out, which is already the engine's x·W convention):
//   wte.weight           vocab × d       → Model.embedding (the output projection is tied to it)
//   wpe.weight           n_positions × d → Model.wpe
//   h.{i}.ln_1           d, d            → encoder[i].ln1 (γ, β)
//   h.{i}.attn.c_attn    d × 3d, 3d      → W_q | W_k | W_v, b_q | b_k | b_v (column blocks of d)
//   h.{i}.attn.c_proj    d × d, d        → W_o, b_o
//   h.{i}.ln_2           d, d            → encoder[i].ln2
//   h.{i}.mlp.c_fc       d × d_ff, d_ff  → ffn.W_1, b_1
//   h.{i}.mlp.c_proj     d_ff × d, d     → ffn.W_2, b_2
//   ln_f                 d, d            → Model.ln_f
// Ignored: the buffers h.{i}.attn.bias and h.{i}.attn.masked_bias (the causal mask), and lm_head.weight when it equals
// wte.weight (tied). The file is memory-mapped; an F32 checkpoint's matrices are not copied: they are views into the
// mapping (core/weight.h; W_q | W_k | W_v with c_attn's row stride 3·d), which stays mapped while any Model viewing it
// lives, so the weights cost page cache, not the process's own memory. F16 and BF16 matrices are converted to floats
// in the model's own storage, and the bias and LayerNorm vectors (under 0.1% of the bytes) are always copied.
//
// Everything is checked before the model is handed out: a bad folder is refused with one sentence starting with the
// path, and *out is left as it was.
//
// Contents: 1. safetensors header  2. config.json  3. weights from the file's bytes  4. the folder
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "model.h"

namespace attn {

// ---- 1. safetensors header

struct SafetensorsTensor {
  std::string name, dtype;     // dtype as the format spells it: "F32", "F16", "BF16", "I64", …
  std::vector<uint64_t> shape;  // [] for a scalar
  uint64_t begin = 0, end = 0;  // bytes from the start of the data section
};
struct SafetensorsHeader {
  uint64_t data_start = 0;  // 8 + N
  std::vector<SafetensorsTensor> tensors;  // sorted by begin
};
// Parses the header of a whole file's bytes and checks the layout: a known dtype, offsets spanning exactly
// shape × dtype size, every tensor inside the data section, no overlap, no hole, nothing after the last tensor.
// Returns "" or one sentence (tensor names quoted through untrusted_text); *out untouched on failure.
std::string parse_safetensors_header(std::string_view file, SafetensorsHeader* out);
// Bytes per element of a safetensors dtype, 0 when unknown.
int safetensors_dtype_size(std::string_view dtype);
float f16_to_float(uint16_t h);   // IEEE binary16: subnormals, infinities and NaN included
float bf16_to_float(uint16_t h);  // the top 16 bits of a float32

// ---- 2. config.json

struct Gpt2Config {
  int n_embd = 0, n_head = 0, n_layer = 0, n_positions = 0, vocab_size = 0;
  int n_inner = 0;  // d_ff (4·n_embd when config.json says null or nothing)
  float layer_norm_epsilon = 1e-5f;
  std::string activation;  // as written: "gelu_new" or "gelu_pytorch_tanh"
};
// Returns "" or one sentence. Refuses a model_type other than gpt2, a missing or non-integer size, sizes past the
// engine's limits (core/settings.h), n_embd not divisible by n_head, an activation other than GELU's tanh
// approximation, and the GPT-2 options the engine does not compute (scale_attn_weights false,
// scale_attn_by_inverse_layer_idx, add_cross_attention).
std::string parse_gpt2_config(std::string_view json_text, Gpt2Config* out);
ModelConfig model_config(const Gpt2Config& c);  // DecoderOnly, GeluTanh, Learned, Pre, ln_f, Tied, ByteBPE
// Floats of the weights the model keeps: wte, wpe, n_layer layers, ln_f (the memory estimate, before loading).
double gpt2_parameter_floats(const Gpt2Config& c);

// ---- 3. weights from the file's bytes

struct CheckpointInfo {
  std::string folder;
  std::vector<std::string> files;  // the files read: config.json, model.safetensors, the tokenizer's
  std::string sha256;               // of model.safetensors
  std::string dtype;                // of the weights: "F32", "F16", "BF16", or e.g. "F16+F32" when mixed
  size_t parameters = 0;            // floats loaded (the ignored buffers not counted)
  bool prefixed = false;            // names carried "transformer."
  std::string_view mapping;         // the file's mapping, F32 weights point into it; valid while a Model viewing it
                                    // lives (empty: no weight views it, and it was unmapped by the loader)
};
// Fills out->encoder, embedding, wpe, ln_f, d_model, d_ff, layers and config from a whole safetensors file's bytes.
// `done(begin, end)`, when given, is told each byte range of `file` that has been read, in file order (the file
// loader hashes it and lets the kernel drop those mapped pages). `keep`, when given, keeps `file`'s bytes alive:
// F32 matrices then view them instead of copying (see above). Returns "" or one sentence; *out untouched on failure.
std::string gpt2_weights_from_bytes(const Gpt2Config& c, std::string_view file, Model* out, CheckpointInfo* info,
                                    const std::function<void(size_t, size_t)>& done = {},
                                    std::shared_ptr<const void> keep = {});

// ---- 4. the folder

// path: the folder, or its model.safetensors. Returns "" and sets *out (and *info when given), or one sentence
// starting with the path; nothing is loaded on failure.
std::string load_hf_checkpoint(const std::string& path, std::shared_ptr<const Model>* out, CheckpointInfo* info);
// The model's name from its folder: the folder's name, or "org/name" for a Hugging Face cache snapshot
// (…/models--org--name/snapshots/<revision>).
std::string hf_model_name(const std::string& folder);

}  // namespace attn
