// bpe.h: GPT-2's byte-level BPE tokenizer, exactly as GPT-2 encodes (ids equal to its own encoder's).
//   1. bytes → printable Unicode characters (GPT-2's bytes_to_unicode table), so every byte sequence is a string;
//   2. pre-tokenisation: 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
//      (letter and number classes from utf8proc);
//   3. each piece: merge the adjacent pair of lowest rank in merges.txt until none applies (cached per piece);
//   4. id = vocab.json[symbol].
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace attn {

class BpeTokenizer {
 public:
  // From vocab.json's and merges.txt's text, or from tokenizer.json's. Returns "" or one sentence naming the
  // problem; *out is left untouched on failure.
  static std::string from_files_text(std::string_view vocab_json, std::string_view merges_txt, BpeTokenizer* out);
  static std::string from_tokenizer_json(std::string_view tokenizer_json, BpeTokenizer* out);

  std::vector<int> encode(std::string_view text) const;  // invalid UTF-8 is encoded byte by byte, as GPT-2 does
  int size() const;                        // vocabulary size
  std::string bytes(int id) const;         // the raw bytes the token stands for (may be part of a UTF-8 character)
  std::string label(int id) const;         // readable: "␣the" for " the", "‹e6 b3›" for bytes of a split character
  std::string symbol(int id) const;        // the token as vocab.json spells it ("Ġthe")
  int id(std::string_view symbol) const;   // -1 when absent
  // … private members are the implementation's.
};

}  // namespace attn
