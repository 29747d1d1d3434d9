// A figure as plain data: what to draw, never how. Every plot of every lab is a Figure
// built from a Result; the window draws it through the plot layer (app/gui/figure_view)
// and app/export writes it to PNG, SVG, PDF, CSV and JSON, so what the window shows and
// what a file holds are the same picture. Colours left unset come from the theme the
// figure is drawn in; ranges left unset are fitted to the data.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/figure/scale.hpp"
#include "core/figure/theme.hpp"
#include "core/figure/ticks.hpp"

namespace attnlab {

// [SECTION] Styles
enum class Dash { Solid, Dashed, Dotted, DashDot };
enum class MarkerShape { None, Circle, Square, Diamond, TriangleUp, TriangleDown, Cross, Plus };

struct Style {
  std::optional<Rgba> color;  // unset: the theme's next series colour
  float width = 2.0f;         // pixels at scale 1 (the print theme thickens it)
  Dash dash = Dash::Solid;
  bool operator==(const Style&) const = default;
};

struct Marker {
  MarkerShape shape = MarkerShape::None;
  float size = 4.0f;  // radius in pixels at scale 1
  bool filled = true;
  bool operator==(const Marker&) const = default;
};

// [SECTION] Series
struct LineSeries {
  std::string label;  // in the legend; empty: not listed
  std::vector<double> xs, ys;
  Style style;
  Marker markers;  // drawn at every point when shape != None
};

struct MarkerSeries {
  std::string label;
  std::vector<double> xs, ys;
  Marker marker{MarkerShape::Circle, 4.0f, true};
  std::optional<Rgba> color;
};

// The region between `lower` and `upper` over `xs` (a confidence band, a bound's slack).
struct AreaSeries {
  std::string label;
  std::vector<double> xs, lower, upper;
  std::optional<Rgba> color;
  float opacity = 0.25f;
};

// Bars at `xs` of height `heights`. The bar series of a figure form groups: the k-th of n
// bar series takes the k-th slot of width `width`/n in a group of total width `width`
// (x units) centred on each x, so series sharing xs stand side by side.
struct BarSeries {
  std::string label;
  std::vector<double> xs, heights;
  double width = 0.8;
  std::optional<Rgba> color;
};

// A scalar field on a regular grid: values[row * cols + col] is the value at
// (x.min + col·Δx, y.min + row·Δy), Δx = x.span()/(cols−1): the extents are the first and
// last grid points, the picture spans exactly them (matching the GL renderer).
struct HeatmapSeries {
  std::string label;
  int rows = 0;
  int cols = 0;
  std::vector<double> values;
  Range x{0.0, 1.0};
  Range y{0.0, 1.0};
  std::string colormap = "viridis";
  Scale scale = Scale::Linear;      // colour by value or by log10(value)
  std::optional<Range> valueRange;  // unset: the finite (positive, on log) min..max

  double at(int row, int col) const { return values[static_cast<std::size_t>(row) * cols + col]; }
};

struct Polyline {
  std::vector<double> xs, ys;
  bool closed = false;  // the last point joins the first
};

struct ContourSeries {
  std::string label;  // legend entry; usually empty (the level is written on the line)
  double level = 0.0;
  std::vector<Polyline> polylines;
  Style style;
  bool labelled = true;  // write the level (formatNumber, 3 digits) on the line
};

// Filled polygons drawn in order, each in its own colour: a projected 3-D picture painted
// far to near (core/labs/surface_figure). `values` (empty, or one per polygon) is the datum
// each stands for, written by the CSV and JSON exporters; never in the legend.
struct PolygonSeries {
  std::string label;
  std::vector<Polyline> polygons;  // closed: the last point joins the first
  std::vector<Rgba> fills;         // one per polygon
  std::vector<double> values;
};

using Series =
    std::variant<LineSeries, MarkerSeries, AreaSeries, BarSeries, HeatmapSeries, ContourSeries, PolygonSeries>;

// [SECTION] Axes, legend, colorbar, annotations
struct Axis {
  std::string label;  // UTF-8, may hold mathematics: "‖∇L(x)‖₂", "α", "step ≤ 1/β"
  Scale scale = Scale::Linear;
  std::optional<Range> range;  // unset: fitted to the data
  std::vector<Tick> ticks;     // empty: computed (ticks.hpp); else exactly these (categories)
};

enum class LegendLocation { NorthEast, NorthWest, SouthEast, SouthWest };

struct Legend {
  bool visible = true;
  LegendLocation location = LegendLocation::NorthEast;
};

struct Colorbar {
  std::string label;
  std::string colormap = "viridis";
  Scale scale = Scale::Linear;
  Range range{0.0, 1.0};
};

// Text at a data point, offset by (dx, dy) pixels (y down) with a leader line back to it.
struct Annotation {
  double x = 0.0;
  double y = 0.0;
  std::string text;
  float dx = 12.0f;
  float dy = -12.0f;
  bool marker = true;  // a dot at (x, y)
  std::optional<Rgba> color;
  bool boxed = true;  // false: the bare text centred on (x, y) + (dx, dy), no box or leader
};

struct Figure {
  std::string name;   // stable identifier: "loss", "landscape"; names the export files
  std::string title;  // shown above the plot; may be empty
  Axis x, y;
  Legend legend;
  std::vector<Series> series;
  std::optional<Colorbar> colorbar;
  std::vector<Annotation> annotations;
  bool equalAspect = false;  // one x unit as long as one y unit (landscapes over a plane)
  bool showAxes = true;      // false: no frame, ticks, grid or axis labels (a projected 3-D view)
};

// [SECTION] Queries
enum class AxisId { X, Y };

// The data's extent along an axis on its scale (values ≤ 0 left out on log axes), split as
// the fit needs it: `tight` for items that must fill the view edge to edge (heatmaps), and
// `loose` for marks that want a margin (lines, markers, bars).
struct DataExtent {
  std::optional<Range> tight;
  std::optional<Range> loose;
};
DataExtent dataExtent(const Figure& figure, AxisId axis);

// The view a fit shows: the tight extent, joined with the loose one widened by
// kFitMargin of its span on each side (in scale space). Degenerate extents are opened up.
inline constexpr double kFitMargin = 0.04;
Range fitRange(const DataExtent& extent, Scale scale);
// A range every drawing can use on its scale: finite, ordered, not collapsed to a point,
// positive and within 10^±300 on log axes (the window's plots and the exporters alike).
Range sanitizedRange(Range r, Scale scale);
// The range an axis shows before any zoom: its fixed range, or the fit.
Range viewRange(const Figure& figure, AxisId axis);

// The value range a heatmap is coloured over (valueRange, or its finite min..max).
Range heatmapValueRange(const HeatmapSeries& heatmap);

// Inconsistencies a figure builder must not produce (mismatched lengths, a grid whose
// size is not rows×cols, a fixed range without room on a log axis…), one sentence each;
// empty when the figure is sound.
std::vector<std::string> figureProblems(const Figure& figure);

// The label of any series.
const std::string& seriesLabel(const Series& series);

}  // namespace attnlab
