// libFuzzer target: a Hugging Face checkpoint's config.json and model.safetensors (app/hf_checkpoint.h).
// The first byte chooses: 0 → the rest is config.json; otherwise the rest is a safetensors file for a fixed tiny GPT-2
// (n_embd 4, 2 heads, 1 layer, 4 positions, vocabulary 8). A refusal is one clean line and changes nothing; what is
// accepted is a config the engine can build, or a model whose every weight is finite and in its place.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "clean_message.h"
#include "hf_checkpoint.h"
#include "settings.h"

namespace {

void check_config(std::string_view text) {
  attn::Gpt2Config c;
  c.n_embd = -1;
  const std::string err = attn::parse_gpt2_config(text, &c);
  if (!err.empty()) {
    if (c.n_embd != -1 || !is_clean_message(err)) std::abort();
    return;
  }
  if (c.n_embd < 1 || c.n_embd > attn::kMaxDModel || c.n_head < 1 || c.n_embd % c.n_head != 0 || c.n_layer < 1 ||
      c.n_layer > attn::kMaxLayers || c.n_inner < 1 || c.n_inner > attn::kMaxDff || c.n_positions < 1 ||
      c.vocab_size < 1 || !(c.layer_norm_epsilon > 0))
    std::abort();
  if (c.activation != "gelu_new" && c.activation != "gelu_pytorch_tanh") std::abort();
}

void check_weights(std::string_view file) {
  attn::Gpt2Config c;
  c.n_embd = 4, c.n_head = 2, c.n_layer = 1, c.n_positions = 4, c.vocab_size = 8, c.n_inner = 8;
  c.activation = "gelu_new";
  attn::SafetensorsHeader h;
  if (attn::parse_safetensors_header(file, &h).empty()) {  // the layout it accepts is the format's
    uint64_t at = 0;
    for (const attn::SafetensorsTensor& t : h.tensors) {
      if (t.begin != at) std::abort();
      at = t.end;
    }
    if (h.data_start + at != file.size()) std::abort();
  }
  attn::Model m;
  m.name = "untouched";
  attn::CheckpointInfo info;
  const std::string err = attn::gpt2_weights_from_bytes(c, file, &m, &info);
  if (!err.empty()) {
    if (m.name != "untouched" || !m.encoder.empty() || !is_clean_message(err)) std::abort();
    return;
  }
  if (m.encoder.size() != 1 || m.embedding.rows() != 8 || m.wpe.rows() != 4 || info.parameters != 4 * 8 + 4 * 4 + 2 * 4 +
      (2 * 4 + 4 * 12 + 12 + 4 * 4 + 4 + 2 * 4 + 4 * 8 + 8 + 8 * 4 + 4))
    std::abort();
  if (!m.embedding.allFinite() || !m.wpe.allFinite() || !m.ln_f.gamma.allFinite() || !m.ln_f.beta.allFinite())
    std::abort();
  for (attn::Param& p : attn::parameters(m))  // the layers
    for (size_t i = 0; i < p.size(); ++i)
      if (!std::isfinite(p.data[i])) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] == 0)
    check_config(rest);
  else
    check_weights(rest);
  return 0;
}
