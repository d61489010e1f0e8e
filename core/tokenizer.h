// tokenizer.h: UTF-8 aware word-level tokenizer for teaching, on grapheme clusters (user-perceived characters:
// a letter with its combining marks, a flag, an emoji ZWJ sequence), found with utf8proc.
// Rules, by the Unicode general category of a cluster's first code point: letters (except wide ones), digits and
// other numbers, connector punctuation ('_') and marks group into words, an apostrophe between two such clusters
// stays in the word ("didn't"); each wide letter (East Asian Width W/F: Han ideographs, kana, hangul syllables) is
// one token; spaces, controls and invisible format characters (ZWSP, BOM, a stray ZWJ) separate tokens and are
// dropped; every other cluster (punctuation, symbols, emoji, U+FFFD) is its own token.
// Invalid UTF-8 decodes to U+FFFD, never a crash.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "utf8.h"

namespace attn {

struct Tokenized {
  std::vector<std::string> tokens;  // each valid UTF-8
  bool truncated = false;           // the text held more than max_tokens tokens
  int invalid_bytes = 0;            // count of malformed UTF-8 sequences replaced by U+FFFD
};

Tokenized tokenize(std::string_view text, int max_tokens);

// What a plain left-to-right renderer with no shaping and 16-bit characters (Dear ImGui 1.86) draws wrongly.
struct ScriptNeeds {
  bool rtl = false;      // a right-to-left character (bidi class R or AL: Hebrew, Arabic, …)
  bool shaping = false;  // glyphs that depend on their neighbours: Arabic joining (bidi AL), Indic conjuncts and
                         // vowel signs (spacing marks, viramas)
  bool astral = false;   // a code point beyond U+FFFF (most emoji, flags)
};
ScriptNeeds script_needs(std::string_view text);

}  // namespace attn
