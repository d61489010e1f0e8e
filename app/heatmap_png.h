// heatmap_png.h: a labelled heatmap PNG of one matrix (queries down, keys across), with a colour bar.
#pragma once
#include <string>
#include <vector>

#include "colormap.h"
#include "mat.h"

namespace attn {

class TextRenderer;

struct HeatmapPng {
  std::string title;
  std::vector<std::string> row_labels, col_labels;  // query tokens, key tokens
  const BoolMat* blocked = nullptr;                 // masked cells drawn hatched grey
  Colormap cmap = Colormap::Viridis;
};

// Renders m into a PNG at `path`. text may be null (no labels). Returns "" or an error message.
std::string write_heatmap_png(const Mat& m, const HeatmapPng& spec, const TextRenderer* text, const std::string& path);
// Peak bytes while one rows × cols heatmap is written: the RGB image and stb's filtered copy of it (an upper bound).
double heatmap_png_peak_bytes(int rows, int cols);

}  // namespace attn
