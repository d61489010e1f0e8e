#include "fonts.h"

#include <fontconfig/fontconfig.h>

#include <filesystem>

namespace attn {
namespace {

FontFile match(const char* family, bool cjk) {
  FontFile f;
  FcConfig* cfg = FcInitLoadConfigAndFonts();
  if (!cfg) return f;
  FcPattern* pat = FcNameParse(reinterpret_cast<const FcChar8*>(family));
  FcConfigSubstitute(cfg, pat, FcMatchPattern);
  FcDefaultSubstitute(pat);
  FcResult res;
  FcPattern* found = FcFontMatch(cfg, pat, &res);
  if (found) {
    FcChar8* file = nullptr;
    FcChar8* fam = nullptr;
    int index = 0;
    if (FcPatternGetString(found, FC_FILE, 0, &file) == FcResultMatch &&
        FcPatternGetString(found, FC_FAMILY, 0, &fam) == FcResultMatch) {
      FcPatternGetInteger(found, FC_INDEX, 0, &index);
      // fontconfig always returns *something*; accept it only if it is the family we asked for.
      const std::string got(reinterpret_cast<const char*>(fam));
      const std::string want(family);
      if (got.find(want.substr(0, want.find(':'))) != std::string::npos) {
        f.path = reinterpret_cast<const char*>(file);
        f.index = index;
        f.has_cjk = cjk;
      }
    }
    FcPatternDestroy(found);
  }
  FcPatternDestroy(pat);
  FcConfigDestroy(cfg);
  return f;
}

}  // namespace

FontFile find_ui_font() {
  FontFile f = match("Noto Sans CJK SC", true);
  if (!f.path.empty()) return f;
  const char* cjk = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
  if (std::filesystem::exists(cjk)) return {cjk, 2, true};
  f = match("DejaVu Sans", false);
  if (!f.path.empty()) return f;
  const char* dv = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
  if (std::filesystem::exists(dv)) return {dv, 0, false};
  return {};
}

std::string find_symbol_font() {
  FontFile f = match("DejaVu Sans", false);
  if (!f.path.empty()) return f.path;
  const char* dv = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
  return std::filesystem::exists(dv) ? dv : "";
}

}  // namespace attn
