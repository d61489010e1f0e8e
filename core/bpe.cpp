// Placeholder until GPT-2's tokenizer lands (branch h12-bpe replaces this file): every load is refused.
#include "bpe.h"

namespace attn {

std::string BpeTokenizer::from_files_text(std::string_view, std::string_view, BpeTokenizer*) {
  return "GPT-2's tokenizer is not built into this version";
}
std::string BpeTokenizer::from_tokenizer_json(std::string_view, BpeTokenizer*) {
  return "GPT-2's tokenizer is not built into this version";
}
std::vector<int> BpeTokenizer::encode(std::string_view) const { return {}; }
int BpeTokenizer::size() const { return 0; }
std::string BpeTokenizer::bytes(int) const { return {}; }
std::string BpeTokenizer::label(int) const { return {}; }
std::string BpeTokenizer::symbol(int) const { return {}; }
int BpeTokenizer::id(std::string_view) const { return -1; }

}  // namespace attn
