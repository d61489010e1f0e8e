// libFuzzer target: GPT-2's BPE loader (core/bpe.h) refuses bad vocab.json/merges.txt/tokenizer.json with a one-line
// clean message and leaves its output alone; what it accepts encodes any bytes to ids in range, the same ids twice
// (cached), back to the same text when it is valid UTF-8, with labels free of control characters.
// Input, split at NUL bytes: "vocab \0 merges \0 text" (vocab.json + merges.txt), "tokenizer.json \0 text", or just
// "text" (encoded with a fixed small vocabulary).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "bpe.h"
#include "clean_message.h"
#include "utf8.h"

namespace {

// The 256 byte symbols (GPT-2's table: printable bytes as themselves, the rest from U+0100 in order), then "ab",
// "abc", "Ġa" with their merges.
const attn::BpeTokenizer& small() {
  static const attn::BpeTokenizer tok = [] {
    std::string vocab = "{";
    int n = 0;
    for (int b = 0; b < 256; ++b) {
      const bool printable = (b >= 0x21 && b <= 0x7E) || (b >= 0xA1 && b <= 0xAC) || b >= 0xAE;
      std::string sym;
      attn::append_utf8(sym, printable ? char32_t(b) : char32_t(0x100 + n++));
      if (sym == "\"" || sym == "\\") sym = "\\" + sym;
      vocab += "\"" + sym + "\": " + std::to_string(b) + ", ";
    }
    vocab += "\"ab\": 256, \"abc\": 257, \"\xC4\xA0" "a\": 258}";
    attn::BpeTokenizer t;
    if (!attn::BpeTokenizer::from_files_text(vocab, "#version: 0.2\na b\nab c\n\xC4\xA0 a\n", &t).empty()) std::abort();
    return t;
  }();
  return tok;
}

void check_encodes(const attn::BpeTokenizer& tok, std::string_view text) {
  const std::vector<int> ids = tok.encode(text);
  for (int id : ids)
    if (id < 0 || id >= tok.size()) std::abort();
  if (tok.encode(text) != ids) std::abort();  // the cached path agrees with the first
  const std::string back = tok.decode(ids);
  int replaced = 0, bad = 0;
  attn::valid_utf8(text, &replaced);
  attn::decode_utf8(back, &bad);
  if (bad != 0) std::abort();                        // invalid bytes came back as U+FFFD
  if (replaced == 0 && back != text) std::abort();   // valid UTF-8 round-trips byte for byte
  for (int id : ids) {
    int invalid = 0;
    for (char32_t cp : attn::decode_utf8(tok.label(id), &invalid))
      if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) std::abort();
    if (invalid != 0) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> parts;
  for (size_t pos = 0;;) {
    const size_t nul = in.find('\0', pos);
    parts.push_back(in.substr(pos, nul == std::string_view::npos ? std::string_view::npos : nul - pos));
    if (nul == std::string_view::npos) break;
    pos = nul + 1;
  }
  if (parts.size() == 1) {
    check_encodes(small(), parts[0]);
    return 0;
  }
  attn::BpeTokenizer tok = small();
  const std::string err = parts.size() == 2 ? attn::BpeTokenizer::from_tokenizer_json(parts[0], &tok)
                                            : attn::BpeTokenizer::from_files_text(parts[0], parts[1], &tok);
  const std::string_view text = parts.back();
  if (!err.empty()) {
    if (!is_clean_message(err)) std::abort();
    if (tok.size() != small().size() || tok.encode("abc") != small().encode("abc")) std::abort();  // untouched
    return 0;
  }
  if (tok.size() < 256) std::abort();  // every byte has a symbol
  check_encodes(tok, text);
  return 0;
}
