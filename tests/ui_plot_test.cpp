// The plot widget: its arithmetic (axes, ticks, data range, nearest point, legend placement) against hand-derived
// values, and the widget itself drawn in a headless ImGui frame (no window, no GL: a font atlas and a draw list).
#include <gtest/gtest.h>
#include <imgui.h>

#include <cmath>

#include "plot.h"
#include "plot_math.h"

using namespace attn;

TEST(PlotMath, LinearAndLogAxesMapAndInvert) {
  const Axis lin{0, 10, false}, lg{1, 1000, true};
  EXPECT_DOUBLE_EQ(lin.to_pixel(2.5, 100, 300), 150.0);   // a quarter of the way
  EXPECT_DOUBLE_EQ(lin.to_pixel(5, 300, 100), 200.0);     // y axes grow upwards: p1 < p0 works too
  EXPECT_NEAR(lg.to_pixel(10, 0, 300), 100.0, 1e-9);       // one decade of three
  EXPECT_NEAR(lg.to_pixel(31.6227766, 0, 300), 150.0, 1e-6);
  for (double v : {1.0, 7.0, 42.0, 999.0}) EXPECT_NEAR(lg.from_pixel(lg.to_pixel(v, 0, 300), 0, 300), v, 1e-9 * v);
  EXPECT_NEAR(lin.from_pixel(lin.to_pixel(3.3, 10, 90), 10, 90), 3.3, 1e-12);
}

TEST(PlotMath, NiceTicksAreOneTwoFiveStepsInsideTheRange) {
  const std::vector<double> unit = nice_ticks(0, 1, 5);  // raw step 0.2 → 0.2: 0, 0.2, …, 1
  ASSERT_EQ(unit.size(), 6u);
  for (size_t i = 0; i < unit.size(); ++i) EXPECT_NEAR(unit[i], 0.2 * double(i), 1e-12);
  const std::vector<double> t = nice_ticks(-3.7, 12.2, 6);  // raw step 15.9/6 = 2.65 → 5: first ⌈−3.7/5⌉·5 = 0
  EXPECT_EQ(t, (std::vector<double>{0, 5, 10}));
  EXPECT_DOUBLE_EQ(t[0], 0.0);  // -0 is printed as 0, never "-0"
  EXPECT_TRUE(nice_ticks(1, 1, 5).empty());
  EXPECT_TRUE(nice_ticks(0, NAN, 5).empty());
  EXPECT_EQ(log_ticks(1, 1e6), (std::vector<double>{1, 10, 100, 1e3, 1e4, 1e5, 1e6}));  // wide: decades only
  EXPECT_EQ(log_ticks(1, 100), (std::vector<double>{1, 2, 5, 10, 20, 50, 100}));       // narrow: 1, 2, 5
  EXPECT_TRUE(log_ticks(0, 10).empty());
  EXPECT_EQ(tick_label(1e4, true), "1e4");
  EXPECT_EQ(tick_label(0.001, true), "1e-3");
  EXPECT_EQ(tick_label(100, true), "100");
  EXPECT_EQ(tick_label(0.25, false), "0.25");
}

TEST(PlotMath, DataRangeSkipsNonFiniteAndNonPositiveOnLogAxes) {
  const std::vector<double> a{1, NAN, 3, INFINITY}, b{-2, 0, 5};
  double lo = 0, hi = 0;
  data_range({&a, &b}, false, 0.0, &lo, &hi);
  EXPECT_EQ(lo, -2);
  EXPECT_EQ(hi, 5);
  data_range({&a, &b}, false, 0.1, &lo, &hi);  // padded by a tenth of the span each side
  EXPECT_DOUBLE_EQ(lo, -2.7);
  EXPECT_DOUBLE_EQ(hi, 5.7);
  data_range({&a, &b}, true, 0.0, &lo, &hi);   // log: -2 and 0 cannot be drawn (10^log10 rounds: near, not equal)
  EXPECT_NEAR(lo, 1, 1e-12);
  EXPECT_NEAR(hi, 5, 1e-12);
  const std::vector<double> none{NAN};
  data_range({&none}, true, 0.1, &lo, &hi);
  EXPECT_EQ(lo, 1);
  EXPECT_EQ(hi, 10);
}

TEST(PlotMath, NearestPointWithinTheDistance) {
  const Axis ax{0, 10, false}, ay{0, 10, false};
  const std::vector<double> xs{1, 5, 9}, ys{1, 5, 9};
  // plot 100 px square, y grows upwards: (5, 5) is at pixel (50, 50); (9, 9) at (90, 10)
  EXPECT_EQ(nearest_point(xs, ys, ax, ay, 0, 100, 100, 0, 52, 47, 10), 1);
  EXPECT_EQ(nearest_point(xs, ys, ax, ay, 0, 100, 100, 0, 88, 12, 10), 2);
  EXPECT_EQ(nearest_point(xs, ys, ax, ay, 0, 100, 100, 0, 70, 70, 10), -1);  // nothing within 10 px
}

TEST(PlotMath, LegendGoesWhereItHidesNoData) {
  const Axis ax{0, 1, false}, ay{0, 1, false};
  std::vector<double> x, up, down, flat_top;
  for (int i = 0; i <= 20; ++i) {
    x.push_back(i / 20.0);
    up.push_back(i / 20.0);
    down.push_back(1 - i / 20.0);
    flat_top.push_back(0.97);
  }
  // Plot 400 × 300 px at (0, 0); legend 100 × 40.
  auto corner = [&](std::vector<SeriesPoints> s) { return legend_corner(s, ax, ay, 0, 400, 0, 300, 100, 40, 6); };
  EXPECT_EQ(corner({{&x, &up, true}}), 0);                          // rising: top-left is empty
  EXPECT_EQ(corner({{&x, &down, true}}), 1);                        // falling: top-right
  EXPECT_EQ(corner({{&x, &down, true}, {&x, &flat_top, true}}), 2); // a line along the top too: bottom-left
  const std::vector<double> two_x{0, 1}, two_y{1, 0};               // two points, the segment between them counts
  EXPECT_EQ(corner({{&two_x, &two_y, true}}), 1);
  EXPECT_EQ(corner({}), 0);                                          // nothing to hide: the usual place
}

TEST(PlotWidget, DrawsEveryKindOfSeriesHeadlessly) {
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;
  io.DisplaySize = ImVec2(800, 600);
  io.DeltaTime = 1.0f / 60;
  unsigned char* pixels = nullptr;
  int w = 0, h = 0;
  io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);  // builds the atlas; no GL texture is needed to record draws
  PlotSpec spec;
  spec.title = "loss";
  spec.log_y = true;
  spec.series.push_back({"loss", {0, 1, 2, 3}, {2.3, 0.5, 0.01, NAN}, SeriesKind::Line});  // NaN: skipped, no crash
  spec.series.push_back({"bars", {0, 1, 2}, {1, 2, 3}, SeriesKind::Bars});
  spec.series.push_back({"dots", {0.5, 1.5}, {0.1, 1e-9}, SeriesKind::Scatter});
  spec.markers.push_back({1.0, true, "n = d"});
  for (int frame = 0; frame < 2; ++frame) {
    ImGui::NewFrame();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(io.DisplaySize);
    ImGui::Begin("plots");
    draw_plot("p", spec, ImVec2(400, 300));
    PlotSpec empty;
    draw_plot("empty", empty, ImVec2(200, 100));  // no data at all
    ImGui::End();
    ImGui::Render();
  }
  const ImDrawData* dd = ImGui::GetDrawData();
  ASSERT_NE(dd, nullptr);
  EXPECT_GT(dd->TotalVtxCount, 500);  // frames, grid, ticks, series, legend, marker, text
  for (int l = 0; l < dd->CmdListsCount; ++l)
    for (const ImDrawVert& v : dd->CmdLists[l]->VtxBuffer) {
      ASSERT_TRUE(std::isfinite(v.pos.x) && std::isfinite(v.pos.y));  // no NaN reaches the screen
    }
  ImGui::DestroyContext();
}
