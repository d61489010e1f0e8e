// libFuzzer target: the tokenizer never crashes, and its tokens are non-empty valid UTF-8 within the limit.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

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
  return 0;
}
