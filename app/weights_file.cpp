#include "weights_file.h"

#include <zlib.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "atomic_file.h"
#include "translate.h"
#include "utf8.h"

namespace attn {

using json = nlohmann::ordered_json;

namespace {

// Contents
//   1. numbers ⇄ metadata strings (exact: shortest round-trip form, parsed back bit for bit)
//   2. bytes: little-endian u64 and float32, CRC-32
//   3. writing
//   4. reading: the header, the metadata, the tensors

constexpr uint64_t kMaxHeaderBytes = 100u << 20;  // the safetensors reference implementation's limit too
constexpr uint64_t kMaxFileBytes = uint64_t(1) << 31;

// ---- 1. numbers ⇄ metadata strings

template <class T>
std::string num(T v) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);  // floats: the shortest string that reads back exactly
  return std::string(buf, r.ptr);
}

// Whole-string parse; false on trailing characters, a sign where none belongs, overflow.
template <class T>
bool parse_num(const std::string& s, T* out) {
  if (s.empty()) return false;
  T v{};
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size()) return false;
  *out = v;
  return true;
}

std::string hex32(uint32_t v) {
  static const char* digits = "0123456789abcdef";
  std::string s(8, '0');
  for (int i = 7; i >= 0; --i, v >>= 4) s[size_t(i)] = digits[v & 15];
  return s;
}

bool parse_hex32(const std::string& s, uint32_t* out) {
  if (s.size() != 8) return false;
  uint32_t v = 0;
  for (char c : s) {
    const int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    if (d < 0) return false;
    v = v << 4 | uint32_t(d);
  }
  *out = v;
  return true;
}

// ---- 2. bytes

void put_u64_le(std::string* b, uint64_t v) {
  for (int i = 0; i < 8; ++i) b->push_back(char(uint8_t(v >> (8 * i))));
}
uint64_t get_u64_le(const unsigned char* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = v << 8 | p[i];
  return v;
}
void put_f32_le(char* dst, float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  for (int i = 0; i < 4; ++i) dst[i] = char(uint8_t(u >> (8 * i)));
}
float get_f32_le(const unsigned char* p) {
  const uint32_t u = uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
  float f;
  std::memcpy(&f, &u, 4);
  return f;
}

uint32_t crc32_of(const char* p, size_t n) {
  return uint32_t(crc32_z(crc32_z(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(p), n));
}

bool all_finite(const Param& p) {
  for (size_t i = 0; i < p.size(); ++i)
    if (!std::isfinite(p[i])) return false;
  return true;
}

std::string shape_text(uint64_t rows, uint64_t cols) { return "[" + num(rows) + ", " + num(cols) + "]"; }

// What a loadable file may hold besides the weights (saving checks the same, so every saved file loads).
std::string progress_error(const TrainedModel& tm) {
  if (tm.steps < 0) return printf_text(_("the number of steps taken is negative (%s)"), num(tm.steps).c_str());
  const Metrics& h = tm.held_out;
  if (!std::isfinite(h.loss) || h.loss < 0 || !(h.token_acc >= 0 && h.token_acc <= 1) ||
      !(h.seq_acc >= 0 && h.seq_acc <= 1) || h.examples < 0)
    return "the held-out metrics are out of range (loss must be at least 0, accuracies between 0 and 1, examples at "
           "least 0)";
  return {};
}

}  // namespace

std::string default_model_name(const TrainConfig& c) {
  return std::string(to_string(c.task.kind)) + "-" + std::to_string(c.task.length) + "x" + std::to_string(c.task.vocab);
}

// ---- 3. writing

std::string weights_to_bytes(const TrainedModel& tm, std::string* bytes) {
  const TrainConfig& c = tm.config;
  std::string e = validate(c);
  if (e.empty()) e = progress_error(tm);
  if (!e.empty()) return printf_text(_("cannot save the model: %s"), e.c_str());
  Model model = tm.model;  // parameters() wants a mutable model; a copy keeps tm const
  Model reference = init_task_model(c);
  const std::vector<Param> params = parameters(model), want = parameters(reference);
  if (params.size() != want.size()) return _("cannot save the model: its tensors are not those its config makes");
  for (size_t i = 0; i < params.size(); ++i) {
    if (params[i].name != want[i].name || params[i].rows != want[i].rows || params[i].cols != want[i].cols)
      return printf_text(_("cannot save the model: tensor '%s' is not what its config makes (expected '%s' %s)"),
                         params[i].name.c_str(), want[i].name.c_str(),
                         shape_text(uint64_t(want[i].rows), uint64_t(want[i].cols)).c_str());
    if (!all_finite(params[i]))
      return printf_text(_("cannot save the model: tensor '%s' contains NaN or infinity"), params[i].name.c_str());
  }
  if (model.vocab != reference.vocab) return _("cannot save the model: its vocabulary is not the task's");

  size_t total = 0;
  for (const Param& p : params) total += p.size() * 4;
  std::string data(total, '\0');
  json tensors = json::object();
  std::vector<std::pair<std::string, uint32_t>> crcs;
  size_t at = 0;
  for (const Param& p : params) {
    const size_t n = p.size() * 4;
    for (size_t i = 0; i < p.size(); ++i) put_f32_le(&data[at + 4 * i], p[i]);
    tensors[p.name] = {{"dtype", "F32"}, {"shape", {p.rows, p.cols}}, {"data_offsets", {at, at + n}}};
    crcs.emplace_back(p.name, crc32_of(data.data() + at, n));
    at += n;
  }

  json meta = json::object();
  meta["format"] = kWeightsFormat;
  meta["version"] = num(kWeightsVersion);
  meta["name"] = tm.name;
  meta["task"] = to_string(c.task.kind);
  meta["length"] = num(c.task.length);
  meta["vocab"] = num(c.task.vocab);
  meta["d_model"] = num(c.d_model);
  meta["heads"] = num(c.heads);
  meta["layers"] = num(c.layers);
  meta["d_ff"] = num(c.d_ff);
  meta["norm"] = to_string(c.norm);
  meta["lr"] = num(c.lr);
  meta["batch"] = num(c.batch);
  meta["steps"] = num(c.steps);
  meta["warmup"] = num(c.warmup);
  meta["clip"] = num(c.clip);
  meta["seed"] = num(c.seed);
  meta["steps_taken"] = num(tm.steps);
  meta["held_out_loss"] = num(tm.held_out.loss);
  meta["held_out_token_acc"] = num(tm.held_out.token_acc);
  meta["held_out_seq_acc"] = num(tm.held_out.seq_acc);
  meta["held_out_examples"] = num(tm.held_out.examples);
  meta["tokens"] = json(model.vocab).dump();
  meta["crc32"] = hex32(crc32_of(data.data(), data.size()));
  for (const auto& [name, crc] : crcs) meta["crc32:" + name] = hex32(crc);

  json header = json::object();
  header["__metadata__"] = meta;
  for (auto& [k, v] : tensors.items()) header[k] = v;
  // A name or token that is not valid UTF-8 is written with U+FFFD instead of failing the save.
  std::string h = header.dump(-1, ' ', false, json::error_handler_t::replace);
  h.append((8 - (8 + h.size()) % 8) % 8, ' ');  // the data starts 8-byte aligned

  std::string out;
  out.reserve(8 + h.size() + data.size());
  put_u64_le(&out, h.size());
  out += h;
  out += data;
  *bytes = std::move(out);
  return {};
}

std::string save_weights(const std::string& path, const TrainedModel& m) {
  std::string bytes;
  const std::string e = weights_to_bytes(m, &bytes);
  if (!e.empty()) return e;
  return write_file_atomic(path, bytes);
}

// ---- 4. reading

namespace {

// Metadata fields by name: each error names the field.
struct Meta {
  const json& m;
  std::string err;

  const std::string* str(const std::string& key) {
    if (!err.empty()) return nullptr;
    const auto it = m.find(key);
    if (it == m.end()) {
      err = printf_text(_("the metadata field '%s' is missing"), untrusted_text(key).c_str());
      return nullptr;
    }
    return it->get_ptr<const std::string*>();  // every value was checked to be a string
  }
  template <class T>
  void number(const std::string& key, T* out) {
    const std::string* s = str(key);
    if (!s) return;
    if (!parse_num(*s, out))
      err = printf_text(_("the metadata field '%s' is not a valid number ('%s')"), key.c_str(),
                        untrusted_text(*s).c_str());
  }
};

}  // namespace

std::string weights_from_bytes(const std::string& bytes, TrainedModel* out) {
  if (bytes.empty()) return _("the file is empty");
  if (bytes.size() < 8) return _("the file is truncated: it is shorter than the 8-byte header length");
  const auto* u = reinterpret_cast<const unsigned char*>(bytes.data());
  const uint64_t n = get_u64_le(u);
  if (n > bytes.size() - 8)
    return printf_text(
        _("not a weights file, or truncated: its header length (%s bytes) goes past the end of the file (%s bytes)"),
        num(n).c_str(), num(bytes.size()).c_str());
  if (n > kMaxHeaderBytes) return _("the header is larger than 100 MB, so this is not a weights file");
  if (n < 2 || bytes[8] != '{') return _("not a weights file: the header is not a JSON object");
  const json header = json::parse(bytes.begin() + 8, bytes.begin() + 8 + std::ptrdiff_t(n), nullptr, false);
  if (header.is_discarded()) return _("the header is not valid JSON");
  if (!header.is_object()) return _("not a weights file: the header is not a JSON object");

  // Metadata: format and version first, so another file type is named as such.
  const auto mit = header.find("__metadata__");
  if (mit == header.end() || !mit->is_object())
    return _("not an Attention Lab weights file: the header has no __metadata__");
  const json& meta = *mit;
  for (const auto& [k, v] : meta.items())
    if (!v.is_string())
      return printf_text(_("the metadata field '%s' is not a string (safetensors metadata maps strings to strings)"),
                         untrusted_text(k).c_str());
  Meta md{meta, {}};
  const std::string* format = md.str("format");
  if (!format || *format != kWeightsFormat)
    return printf_text(_("not an Attention Lab weights file (format '%s', expected '%s')"),
                       untrusted_text(format ? *format : std::string()).c_str(), kWeightsFormat);
  int version = 0;
  md.number("version", &version);
  if (!md.err.empty()) return md.err;
  if (version > kWeightsVersion)
    return printf_text(
        _("the file was written by a newer Attention Lab (weights format version %s; this one reads %s)"),
        num(version).c_str(), num(kWeightsVersion).c_str());
  if (version < 1) return printf_text(_("the weights format version %s does not exist"), num(version).c_str());

  TrainedModel tm;
  TrainConfig& c = tm.config;
  if (const std::string* task = md.str("task"); task && !parse_task_kind(*task, &c.task.kind))
    return printf_text(_("the task '%s' is not one this build knows"), untrusted_text(*task).c_str());
  md.number("length", &c.task.length);
  md.number("vocab", &c.task.vocab);
  md.number("d_model", &c.d_model);
  md.number("heads", &c.heads);
  md.number("layers", &c.layers);
  md.number("d_ff", &c.d_ff);
  if (const std::string* norm = md.str("norm"); norm && !parse_norm(*norm, &c.norm))
    return printf_text(_("the norm placement '%s' must be post or pre"), untrusted_text(*norm).c_str());
  md.number("lr", &c.lr);
  md.number("batch", &c.batch);
  md.number("steps", &c.steps);
  md.number("warmup", &c.warmup);
  md.number("clip", &c.clip);
  md.number("seed", &c.seed);
  md.number("steps_taken", &tm.steps);
  md.number("held_out_loss", &tm.held_out.loss);
  md.number("held_out_token_acc", &tm.held_out.token_acc);
  md.number("held_out_seq_acc", &tm.held_out.seq_acc);
  md.number("held_out_examples", &tm.held_out.examples);
  const std::string* name = md.str("name");
  const std::string* tokens = md.str("tokens");
  const std::string* data_crc_text = md.str("crc32");
  if (!md.err.empty()) return md.err;
  tm.name = *name;
  if (const std::string e = validate(c); !e.empty())
    return printf_text(_("the training config is invalid: %s"), e.c_str());
  if (const std::string e = progress_error(tm); !e.empty()) return e;

  // Shapes come from the config; the file must hold exactly those tensors. A small file claiming a large config is
  // refused before the model is built (up to a few hundred MB for the largest config validate() allows).
  const uint64_t data_size = bytes.size() - 8 - n;
  if (const uint64_t need = 4 * uint64_t(parameter_floats(c)); data_size < need)
    return printf_text(
        _("the file is truncated: this config needs at least %s bytes of weights but the data section has %s"),
        num(need).c_str(), num(data_size).c_str());
  tm.model = init_task_model(c);
  const json stored_tokens = json::parse(*tokens, nullptr, false);
  if (stored_tokens.is_discarded() || stored_tokens != json(tm.model.vocab))
    return printf_text(_("the vocabulary in the file is not the task's (%s)"), json(tm.model.vocab).dump().c_str());
  std::vector<Param> params = parameters(tm.model);
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < params.size(); ++i) index[params[i].name] = i;

  struct Span {
    uint64_t begin, end;
    size_t param;
  };
  std::vector<Span> spans;
  for (const auto& [key, t] : header.items()) {
    if (key == "__metadata__") continue;
    const auto it = index.find(key);
    // key is the file's, not ours: quoted escaped (a newline or an escape sequence in it stays on one line).
    if (it == index.end())
      return printf_text(_("the file holds a tensor '%s' that this model does not have"), untrusted_text(key).c_str());
    const Param& p = params[it->second];
    const std::string q = "tensor '" + p.name + "'";
    if (!t.is_object()) return printf_text(_("%s is not described by a JSON object"), q.c_str());
    const auto dt = t.find("dtype"), sh = t.find("shape"), off = t.find("data_offsets");
    if (dt == t.end() || sh == t.end() || off == t.end())
      return printf_text(_("%s lacks its dtype, shape or data_offsets"), q.c_str());
    if (!dt->is_string()) return printf_text(_("%s has a dtype that is not a string"), q.c_str());
    if (*dt != "F32")
      return printf_text(_("%s has dtype %s but only F32 is supported"), q.c_str(),
                         untrusted_text(dt->get<std::string>()).c_str());
    const std::string want = shape_text(uint64_t(p.rows), uint64_t(p.cols));
    if (!sh->is_array() || sh->size() != 2 || !(*sh)[0].is_number_unsigned() || !(*sh)[1].is_number_unsigned())
      return printf_text(_("%s has shape %s but this config needs %s"), q.c_str(), untrusted_text(sh->dump()).c_str(),
                         want.c_str());
    const uint64_t rows = (*sh)[0].get<uint64_t>(), cols = (*sh)[1].get<uint64_t>();
    if (rows != uint64_t(p.rows) || cols != uint64_t(p.cols))
      return printf_text(_("%s has shape %s but this config needs %s"), q.c_str(), shape_text(rows, cols).c_str(),
                         want.c_str());
    if (!off->is_array() || off->size() != 2 || !(*off)[0].is_number_unsigned() || !(*off)[1].is_number_unsigned())
      return printf_text(_("%s has data_offsets that are not two byte offsets [begin, end]"), q.c_str());
    const uint64_t b = (*off)[0].get<uint64_t>(), e = (*off)[1].get<uint64_t>();
    if (b > e || e - b != uint64_t(p.size()) * 4)
      return printf_text(_("%s has data_offsets [%s, %s] that do not span its %s bytes"), q.c_str(), num(b).c_str(),
                         num(e).c_str(), num(p.size() * 4).c_str());
    spans.push_back({b, e, it->second});
  }
  if (spans.size() != params.size()) {
    std::vector<bool> seen(params.size(), false);
    for (const Span& s : spans) seen[s.param] = true;
    for (size_t i = 0; i < params.size(); ++i)
      if (!seen[i]) return printf_text(_("tensor '%s' is missing from the file"), params[i].name.c_str());
  }

  // The data section must be exactly the tensors, back to back in some order: no gap, no overlap, nothing after.
  std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) { return a.begin < b.begin; });
  uint64_t at = 0;
  for (const Span& s : spans) {
    const std::string& name = params[s.param].name;
    if (s.end > data_size)
      return printf_text(_("the file is truncated: tensor '%s' ends at byte %s of a data section of %s bytes"),
                         name.c_str(), num(s.end).c_str(), num(data_size).c_str());
    if (s.begin < at)
      return printf_text(_("tensor '%s' overlaps the tensor before it in the data section"), name.c_str());
    if (s.begin > at)
      return printf_text(_("the data section has %s unused bytes before tensor '%s'"), num(s.begin - at).c_str(),
                         name.c_str());
    at = s.end;
  }
  if (at != data_size)
    return printf_text(_("the file has %s bytes after its last tensor"), num(data_size - at).c_str());

  // Checksums, then values.
  const char* data = bytes.data() + 8 + n;
  uint32_t want_crc = 0;
  if (!parse_hex32(*data_crc_text, &want_crc))
    return printf_text(_("the metadata field 'crc32' is not 8 lowercase hex digits ('%s')"),
                       untrusted_text(*data_crc_text).c_str());
  for (const Span& s : spans) {
    const Param& p = params[s.param];
    const std::string key = "crc32:" + p.name;
    const std::string* text = md.str(key);
    if (!text) return md.err;
    uint32_t crc = 0;
    if (!parse_hex32(*text, &crc))
      return printf_text(_("the metadata field '%s' is not 8 lowercase hex digits ('%s')"), key.c_str(),
                         untrusted_text(*text).c_str());
    if (crc32_of(data + s.begin, size_t(s.end - s.begin)) != crc)
      return printf_text(_("tensor '%s' does not match its checksum: the file is damaged"), p.name.c_str());
  }
  if (crc32_of(data, size_t(data_size)) != want_crc)
    return _("the data section does not match its checksum: the file is damaged");
  for (const Span& s : spans) {
    const Param& p = params[s.param];
    const auto* src = reinterpret_cast<const unsigned char*>(data + s.begin);
    for (size_t i = 0; i < p.size(); ++i) {
      const float f = get_f32_le(src + 4 * i);
      if (!std::isfinite(f)) return printf_text(_("tensor '%s' contains NaN or infinity"), p.name.c_str());
      p[i] = f;
    }
  }
  *out = std::move(tm);
  return {};
}

std::string load_weights(const std::string& path, TrainedModel* out) {
  const std::string where = untrusted_text(path, 240);  // a file name may hold a newline
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    return printf_text(_("%s is a folder, not a weights file"), where.c_str());
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return printf_text(_("cannot open %s"), where.c_str());
  const std::streamoff size = in.tellg();
  if (size < 0) return printf_text(_("cannot read %s"), where.c_str());
  if (uint64_t(size) > kMaxFileBytes)
    return printf_text(_("%s is too large to be a weights file (over 2 GB)"), where.c_str());
  std::string bytes(size_t(size), '\0');
  in.seekg(0);
  if (!in.read(bytes.data(), size)) return printf_text(_("cannot read %s"), where.c_str());
  const std::string e = weights_from_bytes(bytes, out);
  return e.empty() ? e : where + ": " + e;
}

}  // namespace attn
