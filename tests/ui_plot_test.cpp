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

TEST(PlotMath, LegendCountsSegmentsThatCrossACornerBetweenTheirPoints) {
  // Plot 400 × 300 px; legend 100 × 40 with a 6 px margin: the top-left box is [6, 106] × [6, 46].
  // One segment from (0, 0) to (0.3, 1): pixels (0, 300) → (120, 0). It crosses the box (at y = 40, x = 104), though
  // neither end nor any fifth of the way along lies in it.
  const Axis ax{0, 1, false}, ay{0, 1, false};
  const std::vector<double> x{0, 0.3}, y{0, 1};
  int covered = -1;
  EXPECT_EQ(legend_corner({{&x, &y, true}}, ax, ay, 0, 400, 0, 300, 100, 40, 6, &covered), 1);
  EXPECT_EQ(covered, 0);
  double bx0, bx1, by0, by1;
  legend_box(1, 0, 400, 0, 300, 100, 40, 6, &bx0, &bx1, &by0, &by1);
  EXPECT_EQ(bx0, 294);
  EXPECT_EQ(bx1, 394);
  EXPECT_EQ(by0, 6);
  EXPECT_EQ(by1, 46);
}

TEST(PlotMath, LegendNeverLandsOnData) {
  double bx0, bx1, by0, by1;
  // The positional-encoding curves: three sinusoids over 48 positions filling [-1, 1]. Every corner of a 480 × 300
  // plot meets a curve, so legend_corner reports data under the best corner and the legend goes outside the frame.
  {
    const Axis ax{0, 47, false}, ay{-1.1, 1.1, false};
    std::vector<double> pos, s0, s10, c1;
    for (int p = 0; p < 48; ++p) {
      pos.push_back(p);
      s0.push_back(std::sin(p));
      s10.push_back(std::sin(p / std::pow(10000.0, 10.0 / 64)));
      c1.push_back(std::cos(p));
    }
    int covered = 0;
    legend_corner({{&pos, &s0, true}, {&pos, &s10, true}, {&pos, &c1, true}}, ax, ay, 0, 480, 0, 300, 150, 58, 6, &covered);
    EXPECT_GT(covered, 0);
  }
  // The LayerNorm tab's grouped bars: two categories, "with the residual" (0.85, 0.83) and "without" (0.03, 0.07),
  // each bar 0.4 wide beside its partner, y from 0 to 0.9, in a 480 × 180 plot with a 200 × 40 legend. The tall bars
  // reach both top corners and every bar stands on the bottom edge: no corner is free (the legend had covered the
  // first bar), so the legend goes outside.
  const Axis ax{-0.6, 1.6, false}, ay{0, 0.9, false};
  const std::vector<double> with_x{-0.2, 0.8}, without_x{0.2, 1.2};
  {
    const std::vector<double> with_y{0.85, 0.83}, without_y{0.03, 0.07};
    int covered = 0;
    legend_corner({{&with_x, &with_y, false, 0.4, 0}, {&without_x, &without_y, false, 0.4, 0}}, ax, ay, 0, 480, 0, 180, 200,
                  40, 6, &covered);
    EXPECT_GT(covered, 0);
  }
  // The second category low (0.02, 0.01): the top-right corner is free, chosen, and meets no bar's rectangle.
  {
    const std::vector<double> with_y{0.85, 0.02}, without_y{0.03, 0.01};
    int covered = -1;
    const int c = legend_corner({{&with_x, &with_y, false, 0.4, 0}, {&without_x, &without_y, false, 0.4, 0}}, ax, ay, 0, 480,
                                0, 180, 200, 40, 6, &covered);
    EXPECT_EQ(c, 1);
    ASSERT_EQ(covered, 0);
    legend_box(c, 0, 480, 0, 180, 200, 40, 6, &bx0, &bx1, &by0, &by1);
    for (size_t i = 0; i < 2; ++i)
      for (const auto& [xs, ys] : {std::pair{&with_x, &with_y}, std::pair{&without_x, &without_y}}) {
        const double l = ax.to_pixel((*xs)[i] - 0.2, 0, 480), r = ax.to_pixel((*xs)[i] + 0.2, 0, 480);
        const double top = ay.to_pixel((*ys)[i], 180, 0), base = ay.to_pixel(0, 180, 0);
        EXPECT_FALSE(l <= bx1 && r >= bx0 && top <= by1 && base >= by0) << "bar " << i << " under the legend";
      }
  }
}
