#include "core/figure/figure.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/figure/colormap.hpp"

namespace attnlab {
namespace {

// Grows an extent by the values that can sit on `scale`.
struct Accumulator {
  Scale scale;
  double lo = std::numeric_limits<double>::infinity();
  double hi = -std::numeric_limits<double>::infinity();

  void add(double v) {
    if (!representable(scale, v)) return;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  void add(const std::vector<double>& vs) {
    for (double v : vs) add(v);
  }
  std::optional<Range> range() const {
    if (lo > hi) return std::nullopt;
    return Range{lo, hi};
  }
};

const Axis& axisOf(const Figure& figure, AxisId axis) { return axis == AxisId::X ? figure.x : figure.y; }

bool validRange(const Range& r, Scale scale) {
  return std::isfinite(r.min) && std::isfinite(r.max) && r.min < r.max && (scale == Scale::Linear || r.min > 0.0);
}

}  // namespace

DataExtent dataExtent(const Figure& figure, AxisId axis) {
  const Scale scale = axisOf(figure, axis).scale;
  const bool isX = axis == AxisId::X;
  Accumulator tight{scale};
  Accumulator loose{scale};
  const std::size_t barCount = static_cast<std::size_t>(std::count_if(
      figure.series.begin(), figure.series.end(), [](const Series& s) { return std::holds_alternative<BarSeries>(s); }));
  for (const Series& series : figure.series) {
    if (const auto* s = std::get_if<LineSeries>(&series)) {
      loose.add(isX ? s->xs : s->ys);
    } else if (const auto* s = std::get_if<MarkerSeries>(&series)) {
      loose.add(isX ? s->xs : s->ys);
    } else if (const auto* s = std::get_if<AreaSeries>(&series)) {
      if (isX) {
        loose.add(s->xs);
      } else {
        loose.add(s->lower);
        loose.add(s->upper);
      }
    } else if (const auto* s = std::get_if<BarSeries>(&series)) {
      if (isX) {
        for (double x : s->xs) {
          loose.add(x - s->width / 2);
          loose.add(x + s->width / 2);
        }
      } else {
        loose.add(s->heights);
        if (scale == Scale::Linear && barCount > 0) loose.add(0.0);  // bars stand on zero
      }
    } else if (const auto* s = std::get_if<HeatmapSeries>(&series)) {
      const Range r = isX ? s->x : s->y;
      tight.add(r.min);
      tight.add(r.max);
    } else if (const auto* s = std::get_if<ContourSeries>(&series)) {
      for (const Polyline& p : s->polylines) loose.add(isX ? p.xs : p.ys);
    } else if (const auto* s = std::get_if<PolygonSeries>(&series)) {
      for (const Polyline& p : s->polygons) loose.add(isX ? p.xs : p.ys);
    }
  }
  return {tight.range(), loose.range()};
}

Range fitRange(const DataExtent& extent, Scale scale) {
  double lo = std::numeric_limits<double>::infinity();
  double hi = -std::numeric_limits<double>::infinity();
  if (extent.loose) {
    const double a = toScale(scale, extent.loose->min);
    const double b = toScale(scale, extent.loose->max);
    const double margin = kFitMargin * (b - a);
    lo = a - margin;
    hi = b + margin;
  }
  if (extent.tight) {
    lo = std::min(lo, toScale(scale, extent.tight->min));
    hi = std::max(hi, toScale(scale, extent.tight->max));
  }
  if (!(lo <= hi)) return scale == Scale::Log10 ? Range{1.0, 10.0} : Range{0.0, 1.0};
  if (hi - lo <= 1e-12 * std::max(1.0, std::abs(lo))) {
    // One value (a constant series): open a window around it.
    const double half = scale == Scale::Log10 ? 0.5 : (lo == 0.0 ? 0.5 : 0.1 * std::abs(lo));
    lo -= half;
    hi += half;
  }
  // The margin must not carry data near the end of double range (a diverging run) to inf.
  const double limit = scale == Scale::Log10 ? 300.0 : 1e300;
  return {fromScale(scale, std::clamp(lo, -limit, limit)), fromScale(scale, std::clamp(hi, -limit, limit))};
}

Range sanitizedRange(Range r, Scale scale) {
  if (!std::isfinite(r.min) || !std::isfinite(r.max)) r = scale == Scale::Log10 ? Range{1, 10} : Range{0, 1};
  if (r.min > r.max) std::swap(r.min, r.max);
  if (scale == Scale::Log10) {
    if (r.max <= 0.0) r = {1.0, 10.0};
    if (r.min <= 0.0) r.min = r.max * 1e-3;
    const double l0 = std::max(std::log10(r.min), -300.0), l1 = std::min(std::log10(r.max), 300.0);
    if (l1 - l0 < 1e-10) return {std::pow(10.0, l0 - 0.5), std::pow(10.0, l0 + 0.5)};
    return {std::pow(10.0, l0), std::pow(10.0, l1)};
  }
  const double minSpan = std::max(std::abs(r.min), std::abs(r.max)) * 1e-12 + 1e-300;
  if (r.max - r.min < minSpan) {
    const double c = 0.5 * (r.min + r.max);
    const double half = c == 0.0 ? 0.5 : std::abs(c) * 0.1;
    return {c - half, c + half};
  }
  return {std::max(r.min, -1e300), std::min(r.max, 1e300)};
}

Range viewRange(const Figure& figure, AxisId axis) {
  const Axis& a = axisOf(figure, axis);
  if (a.range && validRange(*a.range, a.scale)) return *a.range;
  return fitRange(dataExtent(figure, axis), a.scale);
}

Range heatmapValueRange(const HeatmapSeries& heatmap) {
  if (heatmap.valueRange) return *heatmap.valueRange;
  Accumulator acc{heatmap.scale};
  acc.add(heatmap.values);
  if (const auto r = acc.range()) {
    if (r->min < r->max) return *r;
    return {r->min - 0.5 * std::max(std::abs(r->min), 1e-300), r->max + 0.5 * std::max(std::abs(r->max), 1e-300)};
  }
  return heatmap.scale == Scale::Log10 ? Range{1.0, 10.0} : Range{0.0, 1.0};
}

const std::string& seriesLabel(const Series& series) {
  return std::visit([](const auto& s) -> const std::string& { return s.label; }, series);
}

std::vector<std::string> figureProblems(const Figure& figure) {
  std::vector<std::string> problems;
  const auto problem = [&](std::size_t i, const std::string& what) {
    problems.push_back("series " + std::to_string(i) + " ('" + seriesLabel(figure.series[i]) + "'): " + what);
  };
  if (figure.name.empty()) problems.push_back("the figure has no name");
  for (const auto& [axis, name] : {std::pair{&figure.x, "x"}, std::pair{&figure.y, "y"}}) {
    if (axis->range && !validRange(*axis->range, axis->scale))
      problems.push_back(std::string(name) + " axis: fixed range is empty, not finite, or not positive on a log scale");
    for (const Tick& t : axis->ticks)
      if (!std::isfinite(t.value)) problems.push_back(std::string(name) + " axis: a tick is not finite");
  }
  for (std::size_t i = 0; i < figure.series.size(); ++i) {
    const Series& series = figure.series[i];
    if (const auto* s = std::get_if<LineSeries>(&series)) {
      if (s->xs.size() != s->ys.size()) problem(i, "xs and ys differ in length");
    } else if (const auto* s = std::get_if<MarkerSeries>(&series)) {
      if (s->xs.size() != s->ys.size()) problem(i, "xs and ys differ in length");
    } else if (const auto* s = std::get_if<AreaSeries>(&series)) {
      if (s->xs.size() != s->lower.size() || s->xs.size() != s->upper.size())
        problem(i, "xs, lower and upper differ in length");
    } else if (const auto* s = std::get_if<BarSeries>(&series)) {
      if (s->xs.size() != s->heights.size()) problem(i, "xs and heights differ in length");
      if (!(s->width > 0.0)) problem(i, "bar width is not positive");
    } else if (const auto* s = std::get_if<HeatmapSeries>(&series)) {
      if (s->rows < 1 || s->cols < 1) problem(i, "heatmap grid is empty");
      if (s->values.size() != static_cast<std::size_t>(std::max(s->rows, 0)) * static_cast<std::size_t>(std::max(s->cols, 0)))
        problem(i, "heatmap holds " + std::to_string(s->values.size()) + " values, not rows×cols");
      if (!colormapFromName(s->colormap)) problem(i, "unknown colormap '" + s->colormap + "'");
      if (!(s->x.span() > 0.0) || !(s->y.span() > 0.0)) problem(i, "heatmap extent is empty");
      if (s->valueRange && !validRange(*s->valueRange, s->scale)) problem(i, "heatmap value range is invalid");
    } else if (const auto* s = std::get_if<ContourSeries>(&series)) {
      for (const Polyline& p : s->polylines)
        if (p.xs.size() != p.ys.size()) problem(i, "a contour polyline's xs and ys differ in length");
    } else if (const auto* s = std::get_if<PolygonSeries>(&series)) {
      if (s->fills.size() != s->polygons.size()) problem(i, "not one fill colour per polygon");
      if (!s->values.empty() && s->values.size() != s->polygons.size()) problem(i, "not one value per polygon");
      for (const Polyline& p : s->polygons)
        if (p.xs.size() != p.ys.size() || p.xs.size() < 3) {
          problem(i, "a polygon has fewer than three points, or xs and ys differ in length");
          break;
        }
    }
  }
  if (figure.colorbar) {
    if (!colormapFromName(figure.colorbar->colormap))
      problems.push_back("colorbar: unknown colormap '" + figure.colorbar->colormap + "'");
    if (!validRange(figure.colorbar->range, figure.colorbar->scale)) problems.push_back("colorbar: invalid range");
  }
  return problems;
}

}  // namespace attnlab
