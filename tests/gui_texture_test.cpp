// Heatmap textures are uploaded only when their data, colour map or range changed.
#include <gtest/gtest.h>

#include <glad/gl.h>
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>

#include "texture_cache.h"

using namespace attn;

TEST(TextureCache, UploadsOnlyWhenSomethingChanged) {
  ASSERT_TRUE(glfwInit());
  glfwWindowHint(GLFW_VISIBLE, GLFW_FALSE);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  GLFWwindow* w = glfwCreateWindow(64, 64, "t", nullptr, nullptr);
  ASSERT_NE(w, nullptr);
  glfwMakeContextCurrent(w);
  ASSERT_TRUE(gladLoadGL(glfwGetProcAddress));
  {
    TextureCache cache;
    Mat m = Mat::Random(8, 8);
    TextureKey k{m.data(), 1, 8, 8, Colormap::Viridis, -1, 1, 0};
    const unsigned t1 = cache.get(7, k, m, nullptr);
    for (int frame = 0; frame < 10; ++frame) EXPECT_EQ(cache.get(7, k, m, nullptr), t1);  // ten frames, one upload
    EXPECT_EQ(cache.uploads(), 1);
    k.version = 2;  // the trace was rebuilt
    cache.get(7, k, m, nullptr);
    EXPECT_EQ(cache.uploads(), 2);
    k.cmap = Colormap::Magma;  // another colour map
    cache.get(7, k, m, nullptr);
    EXPECT_EQ(cache.uploads(), 3);
    BoolMat mask(8, 8);
    mask(0, 1) = 1;
    k.mask_hash = hash_mask(&mask);  // the mask changed
    cache.get(7, k, m, &mask);
    EXPECT_EQ(cache.uploads(), 4);
    cache.get(8, k, m, &mask);  // a second widget has its own texture
    EXPECT_EQ(cache.uploads(), 5);
    // A view's selection is its own field: trace 1 at query 131 and trace 2 at query 0 are different pictures (the
    // old hand-mixed key, version·131 + q, gave both 262).
    TextureKey a = k, b = k;
    a.version = 1, a.detail = 131;
    b.version = 2, b.detail = 0;
    cache.get(9, a, m, &mask);
    EXPECT_EQ(cache.uploads(), 6);
    cache.get(9, b, m, &mask);
    EXPECT_EQ(cache.uploads(), 7);
    cache.get(9, b, m, &mask);
    EXPECT_EQ(cache.uploads(), 7);
    // The texture has one texel per cell.
    GLint w0 = 0;
    glBindTexture(GL_TEXTURE_2D, cache.get(8, k, m, &mask));
    glGetTexLevelParameteriv(GL_TEXTURE_2D, 0, GL_TEXTURE_WIDTH, &w0);
    EXPECT_EQ(w0, 8);
  }
  glfwDestroyWindow(w);
  glfwTerminate();
}
