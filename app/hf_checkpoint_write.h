// hf_checkpoint_write.h: an attn::Model saved as a Hugging Face GPT-2 checkpoint folder, the inverse of
// hf_checkpoint.h's load_hf_checkpoint (which reads it back, and so do transformers' GPT2LMHeadModel and other GPT-2
// implementations).
//
//   config.json        GPT2Config's keys, sorted, 2-space indented, "\n" at the end: model_type "gpt2", architectures
//                      ["GPT2LMHeadModel"], n_embd, n_head, n_layer, n_positions = n_ctx, n_inner (always the number),
//                      vocab_size, layer_norm_epsilon (the shortest decimal that reads back as the model's float ε),
//                      activation_function "gelu_new", bos/eos_token_id = the id of "<|endoftext|>" in vocab.json,
//                      attn/embd/resid_pdrop 0.0 (dropout is training-only; the model is saved for inference),
//                      initializer_range 0.02, scale_attn_weights true, scale_attn_by_inverse_layer_idx false,
//                      reorder_and_upcast_attn false, tie_word_embeddings true, use_cache true, torch_dtype.
//   model.safetensors  laid out as the safetensors library writes it for GPT2LMHeadModel.save_pretrained (byte for
//                      byte with the default metadata; extra entries are sorted, the library's order is a hash map's):
//                      the header {"__metadata__": {"format": "pt", …}, name: {"dtype", "shape", "data_offsets"}, …}
//                      in compact JSON padded with spaces to a multiple of 8 bytes, the tensors back to back in name
//                      order (the library sorts by dtype, then name; all have one dtype here). Tensors are not
//                      aligned beyond that (nor are HF's); F32 ones land 4-aligned anyway, so the reader maps them.
//                      Names: transformer.wte.weight, transformer.wpe.weight, transformer.h.{i}.ln_1.weight/bias,
//                      .attn.c_attn.weight/bias (d × 3d: W_q | W_k | W_v column blocks), .attn.c_proj.weight/bias,
//                      .ln_2.weight/bias, .mlp.c_fc.weight/bias, .mlp.c_proj.weight/bias, transformer.ln_f.weight/bias.
//                      Conv1D stores in × out, which is the engine's x·W layout, so nothing is transposed. lm_head is
//                      tied to wte and not written (save_pretrained drops tied weights too); no attn.bias mask buffers.
//                      Every tensor in the one dtype chosen, LayerNorm vectors and biases included: what
//                      model.half().save_pretrained() gives, and load_hf_checkpoint then reports one dtype.
//   vocab.json, merges.txt   the tokenizer's files, as given
//
// Each file is written atomically (atomic_file.h); the folder as a whole is not: a crash between files can leave new
// weights beside an old config.json. model.safetensors goes first and config.json last. Nothing in the files depends
// on the time or the machine, so the same model and options give the same bytes.
//
// Everything is checked before the first byte is written; a refusal is one sentence starting with the folder.
#pragma once
#include <cstdint>
#include <map>
#include <string>

#include "model.h"

namespace attn {

struct HfWriteOptions {
  std::string dtype = "F32";  // "F32", or "F16" (IEEE binary16, rounded to nearest, ties to even)
  std::string vocab_json, merges_txt;  // the byte-level BPE tokenizer's files (core/bpe.h reads them), required
  std::string name;  // config.json's "_name_or_path" (as save_pretrained writes it); omitted when empty
  // More string entries for the safetensors __metadata__ beside "format": "pt" (e.g. the corpus, the training steps).
  // Keep times out of it when the files must be reproducible.
  std::map<std::string, std::string> metadata;
};

// IEEE binary16 bits of x, rounded to nearest with ties to even, as a conversion in hardware does: |x| ≥ 65520
// becomes ±infinity, |x| < 2⁻²⁵ becomes ±0, values in between the normal range get subnormals; NaN gives a quiet NaN.
uint16_t float_to_f16(float x);

// "" when m is a GPT-2-shaped model the writer can save (decoder-only, learned positions, pre-norm, final LayerNorm,
// output tied to the token embedding, GELU's tanh approximation, every tensor the shape its config says, one
// LayerNorm ε), else one sentence saying what is not.
std::string gpt2_shape_refusal(const Model& m);

// Writes config.json, model.safetensors, vocab.json and merges.txt into dir (created if missing, files replaced).
// Refused, with nothing written: a model gpt2_shape_refusal refuses; a dtype other than F32/F16; a weight that is NaN
// or infinite, or too large for F16 (the tensor, the element and its value named); a tokenizer core/bpe.h does not
// read, larger than the model's vocabulary, or without "<|endoftext|>"; metadata that sets "format"; a config the
// reader would refuse (its limits). A folder that cannot be made or written is refused with the reason.
// Returns "" or one sentence.
std::string save_hf_checkpoint(const Model& m, const std::string& dir, const HfWriteOptions& o);

}  // namespace attn
