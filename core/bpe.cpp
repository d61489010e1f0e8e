#include "bpe.h"

#include <utf8proc.h>

#include <algorithm>
#include <cstdio>
#include <mutex>
#include <nlohmann/json.hpp>
#include <queue>

#include "translate.h"
#include "utf8.h"

namespace attn {

namespace {

// GPT-2's bytes_to_unicode: printable Latin-1 bytes stand for themselves, the other 68 bytes (controls, space,
// DEL, NBSP, soft hyphen) for U+0100 onwards in byte order, so every byte is a visible character.
struct ByteTable {
  char32_t to_char[256];
  int to_byte[324];  // code point → byte, -1 where none (the table's characters are all below U+0144)
  ByteTable() {
    std::fill(std::begin(to_byte), std::end(to_byte), -1);
    int n = 0;
    for (int b = 0; b < 256; ++b) {
      const bool printable = (b >= 0x21 && b <= 0x7E) || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE);
      to_char[b] = printable ? char32_t(b) : char32_t(256 + n++);
      to_byte[to_char[b]] = b;
    }
  }
};
const ByteTable& byte_table() {
  static const ByteTable t;
  return t;
}

// Walks UTF-8 as the WHATWG decoder (TextDecoder) does: each maximal subpart of an invalid sequence is one
// replacement. decode_utf8 (utf8.h) folds a whole malformed sequence into one U+FFFD, which would give the
// reference different pieces for e.g. an encoded surrogate (3 replacements here, 1 there).
// fn(cp, begin, end, valid) for each code point or replaced subpart s[begin, end).
template <class Fn>
void for_each_whatwg(std::string_view s, Fn fn) {
  size_t i = 0;
  while (i < s.size()) {
    const unsigned c = static_cast<unsigned char>(s[i]);
    int need = 0;
    unsigned lo = 0x80, hi = 0xBF;
    char32_t cp = 0;
    if (c < 0x80) { fn(char32_t(c), i, i + 1, true); ++i; continue; }
    if (c >= 0xC2 && c <= 0xDF) { need = 1; cp = c & 0x1F; }
    else if (c >= 0xE0 && c <= 0xEF) { need = 2; cp = c & 0x0F; if (c == 0xE0) lo = 0xA0; if (c == 0xED) hi = 0x9F; }
    else if (c >= 0xF0 && c <= 0xF4) { need = 3; cp = c & 0x07; if (c == 0xF0) lo = 0x90; if (c == 0xF4) hi = 0x8F; }
    else { fn(char32_t(0xFFFD), i, i + 1, false); ++i; continue; }
    int k = 1;
    for (; k <= need; ++k) {
      if (i + size_t(k) >= s.size()) break;
      const unsigned cc = static_cast<unsigned char>(s[i + size_t(k)]);
      if (cc < lo || cc > hi) break;
      lo = 0x80, hi = 0xBF;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if (k <= need) {  // the bytes so far are the maximal subpart; the offending byte starts afresh
      fn(char32_t(0xFFFD), i, i + size_t(k), false);
      i += size_t(k);
      continue;
    }
    fn(cp, i, i + size_t(need) + 1, true);
    i += size_t(need) + 1;
  }
}

bool is_letter(char32_t cp) {
  switch (utf8proc_category(utf8proc_int32_t(cp))) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO: return true;
    default: return false;
  }
}
bool is_number(char32_t cp) {
  switch (utf8proc_category(utf8proc_int32_t(cp))) {
    case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO: return true;
    default: return false;
  }
}
// JavaScript's \s (WhiteSpace and LineTerminator in ECMA-262): the reference encoder's regex runs in JavaScript.
bool is_space(char32_t cp) {
  if ((cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x2028 || cp == 0x2029 || cp == 0xFEFF) return true;
  return cp > 0x7F && utf8proc_category(utf8proc_int32_t(cp)) == UTF8PROC_CATEGORY_ZS;
}

enum class Cls : unsigned char { Space, Letter, Number, Other };
Cls classify(char32_t cp) {
  if (is_space(cp)) return Cls::Space;
  if (is_letter(cp)) return Cls::Letter;
  if (is_number(cp)) return Cls::Number;
  return Cls::Other;
}

// The pre-tokenisation pattern as a scanner: the length of the piece starting at i (always ≥ 1).
size_t piece_length(const std::vector<char32_t>& cp, const std::vector<Cls>& cls, size_t i) {
  const size_t n = cp.size();
  if (cp[i] == '\'' && i + 1 < n) {  // 's 't 're 've 'm 'll 'd (lower case only, as the pattern is)
    const char32_t a = cp[i + 1], b = i + 2 < n ? cp[i + 2] : 0;
    if (a == 's' || a == 't' || a == 'm' || a == 'd') return 2;
    if ((a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l')) return 3;
  }
  // ' ?\p{L}+', ' ?\p{N}+', ' ?[^\s\p{L}\p{N}]+': an optional U+0020, then a run of one class.
  const size_t s = (cp[i] == ' ' && i + 1 < n) ? i + 1 : i;
  if (cls[s] != Cls::Space) {
    size_t e = s + 1;
    while (e < n && cls[e] == cls[s]) ++e;
    return e - i;
  }
  // '\s+(?!\S)' then '\s+': the run, less its last character when a non-space follows and the run is longer than 1.
  size_t e = i + 1;
  while (e < n && cls[e] == Cls::Space) ++e;
  if (e < n && e - i >= 2) --e;
  return e - i;
}

std::string quote_name(std::string_view s) { return "\"" + untrusted_text(s, 40) + "\""; }

}  // namespace

struct BpeTokenizer::Cache {
  std::mutex mutex;
  std::unordered_map<std::string, std::vector<int>> pieces;
};

std::string BpeTokenizer::build(std::vector<std::string> symbols,
                                const std::vector<std::pair<std::string, std::string>>& merges, BpeTokenizer* out) {
  BpeTokenizer t;
  if (symbols.empty()) return _("the vocabulary is empty");
  for (size_t i = 0; i < symbols.size(); ++i) {
    if (symbols[i].empty())
      return printf_text(_("id %s is missing from the vocabulary (ids must be 0..%s, each once)"),
                         std::to_string(i).c_str(), std::to_string(symbols.size() - 1).c_str());
    if (!t.ids_.emplace(symbols[i], int(i)).second)
      return printf_text(_("the symbol %s appears twice in the vocabulary"), quote_name(symbols[i]).c_str());
  }
  const ByteTable& bt = byte_table();
  t.bytes_.resize(symbols.size());
  for (size_t i = 0; i < symbols.size(); ++i) {
    std::string raw;
    bool table_only = true;
    for (char32_t c : decode_utf8(symbols[i])) {
      if (c >= 324 || bt.to_byte[c] < 0) { table_only = false; break; }
      raw += char(bt.to_byte[c]);
    }
    // Special tokens spelled outside the byte table (none in GPT-2's: "<|endoftext|>" is printable ASCII) stand
    // for their own UTF-8.
    t.bytes_[i] = table_only ? raw : symbols[i];
  }
  for (int b = 0; b < 256; ++b) {
    std::string sym;
    append_utf8(sym, bt.to_char[b]);
    auto it = t.ids_.find(sym);
    if (it == t.ids_.end()) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "%02x", b);
      return printf_text(
          _("the vocabulary lacks the symbol %s for byte 0x%s (a byte-level BPE vocabulary holds all 256)"),
          quote_name(sym).c_str(), hex);
    }
    t.byte_id_[b] = it->second;
  }
  for (size_t r = 0; r < merges.size(); ++r) {
    const auto& [a, b] = merges[r];
    const std::string where = "merge " + std::to_string(r + 1) + " (" + quote_name(a + " " + b) + ")";
    auto ia = t.ids_.find(a), ib = t.ids_.find(b), im = t.ids_.find(a + b);
    if (ia == t.ids_.end())
      return printf_text(_("%s names %s, which is not in the vocabulary"), where.c_str(), quote_name(a).c_str());
    if (ib == t.ids_.end())
      return printf_text(_("%s names %s, which is not in the vocabulary"), where.c_str(), quote_name(b).c_str());
    if (im == t.ids_.end())
      return printf_text(_("%s makes %s, which is not in the vocabulary"), where.c_str(), quote_name(a + b).c_str());
    const uint64_t key = (uint64_t(uint32_t(ia->second)) << 32) | uint32_t(ib->second);
    if (!t.merges_.emplace(key, Merge{int(r), im->second}).second)
      return printf_text(_("%s repeats an earlier merge"), where.c_str());
  }
  // ordered_ (bpe.h): which merge makes each symbol, then whether each merge's parts are made before it.
  std::vector<int> made_at(symbols.size(), -1);  // id → rank of the merge making it
  std::vector<bool> is_byte(symbols.size(), false);
  for (int b = 0; b < 256; ++b) is_byte[size_t(t.byte_id_[b])] = true;
  t.ordered_ = true;
  for (const auto& [key, m] : t.merges_) {
    if (made_at[size_t(m.merged)] >= 0) t.ordered_ = false;  // made twice
    made_at[size_t(m.merged)] = m.rank;
  }
  for (const auto& [key, m] : t.merges_)
    for (const int part : {int(key >> 32), int(key & 0xFFFFFFFFu)})
      if (!is_byte[size_t(part)] && made_at[size_t(part)] >= m.rank) t.ordered_ = false;  // made later
  t.symbols_ = std::move(symbols);
  t.cache_ = std::make_shared<Cache>();
  *out = std::move(t);
  return "";
}

namespace {

// vocab.json: {"symbol": id, …} with ids 0..N-1 each once. Fills symbols (id → spelling) or returns the problem.
std::string read_vocab(const nlohmann::json& v, std::vector<std::string>* symbols) {
  if (!v.is_object()) return _("the vocabulary is not a JSON object of symbol: id");
  if (v.empty()) return _("the vocabulary is empty");
  const size_t n = v.size();
  symbols->assign(n, std::string());
  for (auto it = v.begin(); it != v.end(); ++it) {
    if (it.key().empty()) return _("the vocabulary has an empty symbol");
    if (!it->is_number_integer()) return printf_text(_("the id of %s is not an integer"), quote_name(it.key()).c_str());
    const int64_t id = it->get<int64_t>();
    if (id < 0 || uint64_t(id) >= n)
      return printf_text(_("the id %s of %s is outside 0..%s (ids must be 0..N-1, each once)"),
                         std::to_string(id).c_str(), quote_name(it.key()).c_str(), std::to_string(n - 1).c_str());
    std::string& slot = (*symbols)[size_t(id)];
    if (!slot.empty())
      return printf_text(_("the id %s is given to both %s and %s"), std::to_string(id).c_str(),
                         quote_name(slot).c_str(), quote_name(it.key()).c_str());
    slot = it.key();
  }
  return "";
}

// One merge line: exactly two symbols separated by spaces.
std::string split_merge(std::string_view line, size_t line_no, std::pair<std::string, std::string>* out) {
  std::vector<std::string_view> parts;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    size_t j = i;
    while (j < line.size() && line[j] != ' ' && line[j] != '\t') ++j;
    if (j > i) parts.push_back(line.substr(i, j - i));
    i = j;
  }
  if (parts.size() != 2)
    return printf_text(_("merges line %s (%s) is not two symbols separated by a space"),
                       std::to_string(line_no).c_str(), quote_name(line).c_str());
  *out = {std::string(parts[0]), std::string(parts[1])};
  return "";
}

}  // namespace

std::string BpeTokenizer::from_files_text(std::string_view vocab_json, std::string_view merges_txt,
                                          BpeTokenizer* out) {
  nlohmann::json v = nlohmann::json::parse(vocab_json.begin(), vocab_json.end(), nullptr, false);
  if (v.is_discarded()) return _("vocab.json is not JSON");
  std::vector<std::string> symbols;
  if (std::string err = read_vocab(v, &symbols); !err.empty()) return "vocab.json: " + err;
  if (merges_txt.find_first_not_of(" \t\r\n") == std::string_view::npos) return _("merges.txt is empty");
  std::vector<std::pair<std::string, std::string>> merges;
  size_t line_no = 0, pos = 0;
  while (pos < merges_txt.size()) {
    size_t end = merges_txt.find('\n', pos);
    if (end == std::string_view::npos) end = merges_txt.size();
    std::string_view line = merges_txt.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || (line_no == 1 && line.substr(0, 8) == "#version")) continue;
    std::pair<std::string, std::string> m;
    if (std::string err = split_merge(line, line_no, &m); !err.empty()) return err;
    merges.push_back(std::move(m));
  }
  if (std::string err = build(std::move(symbols), merges, out); !err.empty()) return "vocab.json/merges.txt: " + err;
  return "";
}

std::string BpeTokenizer::from_tokenizer_json(std::string_view tokenizer_json, BpeTokenizer* out) {
  const nlohmann::json j = nlohmann::json::parse(tokenizer_json.begin(), tokenizer_json.end(), nullptr, false);
  if (j.is_discarded()) return _("tokenizer.json is not JSON");
  if (!j.is_object() || !j.contains("model") || !j["model"].is_object())
    return _("tokenizer.json has no \"model\" object");
  const nlohmann::json& model = j["model"];
  if (model.contains("type") && model["type"] != "BPE")
    return printf_text(_("tokenizer.json: the model type is %s, not BPE"), quote_name(model["type"].dump()).c_str());
  if (!model.contains("vocab")) return _("tokenizer.json: the model has no \"vocab\"");
  std::vector<std::string> symbols;
  if (std::string err = read_vocab(model["vocab"], &symbols); !err.empty()) return "tokenizer.json: " + err;
  if (!model.contains("merges") || !model["merges"].is_array())
    return _("tokenizer.json: the model has no \"merges\" list");
  std::vector<std::pair<std::string, std::string>> merges;
  for (const nlohmann::json& m : model["merges"]) {
    std::pair<std::string, std::string> p;
    const size_t n = merges.size() + 1;
    if (m.is_string()) {  // "a b" (older files)
      if (std::string err = split_merge(m.get_ref<const std::string&>(), n, &p); !err.empty())
        return "tokenizer.json: " + err;
    } else if (m.is_array() && m.size() == 2 && m[0].is_string() && m[1].is_string()) {  // ["a", "b"] (newer)
      p = {m[0].get<std::string>(), m[1].get<std::string>()};
    } else {
      return printf_text(_("tokenizer.json: merge %s is neither \"a b\" nor [\"a\", \"b\"]"),
                         std::to_string(n).c_str());
    }
    merges.push_back(std::move(p));
  }
  if (std::string err = build(std::move(symbols), merges, out); !err.empty()) return "tokenizer.json: " + err;
  return "";
}

void BpeTokenizer::encode_piece(const std::string& piece, std::vector<int>* out) const {
  {
    std::lock_guard<std::mutex> lock(cache_->mutex);
    auto it = cache_->pieces.find(piece);
    if (it != cache_->pieces.end()) {
      out->insert(out->end(), it->second.begin(), it->second.end());
      return;
    }
  }
  std::vector<int> word(piece.size());
  for (size_t i = 0; i < piece.size(); ++i) word[i] = byte_id_[static_cast<unsigned char>(piece[i])];
  if (ordered_) merge_by_heap(&word);
  else merge_by_rounds(&word);
  out->insert(out->end(), word.begin(), word.end());
  std::lock_guard<std::mutex> lock(cache_->mutex);
  if (cache_->pieces.size() >= 100000) cache_->pieces.clear();  // bounded: a long session of odd text cannot grow it
  cache_->pieces.emplace(piece, std::move(word));
}

const BpeTokenizer::Merge* BpeTokenizer::merge_of(int left, int right) const {
  auto it = merges_.find((uint64_t(uint32_t(left)) << 32) | uint32_t(right));
  return it == merges_.end() ? nullptr : &it->second;
}

void BpeTokenizer::merge_by_rounds(std::vector<int>* w) const {
  std::vector<int>& word = *w;
  // Merge the lowest-ranked pair, every occurrence left to right (encoder.py's bpe()), until none has a rank.
  while (word.size() > 1) {
    const Merge* best = nullptr;
    int left = 0, right = 0;
    for (size_t i = 0; i + 1 < word.size(); ++i) {
      const Merge* m = merge_of(word[i], word[i + 1]);
      if (m && (!best || m->rank < best->rank)) {
        best = m;
        left = word[i], right = word[i + 1];
      }
    }
    if (!best) break;
    size_t n = 0;
    for (size_t i = 0; i < word.size(); ++i) {
      if (i + 1 < word.size() && word[i] == left && word[i + 1] == right) {
        word[n++] = best->merged;
        ++i;
      } else {
        word[n++] = word[i];
      }
    }
    word.resize(n);
  }
}

void BpeTokenizer::merge_by_heap(std::vector<int>* w) const {
  std::vector<int>& sym = *w;
  const int n = int(sym.size());
  std::vector<int> next(static_cast<size_t>(n)), prev(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) next[size_t(i)] = i + 1 < n ? i + 1 : -1, prev[size_t(i)] = i - 1;
  struct Cand {
    int rank, pos, left, right;
    bool operator>(const Cand& o) const { return rank != o.rank ? rank > o.rank : pos > o.pos; }
  };
  // Lowest rank first, leftmost first among equal ranks: encoder.py's left-to-right pass within a round.
  std::priority_queue<Cand, std::vector<Cand>, std::greater<Cand>> heap;
  auto push = [&](int pos) {
    if (pos < 0 || next[size_t(pos)] < 0) return;
    const int l = sym[size_t(pos)], r = sym[size_t(next[size_t(pos)])];
    if (const Merge* m = merge_of(l, r)) heap.push({m->rank, pos, l, r});
  };
  for (int i = 0; i + 1 < n; ++i) push(i);
  while (!heap.empty()) {
    const Cand c = heap.top();
    heap.pop();
    const int nx = next[size_t(c.pos)];
    if (sym[size_t(c.pos)] != c.left || nx < 0 || sym[size_t(nx)] != c.right) continue;  // stale: changed since
    sym[size_t(c.pos)] = merge_of(c.left, c.right)->merged;
    sym[size_t(nx)] = -1;  // gone
    next[size_t(c.pos)] = next[size_t(nx)];
    if (next[size_t(nx)] >= 0) prev[size_t(next[size_t(nx)])] = c.pos;
    push(prev[size_t(c.pos)]);
    push(c.pos);
  }
  sym.erase(std::remove(sym.begin(), sym.end(), -1), sym.end());
}

void bpe_pretokenize(std::string_view text, const std::function<void(std::string_view piece)>& fn) {
  std::vector<char32_t> cps;
  cps.reserve(text.size());
  for_each_whatwg(text, [&](char32_t cp, size_t, size_t, bool) { cps.push_back(cp); });
  std::vector<Cls> cls(cps.size());
  for (size_t i = 0; i < cps.size(); ++i) cls[i] = classify(cps[i]);
  std::string piece;
  for (size_t i = 0; i < cps.size();) {
    const size_t len = piece_length(cps, cls, i);
    piece.clear();
    for (size_t k = i; k < i + len; ++k) append_utf8(piece, cps[k]);
    fn(piece);
    i += len;
  }
}

char32_t bpe_byte_char(unsigned char b) { return byte_table().to_char[b]; }

std::vector<int> BpeTokenizer::encode(std::string_view text) const {
  std::vector<int> ids;
  if (symbols_.empty()) return ids;
  ids.reserve(text.size() / 3 + 1);
  std::string piece;
  bpe_pretokenize(text, [&](std::string_view p) {
    piece.assign(p);
    encode_piece(piece, &ids);
  });
  return ids;
}

std::string BpeTokenizer::decode(const std::vector<int>& ids) const {
  std::string s;
  for (int id : ids) s += bytes(id);
  return s;
}

int BpeTokenizer::size() const { return int(symbols_.size()); }

std::string BpeTokenizer::bytes(int id) const { return id >= 0 && id < size() ? bytes_[size_t(id)] : std::string(); }

std::string BpeTokenizer::symbol(int id) const { return id >= 0 && id < size() ? symbols_[size_t(id)] : std::string(); }

int BpeTokenizer::id(std::string_view symbol) const {
  auto it = ids_.find(std::string(symbol));
  return it == ids_.end() ? -1 : it->second;
}

std::string BpeTokenizer::label(int id) const {
  const std::string raw = bytes(id);
  std::string out, hex;  // hex: the pending run of bytes shown as ‹…›
  auto flush = [&] {
    if (!hex.empty()) out += "\xE2\x80\xB9" + hex + "\xE2\x80\xBA";  // ‹ ›
    hex.clear();
  };
  auto add_hex = [&](std::string_view b) {
    char buf[4];
    for (unsigned char c : b) {
      std::snprintf(buf, sizeof buf, "%02x", c);
      hex += hex.empty() ? "" : " ";
      hex += buf;
    }
  };
  for_each_whatwg(raw, [&](char32_t cp, size_t begin, size_t end, bool valid) {
    const std::string_view b = std::string_view(raw).substr(begin, end - begin);
    if (!valid) return add_hex(b);
    if (cp < 0x20 && cp != '\n' && cp != '\t') return add_hex(b);   // other C0 controls
    if (cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) return add_hex(b);  // DEL, C1 controls
    flush();
    if (cp == ' ') out += "\xE2\x90\xA3";        // ␣
    else if (cp == '\n') out += "\xE2\x86\xB5";  // ↵
    else if (cp == '\t') out += "\xE2\x86\x92";  // →
    else out += b;
  });
  flush();
  return out;
}

}  // namespace attn
