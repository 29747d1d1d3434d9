// core/figure: ticks, colormaps, contours and the figure model's invariants.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>

#include "core/figure/colormap.hpp"
#include "core/figure/contour.hpp"
#include "core/figure/figure.hpp"
#include "core/figure/theme.hpp"
#include "core/figure/ticks.hpp"

namespace attnlab {
namespace {

// [SECTION] Ticks
bool isNiceStep(double step) {
  const double p = std::pow(10.0, std::floor(std::log10(step)));
  const double m = step / p;
  return std::abs(m - 1) < 1e-9 || std::abs(m - 2) < 1e-9 || std::abs(m - 5) < 1e-9 || std::abs(m - 10) < 1e-9;
}

TEST(Ticks, NiceNumbersAreOneTwoFive) {
  EXPECT_DOUBLE_EQ(niceNumber(0.7, true), 0.5);
  EXPECT_DOUBLE_EQ(niceNumber(1.4, true), 1.0);
  EXPECT_DOUBLE_EQ(niceNumber(2.9, true), 2.0);
  EXPECT_DOUBLE_EQ(niceNumber(7.5, true), 10.0);
  EXPECT_DOUBLE_EQ(niceNumber(3.1, false), 5.0);
  EXPECT_DOUBLE_EQ(niceNumber(0.0031, true), 0.005);
}

TEST(Ticks, UnitIntervalInFifths) {
  const auto ticks = linearTicks({0.0, 1.0}, 6);
  ASSERT_EQ(ticks.size(), 6u);
  const char* labels[] = {"0", "0.2", "0.4", "0.6", "0.8", "1.0"};
  for (std::size_t i = 0; i < ticks.size(); ++i) {
    EXPECT_NEAR(ticks[i].value, 0.2 * static_cast<double>(i), 1e-12);
    EXPECT_EQ(ticks[i].label, labels[i]);
    EXPECT_TRUE(ticks[i].major);
  }
}

TEST(Ticks, LinearTicksCoverManyRanges) {
  const Range ranges[] = {{-1.0, 1.0},  {0.0, 37.0},   {-1234.5, 98765.0}, {1e-9, 3e-9},
                          {0.1, 0.12},  {-5e6, -4e6},  {3.14159, 3.14160}, {0.0, 1e-300 * 1e10}};
  for (const Range& r : ranges) {
    for (int target : {2, 4, 6, 10}) {
      const auto ticks = linearTicks(r, target);
      ASSERT_GE(ticks.size(), 2u) << r.min << " .. " << r.max << " target " << target;
      EXPECT_LE(static_cast<int>(ticks.size()), 2 * target + 1);
      const double step = ticks[1].value - ticks[0].value;
      EXPECT_TRUE(isNiceStep(step)) << step;
      for (std::size_t i = 0; i < ticks.size(); ++i) {
        EXPECT_GE(ticks[i].value, r.min - 1e-9 * std::abs(step));
        EXPECT_LE(ticks[i].value, r.max + 1e-9 * std::abs(step));
        if (i > 0) {
          EXPECT_NEAR(ticks[i].value - ticks[i - 1].value, step, 1e-6 * step);
        }
        EXPECT_FALSE(ticks[i].label.empty());
      }
      // Covering: no gap of a whole step at either end.
      EXPECT_LT(ticks.front().value - r.min, step * (1 + 1e-9));
      EXPECT_LT(r.max - ticks.back().value, step * (1 + 1e-9));
      // Distinct labels: neighbours can be told apart.
      for (std::size_t i = 1; i < ticks.size(); ++i) EXPECT_NE(ticks[i].label, ticks[i - 1].label);
    }
  }
}

TEST(Ticks, LabelsAreTypographic) {
  const auto ticks = linearTicks({-1.0, 1.0}, 5);
  ASSERT_FALSE(ticks.empty());
  EXPECT_EQ(ticks.front().label, "\xE2\x88\x92" "1.0");  // U+2212, not a hyphen
  EXPECT_EQ(formatTickValue(0.0, 0.5, 1.0), "0");
  EXPECT_EQ(formatTickValue(2e5, 1e5, 5e5), "2\xC3\x97" "10\xE2\x81\xB5");  // 2×10⁵
  EXPECT_EQ(formatTickValue(1e5, 1e5, 5e5), "10\xE2\x81\xB5");
  EXPECT_EQ(formatTickValue(2.5e-5, 5e-6, 3e-5), "2.5\xC3\x97" "10\xE2\x81\xBB\xE2\x81\xB5");
  EXPECT_EQ(superscript(-12), "\xE2\x81\xBB\xC2\xB9\xC2\xB2");
  EXPECT_EQ(powerOfTen(3), "10\xC2\xB3");
}

TEST(Ticks, FormatNumberIsCompact) {
  EXPECT_EQ(formatNumber(0.0), "0");
  EXPECT_EQ(formatNumber(0.0123), "0.0123");
  EXPECT_EQ(formatNumber(1.5), "1.5");
  EXPECT_EQ(formatNumber(-2.25, 3), "\xE2\x88\x92" "2.25");
  EXPECT_EQ(formatNumber(1e-7), "10\xE2\x81\xBB\xE2\x81\xB7");
  EXPECT_EQ(formatNumber(-4.5e-7), "\xE2\x88\x92" "4.5\xC3\x97" "10\xE2\x81\xBB\xE2\x81\xB7");
  EXPECT_EQ(formatNumber(9.9996e8, 4), "10\xE2\x81\xB9");  // rounding carries into the exponent
  EXPECT_EQ(formatNumber(INFINITY), "\xE2\x88\x9E");
  EXPECT_EQ(formatNumber(NAN), "NaN");
}

TEST(Ticks, LogTicksAreDecadesWithMinorTicks) {
  const auto ticks = logTicks({1e-3, 1e2}, 8);
  std::vector<double> majors;
  int minors = 0;
  for (const Tick& t : ticks) {
    EXPECT_GE(t.value, 1e-3 * (1 - 1e-12));
    EXPECT_LE(t.value, 1e2 * (1 + 1e-12));
    if (t.major) {
      majors.push_back(t.value);
      EXPECT_FALSE(t.label.empty());
    } else {
      ++minors;
      EXPECT_TRUE(t.label.empty());
    }
  }
  ASSERT_EQ(majors.size(), 6u);
  for (std::size_t i = 0; i < majors.size(); ++i) EXPECT_NEAR(std::log10(majors[i]), -3.0 + static_cast<double>(i), 1e-12);
  EXPECT_EQ(minors, 5 * 8);  // 2..9 in each of the five whole decades
  EXPECT_TRUE(std::is_sorted(ticks.begin(), ticks.end(), [](const Tick& a, const Tick& b) { return a.value < b.value; }));
  EXPECT_EQ(ticks.front().label, "10\xE2\x81\xBB\xC2\xB3");  // 10⁻³
}

TEST(Ticks, LogTicksOverManyDecadesLabelEveryKth) {
  // Newton's loss drops from 10² to 10⁻¹⁶: a few labels, every decade still marked.
  const auto ticks = logTicks({1e-16, 1e2}, 6);
  int labelled = 0, decades = 0;
  for (const Tick& t : ticks) {
    const double e = std::log10(t.value);
    EXPECT_NEAR(e, std::round(e), 1e-9) << "only decades over so wide a range";
    ++decades;
    if (!t.label.empty()) ++labelled;
  }
  EXPECT_EQ(decades, 19);
  EXPECT_GE(labelled, 3);
  EXPECT_LE(labelled, 7);
}

TEST(Ticks, LogTicksWithinADecadeLabelMantissas) {
  const auto ticks = logTicks({2.0, 8.0}, 6);
  ASSERT_GE(ticks.size(), 2u);
  for (const Tick& t : ticks) {
    EXPECT_TRUE(t.major);
    EXPECT_FALSE(t.label.empty());
    EXPECT_GE(t.value, 2.0);
    EXPECT_LE(t.value, 8.0);
  }
  EXPECT_EQ(ticks.front().label, "2");
  // A sliver of a decade still gets two or more ticks.
  EXPECT_GE(logTicks({1.01, 1.02}, 5).size(), 2u);
  EXPECT_TRUE(logTicks({-1.0, 10.0}, 5).empty());  // no log ticks for a non-positive range
}

// [SECTION] Colormaps
double srgbToLinear(double c) { return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4); }
// CIE L* of an sRGB colour.
double lightness(const Rgb8& c) {
  const double y = 0.2126 * srgbToLinear(c[0] / 255.0) + 0.7152 * srgbToLinear(c[1] / 255.0) +
                   0.0722 * srgbToLinear(c[2] / 255.0);
  return y > 216.0 / 24389.0 ? 116.0 * std::cbrt(y) - 16.0 : y * 24389.0 / 27.0;
}

void expectColor(const Rgba& c, double r, double g, double b, double tolerance) {
  EXPECT_NEAR(c.r, r, tolerance);
  EXPECT_NEAR(c.g, g, tolerance);
  EXPECT_NEAR(c.b, b, tolerance);
  EXPECT_FLOAT_EQ(c.a, 1.0f);
}

TEST(Colormap, ViridisEndpointsMatchThePublishedMap) {
  expectColor(sample(Colormap::Viridis, 0.0), 0.267004, 0.004874, 0.329415, 0.5 / 255);
  expectColor(sample(Colormap::Viridis, 1.0), 0.993248, 0.906157, 0.143936, 0.5 / 255);
  expectColor(sample(Colormap::Viridis, -3.0), 0.267004, 0.004874, 0.329415, 0.5 / 255);  // clamped
  expectColor(sample(Colormap::Viridis, 128.0 / 255.0), 0.127568, 0.566949, 0.550556, 0.5 / 255);
  expectColor(sample(Colormap::Viridis, 37.0 / 255.0), 0.274128, 0.199721, 0.498911, 0.5 / 255);
  expectColor(sample(Colormap::Magma, 64.0 / 255.0), 0.316654, 0.071690, 0.485380, 0.5 / 255);
  expectColor(sample(Colormap::Magma, 0.0), 0.001462, 0.000466, 0.013866, 0.5 / 255);
  expectColor(sample(Colormap::Cividis, 200.0 / 255.0), 0.769353, 0.707035, 0.408516, 0.5 / 255);
  expectColor(sample(Colormap::Cividis, 1.0), 0.995737, 0.909344, 0.217772, 0.5 / 255);
}

TEST(Colormap, SequentialMapsRiseInLightness) {
  for (Colormap map : {Colormap::Viridis, Colormap::Cividis, Colormap::Magma}) {
    const auto& table = colormapTable(map);
    for (std::size_t i = 1; i < table.size(); ++i)
      EXPECT_GT(lightness(table[i]), lightness(table[i - 1]) - 0.05) << colormapName(map) << " at " << i;
    EXPECT_GT(lightness(table.back()) - lightness(table.front()), 60.0) << colormapName(map);
  }
}

TEST(Colormap, SampleInterpolatesBetweenEntries) {
  const auto& table = colormapTable(Colormap::Viridis);
  for (std::size_t i : {0u, 17u, 100u, 254u}) {
    const Rgba a = sample(Colormap::Viridis, static_cast<double>(i) / 255.0);
    EXPECT_NEAR(a.g * 255.0f, table[i][1], 1e-3);
    const Rgba mid = sample(Colormap::Viridis, (static_cast<double>(i) + 0.5) / 255.0);
    EXPECT_NEAR(mid.g * 255.0f, 0.5 * (table[i][1] + table[i + 1][1]), 1e-3);
  }
  EXPECT_EQ(sample(Colormap::Viridis, std::nan("")), kNoDataColor);
}

TEST(Colormap, DivergingMapIsBlueWhiteRed) {
  const Rgba low = sample(Colormap::BlueWhiteRed, 0.0), mid = sample(Colormap::BlueWhiteRed, 0.5),
             high = sample(Colormap::BlueWhiteRed, 1.0);
  EXPECT_GT(low.b, low.r + 0.2f);
  EXPECT_GT(high.r, high.b + 0.2f);
  expectColor(mid, 0xF7 / 255.0, 0xF7 / 255.0, 0xF7 / 255.0, 1.0 / 255);
  // Lightness peaks in the middle and falls towards both ends.
  const auto& table = colormapTable(Colormap::BlueWhiteRed);
  for (std::size_t i = 1; i <= 127; ++i) EXPECT_GE(lightness(table[i]), lightness(table[i - 1]) - 0.05);
  for (std::size_t i = 129; i < 256; ++i) EXPECT_LE(lightness(table[i]), lightness(table[i - 1]) + 0.05);
  EXPECT_TRUE(isDiverging(Colormap::BlueWhiteRed));
  EXPECT_FALSE(isDiverging(Colormap::Viridis));
}

TEST(Colormap, ChosenByName) {
  for (Colormap m : kAllColormaps) EXPECT_EQ(colormapFromName(colormapName(m)), m);
  EXPECT_EQ(colormapFromName("Viridis"), Colormap::Viridis);
  EXPECT_EQ(colormapFromName("MAGMA"), Colormap::Magma);
  EXPECT_EQ(colormapFromName("diverging"), Colormap::BlueWhiteRed);
  EXPECT_EQ(colormapFromName("rdbu_r"), Colormap::BlueWhiteRed);
  EXPECT_FALSE(colormapFromName("jet").has_value());
}

// [SECTION] Contours
struct Grid {
  int rows, cols;
  Range x, y;
  std::vector<double> values;
};

template <typename F>
Grid sampleGrid(int n, Range x, Range y, F f) {
  Grid g{n, n, x, y, std::vector<double>(static_cast<std::size_t>(n) * n)};
  for (int r = 0; r < n; ++r)
    for (int c = 0; c < n; ++c)
      g.values[static_cast<std::size_t>(r) * n + c] =
          f(x.min + c * x.span() / (n - 1), y.min + r * y.span() / (n - 1));
  return g;
}

double shoelaceArea(const Polyline& p) {
  double a = 0.0;
  for (std::size_t i = 0; i < p.xs.size(); ++i) {
    const std::size_t j = (i + 1) % p.xs.size();
    a += p.xs[i] * p.ys[j] - p.xs[j] * p.ys[i];
  }
  return std::abs(a) / 2;
}

TEST(Contour, CircleIsOneClosedLineAtTheRightRadius) {
  const Grid g = sampleGrid(101, {-2, 2}, {-2, 2}, [](double x, double y) { return x * x + y * y; });
  for (double radius : {0.5, 1.0, 1.7}) {
    const auto lines = marchingSquares(g.values, g.rows, g.cols, g.x, g.y, radius * radius);
    ASSERT_EQ(lines.size(), 1u) << radius;
    const Polyline& line = lines[0];
    EXPECT_TRUE(line.closed);
    ASSERT_EQ(line.xs.size(), line.ys.size());
    EXPECT_GT(line.xs.size(), 20u);
    for (std::size_t i = 0; i < line.xs.size(); ++i)
      EXPECT_NEAR(std::hypot(line.xs[i], line.ys[i]), radius, 2e-3) << "point " << i;
    // Consecutive points are neighbours on the circle, not jumps across it.
    for (std::size_t i = 0; i < line.xs.size(); ++i) {
      const std::size_t j = (i + 1) % line.xs.size();
      EXPECT_LT(std::hypot(line.xs[j] - line.xs[i], line.ys[j] - line.ys[i]), 0.06);
    }
    EXPECT_NEAR(shoelaceArea(line), std::numbers::pi * radius * radius, 0.01 * radius * radius);
  }
}

TEST(Contour, LevelSetsCutByTheBorderAreOpen) {
  // x² + y² = 6 on [-2, 2]²: four arcs, one around each corner.
  const Grid g = sampleGrid(81, {-2, 2}, {-2, 2}, [](double x, double y) { return x * x + y * y; });
  const auto lines = marchingSquares(g.values, g.rows, g.cols, g.x, g.y, 6.0);
  ASSERT_EQ(lines.size(), 4u);
  for (const Polyline& line : lines) {
    EXPECT_FALSE(line.closed);
    const auto onBorder = [](double x, double y) { return std::abs(std::abs(x) - 2) < 1e-9 || std::abs(std::abs(y) - 2) < 1e-9; };
    EXPECT_TRUE(onBorder(line.xs.front(), line.ys.front()));
    EXPECT_TRUE(onBorder(line.xs.back(), line.ys.back()));
  }
}

TEST(Contour, SaddlesAndHyperbolas) {
  // x·y = 0.5: two branches, never joined across the saddle at the origin.
  const Grid g = sampleGrid(64, {-2, 2}, {-2, 2}, [](double x, double y) { return x * y; });
  const auto lines = marchingSquares(g.values, g.rows, g.cols, g.x, g.y, 0.5);
  ASSERT_EQ(lines.size(), 2u);
  for (const Polyline& line : lines) {
    EXPECT_FALSE(line.closed);
    for (std::size_t i = 0; i < line.xs.size(); ++i) {
      EXPECT_NEAR(line.xs[i] * line.ys[i], 0.5, 0.02);
      EXPECT_GT(line.xs[i] * line.ys[i], 0.0);
    }
  }
}

TEST(Contour, NonFiniteCellsLeaveHoles) {
  Grid g = sampleGrid(41, {-2, 2}, {-2, 2}, [](double x, double y) { return x * x + y * y; });
  g.values[20 * 41 + 30] = std::nan("");  // on the circle of radius 1 (x = 1, y = 0)
  const auto lines = marchingSquares(g.values, g.rows, g.cols, g.x, g.y, 1.0);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_FALSE(lines[0].closed);
  for (std::size_t i = 0; i < lines[0].xs.size(); ++i)
    EXPECT_GT(std::hypot(lines[0].xs[i] - 1.0, lines[0].ys[i]), 0.05);
  EXPECT_TRUE(marchingSquares(g.values, g.rows, g.cols, g.x, g.y, 100.0).empty());
  EXPECT_TRUE(marchingSquares(g.values, 1, 41, g.x, g.y, 1.0).empty());
}

TEST(Contour, LevelsAreNiceAndInside) {
  EXPECT_EQ(contourLevels({0, 10}, Scale::Linear, 5), (std::vector<double>{2, 4, 6, 8}));
  const auto logLevels = contourLevels({1e-3, 1e3}, Scale::Log10, 6);
  ASSERT_FALSE(logLevels.empty());
  for (double v : logLevels) {
    EXPECT_GT(v, 1e-3);
    EXPECT_LT(v, 1e3);
    EXPECT_NEAR(std::log10(v), std::round(std::log10(v)), 1e-9);
  }
  const auto fine = contourLevels({1.0, 30.0}, Scale::Log10, 6);
  EXPECT_EQ(fine, (std::vector<double>{2, 5, 10, 20}));
  EXPECT_TRUE(contourLevels({-1, 10}, Scale::Log10, 5).empty());
  EXPECT_TRUE(contourLevels({3, 3}, Scale::Linear, 5).empty());
}

TEST(Contour, SeriesFromAHeatmap) {
  HeatmapSeries h;
  h.rows = h.cols = 51;
  h.x = h.y = {-1.5, 1.5};
  const Grid g = sampleGrid(51, h.x, h.y, [](double x, double y) { return x * x + y * y; });
  h.values = g.values;
  const std::vector<double> levels{0.25, 1.0, 100.0};
  const auto series = contourSeries(h, levels);
  ASSERT_EQ(series.size(), 2u);  // 100 is never reached
  EXPECT_DOUBLE_EQ(series[0].level, 0.25);
  EXPECT_TRUE(series[1].labelled);
  EXPECT_EQ(series[1].polylines.size(), 1u);
}

// [SECTION] Figure model
Figure sampleFigure() {
  Figure f;
  f.name = "loss";
  f.title = "Loss of softmax regression";
  f.x.label = "iteration";
  f.y.label = "L(x) \xE2\x88\x92 L*";
  f.y.scale = Scale::Log10;
  f.series.push_back(LineSeries{"Newton", {0, 1, 2, 3}, {1.0, 1e-2, 1e-6, 0.0}, {}, {}});
  f.series.push_back(MarkerSeries{"start", {0}, {1.0}, {}, {}});
  return f;
}

TEST(FigureModel, ExtentsSkipNonPositiveOnLogAxes) {
  const Figure f = sampleFigure();
  const DataExtent y = dataExtent(f, AxisId::Y);
  ASSERT_TRUE(y.loose.has_value());
  EXPECT_DOUBLE_EQ(y.loose->min, 1e-6);  // the 0 has no place on a log axis
  EXPECT_DOUBLE_EQ(y.loose->max, 1.0);
  EXPECT_FALSE(y.tight.has_value());
  const DataExtent x = dataExtent(f, AxisId::X);
  EXPECT_EQ(*x.loose, (Range{0, 3}));
}

TEST(FigureModel, FitAddsAMarginToMarksButNotToHeatmaps) {
  const Range loose = fitRange({std::nullopt, Range{0, 10}}, Scale::Linear);
  EXPECT_DOUBLE_EQ(loose.min, -10 * kFitMargin);
  EXPECT_DOUBLE_EQ(loose.max, 10 + 10 * kFitMargin);
  EXPECT_EQ(fitRange({Range{-1, 1}, std::nullopt}, Scale::Linear), (Range{-1, 1}));
  const Range log = fitRange({std::nullopt, Range{1e-6, 1}}, Scale::Log10);
  EXPECT_NEAR(std::log10(log.min), -6 - 6 * kFitMargin, 1e-12);
  EXPECT_NEAR(std::log10(log.max), 6 * kFitMargin, 1e-12);
  const Range single = fitRange({std::nullopt, Range{5, 5}}, Scale::Linear);
  EXPECT_LT(single.min, 5.0);
  EXPECT_GT(single.max, 5.0);
  EXPECT_EQ(fitRange({}, Scale::Linear), (Range{0, 1}));
}

// A diverging run reaches 1e300: the margin must not carry the range to inf.
TEST(FigureModel, FitNearTheEndOfDoubleRangeStaysFinite) {
  const Range log = fitRange({std::nullopt, Range{1e-3, 1e305}}, Scale::Log10);
  EXPECT_TRUE(std::isfinite(log.max));
  EXPECT_GE(log.max, 1e299);
  EXPECT_LT(log.min, 1e-3);
  const Range linear = fitRange({std::nullopt, Range{-1e308, 1e308}}, Scale::Linear);
  EXPECT_TRUE(std::isfinite(linear.min) && std::isfinite(linear.max));
  EXPECT_LT(linear.min, 0.0);
}

TEST(FigureModel, ViewRangeHonoursAFixedRange) {
  Figure f = sampleFigure();
  f.x.range = Range{-1, 5};
  EXPECT_EQ(viewRange(f, AxisId::X), (Range{-1, 5}));
  f.y.range = Range{0, 1};  // empty on a log axis: ignored, and reported
  EXPECT_GT(viewRange(f, AxisId::Y).min, 0.0);
  const auto problems = figureProblems(f);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("y axis"), std::string::npos);
}

TEST(FigureModel, BarsStandOnZeroAndHeatmapsFillTheView) {
  Figure f;
  f.name = "bars";
  f.series.push_back(BarSeries{"a", {1, 2, 3}, {4, 5, 6}, 0.8, {}});
  HeatmapSeries h;
  h.rows = 2;
  h.cols = 3;
  h.values = {1, 2, 3, 4, 5, 6};
  h.x = {10, 20};
  h.y = {-1, 1};
  f.series.push_back(h);
  const DataExtent y = dataExtent(f, AxisId::Y);
  EXPECT_DOUBLE_EQ(y.loose->min, 0.0);
  EXPECT_EQ(*y.tight, (Range{-1, 1}));
  const DataExtent x = dataExtent(f, AxisId::X);
  EXPECT_DOUBLE_EQ(x.loose->min, 0.6);
  EXPECT_DOUBLE_EQ(x.loose->max, 3.4);
  EXPECT_EQ(*x.tight, (Range{10, 20}));
  EXPECT_TRUE(figureProblems(f).empty());
  EXPECT_EQ(std::get<HeatmapSeries>(f.series[1]).at(1, 2), 6.0);
  EXPECT_EQ(heatmapValueRange(h), (Range{1, 6}));
  h.scale = Scale::Log10;
  h.values[0] = -1.0;
  EXPECT_EQ(heatmapValueRange(h), (Range{2, 6}));
}

TEST(FigureModel, ProblemsAreNamed) {
  Figure f;
  f.series.push_back(LineSeries{"short", {1, 2}, {1}, {}, {}});
  HeatmapSeries h;
  h.label = "grid";
  h.rows = 2;
  h.cols = 2;
  h.values = {1, 2, 3};
  h.colormap = "jet";
  f.series.push_back(h);
  f.series.push_back(AreaSeries{"band", {1, 2}, {0, 0}, {1}, {}, 0.25f});
  f.colorbar = Colorbar{"loss", "viridis", Scale::Log10, {0, 1}};
  const auto problems = figureProblems(f);
  const auto mentions = [&](const std::string& s) {
    return std::any_of(problems.begin(), problems.end(), [&](const std::string& p) { return p.find(s) != std::string::npos; });
  };
  EXPECT_TRUE(mentions("no name"));
  EXPECT_TRUE(mentions("'short'"));
  EXPECT_TRUE(mentions("rows×cols"));
  EXPECT_TRUE(mentions("unknown colormap 'jet'"));
  EXPECT_TRUE(mentions("'band'"));
  EXPECT_TRUE(mentions("colorbar"));
  EXPECT_EQ(seriesLabel(f.series[1]), "grid");
  EXPECT_TRUE(figureProblems(sampleFigure()).empty());
}

TEST(FigureModel, ThemesHavePalettes) {
  for (Theme t : kAllFigureThemes) {
    EXPECT_EQ(themeFromName(themeName(t)), t);
    EXPECT_EQ(seriesColor(t, 0), seriesColor(t, themePalette(t).series.size()));  // wraps
    EXPECT_NE(themePalette(t).text, themePalette(t).plotBackground);
  }
  EXPECT_GT(themePalette(Theme::Print).lineWidth, themePalette(Theme::Light).lineWidth);
  EXPECT_EQ(seriesColor(Theme::Light, 0), Rgba::hex(0x0072B2));  // Okabe–Ito blue, as the window's solvers
  EXPECT_FALSE(themeFromName("solarized").has_value());
}

}  // namespace
}  // namespace attnlab
