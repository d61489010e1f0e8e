// fonts.h: finds a font file from Debian's packages through fontconfig (then known paths).
#pragma once
#include <string>
#include <vector>

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

// A font merged after those for the scripts they lack: Hebrew, Arabic, Devanagari (Noto, from fonts-noto-core) and
// monochrome emoji and symbols (Symbola, from fonts-symbola; Dear ImGui 1.86 cannot draw colour emoji).
struct ScriptFont {
  std::string family;   // fontconfig family, e.g. "Noto Sans Hebrew"
  std::string what;     // what it draws, for the message when it is missing: "Hebrew"
  std::string package;  // the Debian package that ships it
  std::string path;     // empty when it is not installed
  int index = 0;
};
// The height Dear ImGui sizes a font by (ascent - descent) in ems: fonts for tall scripts (Arabic: 2.1 ems, Noto
// Sans CJK: 1.45) have large ascents, so at the same pixel height their letters come out small. 0 when unreadable.
float line_height_in_ems(const std::string& path, int index);
// All of them, in merge order; those not installed have an empty path.
std::vector<ScriptFont> find_script_fonts();
// "" when all are installed, else one sentence naming what is missing and the packages to install.
std::string missing_fonts_note(const std::vector<ScriptFont>& fonts);

}  // namespace attn
