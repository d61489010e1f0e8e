#include "fonts.h"

#include <fcntl.h>
#include <fontconfig/fontconfig.h>
#include <stb_truetype.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "translate.h"

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

float line_height_in_ems(const std::string& path, int index) {
  // Mapped, not read: only the few tables stb_truetype looks at are paged in (a CJK collection is 20 MB).
  const int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) return 0;
  struct stat st {};
  void* p = ::fstat(fd, &st) == 0 && st.st_size > 0 ? ::mmap(nullptr, size_t(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0)
                                                     : MAP_FAILED;
  ::close(fd);
  if (p == MAP_FAILED) return 0;
  float r = 0;
  const auto* data = static_cast<const unsigned char*>(p);
  stbtt_fontinfo info{};
  const int off = stbtt_GetFontOffsetForIndex(data, index);
  if (off >= 0 && stbtt_InitFont(&info, data, off))
    r = stbtt_ScaleForMappingEmToPixels(&info, 1.0f) / stbtt_ScaleForPixelHeight(&info, 1.0f);  // (asc - desc) / em
  ::munmap(p, size_t(st.st_size));
  return r;
}

std::vector<ScriptFont> find_script_fonts() {
  std::vector<ScriptFont> fonts = {{"Noto Sans Hebrew", N_("Hebrew"), "fonts-noto-core", "", 0},
                                   {"Noto Sans Arabic", N_("Arabic"), "fonts-noto-core", "", 0},
                                   {"Noto Sans Devanagari", N_("Devanagari"), "fonts-noto-core", "", 0},
                                   {"Symbola", N_("emoji and symbols"), "fonts-symbola", "", 0}};
  for (ScriptFont& f : fonts) {
    const FontFile m = match(f.family.c_str(), false);
    f.path = m.path, f.index = m.index;
  }
  return fonts;
}

std::string missing_fonts_note(const std::vector<ScriptFont>& fonts) {
  std::string what, packages;
  for (const ScriptFont& f : fonts) {
    if (!f.path.empty()) continue;
    what += (what.empty() ? "" : _(", ")) + std::string(_(f.what.c_str()));
    if (packages.find(f.package) == std::string::npos) packages += (packages.empty() ? "" : " ") + f.package;
  }
  if (what.empty()) return {};
  return printf_text(_("No font for %s (install %s): those characters show as '?'."), what.c_str(), packages.c_str());
}

std::string find_symbol_font() {
  FontFile f = match("DejaVu Sans", false);
  if (!f.path.empty()) return f.path;
  const char* dv = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
  return std::filesystem::exists(dv) ? dv : "";
}

}  // namespace attn
