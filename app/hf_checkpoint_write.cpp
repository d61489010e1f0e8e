#include "hf_checkpoint_write.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <ostream>
#include <vector>

#include "atomic_file.h"
#include "bpe.h"
#include "hf_checkpoint.h"
#include "translate.h"
#include "utf8.h"

namespace attn {

using json = nlohmann::json;
namespace fs = std::filesystem;

uint16_t float_to_f16(float x) {
  uint32_t u;
  std::memcpy(&u, &x, 4);
  const uint16_t sign = uint16_t((u >> 16) & 0x8000u);
  const uint32_t a = u & 0x7FFFFFFFu;  // |x|'s bits
  if (a > 0x7F800000u) return uint16_t(sign | 0x7E00u);  // NaN: a quiet NaN
  if (a >= 0x477FF000u) return uint16_t(sign | 0x7C00u);  // ≥ 65520 = 65504 + half an F16 step: infinity
  if (a < 0x38800000u) {
    // Below 2⁻¹⁴, F16 is fixed-point in steps of 2⁻²⁴. Adding 0.5 (whose float step is 2⁻²⁴) lets the FPU round
    // |x| to that step, ties to even; the step count is then the low bits (1024 = 2⁻¹⁴, the smallest normal's bits).
    float f;
    std::memcpy(&f, &a, 4);
    const float shifted = f + 0.5f;
    uint32_t s;
    std::memcpy(&s, &shifted, 4);
    return uint16_t(sign | (s - 0x3F000000u));
  }
  // Normal: rebias the exponent (127 → 15) and keep the top 10 of 23 mantissa bits, rounding the 13 dropped ones to
  // nearest, ties to even; a carry out of the mantissa moves to the next exponent, as it should.
  uint32_t h = (a - (112u << 23)) >> 13;
  const uint32_t dropped = a & 0x1FFFu;
  if (dropped > 0x1000u || (dropped == 0x1000u && (h & 1u))) ++h;
  return uint16_t(sign | h);
}

namespace {

constexpr const char* kEndOfText = "<|endoftext|>";

// A column block of a tensor in the file: rows × cols floats, rows `stride` apart, which the engine calls `engine`.
struct Block {
  const float* data;
  Eigen::Index rows, cols, stride;
  std::string engine;  // the parameter's name in core/model.h's parameters(): "enc0.W_q"
};
// One safetensors tensor: its row r is the blocks' rows r side by side (c_attn: W_q | W_k | W_v).
struct OutTensor {
  std::string name;
  std::vector<uint64_t> shape;  // what the config says; the blocks are checked against it
  std::vector<Block> blocks;
  size_t rows() const { return shape.size() == 2 ? size_t(shape[0]) : 1; }
  size_t block_cols() const { return size_t(shape.back()) / blocks.size(); }
  size_t size() const { return rows() * size_t(shape.back()); }
};

Block mat(const Weight& w, std::string engine) {
  return {w.data(), w.rows(), w.cols(), w.outerStride(), std::move(engine)};
}
Block vec(const RowVec& v, std::string engine) { return {v.data(), 1, v.size(), v.size(), std::move(engine)}; }

// GPT2LMHeadModel's tensors in the order the safetensors library writes them (by name).
std::vector<OutTensor> gpt2_tensors(const Model& m) {
  const ModelConfig& c = m.config;
  const uint64_t d = uint64_t(c.d_model), f = uint64_t(c.d_ff);
  std::vector<OutTensor> v;
  v.push_back({"wte.weight", {uint64_t(c.vocab_size), d}, {mat(m.embedding, "embedding")}});
  v.push_back({"wpe.weight", {uint64_t(c.context), d}, {mat(m.wpe, "wpe")}});
  for (size_t l = 0; l < m.encoder.size(); ++l) {
    const EncoderLayerWeights& w = m.encoder[l];
    const AttentionWeights& a = w.attn;
    const std::string p = "h." + std::to_string(l) + ".", e = "enc" + std::to_string(l) + ".";
    v.push_back({p + "ln_1.weight", {d}, {vec(w.ln1.gamma, e + "ln1_gamma")}});
    v.push_back({p + "ln_1.bias", {d}, {vec(w.ln1.beta, e + "ln1_beta")}});
    v.push_back({p + "attn.c_attn.weight", {d, 3 * d}, {mat(a.W_q, e + "W_q"), mat(a.W_k, e + "W_k"), mat(a.W_v, e + "W_v")}});
    v.push_back({p + "attn.c_attn.bias", {3 * d}, {vec(a.b_q, e + "b_q"), vec(a.b_k, e + "b_k"), vec(a.b_v, e + "b_v")}});
    v.push_back({p + "attn.c_proj.weight", {d, d}, {mat(a.W_o, e + "W_o")}});
    v.push_back({p + "attn.c_proj.bias", {d}, {vec(a.b_o, e + "b_o")}});
    v.push_back({p + "ln_2.weight", {d}, {vec(w.ln2.gamma, e + "ln2_gamma")}});
    v.push_back({p + "ln_2.bias", {d}, {vec(w.ln2.beta, e + "ln2_beta")}});
    v.push_back({p + "mlp.c_fc.weight", {d, f}, {mat(w.ffn.W_1, e + "W_1")}});
    v.push_back({p + "mlp.c_fc.bias", {f}, {vec(w.ffn.b_1, e + "b_1")}});
    v.push_back({p + "mlp.c_proj.weight", {f, d}, {mat(w.ffn.W_2, e + "W_2")}});
    v.push_back({p + "mlp.c_proj.bias", {d}, {vec(w.ffn.b_2, e + "b_2")}});
  }
  v.push_back({"ln_f.weight", {d}, {vec(m.ln_f.gamma, "ln_f_gamma")}});
  v.push_back({"ln_f.bias", {d}, {vec(m.ln_f.beta, "ln_f_beta")}});
  for (OutTensor& t : v) t.name = "transformer." + t.name;  // GPT2LMHeadModel's state dict names
  std::sort(v.begin(), v.end(), [](const OutTensor& a, const OutTensor& b) { return a.name < b.name; });
  return v;
}

std::string shape_text(Eigen::Index rows, Eigen::Index cols, bool vector) {
  return vector ? std::to_string(cols) : std::to_string(rows) + " × " + std::to_string(cols);
}

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

// The shortest decimal that reads back as f (1e-05 for 1e-5f, not 9.99999974737875e-06).
double shortest_decimal(float f) {
  for (int digits = 1; digits <= 9; ++digits) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*g", digits, double(f));
    const double v = std::strtod(buf, nullptr);
    if (float(v) == f) return v;
  }
  return double(f);  // 9 significant digits always suffice for a float
}

// "" or which value cannot be stored: NaN or infinity, or too large for F16. Row and column are the engine tensor's.
std::string value_refusal(const OutTensor& t, bool f16) {
  for (const Block& b : t.blocks)
    for (Eigen::Index r = 0; r < b.rows; ++r)
      for (Eigen::Index j = 0; j < b.cols; ++j) {
        const float x = b.data[r * b.stride + j];
        const bool bad = !std::isfinite(x);
        if (!bad && !(f16 && std::isinf(f16_to_float(float_to_f16(x))))) continue;
        const std::string at = "tensor " + t.name + " (" + b.engine +
                               (b.rows > 1 ? ", row " + std::to_string(r) + "," : ",") + " column " +
                               std::to_string(j) + ")";
        if (bad)
          return printf_text(_("%s is %s; a checkpoint holds finite weights"), at.c_str(), number(double(x)).c_str());
        return printf_text(_("%s is %s, beyond F16's largest value 65504: save it as F32"), at.c_str(),
                           number(double(x)).c_str());
      }
  return {};
}

std::string safetensors_header(const std::vector<OutTensor>& tensors, const std::string& dtype,
                               const std::map<std::string, std::string>& metadata) {
  json meta(metadata);
  meta["format"] = "pt";  // what transformers' save_pretrained writes
  std::string h = "{\"__metadata__\":" + meta.dump();
  const uint64_t item = uint64_t(safetensors_dtype_size(dtype));
  uint64_t at = 0;
  for (const OutTensor& t : tensors) {
    const uint64_t bytes = item * t.size();
    h += "," + json(t.name).dump() + ":{\"dtype\":\"" + dtype + "\",\"shape\":" + json(t.shape).dump() +
         ",\"data_offsets\":[" + std::to_string(at) + "," + std::to_string(at + bytes) + "]}";
    at += bytes;
  }
  h += "}";
  h.append((8 - h.size() % 8) % 8, ' ');  // the library pads so the data starts 8-aligned
  return h;
}

void write_safetensors(std::ostream& out, const std::vector<OutTensor>& tensors, const std::string& header, bool f16) {
  std::string bytes;
  for (int i = 0; i < 8; ++i) bytes.push_back(char(uint8_t(uint64_t(header.size()) >> (8 * i))));
  out.write(bytes.data(), std::streamsize(bytes.size()));
  out.write(header.data(), std::streamsize(header.size()));
  static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "safetensors data is little-endian");
  for (const OutTensor& t : tensors)
    for (size_t r = 0; r < t.rows(); ++r) {
      bytes.clear();
      for (const Block& b : t.blocks) {
        const float* row = b.data + Eigen::Index(r) * b.stride;
        if (f16) {
          for (Eigen::Index j = 0; j < b.cols; ++j) {
            const uint16_t h = float_to_f16(row[j]);
            bytes.push_back(char(uint8_t(h)));
            bytes.push_back(char(uint8_t(h >> 8)));
          }
        } else {
          bytes.append(reinterpret_cast<const char*>(row), size_t(b.cols) * 4);
        }
      }
      out.write(bytes.data(), std::streamsize(bytes.size()));
    }
}

json gpt2_config_json(const ModelConfig& c, int end_of_text, const HfWriteOptions& o) {
  json j = {{"activation_function", "gelu_new"},
            {"architectures", {"GPT2LMHeadModel"}},
            {"attn_pdrop", 0.0},
            {"bos_token_id", end_of_text},
            {"embd_pdrop", 0.0},
            {"eos_token_id", end_of_text},
            {"initializer_range", 0.02},
            {"layer_norm_epsilon", shortest_decimal(c.ln_eps)},
            {"model_type", "gpt2"},
            {"n_ctx", c.context},
            {"n_embd", c.d_model},
            {"n_head", c.heads},
            {"n_inner", c.d_ff},
            {"n_layer", c.layers},
            {"n_positions", c.context},
            {"reorder_and_upcast_attn", false},
            {"resid_pdrop", 0.0},
            {"scale_attn_by_inverse_layer_idx", false},
            {"scale_attn_weights", true},
            {"tie_word_embeddings", true},
            {"torch_dtype", o.dtype == "F16" ? "float16" : "float32"},
            {"use_cache", true},
            {"vocab_size", c.vocab_size}};
  if (!o.name.empty()) j["_name_or_path"] = o.name;
  return j;
}

}  // namespace

std::string gpt2_shape_refusal(const Model& m) {
  const ModelConfig& c = m.config;
  const std::string no = _("the model is not GPT-2-shaped: ");
  if (c.kind != ModelKind::DecoderOnly || !m.decoder.empty())
    return printf_text(_("%sit is not decoder-only"), no.c_str());
  if (c.positions != PEKind::Learned)
    return printf_text(_("%sits positions are not learned (GPT-2 learns one embedding per position, wpe)"), no.c_str());
  if (c.norm != NormPlacement::Pre)
    return printf_text(_("%sits LayerNorms follow each sublayer, GPT-2's come before it"), no.c_str());
  if (!c.final_norm) return printf_text(_("%sit has no final LayerNorm (GPT-2's ln_f)"), no.c_str());
  if (c.output != OutputKind::Tied)
    return printf_text(_("%sits output layer is not tied to the token embedding"), no.c_str());
  if (c.activation != Activation::GeluTanh)
    return printf_text(_("%sits activation is not GELU's tanh approximation"), no.c_str());
  if (c.d_model <= 0 || c.heads <= 0 || c.d_model % c.heads != 0)
    return printf_text(_("%sits d_model (%s) is not a positive multiple of its heads (%s)"), no.c_str(),
                       std::to_string(c.d_model).c_str(), std::to_string(c.heads).c_str());
  if (c.layers <= 0 || c.d_ff <= 0 || c.context <= 0 || c.vocab_size <= 0)
    return printf_text(_("%sits layers, d_ff, context and vocabulary size are not all positive"), no.c_str());
  if (int(m.encoder.size()) != c.layers)
    return printf_text(_("%sit has %s layers of weights but its config says %s"), no.c_str(),
                       std::to_string(m.encoder.size()).c_str(), std::to_string(c.layers).c_str());
  for (size_t l = 0; l < m.encoder.size(); ++l) {
    const EncoderLayerWeights& w = m.encoder[l];
    const std::string e = "enc" + std::to_string(l);
    if (w.ffn.activation != Activation::GeluTanh)
      return printf_text(_("%s%s's feed-forward does not use GELU's tanh approximation"), no.c_str(), e.c_str());
    for (const auto& [norm, name] : {std::pair{&w.ln1, "ln1"}, std::pair{&w.ln2, "ln2"}})
      if (norm->eps != c.ln_eps)
        return printf_text(
            _("%s%s.%s has LayerNorm ε %s but its config %s, and config.json holds one layer_norm_epsilon"), no.c_str(),
            e.c_str(), name, number(double(norm->eps)).c_str(), number(double(c.ln_eps)).c_str());
  }
  if (m.ln_f.eps != c.ln_eps)
    return printf_text(_("%sln_f has LayerNorm ε %s but its config %s, and config.json holds one layer_norm_epsilon"),
                       no.c_str(), number(double(m.ln_f.eps)).c_str(), number(double(c.ln_eps)).c_str());
  for (const OutTensor& t : gpt2_tensors(m))
    for (const Block& b : t.blocks)
      if (size_t(b.rows) != t.rows() || size_t(b.cols) != t.block_cols())
        return printf_text(
            _("%sits %s is %s where its config needs %s"), no.c_str(), b.engine.c_str(),
            shape_text(b.rows, b.cols, t.shape.size() == 1).c_str(),
            shape_text(Eigen::Index(t.rows()), Eigen::Index(t.block_cols()), t.shape.size() == 1).c_str());
  return {};
}

std::string save_hf_checkpoint(const Model& m, const std::string& dir, const HfWriteOptions& o) {
  const std::string where = untrusted_text(dir, 240) + ": ";
  if (o.dtype != "F32" && o.dtype != "F16")
    return printf_text(_("%sthe weights can be saved as F32 or F16, not %s"), where.c_str(),
                       untrusted_text(o.dtype).c_str());
  if (const std::string e = gpt2_shape_refusal(m); !e.empty()) return where + e;
  if (o.metadata.count("format"))
    return printf_text(
        _("%sthe safetensors metadata's \"format\" is \"pt\", as transformers needs it; it cannot be set"),
        where.c_str());
  // JSON text is UTF-8 (and nlohmann's dump throws on anything else).
  auto utf8 = [](const std::string& text) {
    int replaced = 0;
    valid_utf8(text, &replaced);
    return replaced == 0;
  };
  bool bad = !utf8(o.name);
  for (const auto& [key, value] : o.metadata) bad = bad || !utf8(key) || !utf8(value);
  if (bad) return printf_text(_("%sthe name or a metadata entry is not valid UTF-8, which JSON needs"), where.c_str());

  // The tokenizer: it must load, fit the embedding, and name the end of text (config.json's bos/eos).
  if (o.vocab_json.empty() || o.merges_txt.empty())
    return printf_text(_("%sa checkpoint needs its tokenizer (vocab.json and merges.txt), and none was given"),
                       where.c_str());
  BpeTokenizer bpe;
  if (const std::string e = BpeTokenizer::from_files_text(o.vocab_json, o.merges_txt, &bpe); !e.empty())
    return printf_text(_("%svocab.json + merges.txt: %s"), where.c_str(), e.c_str());
  if (bpe.size() > m.config.vocab_size)
    return printf_text(_("%sthe tokenizer has %s tokens but the model embeds only %s"), where.c_str(),
                       std::to_string(bpe.size()).c_str(), std::to_string(m.config.vocab_size).c_str());
  const int end_of_text = bpe.id(kEndOfText);
  if (end_of_text < 0)
    return printf_text(_("%svocab.json has no %s, the token config.json names as GPT-2's bos and eos"), where.c_str(),
                       kEndOfText);

  const json config = gpt2_config_json(m.config, end_of_text, o);
  const std::string config_text = config.dump(2) + "\n";
  Gpt2Config parsed;
  if (const std::string e = parse_gpt2_config(config_text, &parsed); !e.empty())
    return printf_text(_("%sthe folder would not load: %s"), where.c_str(), e.c_str());

  const std::vector<OutTensor> tensors = gpt2_tensors(m);
  const bool f16 = o.dtype == "F16";
  for (const OutTensor& t : tensors)
    if (const std::string e = value_refusal(t, f16); !e.empty()) return where + e;

  std::error_code ec;
  const fs::path folder(dir);
  if (fs::exists(folder, ec) && !fs::is_directory(folder, ec))
    return printf_text(_("%sit is a file, not a folder"), where.c_str());
  if (fs::create_directories(folder, ec); ec)
    return printf_text(_("%scannot create the folder (%s)"), where.c_str(), ec.message().c_str());

  const std::string header = safetensors_header(tensors, o.dtype, o.metadata);
  std::string e = write_file_atomic_stream((folder / "model.safetensors").string(),
                                           [&](std::ostream& out) { write_safetensors(out, tensors, header, f16); });
  if (e.empty()) e = write_file_atomic((folder / "vocab.json").string(), o.vocab_json);
  if (e.empty()) e = write_file_atomic((folder / "merges.txt").string(), o.merges_txt);
  if (e.empty()) e = write_file_atomic((folder / "config.json").string(), config_text);
  return e.empty() ? e : where + e;
}

}  // namespace attn
