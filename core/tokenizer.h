// tokenizer.h: UTF-8 aware word-level tokenizer for teaching.
// Rules: Latin-script (and other non-CJK) letters and digits group into words, an apostrophe inside a word
// stays in it ("didn't"); every other non-space character (punctuation, emoji, symbols) is its own token;
// each CJK ideograph, kana or hangul syllable is one token. Invalid UTF-8 decodes to U+FFFD, never a crash.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace attn {

struct Tokenized {
  std::vector<std::string> tokens;  // each valid UTF-8
  bool truncated = false;           // the text held more than max_tokens tokens
  int invalid_bytes = 0;            // count of malformed UTF-8 sequences replaced by U+FFFD
};

// Decodes UTF-8 into code points; each malformed sequence becomes one U+FFFD.
std::vector<char32_t> decode_utf8(std::string_view s, int* invalid = nullptr);
void append_utf8(std::string& out, char32_t cp);
bool is_cjk(char32_t cp);

Tokenized tokenize(std::string_view text, int max_tokens);

}  // namespace attn
