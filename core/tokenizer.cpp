#include "tokenizer.h"

#include <utf8proc.h>

#include <cstdint>

namespace attn {

namespace {

enum class Kind { Space, Word, Wide, Other };

// A grapheme cluster's kind, from its first code point's general category (utf8proc's Unicode tables).
Kind cluster_kind(char32_t cp) {
  switch (utf8proc_category(utf8proc_int32_t(cp))) {
    case UTF8PROC_CATEGORY_ZS: case UTF8PROC_CATEGORY_ZL: case UTF8PROC_CATEGORY_ZP:
    case UTF8PROC_CATEGORY_CC: case UTF8PROC_CATEGORY_CF:
      return Kind::Space;
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO:
      return utf8proc_charwidth(utf8proc_int32_t(cp)) == 2 ? Kind::Wide : Kind::Word;
    case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:  // a mark with no base
    case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
    case UTF8PROC_CATEGORY_PC:
      return Kind::Word;
    default:
      return Kind::Other;
  }
}

bool is_joiner(char32_t cp) { return cp == '\'' || cp == 0x2019; }  // don't, it's

}  // namespace

Tokenized tokenize(std::string_view text, int max_tokens) {
  Tokenized out;
  const std::vector<char32_t> cps = decode_utf8(text, &out.invalid_bytes);
  // Grapheme clusters as [begin, end) ranges of cps, found as far as needed (a huge paste stops at the limit).
  std::vector<size_t> starts{0};
  utf8proc_int32_t state = 0;
  size_t scanned = 1;
  auto have = [&](size_t c) {  // true when cluster c exists, its end found
    while (starts.size() < c + 2 && scanned <= cps.size()) {
      const size_t i = scanned++;
      if (i == cps.size() ||
          utf8proc_grapheme_break_stateful(utf8proc_int32_t(cps[i - 1]), utf8proc_int32_t(cps[i]), &state))
        starts.push_back(i);
    }
    return starts.size() >= c + 2 && starts[c] < cps.size();
  };
  auto kind = [&](size_t c) { return cluster_kind(cps[starts[c]]); };
  auto append = [&](std::string& s, size_t c) {
    for (size_t i = starts[c]; i < starts[c + 1]; ++i) append_utf8(s, cps[i]);
  };
  std::string cur;
  auto flush = [&] {
    if (!cur.empty()) { out.tokens.push_back(cur); cur.clear(); }
  };
  const size_t limit = max_tokens >= 0 ? size_t(max_tokens) : SIZE_MAX;
  for (size_t c = 0; have(c) && out.tokens.size() <= limit; ++c) {
    const Kind k = kind(c);
    if (k == Kind::Space) { flush(); continue; }
    if (k == Kind::Word) { append(cur, c); continue; }
    // An apostrophe between word characters joins them (didn't, l'homme).
    if (k == Kind::Other && starts[c + 1] - starts[c] == 1 && is_joiner(cps[starts[c]]) && !cur.empty() &&
        have(c + 1) && kind(c + 1) == Kind::Word) {
      append(cur, c);
      continue;
    }
    flush();
    std::string one;
    append(one, c);
    out.tokens.push_back(one);
  }
  flush();
  if (out.tokens.size() > limit) {
    out.tokens.resize(limit);
    out.truncated = true;
  }
  return out;
}

ScriptNeeds script_needs(std::string_view text) {
  ScriptNeeds n;
  for (char32_t cp : decode_utf8(text)) {
    const utf8proc_property_t* p = utf8proc_get_property(utf8proc_int32_t(cp));
    n.rtl |= p->bidi_class == UTF8PROC_BIDI_CLASS_R || p->bidi_class == UTF8PROC_BIDI_CLASS_AL;
    n.shaping |= p->bidi_class == UTF8PROC_BIDI_CLASS_AL || p->category == UTF8PROC_CATEGORY_MC ||
                 p->combining_class == 9;  // 9: virama
    n.astral |= cp > 0xFFFF;
  }
  return n;
}

}  // namespace attn
