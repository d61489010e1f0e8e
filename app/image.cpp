#include "image.h"

#include <stb_image_write.h>
#include <stb_truetype.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "atomic_file.h"
#include "tokenizer.h"
#include "translate.h"

namespace attn {

Image::Image(int w_, int h_, Rgb fill) : w(w_), h(h_), rgb(size_t(w_) * size_t(h_) * 3) {
  for (size_t i = 0; i < size_t(w) * size_t(h); ++i) {
    rgb[3 * i] = fill.r;
    rgb[3 * i + 1] = fill.g;
    rgb[3 * i + 2] = fill.b;
  }
}

void Image::fill_rect(int x0, int y0, int x1, int y1, Rgb c) {
  x0 = std::max(0, x0), y0 = std::max(0, y0), x1 = std::min(w, x1), y1 = std::min(h, y1);
  for (int y = y0; y < y1; ++y)
    for (int x = x0; x < x1; ++x) {
      uint8_t* p = &rgb[(size_t(y) * size_t(w) + size_t(x)) * 3];
      p[0] = c.r, p[1] = c.g, p[2] = c.b;
    }
}

void Image::blend(int x, int y, Rgb c, float a) {
  if (x < 0 || y < 0 || x >= w || y >= h) return;
  uint8_t* p = &rgb[(size_t(y) * size_t(w) + size_t(x)) * 3];
  p[0] = uint8_t(std::lround(p[0] + (c.r - p[0]) * a));
  p[1] = uint8_t(std::lround(p[1] + (c.g - p[1]) * a));
  p[2] = uint8_t(std::lround(p[2] + (c.b - p[2]) * a));
}

// A font file and its stb_truetype face, scaled to the renderer's pixel height.
struct Face {
  std::vector<unsigned char> data;
  stbtt_fontinfo font{};
  float scale = 0;
  bool load(const std::string& path, int index, float px) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    data.assign(std::istreambuf_iterator<char>(in), {});
    if (data.empty()) return false;
    const int off = stbtt_GetFontOffsetForIndex(data.data(), index);
    if (off < 0 || !stbtt_InitFont(&font, data.data(), off)) return false;
    scale = stbtt_ScaleForPixelHeight(&font, px);
    return true;
  }
};

struct TextRenderer::Impl {
  std::vector<std::unique_ptr<Face>> faces;  // [0] the main font, then the fallbacks in order
  int ascent = 0, descent = 0, gap = 0;       // of the main font: one baseline for every face
  bool ok = false;
  // The first face that has a glyph for cp; the main font (its "missing" box) when none has.
  const Face& face_for(char32_t cp) const {
    for (const auto& f : faces)
      if (stbtt_FindGlyphIndex(&f->font, int(cp)) != 0) return *f;
    return *faces[0];
  }
};

TextRenderer::TextRenderer(const std::string& path, int index, float px, const std::vector<std::string>& fallbacks)
    : impl_(new Impl) {
  auto main = std::make_unique<Face>();
  if (!main->load(path, index, px)) return;
  stbtt_GetFontVMetrics(&main->font, &impl_->ascent, &impl_->descent, &impl_->gap);
  impl_->faces.push_back(std::move(main));
  for (const std::string& fb : fallbacks) {
    auto f = std::make_unique<Face>();
    if (!fb.empty() && f->load(fb, 0, px)) impl_->faces.push_back(std::move(f));
  }
  impl_->ok = true;
}

TextRenderer::~TextRenderer() = default;
bool TextRenderer::ok() const { return impl_->ok; }

bool TextRenderer::has_glyph(char32_t cp) const {
  if (!impl_->ok) return false;
  for (const auto& f : impl_->faces)
    if (stbtt_FindGlyphIndex(&f->font, int(cp)) != 0) return true;
  return false;
}

int TextRenderer::line_height() const {
  return impl_->ok ? int(std::ceil((impl_->ascent - impl_->descent) * impl_->faces[0]->scale)) : 0;
}

int TextRenderer::width(const std::string& s) const {
  if (!impl_->ok) return 0;
  float x = 0;
  for (char32_t cp : decode_utf8(s)) {
    const Face& f = impl_->face_for(cp);
    int adv = 0, lsb = 0;
    stbtt_GetCodepointHMetrics(&f.font, int(cp), &adv, &lsb);
    x += adv * f.scale;
  }
  return int(std::ceil(x));
}

void TextRenderer::draw(Image& img, int x, int y, const std::string& s, Rgb c, bool vertical) const {
  if (!impl_->ok) return;
  const int base = int(std::lround(impl_->ascent * impl_->faces[0]->scale));
  float pen = 0;
  for (char32_t cp : decode_utf8(s)) {
    const Face& f = impl_->face_for(cp);
    int adv = 0, lsb = 0, gw = 0, gh = 0, xo = 0, yo = 0;
    stbtt_GetCodepointHMetrics(&f.font, int(cp), &adv, &lsb);
    unsigned char* bmp = stbtt_GetCodepointBitmap(&f.font, f.scale, f.scale, int(cp), &gw, &gh, &xo, &yo);
    for (int gy = 0; gy < gh; ++gy)
      for (int gx = 0; gx < gw; ++gx) {
        const float a = bmp[gy * gw + gx] / 255.0f;
        if (a <= 0) continue;
        const int tx = int(pen) + xo + gx, ty = base + yo + gy;  // position in unrotated text space
        if (vertical) img.blend(x + ty, y - tx, c, a);              // rotate 90° CCW around (x, y)
        else img.blend(x + tx, y + ty, c, a);
      }
    stbtt_FreeBitmap(bmp, nullptr);
    pen += adv * f.scale;
  }
}

std::string write_png(const Image& img, const std::string& path) {
  std::string bytes;
  auto sink = [](void* ctx, void* data, int size) {
    static_cast<std::string*>(ctx)->append(static_cast<const char*>(data), size_t(size));
  };
  if (!stbi_write_png_to_func(sink, &bytes, img.w, img.h, 3, img.rgb.data(), img.w * 3))
    return _("could not encode the PNG image");
  return write_file_atomic(path, bytes);
}

}  // namespace attn
