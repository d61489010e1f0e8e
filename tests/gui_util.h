// gui_util.h: what the GUI tests share: a PNG reader, a fresh temporary folder, and running the real app on a
// script (under the Xvfb that tests/with_xvfb.sh starts).
#pragma once
#include <stb_image.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "cli.h"
#include "window.h"

namespace attn::test {

struct Png {
  int w = 0, h = 0;
  std::vector<uint8_t> rgb;
  const uint8_t* at(int x, int y) const { return &rgb[(size_t(y) * size_t(w) + size_t(x)) * 3]; }
};

inline Png load_png(const std::string& path) {
  Png p;
  int n = 0;
  unsigned char* d = stbi_load(path.c_str(), &p.w, &p.h, &n, 3);
  if (d) {
    p.rgb.assign(d, d + size_t(p.w) * size_t(p.h) * 3);
    stbi_image_free(d);
  }
  return p;
}

// Distinct colours in the rectangle [x0, x1) × [y0, y1), sampled every `step` pixels: a blank or flat screen has few.
inline size_t distinct_colours(const Png& p, int x0, int y0, int x1, int y1, int step = 3) {
  std::vector<uint32_t> c;
  for (int y = y0; y < y1 && y < p.h; y += step)
    for (int x = x0; x < x1 && x < p.w; x += step) {
      const uint8_t* q = p.at(x, y);
      c.push_back(uint32_t(q[0]) << 16 | uint32_t(q[1]) << 8 | q[2]);
    }
  std::sort(c.begin(), c.end());
  return size_t(std::unique(c.begin(), c.end()) - c.begin());
}

// Pixels whose colour differs between two pictures of the same size (-1 when the sizes differ).
inline long differing_pixels(const Png& a, const Png& b) {
  if (a.w != b.w || a.h != b.h || a.rgb.empty()) return -1;
  long k = 0;
  for (size_t i = 0; i < a.rgb.size(); i += 3)
    k += a.rgb[i] != b.rgb[i] || a.rgb[i + 1] != b.rgb[i + 1] || a.rgb[i + 2] != b.rgb[i + 2];
  return k;
}

// An empty folder of its own under the temporary directory: attn-gui-NAME-PID.
inline std::filesystem::path temp_dir(const std::string& name) {
  std::filesystem::path d = std::filesystem::temp_directory_path() / ("attn-gui-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(d);
  std::filesystem::create_directories(d);
  return d;
}

// Runs the app on `script_json` (written to dir/script.json) with its settings in dir/config; returns its exit code.
inline int run_script(const std::filesystem::path& dir, const std::string& script_json, int w = 1600, int h = 1000,
                      const std::string& text = "") {
  std::ofstream(dir / "script.json") << script_json;
  GuiOptions o;
  o.script = (dir / "script.json").string();
  o.config_dir = (dir / "config").string();
  o.no_mouse = true;
  o.width = w, o.height = h;
  o.text = text;
  o.weights = "random";  // the mechanism's own controls, free (a first start would select the language model)
  return run_gui(o);
}

}  // namespace attn::test
