// Text in exported PNGs (app/image.h): a character the UI font lacks is drawn from the fallback font, so the
// heatmap export's title "raw scores Q·Kᵀ" shows a superscript T (U+1D40), not the missing-glyph box.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "fonts.h"
#include "image.h"

using namespace attn;

namespace {

// Rows [top, bottom] holding ink (any pixel darker than white) in an image; {-1, -1} when blank.
std::pair<int, int> ink_rows(const Image& img) {
  int top = -1, bottom = -1;
  for (int y = 0; y < img.h; ++y)
    for (int x = 0; x < img.w; ++x)
      if (img.rgb[(size_t(y) * size_t(img.w) + size_t(x)) * 3] < 200) {
        if (top < 0) top = y;
        bottom = y;
      }
  return {top, bottom};
}

Image draw(const TextRenderer& t, const std::string& s) {
  Image img(64, 48);
  t.draw(img, 4, 4, s, {0, 0, 0});
  return img;
}

}  // namespace

TEST(PngText, SuperscriptTIsDrawnFromTheFallbackFont) {
  const FontFile ui = find_ui_font();
  const std::string symbols = find_symbol_font();
  if (ui.path.empty() || symbols.empty()) GTEST_SKIP() << "needs fonts-noto-cjk or fonts-dejavu-core";
  const TextRenderer text(ui.path, ui.index, 28.0f, {symbols});
  ASSERT_TRUE(text.ok());
  const char32_t sup_t = 0x1D40;  // ᵀ
  EXPECT_TRUE(text.has_glyph(sup_t));
  EXPECT_TRUE(text.has_glyph(U'K'));
  EXPECT_FALSE(text.has_glyph(0xE000));  // a private-use code point no font here has
  if (ui.has_cjk) {  // the Noto CJK face alone lacks ᵀ: without the fallback the export drew its box ("Q·K☒")
    const TextRenderer cjk_only(ui.path, ui.index, 28.0f);
    EXPECT_FALSE(cjk_only.has_glyph(sup_t));
  }
  // Drawn: a superscript sits high, its ink ending well above the baseline where a capital T's ink ends; the
  // missing-glyph box is a different picture.
  const Image t_sup = draw(text, "\xE1\xB5\x80"), t_cap = draw(text, "T"), box = draw(text, "\xEE\x80\x80");
  const auto [sup_top, sup_bottom] = ink_rows(t_sup);
  const auto [cap_top, cap_bottom] = ink_rows(t_cap);
  ASSERT_GE(sup_top, 0) << "ᵀ drew nothing";
  ASSERT_GE(cap_top, 0);
  EXPECT_LT(sup_bottom, cap_bottom - (cap_bottom - cap_top) / 3);  // bottom in the upper two thirds of a capital
  EXPECT_NE(t_sup.rgb, box.rgb);
  EXPECT_GT(text.width("Q\xC2\xB7K\xE1\xB5\x80"), text.width("Q\xC2\xB7K"));  // ᵀ advances the pen
}
