// libFuzzer target: the session/settings loader refuses bad files with a message; what it accepts is valid
// and survives a save/load round trip unchanged.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "session_json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto j = nlohmann::ordered_json::parse(data, data + size, nullptr, false);
  if (j.is_discarded()) return 0;
  attn::Document doc;
  attn::UiState ui;
  const std::string err = attn::session_from_json(j, &doc, &ui);
  if (!err.empty()) return 0;
  if (!attn::validate(doc.settings).empty()) std::abort();
  const auto saved = attn::session_to_json(doc, ui);
  attn::Document doc2;
  attn::UiState ui2;
  if (!attn::session_from_json(saved, &doc2, &ui2).empty()) std::abort();
  if (attn::session_to_json(doc2, ui2) != saved) std::abort();
  return 0;
}
