// tiny_gpt2.h: tiny GPT-2 checkpoints written by the tests, and an independent double-precision GPT-2 forward pass.
//
//   TinyGpt2            the config and every tensor by its Hugging Face name (no prefix), values as stored in the
//                       file (already rounded to F16/BF16 when written so), so a loaded tensor compares exactly
//   tiny_gpt2()         random weights for a config (n_embd 8, 2 heads, 2 layers, 16 positions by default) and a
//                       tiny byte-level BPE vocabulary: the 256 byte symbols, a few merges, <|endoftext|>
//   safetensors_bytes() any list of tensors as a safetensors file, with a hook to corrupt the header
//   write_tiny_gpt2()   a checkpoint folder: config.json, model.safetensors, vocab.json + merges.txt or tokenizer.json
//   reference_forward() GPT-2 from its definition, in double, on the raw tensors (never through attn::Model):
//                       every layer's per-head attention weights and the logits
//
// Nothing here calls the engine: the writer's rounding and the forward pass are written from the formats' and the
// model's definitions, so the tests compare two independent implementations.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace attn::test {

// ---- dtypes: rounding to nearest, ties to even, and the bit patterns (from IEEE 754's definition)

enum class Dtype { F32, F16, BF16 };
inline const char* dtype_name(Dtype d) { return d == Dtype::F32 ? "F32" : d == Dtype::F16 ? "F16" : "BF16"; }

// v rounded to a binary format with `mant_bits` stored mantissa bits and smallest normal exponent `min_exp`.
inline float round_to_format(float v, int mant_bits, int min_exp) {
  if (v == 0 || !std::isfinite(v)) return v;
  int e2 = 0;
  std::frexp(double(v), &e2);  // v = m·2^e2, m in [0.5, 1): the leading bit has weight 2^(e2-1)
  const int exp = std::max(e2 - 1, min_exp);
  const double quantum = std::ldexp(1.0, exp - mant_bits);
  return float(std::nearbyint(double(v) / quantum) * quantum);  // the default rounding mode: ties to even
}
inline float round_to(Dtype d, float v) {
  return d == Dtype::F32 ? v : d == Dtype::F16 ? round_to_format(v, 10, -14) : round_to_format(v, 7, -126);
}
// Bits of a value already representable in the format.
inline uint16_t f16_bits(float v) {
  const uint16_t sign = std::signbit(v) ? 0x8000 : 0;
  const double a = std::fabs(double(v));
  if (std::isnan(v)) return 0x7E00;
  if (std::isinf(v)) return uint16_t(sign | 0x7C00);
  if (a == 0) return sign;
  if (a < std::ldexp(1.0, -14)) return uint16_t(sign | uint16_t(a / std::ldexp(1.0, -24)));  // subnormal
  int e2 = 0;
  const double m = std::frexp(a, &e2);  // a = m·2^e2
  const int exp = e2 - 1;
  return uint16_t(sign | uint16_t(exp + 15) << 10 | uint16_t(std::lround((2 * m - 1) * 1024)));
}
inline uint16_t bf16_bits(float v) {
  uint32_t u;
  std::memcpy(&u, &v, 4);
  return uint16_t(u >> 16);
}
// The values rounded as `d` stores them (F32: as they are), little-endian.
inline std::string encode(Dtype d, const std::vector<float>& values) {
  std::string out;
  for (float v : values) {
    v = round_to(d, v);
    if (d == Dtype::F32) {
      uint32_t u;
      std::memcpy(&u, &v, 4);
      for (int i = 0; i < 4; ++i) out.push_back(char(uint8_t(u >> (8 * i))));
    } else {
      const uint16_t h = d == Dtype::F16 ? f16_bits(v) : bf16_bits(v);
      out.push_back(char(uint8_t(h)));
      out.push_back(char(uint8_t(h >> 8)));
    }
  }
  return out;
}

// ---- GPT-2's byte-level symbols (bytes_to_unicode in GPT-2's encoder.py)

inline bool printable_byte(int b) { return (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255); }

// The printable bytes stand for themselves; the others, in order, for U+0100 onwards.
inline std::vector<std::string> byte_symbols() {
  std::vector<std::string> sym(256);
  int next = 256;
  auto utf8 = [](int cp) {
    std::string s;
    if (cp < 0x80) {
      s.push_back(char(cp));
    } else {
      s.push_back(char(0xC0 | (cp >> 6)));
      s.push_back(char(0x80 | (cp & 0x3F)));
    }
    return s;
  };
  for (int b = 0; b < 256; ++b) {
    sym[size_t(b)] = utf8(printable_byte(b) ? b : next++);
  }
  return sym;
}

// ---- the checkpoint

struct Tensor {
  std::vector<uint64_t> shape;
  std::vector<float> values;  // row-major, as stored
};

struct TinyGpt2 {
  int n_embd = 8, n_head = 2, n_layer = 2, n_positions = 16;
  int n_inner = 0;  // 0: config.json says null (4·n_embd)
  double layer_norm_epsilon = 1e-5;
  std::vector<std::string> vocab;                // id → symbol as vocab.json spells it
  std::vector<std::pair<std::string, std::string>> merges;  // by rank
  std::map<std::string, Tensor> tensors;         // Hugging Face names without "transformer."
  int d_ff() const { return n_inner > 0 ? n_inner : 4 * n_embd; }
  int vocab_size() const { return int(vocab.size()); }
  const Tensor& t(const std::string& name) const { return tensors.at(name); }
};

// The 256 byte symbols in GPT-2's order, then merges that build "Ġt", "he", "Ġthe", "in", "Ġin", then <|endoftext|>.
inline void tiny_vocab(TinyGpt2* m) {
  const std::vector<std::string> bytes = byte_symbols();
  // GPT-2's vocabulary lists the printable bytes first, then the remapped ones (bytes_to_unicode's order).
  for (int b = 0; b < 256; ++b)
    if (printable_byte(b)) m->vocab.push_back(bytes[size_t(b)]);
  for (int b = 0; b < 256; ++b)
    if (!printable_byte(b)) m->vocab.push_back(bytes[size_t(b)]);
  const std::string G = "\xC4\xA0";  // Ġ, the space byte's symbol
  m->merges = {{G, "t"}, {"h", "e"}, {G + "t", "he"}, {"i", "n"}, {G, "in"}};
  for (const auto& [a, b] : m->merges) m->vocab.push_back(a + b);
  m->vocab.push_back("<|endoftext|>");
}

// Random weights, rounded as `dtype` stores them. Matrices ~ N(0, 0.25²), LayerNorm γ ~ 1 + N(0, 0.1²).
inline TinyGpt2 tiny_gpt2(Dtype dtype = Dtype::F32, uint64_t seed = 1, TinyGpt2 shape = {}) {
  TinyGpt2 m = std::move(shape);
  m.tensors.clear();
  if (m.vocab.empty()) tiny_vocab(&m);
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  auto add = [&](const std::string& name, std::vector<uint64_t> shape, float mean, float sd) {
    size_t n = 1;
    for (uint64_t s : shape) n *= size_t(s);
    Tensor t{std::move(shape), std::vector<float>(n)};
    for (float& v : t.values) v = round_to(dtype, mean + sd * normal(rng));
    m.tensors[name] = std::move(t);
  };
  const uint64_t d = uint64_t(m.n_embd), f = uint64_t(m.d_ff());
  add("wte.weight", {uint64_t(m.vocab_size()), d}, 0, 0.5f);
  add("wpe.weight", {uint64_t(m.n_positions), d}, 0, 0.2f);
  for (int l = 0; l < m.n_layer; ++l) {
    const std::string p = "h." + std::to_string(l) + ".";
    add(p + "ln_1.weight", {d}, 1, 0.1f);
    add(p + "ln_1.bias", {d}, 0, 0.1f);
    add(p + "attn.c_attn.weight", {d, 3 * d}, 0, 0.4f);
    add(p + "attn.c_attn.bias", {3 * d}, 0, 0.1f);
    add(p + "attn.c_proj.weight", {d, d}, 0, 0.25f);
    add(p + "attn.c_proj.bias", {d}, 0, 0.1f);
    add(p + "ln_2.weight", {d}, 1, 0.1f);
    add(p + "ln_2.bias", {d}, 0, 0.1f);
    add(p + "mlp.c_fc.weight", {d, f}, 0, 0.25f);
    add(p + "mlp.c_fc.bias", {f}, 0, 0.1f);
    add(p + "mlp.c_proj.weight", {f, d}, 0, 0.25f);
    add(p + "mlp.c_proj.bias", {d}, 0, 0.1f);
  }
  add("ln_f.weight", {d}, 1, 0.1f);
  add("ln_f.bias", {d}, 0, 0.1f);
  return m;
}

// ---- safetensors

struct StEntry {
  std::string name, dtype;
  std::vector<uint64_t> shape;
  std::string data;
};

// Tensors back to back in the given order; `edit` may change the header before it is written.
inline std::string safetensors_bytes(const std::vector<StEntry>& entries,
                                     const std::function<void(nlohmann::json&)>& edit = {}) {
  nlohmann::json header = nlohmann::json::object();
  header["__metadata__"] = {{"format", "pt"}};
  std::string data;
  for (const StEntry& e : entries) {
    header[e.name] = {{"dtype", e.dtype}, {"shape", e.shape}, {"data_offsets", {data.size(), data.size() + e.data.size()}}};
    data += e.data;
  }
  if (edit) edit(header);
  std::string h = header.dump();
  h.append((8 - h.size() % 8) % 8, ' ');
  std::string out;
  for (int i = 0; i < 8; ++i) out.push_back(char(uint8_t(uint64_t(h.size()) >> (8 * i))));
  return out + h + data;
}

// The checkpoint's tensors as Hugging Face writes them: named with `prefix` ("" or "transformer."), plus the
// attention-mask buffers h.{i}.attn.bias (F32 1 × 1 × n_positions × n_positions, lower triangle of ones) that
// GPT2Model's state dict holds.
inline std::vector<StEntry> tiny_entries(const TinyGpt2& m, Dtype dtype, const std::string& prefix = "",
                                         bool with_mask_buffers = true) {
  std::vector<StEntry> v;
  for (const auto& [name, t] : m.tensors) v.push_back({prefix + name, dtype_name(dtype), t.shape, encode(dtype, t.values)});
  if (with_mask_buffers)
    for (int l = 0; l < m.n_layer; ++l) {
      const uint64_t P = uint64_t(m.n_positions);
      std::vector<float> tri(P * P);
      for (uint64_t i = 0; i < P; ++i)
        for (uint64_t j = 0; j <= i; ++j) tri[i * P + j] = 1;
      v.push_back({prefix + "h." + std::to_string(l) + ".attn.bias", "F32", {1, 1, P, P}, encode(Dtype::F32, tri)});
    }
  return v;
}

inline nlohmann::json tiny_config(const TinyGpt2& m) {
  nlohmann::json c = {{"architectures", {"GPT2LMHeadModel"}},
                      {"model_type", "gpt2"},
                      {"activation_function", "gelu_new"},
                      {"n_embd", m.n_embd},
                      {"n_head", m.n_head},
                      {"n_layer", m.n_layer},
                      {"n_positions", m.n_positions},
                      {"n_ctx", m.n_positions},
                      {"vocab_size", m.vocab_size()},
                      {"layer_norm_epsilon", m.layer_norm_epsilon},
                      {"n_inner", nullptr},
                      {"scale_attn_weights", true},
                      {"torch_dtype", "float32"}};
  if (m.n_inner > 0) c["n_inner"] = m.n_inner;
  return c;
}

inline std::string vocab_json(const TinyGpt2& m) {
  nlohmann::json v = nlohmann::json::object();
  for (size_t i = 0; i < m.vocab.size(); ++i) v[m.vocab[i]] = i;
  return v.dump();
}
inline std::string merges_txt(const TinyGpt2& m) {
  std::string s = "#version: 0.2\n";
  for (const auto& [a, b] : m.merges) s += a + " " + b + "\n";
  return s;
}
inline std::string tokenizer_json(const TinyGpt2& m) {
  nlohmann::json merges = nlohmann::json::array();
  for (const auto& [a, b] : m.merges) merges.push_back(a + " " + b);
  const nlohmann::json t = {
      {"version", "1.0"},
      {"added_tokens", {{{"id", m.vocab_size() - 1}, {"content", "<|endoftext|>"}, {"special", true}}}},
      {"pre_tokenizer", {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"trim_offsets", true}}},
      {"model", {{"type", "BPE"}, {"vocab", nlohmann::json::parse(vocab_json(m))}, {"merges", merges}}}};
  return t.dump();
}

inline void write_text(const std::filesystem::path& p, const std::string& s) {
  std::ofstream(p, std::ios::binary) << s;
}

struct WriteOptions {
  Dtype dtype = Dtype::F32;
  std::string prefix;          // "" or "transformer."
  bool tokenizer_json = false;  // tokenizer.json instead of vocab.json + merges.txt
};

// A checkpoint folder at dir (created), as `huggingface-cli download` leaves one.
inline void write_tiny_gpt2(const std::filesystem::path& dir, const TinyGpt2& m, const WriteOptions& o = {}) {
  std::filesystem::create_directories(dir);
  write_text(dir / "config.json", tiny_config(m).dump(2));
  write_text(dir / "model.safetensors", safetensors_bytes(tiny_entries(m, o.dtype, o.prefix)));
  if (o.tokenizer_json) {
    write_text(dir / "tokenizer.json", tokenizer_json(m));
  } else {
    write_text(dir / "vocab.json", vocab_json(m));
    write_text(dir / "merges.txt", merges_txt(m));
  }
}

// ---- GPT-2's forward pass, from its definition, in double

struct MatD {
  int rows = 0, cols = 0;
  std::vector<double> v;
  MatD() = default;
  MatD(int r, int c) : rows(r), cols(c), v(size_t(r) * size_t(c), 0.0) {}
  double& operator()(int i, int j) { return v[size_t(i) * size_t(cols) + size_t(j)]; }
  double operator()(int i, int j) const { return v[size_t(i) * size_t(cols) + size_t(j)]; }
};

inline MatD to_matd(const Tensor& t) {
  MatD m(t.shape.size() == 2 ? int(t.shape[0]) : 1, int(t.shape.back()));
  for (size_t i = 0; i < t.values.size(); ++i) m.v[i] = double(t.values[i]);
  return m;
}

// x·W + b   (n × in)·(in × out) + (1 × out)
inline MatD affine(const MatD& x, const MatD& W, const MatD& b) {
  MatD y(x.rows, W.cols);
  for (int i = 0; i < x.rows; ++i)
    for (int j = 0; j < W.cols; ++j) {
      double s = b.v[size_t(j)];
      for (int k = 0; k < x.cols; ++k) s += x(i, k) * W(k, j);
      y(i, j) = s;
    }
  return y;
}

// Each row: (x − mean) / √(var + ε) · γ + β, with the biased variance.
inline MatD layer_norm(const MatD& x, const MatD& g, const MatD& b, double eps) {
  MatD y(x.rows, x.cols);
  for (int i = 0; i < x.rows; ++i) {
    double mean = 0, var = 0;
    for (int j = 0; j < x.cols; ++j) mean += x(i, j);
    mean /= x.cols;
    for (int j = 0; j < x.cols; ++j) var += (x(i, j) - mean) * (x(i, j) - mean);
    var /= x.cols;
    for (int j = 0; j < x.cols; ++j) y(i, j) = (x(i, j) - mean) / std::sqrt(var + eps) * g.v[size_t(j)] + b.v[size_t(j)];
  }
  return y;
}

inline double gelu_tanh(double x) {
  const double kPi = 3.14159265358979323846;
  return 0.5 * x * (1 + std::tanh(std::sqrt(2 / kPi) * (x + 0.044715 * x * x * x)));
}

struct ReferenceOutput {
  std::vector<std::vector<MatD>> weights;  // [layer][head]: n × n, softmax(q·kᵀ/√d_k) under the causal mask
  MatD logits;                             // n × vocab
};

inline ReferenceOutput reference_forward(const TinyGpt2& m, const std::vector<int>& ids) {
  const int n = int(ids.size()), d = m.n_embd, H = m.n_head, dk = d / H;
  const MatD wte = to_matd(m.t("wte.weight")), wpe = to_matd(m.t("wpe.weight"));
  MatD x(n, d);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < d; ++j) x(i, j) = wte(ids[size_t(i)], j) + wpe(i, j);
  ReferenceOutput out;
  for (int l = 0; l < m.n_layer; ++l) {
    const std::string p = "h." + std::to_string(l) + ".";
    auto T = [&](const std::string& name) { return to_matd(m.t(p + name)); };
    const MatD a = layer_norm(x, T("ln_1.weight"), T("ln_1.bias"), m.layer_norm_epsilon);
    const MatD qkv = affine(a, T("attn.c_attn.weight"), T("attn.c_attn.bias"));  // n × 3d: q | k | v
    MatD merged(n, d);
    out.weights.emplace_back();
    for (int h = 0; h < H; ++h) {
      MatD w(n, n);
      for (int i = 0; i < n; ++i) {
        std::vector<double> s(size_t(i) + 1);
        double mx = -INFINITY;
        for (int j = 0; j <= i; ++j) {  // causal: keys after the query get weight 0
          double dot = 0;
          for (int c = 0; c < dk; ++c) dot += qkv(i, h * dk + c) * qkv(j, d + h * dk + c);
          s[size_t(j)] = dot / std::sqrt(double(dk));
          mx = std::max(mx, s[size_t(j)]);
        }
        double z = 0;
        for (double& e : s) z += (e = std::exp(e - mx));
        for (int j = 0; j <= i; ++j) w(i, j) = s[size_t(j)] / z;
        for (int c = 0; c < dk; ++c) {
          double o = 0;
          for (int j = 0; j <= i; ++j) o += w(i, j) * qkv(j, 2 * d + h * dk + c);
          merged(i, h * dk + c) = o;
        }
      }
      out.weights.back().push_back(std::move(w));
    }
    const MatD attn = affine(merged, T("attn.c_proj.weight"), T("attn.c_proj.bias"));
    for (size_t i = 0; i < x.v.size(); ++i) x.v[i] += attn.v[i];
    const MatD b = layer_norm(x, T("ln_2.weight"), T("ln_2.bias"), m.layer_norm_epsilon);
    MatD hdn = affine(b, T("mlp.c_fc.weight"), T("mlp.c_fc.bias"));
    for (double& e : hdn.v) e = gelu_tanh(e);
    const MatD mlp = affine(hdn, T("mlp.c_proj.weight"), T("mlp.c_proj.bias"));
    for (size_t i = 0; i < x.v.size(); ++i) x.v[i] += mlp.v[i];
  }
  const MatD f = layer_norm(x, to_matd(m.t("ln_f.weight")), to_matd(m.t("ln_f.bias")), m.layer_norm_epsilon);
  out.logits = MatD(n, m.vocab_size());
  for (int i = 0; i < n; ++i)
    for (int v = 0; v < m.vocab_size(); ++v) {
      double s = 0;
      for (int j = 0; j < d; ++j) s += f(i, j) * wte(v, j);  // tied: logits = h·wteᵀ
      out.logits(i, v) = s;
    }
  return out;
}

inline std::string read_text(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

// Reading a saved folder back without the engine's reader: config.json, the safetensors header and IEEE binary16 from
// their definitions, into a TinyGpt2 (names without "transformer.")

inline float half_value(uint16_t h) {
  const int e = (h >> 10) & 31, f = h & 1023;
  const double s = (h & 0x8000) ? -1 : 1;
  if (e == 31) return f ? std::numeric_limits<float>::quiet_NaN() : float(s * INFINITY);
  return float(s * (e == 0 ? std::ldexp(double(f), -24) : std::ldexp(double(1024 + f), e - 25)));
}

inline TinyGpt2 read_gpt2_folder(const std::filesystem::path& dir) {
  TinyGpt2 t;
  const nlohmann::json c = nlohmann::json::parse(read_text(dir / "config.json"));
  t.n_embd = c["n_embd"];
  t.n_head = c["n_head"];
  t.n_layer = c["n_layer"];
  t.n_positions = c["n_positions"];
  t.n_inner = c["n_inner"];
  t.layer_norm_epsilon = c["layer_norm_epsilon"];
  const nlohmann::json v = nlohmann::json::parse(read_text(dir / "vocab.json"));
  t.vocab.resize(v.size());
  for (const auto& [symbol, id] : v.items()) t.vocab[id.get<size_t>()] = symbol;
  const std::string file = read_text(dir / "model.safetensors");
  uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = n << 8 | uint8_t(file[size_t(i)]);
  const nlohmann::json header = nlohmann::json::parse(file.substr(8, n));
  for (const auto& [name, e] : header.items()) {
    if (name == "__metadata__") continue;
    Tensor x;
    x.shape = e["shape"].get<std::vector<uint64_t>>();
    const uint64_t begin = e["data_offsets"][0], end = e["data_offsets"][1];
    const unsigned char* p = reinterpret_cast<const unsigned char*>(file.data()) + 8 + n + begin;
    if (e["dtype"] == "F16") {
      for (uint64_t i = 0; i < (end - begin) / 2; ++i) x.values.push_back(half_value(uint16_t(p[2 * i] | p[2 * i + 1] << 8)));
    } else {
      x.values.resize((end - begin) / 4);
      std::memcpy(x.values.data(), p, end - begin);
    }
    t.tensors[name.substr(std::strlen("transformer."))] = std::move(x);
  }
  return t;
}

}  // namespace attn::test
