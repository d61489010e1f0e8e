#include "texture_cache.h"

#include <algorithm>
#include <cmath>

#include <glad/gl.h>

#include <vector>

#include "rng.h"

namespace attn {

constexpr Rgb kMaskedColour{150, 150, 150};

uint64_t hash_mask(const BoolMat* m) {
  if (!m) return 0;
  return fnv1a64(std::string_view(reinterpret_cast<const char*>(m->cells.data()), m->cells.size())) ^ uint64_t(m->rows);
}

TextureCache::~TextureCache() { clear(); }

void TextureCache::clear() {
  for (auto& kv : entries_)
    if (kv.second.tex) glDeleteTextures(1, &kv.second.tex);
  entries_.clear();
}

unsigned TextureCache::get(uint32_t id, const TextureKey& key, const Mat& m, const BoolMat* blocked) {
  Entry& e = entries_[id];
  if (e.tex && e.key == key) return e.tex;
  const int rows = int(m.rows()), cols = int(m.cols());
  // Cells are coloured through a table of the colormap at 4,096 points of t (colormap_value's mapping of v to t,
  // computed once per matrix): at most one unit in 255 off the exact colour. A call per cell took 120 ms of a frame
  // for the 8 heads of 512 tokens on the All-heads tab.
  constexpr int kLut = 4096;
  std::vector<Rgb> lut(kLut);
  for (int k = 0; k < kLut; ++k) lut[size_t(k)] = colormap_rgb(key.cmap, float(k) / float(kLut - 1));
  float a = 0, b0 = 0.5f;  // t = a·v + b0, as colormap_value maps it
  if (colormap_diverging(key.cmap)) {
    const float mx = std::max(std::fabs(key.lo), std::fabs(key.hi));
    if (mx > 0) a = 0.5f / mx;
  } else if (key.hi > key.lo) {
    a = 1.0f / (key.hi - key.lo), b0 = -key.lo / (key.hi - key.lo);
  }
  const Rgb nan_colour = colormap_value(key.cmap, NAN, key.lo, key.hi);
  std::vector<uint8_t> px(size_t(rows) * size_t(cols) * 4);
  for (int i = 0; i < rows; ++i)
    for (int j = 0; j < cols; ++j) {
      const bool blk = blocked && i < blocked->rows && j < blocked->cols && (*blocked)(i, j);
      const float v = m(i, j);
      Rgb c = nan_colour;
      if (blk) c = kMaskedColour;
      else if (std::isfinite(v)) c = lut[size_t(std::clamp(int((a * v + b0) * float(kLut - 1) + 0.5f), 0, kLut - 1))];
      uint8_t* p = &px[(size_t(i) * size_t(cols) + size_t(j)) * 4];
      p[0] = c.r, p[1] = c.g, p[2] = c.b, p[3] = 255;
    }
  if (!e.tex) glGenTextures(1, &e.tex);
  glBindTexture(GL_TEXTURE_2D, e.tex);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, cols, rows, 0, GL_RGBA, GL_UNSIGNED_BYTE, px.data());
  e.key = key;
  ++uploads_;
  return e.tex;
}

}  // namespace attn
