// utf8.h: the one UTF-8 decoder of the app, and the two guards every outside text passes through:
// valid_utf8 (at the edge where text enters: text box, clipboard, CLI, script, session file) and
// untrusted_text (where a message quotes file or user content).
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace attn {

// Decodes UTF-8 into code points; each malformed sequence (stray byte, overlong form, surrogate, value past
// U+10FFFF, sequence cut short) becomes one U+FFFD. *invalid counts the replacements.
std::vector<char32_t> decode_utf8(std::string_view s, int* invalid = nullptr);
void append_utf8(std::string& out, char32_t cp);

// s itself when it is valid UTF-8, otherwise s with each malformed sequence replaced by U+FFFD (decode_utf8's
// rule). *replaced counts the replacements (0 when s was valid).
std::string valid_utf8(std::string_view s, int* replaced = nullptr);

// Untrusted text (a tensor name, a JSON value, an argument) made safe to quote in a one-line message: valid
// UTF-8, control characters (C0, DEL, C1) escaped as \n \r \t or \xNN, bidirectional overrides and line
// separators as \uNNNN (they reorder or break a terminal line), cut after max_chars code points with "…".
// The caller adds the quotes.
std::string untrusted_text(std::string_view s, size_t max_chars = 80);

// Terminal columns s takes: 2 for each wide (East Asian) character, 0 for a combining mark, 1 otherwise.
size_t display_columns(std::string_view s);

}  // namespace attn
