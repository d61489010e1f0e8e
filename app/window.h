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

// Reads the current framebuffer (RGB, top row first) into a PNG file. Returns "" or an error.
std::string save_framebuffer_png(int width, int height, const std::string& path);

}  // namespace attn
