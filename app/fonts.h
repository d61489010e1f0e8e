// fonts.h: finds a font file from Debian's packages through fontconfig (then known paths).
#pragma once
#include <string>

namespace attn {

struct FontFile {
  std::string path;  // empty when none was found
  int index = 0;     // face index inside a .ttc collection
  bool has_cjk = false;
};

// Prefers Noto Sans CJK SC (covers Latin and Chinese), then DejaVu Sans.
FontFile find_ui_font();
// DejaVu Sans (wide symbol coverage: ᵀ, ⊙, arrows), or "".
std::string find_symbol_font();

}  // namespace attn
