// texture_cache.h: GL textures for heatmaps, uploaded only when their data changed.
// Keyed by the widget's ImGuiID; an entry is re-uploaded when any field of its TextureKey differs (compared field by
// field, never hashed together: a view's own selection goes in `detail`, not mixed into `version`).
#pragma once
#include <cstdint>
#include <unordered_map>

#include "colormap.h"
#include "mat.h"

namespace attn {

struct TextureKey {
  const void* data = nullptr;  // the matrix's storage
  uint64_t version = 0;        // bumped by the app whenever the trace is rebuilt
  int rows = 0, cols = 0;
  Colormap cmap = Colormap::Viridis;
  float lo = 0, hi = 0;
  uint64_t mask_hash = 0;
  int64_t detail = 0;          // what else picked the data: the query, stage, layer, decoding step, …
  bool operator==(const TextureKey& o) const {
    return data == o.data && version == o.version && detail == o.detail && rows == o.rows && cols == o.cols && cmap == o.cmap &&
           lo == o.lo && hi == o.hi && mask_hash == o.mask_hash;
  }
};

class TextureCache {
 public:
  ~TextureCache();
  // Returns a texture (GLuint) holding m coloured by the key's colour map; blocked cells are grey.
  unsigned get(uint32_t id, const TextureKey& key, const Mat& m, const BoolMat* blocked);
  int uploads() const { return uploads_; }  // total uploads so far (tests check that unchanged data is not re-sent)
  void clear();

 private:
  struct Entry {
    unsigned tex = 0;
    TextureKey key;
  };
  std::unordered_map<uint32_t, Entry> entries_;
  int uploads_ = 0;
};

uint64_t hash_mask(const BoolMat* m);

}  // namespace attn
