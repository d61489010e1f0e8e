// image.h: a small RGB raster for PNG export: rectangles, text (stb_truetype) and stb_image_write.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "colormap.h"

namespace attn {

class TextRenderer;  // stb_truetype over a font file; null-safe (no font: no text)

struct Image {
  int w = 0, h = 0;
  std::vector<uint8_t> rgb;  // row-major, 3 bytes a pixel, top row first
  Image(int w_, int h_, Rgb fill = {255, 255, 255});
  void fill_rect(int x0, int y0, int x1, int y1, Rgb c);
  void blend(int x, int y, Rgb c, float alpha);
};

class TextRenderer {
 public:
  // Loads the font file; ok() is false when it could not be read. Characters the font lacks are drawn from the
  // first fallback font file that has them (the CJK UI font has no ᵀ: DejaVu Sans does), else as its missing box.
  explicit TextRenderer(const std::string& path, int index, float pixel_height,
                        const std::vector<std::string>& fallbacks = {});
  ~TextRenderer();
  bool ok() const;
  bool has_glyph(char32_t cp) const;  // some loaded font draws cp (not the missing-glyph box)
  int width(const std::string& utf8) const;
  // Draws with the baseline at y + ascent; vertical = rotated 90° counter-clockwise (reads bottom to top).
  void draw(Image& img, int x, int y, const std::string& utf8, Rgb c, bool vertical = false) const;
  int line_height() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Writes a PNG atomically (temporary file in the same folder, then rename). Returns "" or an error.
std::string write_png(const Image& img, const std::string& path);

}  // namespace attn
