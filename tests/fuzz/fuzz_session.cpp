// libFuzzer target: the session/settings loader refuses bad files with a one-line message; what it accepts is valid,
// dumps with nlohmann's strict UTF-8 check, and survives a save/load round trip unchanged.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include <string>

#include "clean_message.h"
#include "session_json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // As load_session_file does: invalid UTF-8 becomes U+FFFD before parsing.
  const std::string bytes = attn::valid_utf8(std::string(reinterpret_cast<const char*>(data), size));
  const auto j = nlohmann::ordered_json::parse(bytes, nullptr, false);
  if (j.is_discarded()) return 0;
  attn::Document doc;
  attn::UiState ui;
  const std::string err = attn::session_from_json(j, &doc, &ui);
  if (!err.empty()) {
    if (!is_clean_message(err)) std::abort();  // quoted values are escaped: one line
    return 0;
  }
  if (!attn::validate(doc.settings).empty()) std::abort();
  const auto saved = attn::session_to_json(doc, ui);
  (void)saved.dump();  // the strict writer: throws (aborts the fuzzer) if invalid UTF-8 reached it
  attn::Document doc2;
  attn::UiState ui2;
  if (!attn::session_from_json(saved, &doc2, &ui2).empty()) std::abort();
  if (attn::session_to_json(doc2, ui2) != saved) std::abort();
  return 0;
}
