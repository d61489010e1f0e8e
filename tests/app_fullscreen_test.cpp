// F11's arithmetic (app/window.h toggle_fullscreen): which monitor the window fills, and the place and size it gets
// back afterwards.
#include <gtest/gtest.h>

#include <vector>

#include "window.h"

using namespace attn;

namespace {

bool same(const WindowRect& a, const WindowRect& b) { return a.x == b.x && a.y == b.y && a.w == b.w && a.h == b.h; }

}  // namespace

TEST(Fullscreen, FillsTheMonitorHoldingMostOfTheWindowThenRestoresItsPlaceAndSize) {
  // A laptop screen at the origin and a projector to its right.
  const std::vector<WindowRect> monitors = {{0, 0, 1920, 1080}, {1920, 0, 1280, 720}};
  const WindowRect window{1800, 100, 800, 600};  // 120 px on the laptop, 680 px on the projector
  Fullscreen fs;
  WindowRect to;
  EXPECT_EQ(toggle_fullscreen(fs, window, monitors, &to), 1);
  EXPECT_TRUE(fs.on);
  EXPECT_TRUE(same(to, monitors[1]));
  EXPECT_TRUE(same(fs.saved, window));
  // Back: the rectangle it had, whatever the full-screen window reports now.
  EXPECT_EQ(toggle_fullscreen(fs, monitors[1], monitors, &to), -1);
  EXPECT_FALSE(fs.on);
  EXPECT_TRUE(same(to, window));
}

TEST(Fullscreen, AWindowOnNoMonitorGoesToTheFirstAndNoMonitorKeepsItWindowed) {
  const std::vector<WindowRect> monitors = {{0, 0, 1280, 800}, {1280, 0, 1920, 1080}};
  Fullscreen fs;
  WindowRect to;
  EXPECT_EQ(toggle_fullscreen(fs, {5000, 5000, 640, 480}, monitors, &to), 0);
  EXPECT_TRUE(same(to, monitors[0]));

  Fullscreen none;
  const WindowRect w{10, 20, 640, 480};
  EXPECT_EQ(toggle_fullscreen(none, w, {}, &to), -1);
  EXPECT_FALSE(none.on);  // nothing to fill: the next F11 tries again instead of "restoring"
  EXPECT_TRUE(same(to, w));
}
