// bpe.h: GPT-2's byte-level BPE tokenizer, exactly as GPT-2 encodes (ids equal to its own encoder's).
//   0. text bytes → code points; each maximal invalid UTF-8 subpart becomes one U+FFFD (the WHATWG/Unicode rule:
//      what GPT-2's reference encoders see, since a JavaScript or Python string cannot hold invalid bytes —
//      TextDecoder, Python's errors='replace' and Rust's from_utf8_lossy all replace this way). A leading BOM stays.
//   1. pre-tokenisation: 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
//      matched left to right, first alternative wins; \p{L}, \p{N} and Zs from utf8proc; \s as the reference
//      JavaScript encoder (gpt-3-encoder) has it: Zs, U+0009–U+000D, U+2028, U+2029, U+FEFF (not U+0085; Python's
//      `regex`, which encoder.py uses, takes U+0085 and not U+FEFF: texts with those two may differ from encoder.py);
//      `\s+(?!\S)`: a whitespace run followed by a non-space leaves its last character to the next piece
//      ("a   b" → "a", "  ", " b");
//   2. each piece's UTF-8 bytes → printable characters (GPT-2's bytes_to_unicode table: "Ġ" is the space byte);
//   3. merge the adjacent pair of lowest rank in merges.txt (all its non-overlapping occurrences, left to right)
//      until no pair has a rank; pairs are keyed by the pair itself, as GPT-2's encoder.py does (the JavaScript
//      port keys them by the string "a,b", which could alias; tests/fixtures/make_gpt2_bpe_fixture.js checks
//      that it changes no fixture text);
//   4. id = vocab.json[symbol]. Pieces are cached (thread-safe: encode may run on several threads at once).
// Speed (bench/bench_bpe.cpp): 100 kB of English in 2.6 ms of CPU with a warm cache, 24 ms cold; a 100,000-letter
// word with no space in 0.11 s (merged on a heap, see ordered_).
// Loading refuses, with one sentence: text that is not JSON, ids that are not 0..N-1 each once, a vocabulary
// missing one of the 256 byte symbols, a merge line that is not two symbols of the vocabulary or whose join is not
// in it, a repeated merge, an empty vocabulary or merges file.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace attn {

// Steps 0 and 1 of encode, shared with the BPE trainer (core/bpe_train.h) so that training sees exactly the pieces
// encoding will: fn gets each piece's UTF-8 bytes (after step 0's replacements), in text order.
void bpe_pretokenize(std::string_view text, const std::function<void(std::string_view piece)>& fn);
// Step 2's table (GPT-2's bytes_to_unicode): the character standing for byte b ('Ġ' U+0120 for the space).
char32_t bpe_byte_char(unsigned char b);

class BpeTokenizer {
 public:
  // From vocab.json's and merges.txt's text, or from tokenizer.json's. Returns "" or one sentence naming the
  // problem; *out is left untouched on failure.
  static std::string from_files_text(std::string_view vocab_json, std::string_view merges_txt, BpeTokenizer* out);
  static std::string from_tokenizer_json(std::string_view tokenizer_json, BpeTokenizer* out);

  // Any bytes; invalid UTF-8 becomes U+FFFD first (step 0), as the reference does. Empty for an unloaded tokenizer.
  std::vector<int> encode(std::string_view text) const;
  std::string decode(const std::vector<int>& ids) const;  // the tokens' bytes joined (ids out of range add nothing)
  int size() const;                        // vocabulary size
  std::string bytes(int id) const;         // the raw bytes the token stands for (may be part of a UTF-8 character)
  // Readable, for every view: a space as "␣" (U+2423), newline "↵", tab "→", other control characters and the bytes
  // of a split multi-byte character as hex in ‹›: "␣the" for " the", "‹e6 b3›" for 0xE6 0xB3.
  std::string label(int id) const;
  std::string symbol(int id) const;        // the token as vocab.json spells it ("Ġthe")
  int id(std::string_view symbol) const;   // -1 when absent

 private:
  struct Merge {
    int rank;
    int merged;  // the id of the joined symbol
  };
  struct Cache;
  static std::string build(std::vector<std::string> symbols, const std::vector<std::pair<std::string, std::string>>& merges,
                           BpeTokenizer* out);
  void encode_piece(const std::string& piece, std::vector<int>* out) const;
  const Merge* merge_of(int left, int right) const;
  void merge_by_rounds(std::vector<int>* word) const;  // encoder.py's loop: O(n²) in the piece's length
  void merge_by_heap(std::vector<int>* word) const;    // the same result in O(n log n), for ordered merge lists
  friend struct BpeTestAccess;                        // tests compare the two

  std::vector<std::string> symbols_;                // id → vocab.json spelling
  std::vector<std::string> bytes_;                  // id → raw bytes
  std::unordered_map<std::string, int> ids_;        // spelling → id
  std::unordered_map<uint64_t, Merge> merges_;      // (left id << 32 | right id) → rank and result
  int byte_id_[256] = {};                           // a single byte's id
  // Every merge's parts are bytes or made by an earlier merge, and no symbol is made twice (true of every list BPE
  // training writes, GPT-2's too): then a merge only creates pairs of higher rank, so merging the lowest pair
  // occurrence by occurrence (a heap) gives what encoder.py's rounds give. Otherwise the rounds are used.
  bool ordered_ = false;
  std::shared_ptr<Cache> cache_;  // piece bytes → ids; copies share it (they hold the same vocabulary and merges)
};

}  // namespace attn
