#include "window.h"

#include <glad/gl.h>
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>

#include <cstdio>
#include <iostream>
#include <vector>

#include "app_state.h"
#include "image.h"

namespace attn {

std::string save_framebuffer_png(int width, int height, const std::string& path) {
  Image img(width, height);
  std::vector<uint8_t> rows(size_t(width) * size_t(height) * 3);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadBuffer(GL_BACK);
  glReadPixels(0, 0, width, height, GL_RGB, GL_UNSIGNED_BYTE, rows.data());
  for (int y = 0; y < height; ++y)  // GL's first row is the bottom one
    std::copy_n(&rows[size_t(height - 1 - y) * size_t(width) * 3], size_t(width) * 3, &img.rgb[size_t(y) * size_t(width) * 3]);
  return write_png(img, path);
}

namespace {
void glfw_error(int code, const char* msg) { std::fprintf(stderr, "attention-lab: GLFW error %d: %s\n", code, msg); }
}  // namespace

int run_gui(const GuiOptions& opts) {
  glfwSetErrorCallback(glfw_error);
  if (!glfwInit()) {
    std::cerr << "attention-lab: cannot open a window (no display?); the headless commands still work: "
                 "attention-lab export --help\n";
    return 1;
  }
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
  glfwWindowHint(GLFW_SCALE_TO_MONITOR, GLFW_TRUE);
  GLFWwindow* window = glfwCreateWindow(opts.width, opts.height, "Attention Lab", nullptr, nullptr);
  if (!window) {
    std::cerr << "attention-lab: cannot create an OpenGL 3.3 window\n";
    glfwTerminate();
    return 1;
  }
  glfwMakeContextCurrent(window);
  glfwSwapInterval(1);
  if (!gladLoadGL(glfwGetProcAddress)) {
    std::cerr << "attention-lab: cannot load OpenGL functions\n";
    glfwDestroyWindow(window);
    glfwTerminate();
    return 1;
  }
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  ImGui_ImplGlfw_InitForOpenGL(window, true);
  ImGui_ImplOpenGL3_Init("#version 330 core");

  int rc = 0;
  {
    AppState state;
    std::string err = app_init(state, opts);
    if (!err.empty()) std::cerr << "attention-lab: " << err << "\n";
    int frame = 0;
    while (!glfwWindowShouldClose(window)) {
      glfwPollEvents();
      app_before_frame(state);  // recompute once, before drawing, if settings changed
      ImGui_ImplOpenGL3_NewFrame();
      ImGui_ImplGlfw_NewFrame();
      if (opts.no_mouse) io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
      ImGui::NewFrame();
      app_draw(state);
      ImGui::Render();
      int fb_w = 0, fb_h = 0;
      glfwGetFramebufferSize(window, &fb_w, &fb_h);
      glViewport(0, 0, fb_w, fb_h);
      glClearColor(0.95f, 0.95f, 0.96f, 1.0f);
      glClear(GL_COLOR_BUFFER_BIT);
      ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
      ++frame;
      if (opts.frames > 0 && frame >= opts.frames) {
        if (!opts.screenshot.empty()) {
          const std::string e = save_framebuffer_png(fb_w, fb_h, opts.screenshot);
          if (!e.empty()) {
            std::cerr << "attention-lab: " << e << "\n";
            rc = 1;
          } else {
            std::cout << "wrote " << opts.screenshot << " (" << fb_w << "x" << fb_h << ")\n";
          }
        }
        glfwSwapBuffers(window);
        break;
      }
      glfwSwapBuffers(window);
    }
    app_shutdown(state);
  }
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(window);
  glfwTerminate();
  return rc;
}

}  // namespace attn
