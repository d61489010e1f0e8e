// colormap.h: colour maps for heatmaps (no ImGui/GL here, so PNG export and the GUI share them).
// Sequential maps (viridis, magma, cividis-like) for weights in [0, 1]; diverging maps (RdBu, PuOr) for
// signed scores centred on 0. All are colour-blind safe. Anchors are the maps' published 11-step values,
// interpolated linearly in sRGB.
#pragma once
#include <cstdint>

namespace attn {

enum class Colormap { Viridis, Magma, Cividis, RdBu, PuOr };
constexpr int kColormapCount = 5;

struct Rgb {
  uint8_t r, g, b;
};

const char* colormap_name(Colormap c);
bool colormap_diverging(Colormap c);
Rgb colormap_rgb(Colormap c, float t);  // t in [0, 1]; NaN gives magenta-free mid grey; clamps outside
// Maps value v on [lo, hi] (diverging maps: symmetric around 0) to a colour.
Rgb colormap_value(Colormap c, float v, float lo, float hi);

}  // namespace attn
