#include "colormap.h"

#include <algorithm>
#include <cmath>

namespace attn {
namespace {

struct Anchors {
  uint32_t hex[11];
};

constexpr Anchors kViridis{{0x440154, 0x482475, 0x414487, 0x355f8d, 0x2a788e, 0x21918c, 0x22a884, 0x44bf70,
                            0x7ad151, 0xbddf26, 0xfde725}};
constexpr Anchors kMagma{{0x000004, 0x140e36, 0x3b0f70, 0x641a80, 0x8c2981, 0xb73779, 0xde4968, 0xf7705c,
                          0xfe9f6d, 0xfecf92, 0xfcfdbf}};
constexpr Anchors kCividis{{0x00224e, 0x0f326f, 0x35456c, 0x53576e, 0x6b6b73, 0x838079, 0x9c9477, 0xb6a971,
                            0xd2c065, 0xeed753, 0xfee838}};
constexpr Anchors kRdBu{{0x053061, 0x2166ac, 0x4393c3, 0x92c5de, 0xd1e5f0, 0xf7f7f7, 0xfddbc7, 0xf4a582,
                         0xd6604d, 0xb2182b, 0x67001f}};
constexpr Anchors kPuOr{{0x2d004b, 0x542788, 0x8073ac, 0xb2abd2, 0xd8daeb, 0xf7f7f7, 0xfee0b6, 0xfdb863,
                         0xe08214, 0xb35806, 0x7f3b08}};

const Anchors& anchors(Colormap c) {
  switch (c) {
    case Colormap::Viridis: return kViridis;
    case Colormap::Magma: return kMagma;
    case Colormap::Cividis: return kCividis;
    case Colormap::RdBu: return kRdBu;
    case Colormap::PuOr: return kPuOr;
  }
  return kViridis;
}

}  // namespace

const char* colormap_name(Colormap c) {
  switch (c) {
    case Colormap::Viridis: return "viridis";
    case Colormap::Magma: return "magma";
    case Colormap::Cividis: return "cividis";
    case Colormap::RdBu: return "RdBu (diverging)";
    case Colormap::PuOr: return "PuOr (diverging)";
  }
  return "viridis";
}

bool colormap_diverging(Colormap c) { return c == Colormap::RdBu || c == Colormap::PuOr; }

Rgb colormap_rgb(Colormap c, float t) {
  if (std::isnan(t)) return {128, 128, 128};
  t = std::clamp(t, 0.0f, 1.0f);
  const Anchors& a = anchors(c);
  const float x = t * 10.0f;
  const int i = std::min(9, int(x));
  const float f = x - float(i);
  auto ch = [&](int shift) {
    const float lo = float((a.hex[i] >> shift) & 0xff), hi = float((a.hex[i + 1] >> shift) & 0xff);
    return uint8_t(std::lround(lo + (hi - lo) * f));
  };
  return {ch(16), ch(8), ch(0)};
}

Rgb colormap_value(Colormap c, float v, float lo, float hi) {
  if (!std::isfinite(v)) return {128, 128, 128};
  if (colormap_diverging(c)) {
    // Symmetric around 0: white is exactly 0, the more extreme end sets the range.
    const float m = std::max(std::fabs(lo), std::fabs(hi));
    return colormap_rgb(c, m > 0 ? 0.5f + 0.5f * v / m : 0.5f);
  }
  return colormap_rgb(c, hi > lo ? (v - lo) / (hi - lo) : 0.5f);
}

}  // namespace attn
