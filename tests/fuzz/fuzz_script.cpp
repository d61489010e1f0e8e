// libFuzzer target: the UI script parser refuses anything that is not a list of single-key objects.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "script.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  attn::Script s;
  const std::string err = attn::parse_script(std::string(reinterpret_cast<const char*>(data), size), &s);
  if (err.empty())
    for (const auto& a : s.actions)
      if (!a.is_object() || a.empty()) std::abort();
  return 0;
}
