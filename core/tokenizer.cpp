#include "tokenizer.h"

#include <cwctype>

namespace attn {

std::vector<char32_t> decode_utf8(std::string_view s, int* invalid) {
  std::vector<char32_t> out;
  out.reserve(s.size());
  int bad = 0;
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    int len = 0;
    char32_t cp = 0, min = 0;
    if (c < 0x80) { out.push_back(c); ++i; continue; }
    if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1F; min = 0x80; }
    else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0F; min = 0x800; }
    else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07; min = 0x10000; }
    else { out.push_back(0xFFFD); ++bad; ++i; continue; }  // stray continuation or 0xF8..0xFF
    size_t k = 1;
    for (; k < size_t(len); ++k) {
      if (i + k >= s.size()) break;
      const unsigned char cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) break;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if (k < size_t(len) || cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      out.push_back(0xFFFD);  // overlong, surrogate, out of range or cut short: one replacement
      ++bad;
      i += (k < size_t(len)) ? k : size_t(len);
      continue;
    }
    out.push_back(cp);
    i += size_t(len);
  }
  if (invalid) *invalid = bad;
  return out;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += char(cp);
  } else if (cp < 0x800) {
    out += char(0xC0 | (cp >> 6));
    out += char(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += char(0xE0 | (cp >> 12));
    out += char(0x80 | ((cp >> 6) & 0x3F));
    out += char(0x80 | (cp & 0x3F));
  } else {
    out += char(0xF0 | (cp >> 18));
    out += char(0x80 | ((cp >> 12) & 0x3F));
    out += char(0x80 | ((cp >> 6) & 0x3F));
    out += char(0x80 | (cp & 0x3F));
  }
}

bool is_cjk(char32_t cp) {
  return (cp >= 0x4E00 && cp <= 0x9FFF) ||    // CJK Unified Ideographs
         (cp >= 0x3400 && cp <= 0x4DBF) ||    // Extension A
         (cp >= 0x20000 && cp <= 0x2EBEF) ||  // Extensions B–F
         (cp >= 0xF900 && cp <= 0xFAFF) ||    // Compatibility Ideographs
         (cp >= 0x3040 && cp <= 0x30FF) ||    // Hiragana, Katakana
         (cp >= 0xAC00 && cp <= 0xD7AF);      // Hangul syllables
}

namespace {

bool is_space(char32_t cp) {
  return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\v' || cp == '\f' || cp == 0x00A0 ||
         cp == 0x3000 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x2028 || cp == 0x2029 || cp == 0xFEFF ||
         (cp < 0x20) || cp == 0x7F;  // control characters separate tokens and are dropped
}

// Word characters: ASCII letters/digits, and any letter-like code point outside ASCII that is not CJK,
// not punctuation/symbol blocks. Combining marks (U+0300–036F etc.) stay attached to their word.
bool is_word_char(char32_t cp) {
  if (cp < 0x80) return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || cp == '_';
  if (is_cjk(cp)) return false;
  if (cp >= 0x2000 && cp <= 0x2BFF) return false;   // punctuation, symbols, arrows, math, dingbats
  if (cp >= 0x3000 && cp <= 0x303F) return false;   // CJK punctuation
  if (cp >= 0xFF00 && cp <= 0xFF0F) return false;   // fullwidth punctuation
  if (cp >= 0xFF1A && cp <= 0xFF20) return false;
  if (cp >= 0x1F000) return false;                  // emoji and pictographs
  if (cp == 0xFFFD) return false;
  if (cp >= 0x00A1 && cp <= 0x00BF) return false;   // Latin-1 punctuation and symbols
  if (cp == 0x00D7 || cp == 0x00F7) return false;
  return true;
}

bool is_joiner(char32_t cp) { return cp == '\'' || cp == 0x2019; }  // don't, it's

}  // namespace

Tokenized tokenize(std::string_view text, int max_tokens) {
  Tokenized out;
  const std::vector<char32_t> cps = decode_utf8(text, &out.invalid_bytes);
  std::string cur;
  auto flush = [&] {
    if (!cur.empty()) { out.tokens.push_back(cur); cur.clear(); }
  };
  for (size_t i = 0; i < cps.size(); ++i) {
    const char32_t cp = cps[i];
    if (is_space(cp)) { flush(); continue; }
    if (is_word_char(cp)) { append_utf8(cur, cp); continue; }
    // An apostrophe between word characters joins them (didn't, l'homme).
    if (is_joiner(cp) && !cur.empty() && i + 1 < cps.size() && is_word_char(cps[i + 1])) {
      append_utf8(cur, cp);
      continue;
    }
    flush();
    std::string one;
    append_utf8(one, cp);
    out.tokens.push_back(one);
  }
  flush();
  if (max_tokens >= 0 && out.tokens.size() > size_t(max_tokens)) {
    out.tokens.resize(size_t(max_tokens));
    out.truncated = true;
  }
  return out;
}

}  // namespace attn
