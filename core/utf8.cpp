#include "utf8.h"

#include <utf8proc.h>

#include <algorithm>
#include <cstdio>

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

std::string valid_utf8(std::string_view s, int* replaced) {
  int bad = 0;
  const std::vector<char32_t> cps = decode_utf8(s, &bad);
  if (replaced) *replaced = bad;
  if (bad == 0) return std::string(s);  // the common case: unchanged, byte for byte
  std::string out;
  out.reserve(s.size() + 2 * size_t(bad));
  for (char32_t cp : cps) append_utf8(out, cp);
  return out;
}

std::string untrusted_text(std::string_view s, size_t max_chars) {
  std::string out;
  size_t n = 0;
  char buf[16];
  for (char32_t cp : decode_utf8(s)) {
    if (n == max_chars) {
      out += "\xE2\x80\xA6";  // …
      break;
    }
    ++n;
    if (cp == '\n') out += "\\n";
    else if (cp == '\r') out += "\\r";
    else if (cp == '\t') out += "\\t";
    else if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) {  // C0, DEL, C1 (0x9B is a one-byte CSI)
      std::snprintf(buf, sizeof buf, "\\x%02X", unsigned(cp));
      out += buf;
    } else if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028 || cp == 0x2029) {
      std::snprintf(buf, sizeof buf, "\\u%04X", unsigned(cp));
      out += buf;
    } else {
      append_utf8(out, cp);
    }
  }
  return out;
}

size_t display_columns(std::string_view s) {
  size_t cols = 0;
  for (char32_t cp : decode_utf8(s)) cols += size_t(std::max(0, utf8proc_charwidth(utf8proc_int32_t(cp))));
  return cols;
}

}  // namespace attn
