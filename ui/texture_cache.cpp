#include "texture_cache.h"

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
  std::vector<uint8_t> px(size_t(rows) * size_t(cols) * 4);
  for (int i = 0; i < rows; ++i)
    for (int j = 0; j < cols; ++j) {
      const bool b = blocked && i < blocked->rows && j < blocked->cols && (*blocked)(i, j);
      const Rgb c = b ? kMaskedColour : colormap_value(key.cmap, m(i, j), key.lo, key.hi);
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
