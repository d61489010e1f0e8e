// window.h: the desktop window: GLFW + OpenGL 3.3 core through glad + Dear ImGui.
#pragma once
#include <string>
#include <vector>

#include "cli.h"

namespace attn {

// Opens the window and runs the app until closed (or for opts.frames frames). Returns the exit code.
int run_gui(const GuiOptions& opts);

// Paths dropped on the window since the last call, oldest first (main thread; the frame loop opens them).
std::vector<std::string> take_dropped_paths();

// F11's arithmetic, kept apart from GLFW so tests can check it. Rectangles are in the virtual screen's pixels.
struct WindowRect {
  int x = 0, y = 0, w = 0, h = 0;
};
struct Fullscreen {
  bool on = false;
  WindowRect saved;  // the window before it went full screen
};
// Toggles `fs`. Going full screen saves `window` and picks the monitor that holds most of it (the first when it is on
// none): returns its index, *out its rectangle. Coming back returns -1, *out the saved rectangle. With no monitor it
// stays windowed: -1, *out = window, fs unchanged.
int toggle_fullscreen(Fullscreen& fs, const WindowRect& window, const std::vector<WindowRect>& monitors, WindowRect* out);

// Reads the current framebuffer (RGB, top row first) into a PNG file. Returns "" or an error.
std::string save_framebuffer_png(int width, int height, const std::string& path);

}  // namespace attn
