// libFuzzer target: the tokenizer never crashes, and its tokens are non-empty valid UTF-8 within the limit;
// valid_utf8 and untrusted_text keep their promises on any bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "clean_message.h"
#include "tokenizer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const attn::Tokenized t = attn::tokenize(text, 64);
  if (t.tokens.size() > 64) std::abort();
  for (const std::string& tok : t.tokens) {
    int invalid = 0;
    if (tok.empty()) std::abort();
    attn::decode_utf8(tok, &invalid);
    if (invalid != 0) std::abort();  // replacement characters are themselves valid UTF-8
  }
  // valid_utf8 is idempotent and agrees with the tokenizer's count; untrusted_text leaves no control character.
  int replaced = 0, again = -1;
  const std::string valid = attn::valid_utf8(text, &replaced);
  if (replaced != t.invalid_bytes || attn::valid_utf8(valid, &again) != valid || again != 0) std::abort();
  if (!is_clean_message(attn::untrusted_text(text))) std::abort();
  return 0;
}
