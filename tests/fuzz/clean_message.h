// A message that quotes file content must be one line of valid UTF-8 with no control character (C0, DEL, C1) and
// no bidirectional override: what untrusted_text guarantees for the quoted part.
#pragma once
#include <string>

#include "utf8.h"

inline bool is_clean_message(const std::string& msg) {
  int bad = 0;
  for (char32_t cp : attn::decode_utf8(msg, &bad))
    if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
        cp == 0x2028 || cp == 0x2029)
      return false;
  return bad == 0;
}
