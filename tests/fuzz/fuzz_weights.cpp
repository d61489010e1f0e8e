// libFuzzer target: the weight-file loader refuses bad bytes with a one-line message free of control characters
// and leaves its output alone; what it
// accepts validates, holds only finite weights, and saves back to bytes that load to the same bytes again.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "clean_message.h"
#include "weights_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  attn::TrainedModel m;
  m.name = "untouched";
  const std::string err = attn::weights_from_bytes(bytes, &m);
  if (!err.empty()) {
    if (m.name != "untouched" || !m.model.encoder.empty()) std::abort();  // a refused file changes nothing
    if (!is_clean_message(err)) std::abort();  // one line: the file's names are quoted escaped, never raw
    return 0;
  }
  if (!attn::validate(m.config).empty()) std::abort();
  for (const attn::Param& p : attn::parameters(m.model))
    for (size_t i = 0; i < p.size(); ++i)
      if (!std::isfinite(p.data[i])) std::abort();
  std::string saved;
  if (!attn::weights_to_bytes(m, &saved).empty()) std::abort();
  attn::TrainedModel back;
  if (!attn::weights_from_bytes(saved, &back).empty()) std::abort();
  std::string again;
  if (!attn::weights_to_bytes(back, &again).empty() || again != saved) std::abort();
  return 0;
}
