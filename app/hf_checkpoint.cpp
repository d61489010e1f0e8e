#include "hf_checkpoint.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "atomic_file.h"
#include "bpe.h"
#include "settings.h"
#include "sha256.h"
#include "translate.h"
#include "utf8.h"

namespace attn {

using json = nlohmann::json;
namespace fs = std::filesystem;

namespace {

constexpr uint64_t kMaxHeaderBytes = 100u << 20;  // the safetensors reference implementation's limit
constexpr size_t kMaxConfigBytes = 1u << 20;
constexpr size_t kMaxTokenizerBytes = 100u << 20;  // gpt2's tokenizer.json is 1.4 MB
constexpr const char* kPrefix = "transformer.";

std::string num(uint64_t v) { return std::to_string(v); }

std::string in_quotes(std::string_view s) { return "'" + untrusted_text(s) + "'"; }

std::string shape_text(const std::vector<uint64_t>& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + num(shape[i]);
  return s + "]";
}

uint64_t get_u64_le(const unsigned char* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = v << 8 | p[i];
  return v;
}

bool is_unsigned_pair(const json& j) {
  return j.is_array() && j.size() == 2 && j[0].is_number_unsigned() && j[1].is_number_unsigned();
}

}  // namespace

// ---- 1. safetensors header

int safetensors_dtype_size(std::string_view d) {
  if (d == "F64" || d == "I64" || d == "U64") return 8;
  if (d == "F32" || d == "I32" || d == "U32") return 4;
  if (d == "F16" || d == "BF16" || d == "I16" || d == "U16") return 2;
  if (d == "I8" || d == "U8" || d == "BOOL" || d == "F8_E4M3" || d == "F8_E5M2") return 1;
  return 0;
}

float f16_to_float(uint16_t h) {
  const uint32_t sign = uint32_t(h & 0x8000u) << 16, exp = (h >> 10) & 0x1Fu, mant = h & 0x3FFu;
  if (exp == 0) {  // zero or subnormal: mant · 2⁻²⁴
    const float f = std::ldexp(float(mant), -24);
    return sign ? -f : f;
  }
  const uint32_t bits = sign | (exp == 31 ? 0x7F800000u | mant << 13 : (exp + 112) << 23 | mant << 13);
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

float bf16_to_float(uint16_t h) {
  const uint32_t bits = uint32_t(h) << 16;
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

std::string parse_safetensors_header(std::string_view file, SafetensorsHeader* out) {
  if (file.size() < 8)
    return printf_text(_("the file is truncated: it is shorter than the 8-byte header length (%s bytes)"),
                       num(file.size()).c_str());
  const auto* u = reinterpret_cast<const unsigned char*>(file.data());
  const uint64_t n = get_u64_le(u);
  if (n > file.size() - 8)
    return printf_text(
        _("the header length (%s bytes) is longer than the file (%s bytes): not a safetensors file, or truncated"),
        num(n).c_str(), num(file.size()).c_str());
  if (n > kMaxHeaderBytes) return _("the header is larger than 100 MB, so this is not a safetensors file");
  const json header = json::parse(file.data() + 8, file.data() + 8 + n, nullptr, false);
  if (header.is_discarded()) return _("the header is not JSON, so this is not a safetensors file");
  if (!header.is_object()) return _("the header is not a JSON object, so this is not a safetensors file");

  SafetensorsHeader h;
  h.data_start = 8 + n;
  const uint64_t data_size = file.size() - h.data_start;
  for (const auto& [key, t] : header.items()) {
    if (key == "__metadata__") continue;
    const std::string q = printf_text(_("tensor %s"), in_quotes(key).c_str());
    if (!t.is_object()) return printf_text(_("%s is not described by a JSON object"), q.c_str());
    const auto dt = t.find("dtype"), sh = t.find("shape"), off = t.find("data_offsets");
    if (dt == t.end() || sh == t.end() || off == t.end())
      return printf_text(_("%s lacks its dtype, shape or data_offsets"), q.c_str());
    if (!dt->is_string()) return printf_text(_("%s has a dtype that is not a string"), q.c_str());
    SafetensorsTensor st;
    st.name = key;
    st.dtype = dt->get<std::string>();
    const int item = safetensors_dtype_size(st.dtype);
    if (item == 0)
      return printf_text(_("%s has dtype %s, which is not a safetensors dtype"), q.c_str(),
                         in_quotes(st.dtype).c_str());
    if (!sh->is_array()) return printf_text(_("%s has a shape that is not a list of sizes"), q.c_str());
    uint64_t bytes = uint64_t(item);
    for (const json& d : *sh) {
      if (!d.is_number_unsigned()) return printf_text(_("%s has a shape that is not a list of sizes"), q.c_str());
      const uint64_t v = d.get<uint64_t>();
      st.shape.push_back(v);
      if (v != 0 && bytes > UINT64_MAX / v) return printf_text(_("%s has a shape too large to address"), q.c_str());
      bytes *= v;
    }
    if (!is_unsigned_pair(*off))
      return printf_text(_("%s has data_offsets that are not two byte offsets [begin, end]"), q.c_str());
    st.begin = (*off)[0].get<uint64_t>();
    st.end = (*off)[1].get<uint64_t>();
    if (st.begin > st.end || st.end - st.begin != bytes)
      return printf_text(_("%s has data_offsets [%s, %s] that do not span its %s bytes (%s %s)"), q.c_str(),
                         num(st.begin).c_str(), num(st.end).c_str(), num(bytes).c_str(), st.dtype.c_str(),
                         shape_text(st.shape).c_str());
    h.tensors.push_back(std::move(st));
  }

  // The data section is exactly the tensors, back to back in some order. A file cut short is told apart from offsets
  // that are wrong: its tensors are back to back from 0, and only the end is missing.
  std::sort(h.tensors.begin(), h.tensors.end(), [](const SafetensorsTensor& a, const SafetensorsTensor& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
  });
  uint64_t at = 0;
  bool back_to_back = true;
  for (const SafetensorsTensor& t : h.tensors) {
    back_to_back = back_to_back && t.begin == at;
    at = std::max(at, t.end);
  }
  if (back_to_back && at > data_size)
    return printf_text(_("the file is truncated: its tensors need %s bytes of data but it holds %s"), num(at).c_str(),
                       num(data_size).c_str());
  for (const SafetensorsTensor& t : h.tensors)
    if (t.end > data_size)
      return printf_text(_("the data_offsets [%s, %s] of tensor %s are out of range: the data section has %s bytes"),
                         num(t.begin).c_str(), num(t.end).c_str(), in_quotes(t.name).c_str(), num(data_size).c_str());
  at = 0;
  for (const SafetensorsTensor& t : h.tensors) {
    if (t.begin < at)
      return printf_text(_("tensor %s overlaps the tensor before it in the data section"), in_quotes(t.name).c_str());
    at = t.end;
  }
  at = 0;
  for (const SafetensorsTensor& t : h.tensors) {
    if (t.begin > at)
      return printf_text(_("the data section has %s bytes no tensor covers, before tensor %s"),
                         num(t.begin - at).c_str(), in_quotes(t.name).c_str());
    at = t.end;
  }
  if (at != data_size)
    return printf_text(_("the file has %s bytes after its last tensor"), num(data_size - at).c_str());
  *out = std::move(h);
  return {};
}

// ---- 2. config.json

namespace {

// A whole number within [lo, hi] from config.json; "" or why not.
std::string config_int(const json& j, const char* key, int lo, int hi, int* out) {
  const auto it = j.find(key);
  if (it == j.end()) return printf_text(_("config.json lacks %s"), key);
  if (!it->is_number_integer())
    return printf_text(_("config.json's %s is not a whole number (%s)"), key,
                       untrusted_text(it->dump(-1, ' ', false, json::error_handler_t::replace)).c_str());
  const int64_t v = it->get<int64_t>();
  if (v < lo || v > hi) return printf_text(_("config.json's %s is %lld, outside %d‥%d"), key, (long long)v, lo, hi);
  *out = int(v);
  return {};
}

bool flag(const json& j, const char* key, bool fallback) {
  const auto it = j.find(key);
  return it != j.end() && it->is_boolean() ? it->get<bool>() : fallback;
}

}  // namespace

std::string parse_gpt2_config(std::string_view text, Gpt2Config* out) {
  const json j = json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded()) return _("config.json is not valid JSON");
  if (!j.is_object()) return _("config.json is not a JSON object");
  const auto mt = j.find("model_type");
  if (mt == j.end() || !mt->is_string()) return _("config.json names no model_type");
  if (*mt != "gpt2")
    return printf_text(_("config.json's model_type is %s, but only gpt2 checkpoints are supported"),
                       in_quotes(mt->get<std::string>()).c_str());

  Gpt2Config c;
  std::string e = config_int(j, "n_embd", 1, kMaxDModel, &c.n_embd);
  if (e.empty()) e = config_int(j, "n_head", 1, kMaxHeads, &c.n_head);
  if (e.empty()) e = config_int(j, "n_layer", 1, kMaxLayers, &c.n_layer);
  if (e.empty()) e = config_int(j, j.contains("n_positions") ? "n_positions" : "n_ctx", 1, 1 << 20, &c.n_positions);
  if (e.empty()) e = config_int(j, "vocab_size", 1, 1 << 24, &c.vocab_size);
  if (!e.empty())
    return e == printf_text(_("config.json lacks %s"), "n_ctx") ? _("config.json lacks n_positions (or n_ctx)") : e;
  if (c.n_embd % c.n_head != 0)
    return printf_text(
        _("config.json's n_embd (%d) is not divisible by n_head (%d), so the heads cannot have equal widths"), c.n_embd,
        c.n_head);
  c.n_inner = 4 * c.n_embd;
  if (const auto it = j.find("n_inner"); it != j.end() && !it->is_null())
    if (e = config_int(j, "n_inner", 1, kMaxDff, &c.n_inner); !e.empty()) return e;
  if (c.n_inner > kMaxDff)
    return printf_text(_("config.json's n_inner defaults to 4·n_embd = %d, past the engine's limit of %d"), c.n_inner,
                       int(kMaxDff));
  if (const auto it = j.find("layer_norm_epsilon"); it != j.end()) {
    const double eps = it->is_number() ? it->get<double>() : -1;
    if (!(eps > 0 && eps < 1)) return _("config.json's layer_norm_epsilon must be a number between 0 and 1");
    // The engine computes in float: an ε that rounds to 0 (or a denormal) would let a constant row divide by ~0.
    if (!(float(eps) >= std::numeric_limits<float>::min()))
      return printf_text(_("config.json's layer_norm_epsilon (%s) is below the smallest float, 1.2e-38"),
                         it->dump().c_str());
    c.layer_norm_epsilon = float(eps);
  }
  c.activation = "gelu_new";  // GPT2Config's default
  if (const auto it = j.find("activation_function"); it != j.end()) {
    if (!it->is_string()) return _("config.json's activation_function is not a string");
    c.activation = it->get<std::string>();
  }
  if (c.activation != "gelu_new" && c.activation != "gelu_pytorch_tanh")
    return printf_text(
        _("config.json's activation_function is %s, but the engine computes only GELU's tanh approximation "
          "(gelu_new, gelu_pytorch_tanh)"),
        in_quotes(c.activation).c_str());
  if (!flag(j, "scale_attn_weights", true))
    return _("config.json turns off the 1/√d_k scaling (scale_attn_weights false), which the engine does not model");
  if (flag(j, "scale_attn_by_inverse_layer_idx", false))
    return _(
        "config.json scales attention by the layer index (scale_attn_by_inverse_layer_idx), which the engine does "
        "not model");
  if (flag(j, "add_cross_attention", false))
    return _("config.json adds cross-attention (add_cross_attention), which a GPT-2 decoder-only model does not have");
  *out = c;
  return {};
}

ModelConfig model_config(const Gpt2Config& c) {
  ModelConfig m;
  m.kind = ModelKind::DecoderOnly;
  m.d_model = c.n_embd;
  m.heads = c.n_head;
  m.layers = c.n_layer;
  m.d_ff = c.n_inner;
  m.activation = Activation::GeluTanh;
  m.positions = PEKind::Learned;
  m.norm = NormPlacement::Pre;
  m.final_norm = true;
  m.output = OutputKind::Tied;
  m.tokenizer = TokenizerKind::ByteBPE;
  m.context = c.n_positions;
  m.vocab_size = c.vocab_size;
  m.ln_eps = c.layer_norm_epsilon;
  return m;
}

double gpt2_parameter_floats(const Gpt2Config& c) {
  const double d = c.n_embd, f = c.n_inner;
  const double layer = 2 * d + (d * 3 * d + 3 * d) + (d * d + d) + 2 * d + (d * f + f) + (f * d + d);
  return double(c.vocab_size) * d + double(c.n_positions) * d + c.n_layer * layer + 2 * d;
}

// ---- 3. weights from the file's bytes

namespace {

std::string weights_refusal(const Gpt2Config& c) {
  return memory_refusal(4 * gpt2_parameter_floats(c), printf_text(_("this checkpoint's weights (%s parameters)"),
                                                                  num(uint64_t(gpt2_parameter_floats(c))).c_str()));
}

// Where one tensor of the file goes: each row of `cols` values is split into parts.size() equal blocks, block k
// going to row r of parts[k] (c_attn's W_q | W_k | W_v); plain tensors have one part.
// Where a tensor goes: vectors (copied), or matrices, each a column block of the tensor (c_attn: W_q | W_k | W_v).
struct Slot {
  std::vector<uint64_t> shape;
  std::vector<float*> parts;
  std::vector<Weight*> matrices;
  const SafetensorsTensor* found = nullptr;
};

void add_slot(std::map<std::string, Slot>& slots, const std::string& name, std::vector<uint64_t> shape,
              std::vector<float*> parts) {
  slots[name] = Slot{std::move(shape), std::move(parts), {}, nullptr};
}
void add_slot(std::map<std::string, Slot>& slots, const std::string& name, std::vector<uint64_t> shape,
              std::vector<Weight*> matrices) {
  slots[name] = Slot{std::move(shape), {}, std::move(matrices), nullptr};
}

// Prepares a large destination buffer before it is written: transparent huge pages where the kernel grants them, and
// its pages faulted in by one call. Otherwise a fresh 500 MB model costs a page fault per 4 KB page as it is first
// written, most of a load's time in a virtual machine. Both are hints: without them the copy is the same.
void prepare_destination(float* p, size_t n) {
  constexpr uintptr_t kPage = 4096, kHuge = uintptr_t(2) << 20;
  const uintptr_t begin = reinterpret_cast<uintptr_t>(p), end = reinterpret_cast<uintptr_t>(p + n);
  if (end - begin < kHuge) return;
#ifdef MADV_HUGEPAGE
  const uintptr_t hb = (begin + kHuge - 1) & ~(kHuge - 1), he = end & ~(kHuge - 1);
  if (hb < he) madvise(reinterpret_cast<void*>(hb), he - hb, MADV_HUGEPAGE);
#endif
#ifdef MADV_POPULATE_WRITE
  const uintptr_t pb = (begin + kPage - 1) & ~(kPage - 1), pe = end & ~(kPage - 1);
  if (pb < pe) madvise(reinterpret_cast<void*>(pb), pe - pb, MADV_POPULATE_WRITE);
#endif
  (void)kPage;
}

// The index of the first of n floats that is not finite, or n.
size_t first_not_finite(const float* p, size_t n) {
  for (size_t i = 0; i < n; ++i)
    if (!std::isfinite(p[i])) return i;
  return n;
}

// Converts n little-endian values of `dtype` at src to floats at dst; returns the index of the first value that is
// not finite, or n.
size_t convert(const unsigned char* src, const std::string& dtype, size_t n, float* dst) {
  if (dtype == "F32") {
    static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "safetensors data is little-endian");
    std::memcpy(dst, src, 4 * n);
  } else {
    const bool half = dtype == "F16";
    for (size_t i = 0; i < n; ++i) {
      const uint16_t h = uint16_t(src[2 * i] | src[2 * i + 1] << 8);
      dst[i] = half ? f16_to_float(h) : bf16_to_float(h);
    }
  }
  return first_not_finite(dst, n);
}

bool is_mask_buffer(const std::string& name, int n_layer) {
  // h.{i}.attn.bias / h.{i}.attn.masked_bias: the causal mask GPT2Attention registers as a buffer.
  if (name.rfind("h.", 0) != 0) return false;
  size_t i = 2, layer = 0;
  while (i < name.size() && std::isdigit(static_cast<unsigned char>(name[i])) && layer < 1000000)
    layer = layer * 10 + size_t(name[i++] - '0');
  if (i == 2 || layer >= size_t(n_layer)) return false;
  const std::string rest = name.substr(i);
  return rest == ".attn.bias" || rest == ".attn.masked_bias";
}

}  // namespace

std::string gpt2_weights_from_bytes(const Gpt2Config& c, std::string_view file, Model* out, CheckpointInfo* info,
                                    const std::function<void(size_t, size_t)>& done, std::shared_ptr<const void> keep) {
  if (const std::string e = weights_refusal(c); !e.empty()) return e;
  SafetensorsHeader header;
  if (const std::string e = parse_safetensors_header(file, &header); !e.empty()) return e;

  const uint64_t d = uint64_t(c.n_embd), f = uint64_t(c.n_inner);
  Model m;
  m.config = model_config(c);
  m.ln_f.gamma.resize(c.n_embd);
  m.ln_f.beta.resize(c.n_embd);
  m.ln_f.eps = c.layer_norm_epsilon;
  m.encoder.resize(size_t(c.n_layer));
  std::map<std::string, Slot> slots;
  add_slot(slots, "wte.weight", {uint64_t(c.vocab_size), d}, std::vector<Weight*>{&m.embedding});
  add_slot(slots, "wpe.weight", {uint64_t(c.n_positions), d}, std::vector<Weight*>{&m.wpe});
  add_slot(slots, "ln_f.weight", {d}, {m.ln_f.gamma.data()});
  add_slot(slots, "ln_f.bias", {d}, {m.ln_f.beta.data()});
  for (int l = 0; l < c.n_layer; ++l) {
    EncoderLayerWeights& w = m.encoder[size_t(l)];
    AttentionWeights& a = w.attn;
    for (RowVec* x : {&a.b_q, &a.b_k, &a.b_v, &a.b_o, &w.ln1.gamma, &w.ln1.beta, &w.ln2.gamma, &w.ln2.beta, &w.ffn.b_2})
      x->resize(c.n_embd);
    w.ffn.b_1.resize(c.n_inner);
    w.ffn.activation = Activation::GeluTanh;  // gelu_new: the tanh approximation (config.json checked)
    w.ln1.eps = w.ln2.eps = c.layer_norm_epsilon;
    const std::string p = "h." + std::to_string(l) + ".";
    add_slot(slots, p + "ln_1.weight", {d}, {w.ln1.gamma.data()});
    add_slot(slots, p + "ln_1.bias", {d}, {w.ln1.beta.data()});
    add_slot(slots, p + "attn.c_attn.weight", {d, 3 * d}, std::vector<Weight*>{&a.W_q, &a.W_k, &a.W_v});
    add_slot(slots, p + "attn.c_attn.bias", {3 * d}, {a.b_q.data(), a.b_k.data(), a.b_v.data()});
    add_slot(slots, p + "attn.c_proj.weight", {d, d}, std::vector<Weight*>{&a.W_o});
    add_slot(slots, p + "attn.c_proj.bias", {d}, {a.b_o.data()});
    add_slot(slots, p + "ln_2.weight", {d}, {w.ln2.gamma.data()});
    add_slot(slots, p + "ln_2.bias", {d}, {w.ln2.beta.data()});
    add_slot(slots, p + "mlp.c_fc.weight", {d, f}, std::vector<Weight*>{&w.ffn.W_1});
    add_slot(slots, p + "mlp.c_fc.bias", {f}, {w.ffn.b_1.data()});
    add_slot(slots, p + "mlp.c_proj.weight", {f, d}, std::vector<Weight*>{&w.ffn.W_2});
    add_slot(slots, p + "mlp.c_proj.bias", {d}, {w.ffn.b_2.data()});
  }

  // Names → slots. Every check comes before the first value is copied.
  bool prefixed = false;
  const SafetensorsTensor* lm_head = nullptr;
  std::set<std::string> dtypes;
  for (const SafetensorsTensor& t : header.tensors) {
    std::string name = t.name;
    if (name.rfind(kPrefix, 0) == 0) {
      name.erase(0, std::strlen(kPrefix));
      prefixed = true;
    }
    const std::string q = printf_text(_("tensor %s"), in_quotes(t.name).c_str());
    if (t.name == "lm_head.weight") {
      lm_head = &t;
      continue;
    }
    if (is_mask_buffer(name, c.n_layer)) continue;
    const auto it = slots.find(name);
    if (it == slots.end())
      return printf_text(_("the file holds a %s that a GPT-2 model with this config.json does not have"), q.c_str());
    Slot& s = it->second;
    if (s.found) return printf_text(_("%s appears twice (with and without the '%s' prefix)"), q.c_str(), kPrefix);
    if (t.dtype != "F32" && t.dtype != "F16" && t.dtype != "BF16")
      return printf_text(_("%s has dtype %s; Attention Lab reads F32, F16 and BF16"), q.c_str(),
                         in_quotes(t.dtype).c_str());
    if (t.shape != s.shape)
      return printf_text(_("%s has shape %s but config.json needs %s"), q.c_str(), shape_text(t.shape).c_str(),
                         shape_text(s.shape).c_str());
    s.found = &t;
    dtypes.insert(t.dtype);
  }
  for (const auto& [name, s] : slots)
    if (!s.found) return printf_text(_("tensor %s is missing from the file"), in_quotes(name).c_str());
  const SafetensorsTensor& wte = *slots["wte.weight"].found;
  if (lm_head) {
    if (lm_head->shape != wte.shape || lm_head->dtype != wte.dtype)
      return _("the file's lm_head.weight is not wte.weight's shape and dtype: a separate output layer is not GPT-2's");
    if (std::memcmp(file.data() + header.data_start + lm_head->begin, file.data() + header.data_start + wte.begin,
                    size_t(wte.end - wte.begin)) != 0)
      return _(
          "the file's lm_head.weight differs from wte.weight: GPT-2's output layer is tied to its token embedding");
  }

  // Values, in file order (the mapped pages are read once, front to back). With `keep`, an F32 matrix is viewed in
  // place (its rows c_attn's stride apart for W_q | W_k | W_v) and only scanned for NaN/infinity; F16/BF16 must be
  // converted, so those, all vectors (a fraction of a percent of the bytes) and everything without `keep` are copied
  // into the model's own storage.
  std::vector<std::pair<const SafetensorsTensor*, const Slot*>> order;
  for (const auto& [name, s] : slots) order.push_back({s.found, &s});
  std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) { return a.first->begin < b.first->begin; });
  std::vector<float> row;
  for (const auto& [t, s] : order) {
    const auto* src = reinterpret_cast<const unsigned char*>(file.data() + header.data_start + t->begin);
    const size_t item = size_t(safetensors_dtype_size(t->dtype));
    const size_t cols = size_t(s->shape.back()), rows = s->shape.size() == 2 ? size_t(s->shape[0]) : 1;
    const size_t k = s->matrices.empty() ? s->parts.size() : s->matrices.size(), block = cols / k;
    const bool view = keep && !s->matrices.empty() && t->dtype == "F32" &&
                      reinterpret_cast<uintptr_t>(src) % alignof(float) == 0;
    std::vector<float*> parts = s->parts;
    for (size_t b = 0; b < s->matrices.size(); ++b) {
      Weight& w = *s->matrices[b];
      if (view) {
        w = Weight::view(reinterpret_cast<const float*>(src) + b * block, Eigen::Index(rows), Eigen::Index(block),
                         Eigen::Index(cols), keep);
      } else {
        w.resize(Eigen::Index(rows), Eigen::Index(block));
        parts.push_back(w.data());
      }
    }
    for (float* part : parts) prepare_destination(part, rows * block);
    size_t bad = rows * cols;
    if (view) {
      bad = first_not_finite(reinterpret_cast<const float*>(src), rows * cols);
    } else if (k == 1) {
      const size_t at = convert(src, t->dtype, rows * cols, parts[0]);
      if (at < rows * cols) bad = at;
    } else {
      row.resize(cols);
      for (size_t r = 0; r < rows && bad == rows * cols; ++r) {
        const size_t at = convert(src + r * cols * item, t->dtype, cols, row.data());
        if (at < cols) bad = r * cols + at;
        for (size_t b = 0; b < k; ++b) std::copy_n(row.data() + b * block, block, parts[b] + r * block);
      }
    }
    if (bad < rows * cols)
      return printf_text(_("tensor %s holds NaN or infinity (element %s)"), in_quotes(t->name).c_str(),
                         num(bad).c_str());
    if (done) done(size_t(header.data_start + t->begin), size_t(header.data_start + t->end));
  }

  if (info) {
    info->dtype.clear();
    for (const std::string& dt : dtypes) info->dtype += (info->dtype.empty() ? "" : "+") + dt;
    info->parameters = size_t(gpt2_parameter_floats(c));
    info->prefixed = prefixed;
  }
  *out = std::move(m);
  return {};
}

// ---- 4. the folder

namespace {

// A whole file mapped copy-on-write (MAP_PRIVATE, PROT_READ | PROT_WRITE): the file is never changed, and a stray
// write into a viewed weight would change only this process's copy of that page instead of crashing. Nothing writes
// to a checkpoint's views (weight.h), so its pages stay the page cache's. Unmapped when the last owner lets go: the
// loader, then every Model whose weights view it.
class MappedFile {
 public:
  ~MappedFile() {
    if (data_) munmap(data_, size_);
    if (fd_ >= 0) close(fd_);
  }
  // "" or why not.
  std::string open(const std::string& path) {
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) return printf_text(_("cannot open it (%s)"), std::strerror(errno));
    struct stat st;
    if (fstat(fd_, &st) != 0) return printf_text(_("cannot read it (%s)"), std::strerror(errno));
    size_ = size_t(st.st_size);
    if (size_ == 0) return {};
    void* p = mmap(nullptr, size_, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd_, 0);
    if (p == MAP_FAILED) return printf_text(_("cannot map it into memory (%s)"), std::strerror(errno));
    data_ = p;
    madvise(data_, size_, MADV_SEQUENTIAL);  // the load reads it front to back once
    return {};
  }
  void loaded() {  // the model reads its weights in any order from now on
    if (data_) madvise(data_, size_, MADV_NORMAL);
  }
  std::string_view bytes() const { return {static_cast<const char*>(data_), data_ ? size_ : 0}; }
  // Lets the kernel drop the pages wholly inside [begin, end): they stay in the page cache, not in this process.
  void release(size_t begin, size_t end) {
    const size_t page = size_t(sysconf(_SC_PAGESIZE));
    const size_t b = (begin + page - 1) / page * page, e = std::min(end, size_) / page * page;
    if (data_ && b < e) madvise(static_cast<char*>(data_) + b, e - b, MADV_DONTNEED);
  }

 private:
  void* data_ = nullptr;
  size_t size_ = 0;
  int fd_ = -1;
};

}  // namespace

std::string hf_model_name(const std::string& folder) {
  std::error_code ec;
  fs::path p = fs::absolute(fs::path(folder), ec).lexically_normal();
  if (p.filename().empty()) p = p.parent_path();  // "…/gpt2/" → "…/gpt2"
  const std::string repo = p.parent_path().parent_path().filename().string();
  if (p.parent_path().filename() == "snapshots" && repo.rfind("models--", 0) == 0) {
    std::string id = repo.substr(8);
    if (const size_t dash = id.find("--"); dash != std::string::npos) id.replace(dash, 2, "/");
    return id;
  }
  return p.filename().string();
}

std::string load_hf_checkpoint(const std::string& path, std::shared_ptr<const Model>* out, CheckpointInfo* info) {
  const std::string where = untrusted_text(path, 240);
  std::error_code ec;
  fs::path folder, weights;
  if (fs::is_directory(path, ec)) {
    folder = path;
    weights = folder / "model.safetensors";
  } else if (fs::is_regular_file(path, ec)) {
    weights = path;
    folder = weights.parent_path().empty() ? fs::path(".") : weights.parent_path();
  } else {
    return where + ": " + _("no such file or folder");
  }
  // "PATH: config.json: …" names the file inside the folder; when PATH is the weights file itself, "PATH: …".
  auto in_file = [&](const fs::path& file, const std::string& why) {
    return where + ": " + (file == fs::path(path) ? "" : untrusted_text(file.filename().string()) + ": ") + why;
  };

  CheckpointInfo ci;
  ci.folder = folder.string();
  const fs::path config_path = folder / "config.json";
  if (!fs::exists(config_path, ec))
    return where + ": " +
           _("there is no config.json (a Hugging Face checkpoint folder holds config.json, "
             "model.safetensors and the tokenizer's vocab.json + merges.txt or tokenizer.json)");
  std::string config_text;
  if (const std::string e = read_file_limited(config_path.string(), kMaxConfigBytes, &config_text); !e.empty())
    return in_file(config_path, e);
  Gpt2Config c;
  if (const std::string e = parse_gpt2_config(config_text, &c); !e.empty()) return where + ": " + e;
  if (const std::string e = weights_refusal(c); !e.empty()) return where + ": " + e;
  ci.files.push_back(config_path.string());

  if (!fs::exists(weights, ec)) {
    if (fs::exists(folder / "model.safetensors.index.json", ec))
      return where + ": " +
             _("the weights are split into shards (model.safetensors.index.json), which Attention Lab does "
               "not read");
    if (fs::exists(folder / "pytorch_model.bin", ec))
      return where + ": " +
             _("there is only pytorch_model.bin; Attention Lab reads model.safetensors (a pickle file can run "
               "code when opened)");
    return where + ": " + _("there is no model.safetensors");
  }

  // The tokenizer before the weights: a bad one is refused without reading hundreds of MB.
  auto bpe = std::make_shared<BpeTokenizer>();
  const fs::path vocab_path = folder / "vocab.json", merges_path = folder / "merges.txt",
                 tok_path = folder / "tokenizer.json";
  if (fs::exists(vocab_path, ec) && fs::exists(merges_path, ec)) {
    std::string vocab, merges;
    if (const std::string e = read_file_limited(vocab_path.string(), kMaxTokenizerBytes, &vocab); !e.empty()) return in_file(vocab_path, e);
    if (const std::string e = read_file_limited(merges_path.string(), kMaxTokenizerBytes, &merges); !e.empty())
      return in_file(merges_path, e);
    if (const std::string e = BpeTokenizer::from_files_text(vocab, merges, bpe.get()); !e.empty())
      return where + ": vocab.json + merges.txt: " + e;
    ci.files.push_back(vocab_path.string());
    ci.files.push_back(merges_path.string());
  } else if (fs::exists(tok_path, ec)) {
    std::string text;
    if (const std::string e = read_file_limited(tok_path.string(), kMaxTokenizerBytes, &text); !e.empty()) return in_file(tok_path, e);
    if (const std::string e = BpeTokenizer::from_tokenizer_json(text, bpe.get()); !e.empty())
      return in_file(tok_path, e);
    ci.files.push_back(tok_path.string());
  } else {
    return where + ": " + _("there is no tokenizer (vocab.json + merges.txt, or tokenizer.json)");
  }
  if (bpe->size() > c.vocab_size)
    return where + ": " +
           printf_text(
               _("the tokenizer has %s tokens but config.json's vocab_size is %s, so some ids would have no embedding"),
               num(uint64_t(bpe->size())).c_str(), num(uint64_t(c.vocab_size)).c_str());

  auto mapped = std::make_shared<MappedFile>();  // kept alive by the weights that view it
  if (const std::string e = mapped->open(weights.string()); !e.empty()) return in_file(weights, e);
  // One pass over the file: the digest is fed each range as its tensor is copied (the ignored buffers with the
  // tensor after them), and the range is then dropped from this process (the page cache keeps it).
  Sha256 hash;
  size_t hashed = 0;
  auto feed = [&](size_t end) {
    hash.update(mapped->bytes().substr(hashed, end - hashed));
    mapped->release(hashed, end);
    hashed = end;
  };
  auto model = std::make_shared<Model>();
  const std::string e = gpt2_weights_from_bytes(
      c, mapped->bytes(), model.get(), &ci, [&](size_t, size_t end) { feed(end); }, mapped);
  if (!e.empty()) return in_file(weights, e);
  ci.files.push_back(weights.string());
  feed(mapped->bytes().size());
  mapped->loaded();
  if (mapped.use_count() > 1) ci.mapping = mapped->bytes();  // some weights view it: it outlives this function
  ci.sha256 = hash.hex();

  model->bpe = bpe;
  model->vocab.resize(size_t(c.vocab_size));
  for (int id = 0; id < c.vocab_size; ++id)
    model->vocab[size_t(id)] = id < bpe->size() ? bpe->label(id) : "‹unused " + std::to_string(id) + "›";
  model->classes = c.vocab_size;
  model->name = hf_model_name(folder.string());
  model->source = path;
  model->source_sha256 = ci.sha256;
  if (info) *info = std::move(ci);
  *out = std::move(model);
  return {};
}

}  // namespace attn
