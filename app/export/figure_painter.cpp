// The figure painter (figure_painter.hpp). Index:
// [SECTION] Context and helpers
// [SECTION] Marks: polylines and markers
// [SECTION] Series
// [SECTION] Axes, grid, colorbar, legend
// [SECTION] The figure
#include "app/export/figure_painter.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <type_traits>

#include "app/export/heatmap_image.hpp"
#include "core/figure/colormap.hpp"
#include "core/figure/ticks.hpp"

namespace attnlab::exporting {
namespace {

// [SECTION] Context and helpers
enum class SwatchKind { Line, Marker, Fill, Colormap };

struct LegendEntry {
  std::string name;
  Rgba color;
  SwatchKind kind = SwatchKind::Line;
  double width = 2.0;
  Dash dash = Dash::Solid;
  MarkerShape marker = MarkerShape::None;
  double markerSize = 3.0;
  bool markerFilled = true;
  Colormap colormap = Colormap::Viridis;
};

// Lines and markers in pixels, with how far a label must keep from them.
struct Obstacle {
  std::vector<Point> points;
  double radius = 0.0;
};

constexpr double kAnnotationPad = 4.0;

struct Canvas {
  const Figure& figure;
  Theme theme;
  const ThemePalette& palette;
  const FigureLayout& layout;
  const TextMetrics& metrics;
  Painter& painter;
  double widthFactor;  // the print theme draws every line thicker
  std::vector<LegendEntry> legend;
  std::size_t autoColorIndex = 0;
  std::vector<Rect> labels;         // contour labels written so far, and annotation boxes
  std::vector<Obstacle> obstacles;  // lines and markers contour labels keep clear of
};

// An item's colour as the plot layer resolves it: its own, a neutral one, the colour of
// an earlier item with the same label, or the theme's next series colour.
Rgba itemColor(Canvas& c, const std::string& label, const std::optional<Rgba>& own,
               std::optional<Rgba> neutral = std::nullopt) {
  if (own) return *own;
  if (neutral) return *neutral;
  if (!label.empty())
    for (const LegendEntry& e : c.legend)
      if (e.name == label) return e.color;
  return seriesColor(c.theme, c.autoColorIndex++);
}

void addLegendEntry(Canvas& c, LegendEntry entry) {
  if (entry.name.empty()) return;
  for (const LegendEntry& e : c.legend)
    if (e.name == entry.name) return;
  c.legend.push_back(std::move(entry));
}

// Liang–Barsky: trims the segment to the rectangle; false when nothing of it is inside.
bool clipSegment(const Rect& r, Point& a, Point& b) {
  double t0 = 0.0, t1 = 1.0;
  const double dx = b.x - a.x, dy = b.y - a.y;
  const auto edge = [&](double p, double q) {
    if (p == 0.0) return q >= 0.0;
    const double t = q / p;
    if (p < 0.0) {
      if (t > t1) return false;
      t0 = std::max(t0, t);
    } else {
      if (t < t0) return false;
      t1 = std::min(t1, t);
    }
    return true;
  };
  if (!edge(-dx, a.x - r.x0) || !edge(dx, r.x1 - a.x) || !edge(-dy, a.y - r.y0) || !edge(dy, r.y1 - a.y)) return false;
  const Point a2{a.x + t0 * dx, a.y + t0 * dy};
  b = Point{a.x + t1 * dx, a.y + t1 * dy};
  a = a2;
  return true;
}

Rect expanded(const Rect& r, double by) { return {r.x0 - by, r.y0 - by, r.x1 + by, r.y1 + by}; }

bool finite(Point p) { return std::isfinite(p.x) && std::isfinite(p.y); }

// [SECTION] Marks: polylines and markers
// The polyline through the points that can be placed, broken where one cannot (NaN, or
// ≤ 0 on a log axis), and clipped to just outside the plot area: the painter clips
// exactly, this keeps coordinates far off the page out of the file.
template <typename PointAt>
void strokeData(Canvas& c, std::size_t count, PointAt pointAt, Rgba color, double width, Dash dash, bool closed) {
  if (count < 2) return;
  const Rect clip = expanded(c.layout.plot, width + 2.0);
  std::vector<Point> run;
  bool allInside = true;
  const auto flush = [&](bool close) {
    if (run.size() >= 2) c.painter.strokePolyline(run, close, color, width, dash);
    run.clear();
  };
  std::optional<Point> previous;
  const std::size_t segments = closed ? count + 1 : count;
  for (std::size_t k = 0; k < segments; ++k) {
    const auto [xv, yv] = pointAt(k % count);
    const Point p = c.layout.pixel(xv, yv);
    if (!finite(p)) {
      flush(false);
      previous.reset();
      allInside = false;
      continue;
    }
    if (previous) {
      Point a = *previous, b = p;
      if (clipSegment(clip, a, b)) {
        if (a.x != previous->x || a.y != previous->y || b.x != p.x || b.y != p.y) allInside = false;
        const bool continues = !run.empty() && std::abs(run.back().x - a.x) < 1e-9 && std::abs(run.back().y - a.y) < 1e-9;
        if (!continues) {
          flush(false);
          run.push_back(a);
        }
        run.push_back(b);
      } else {
        flush(false);
        allInside = false;
      }
    }
    previous = p;
  }
  // A closed line wholly in view is one closed path (clean joins where it starts).
  if (closed && allInside && run.size() > 2) {
    run.pop_back();
    flush(true);
  } else {
    flush(false);
  }
}

void drawMarker(Painter& painter, Point c, MarkerShape shape, double r, Rgba color, bool filled, double weight) {
  const double w = std::max(1.0, weight * 0.75);
  const auto shapeOf = [&](std::initializer_list<Point> points) {
    const std::vector<Point> pts(points);
    if (filled) painter.fillPolygon(pts, color);
    else painter.strokePolyline(pts, true, color, w, Dash::Solid);
  };
  switch (shape) {
    case MarkerShape::None: return;
    case MarkerShape::Circle:
      if (filled) painter.fillCircle(c, r, color);
      else painter.strokeCircle(c, r, color, w);
      return;
    case MarkerShape::Square: {
      const double h = r * 0.886;  // same area as the circle
      shapeOf({{c.x - h, c.y - h}, {c.x + h, c.y - h}, {c.x + h, c.y + h}, {c.x - h, c.y + h}});
      return;
    }
    case MarkerShape::Diamond: {
      const double h = r * 1.2;
      shapeOf({{c.x, c.y - h}, {c.x + h, c.y}, {c.x, c.y + h}, {c.x - h, c.y}});
      return;
    }
    case MarkerShape::TriangleUp:
    case MarkerShape::TriangleDown: {
      const double s = shape == MarkerShape::TriangleUp ? 1.0 : -1.0, h = r * 1.3;
      shapeOf({{c.x, c.y - s * h}, {c.x + h * 0.866, c.y + s * h * 0.5}, {c.x - h * 0.866, c.y + s * h * 0.5}});
      return;
    }
    case MarkerShape::Cross: {
      const double h = r * 0.8, lw = std::max(w, 1.5);
      painter.strokePolyline(std::vector<Point>{{c.x - h, c.y - h}, {c.x + h, c.y + h}}, false, color, lw, Dash::Solid);
      painter.strokePolyline(std::vector<Point>{{c.x - h, c.y + h}, {c.x + h, c.y - h}}, false, color, lw, Dash::Solid);
      return;
    }
    case MarkerShape::Plus: {
      const double lw = std::max(w, 1.5);
      painter.strokePolyline(std::vector<Point>{{c.x - r, c.y}, {c.x + r, c.y}}, false, color, lw, Dash::Solid);
      painter.strokePolyline(std::vector<Point>{{c.x, c.y - r}, {c.x, c.y + r}}, false, color, lw, Dash::Solid);
      return;
    }
  }
}

void drawMarkers(Canvas& c, const std::vector<double>& xs, const std::vector<double>& ys, MarkerShape shape,
                 double size, Rgba color, bool filled, double weight) {
  if (shape == MarkerShape::None) return;
  const Rect visible = expanded(c.layout.plot, size * 1.5);
  for (std::size_t i = 0; i < std::min(xs.size(), ys.size()); ++i) {
    const Point p = c.layout.pixel(xs[i], ys[i]);
    if (finite(p) && visible.contains(p)) drawMarker(c.painter, p, shape, size, color, filled, weight);
  }
}

// [SECTION] Series
void paint(Canvas& c, const LineSeries& s) {
  const Rgba color = itemColor(c, s.label, s.style.color);
  const double width = s.style.width * c.widthFactor;
  const double markerSize = s.markers.size * c.widthFactor;
  addLegendEntry(c, {s.label, color, SwatchKind::Line, width, s.style.dash, s.markers.shape, markerSize,
                     s.markers.filled});
  const std::size_t n = std::min(s.xs.size(), s.ys.size());
  strokeData(c, n, [&](std::size_t i) { return std::pair{s.xs[i], s.ys[i]}; }, color, width, s.style.dash, false);
  drawMarkers(c, s.xs, s.ys, s.markers.shape, markerSize, color, s.markers.filled, width);
}

void paint(Canvas& c, const MarkerSeries& s) {
  const Rgba color = itemColor(c, s.label, s.color);
  const MarkerShape shape = s.marker.shape == MarkerShape::None ? MarkerShape::Circle : s.marker.shape;
  const double size = s.marker.size * c.widthFactor, weight = c.palette.lineWidth;
  addLegendEntry(c, {s.label, color, SwatchKind::Marker, weight, Dash::Solid, shape, size, s.marker.filled});
  drawMarkers(c, s.xs, s.ys, shape, size, color, s.marker.filled, weight);
}

void paint(Canvas& c, const AreaSeries& s) {
  const Rgba color = itemColor(c, s.label, s.color);
  addLegendEntry(c, {s.label, color, SwatchKind::Fill});
  // One polygon per stretch where both curves can be placed: the upper curve forward, the
  // lower one back. Non-zero winding fills both lobes where the curves cross.
  const std::size_t n = std::min({s.xs.size(), s.lower.size(), s.upper.size()});
  std::vector<Point> upper, lower;
  const auto flush = [&] {
    if (upper.size() >= 2) {
      std::vector<Point> polygon = upper;
      polygon.insert(polygon.end(), lower.rbegin(), lower.rend());
      c.painter.fillPolygon(polygon, color.withAlpha(color.a * s.opacity));
    }
    upper.clear();
    lower.clear();
  };
  for (std::size_t i = 0; i < n; ++i) {
    const Point u = c.layout.pixel(s.xs[i], s.upper[i]), l = c.layout.pixel(s.xs[i], s.lower[i]);
    if (!finite(u) || !finite(l)) {
      flush();
      continue;
    }
    upper.push_back(u);
    lower.push_back(l);
  }
  flush();
}

void paint(Canvas& c, const BarSeries& s, std::size_t barIndex, std::size_t barCount) {
  const Rgba color = itemColor(c, s.label, s.color);
  addLegendEntry(c, {s.label, color, SwatchKind::Fill});
  // The k-th of n bar series takes the k-th slot of each group (figure.hpp).
  const double slot = s.width / static_cast<double>(std::max<std::size_t>(barCount, 1));
  const double shift = -s.width / 2 + (static_cast<double>(barIndex) + 0.5) * slot;
  const bool logY = c.layout.y.scale == Scale::Log10;
  const double base = logY ? c.layout.y.range.min : 0.0;
  for (std::size_t i = 0; i < std::min(s.xs.size(), s.heights.size()); ++i) {
    const double x = s.xs[i] + shift;
    if (!representable(c.layout.y.scale, s.heights[i]) || !std::isfinite(x)) continue;
    const Point a = c.layout.pixel(x - slot / 2, s.heights[i]), b = c.layout.pixel(x + slot / 2, base);
    if (!finite(a) || !finite(b)) continue;
    const Rect r{std::round(std::min(a.x, b.x)), std::round(std::min(a.y, b.y)), std::round(std::max(a.x, b.x)),
                 std::round(std::max(a.y, b.y))};
    c.painter.fillRect(r, color.withAlpha(color.a * 0.85f));
    c.painter.strokeRect(r, color, 1.0);
  }
}

void paint(Canvas& c, const HeatmapSeries& s) {
  const Colormap map = colormapFromName(s.colormap).value_or(Colormap::Viridis);
  addLegendEntry(c, {s.label, Rgba{}, SwatchKind::Colormap, 0, Dash::Solid, MarkerShape::None, 0, true, map});
  const RgbaImage image = heatmapImage(s);
  if (image.width == 0) return;
  // Grid points are cell centres; the picture covers exactly the extent, so the outer
  // cells are half cells (as the window's renderers draw them).
  const double dx = s.cols > 1 ? s.x.span() / (s.cols - 1) : s.x.span();
  const double dy = s.rows > 1 ? s.y.span() / (s.rows - 1) : s.y.span();
  const FigureLayout& l = c.layout;
  const Point lo = l.pixel(s.x.min, s.y.min), hi = l.pixel(s.x.max, s.y.max);
  const Point outerLo = l.pixel(s.x.min - dx / 2, s.y.min - dy / 2), outerHi = l.pixel(s.x.max + dx / 2, s.y.max + dy / 2);
  if (!finite(lo) || !finite(hi) || !finite(outerLo) || !finite(outerHi)) return;
  const Rect extent{std::max(lo.x, l.plot.x0), std::max(hi.y, l.plot.y0), std::min(hi.x, l.plot.x1),
                    std::min(lo.y, l.plot.y1)};
  if (extent.width() <= 0 || extent.height() <= 0) return;
  c.painter.pushClip(extent);
  c.painter.image(Rect{outerLo.x, outerHi.y, outerHi.x, outerLo.y}, image);
  c.painter.popClip();
}

// Where an annotation's text box goes: its corner nearest the point at the offset, then
// kept inside the plot. Empty when the point is out of view.
std::optional<Rect> annotationBox(const Canvas& c, const Annotation& a) {
  const Point at = c.layout.pixel(a.x, a.y);
  if (!finite(at) || !c.layout.plot.contains(at)) return std::nullopt;
  const Font& font = c.layout.fonts.label;
  const double w = c.metrics.width(a.text, font), h = font.size, pad = kAnnotationPad;
  const Rect& plot = c.layout.plot;
  double x0 = a.dx >= 0 ? at.x + a.dx : at.x + a.dx - w - 2 * pad;
  double y0 = a.dy >= 0 ? at.y + a.dy : at.y + a.dy - h - 2 * pad;
  x0 = std::clamp(x0, plot.x0 + 1, std::max(plot.x0 + 1, plot.x1 - w - 2 * pad - 1));
  y0 = std::clamp(y0, plot.y0 + 1, std::max(plot.y0 + 1, plot.y1 - h - 2 * pad - 1));
  return Rect{std::round(x0), std::round(y0), std::round(x0 + w + 2 * pad), std::round(y0 + h + 2 * pad)};
}

void paint(Canvas& c, const Annotation& a) {
  const Point at = c.layout.pixel(a.x, a.y);
  const Rgba color = a.color.value_or(c.palette.text);
  if (!a.boxed) {
    if (!finite(at) || !c.layout.plot.contains(at)) return;
    const Font& font = c.layout.fonts.label;
    const double w = c.metrics.width(a.text, font);
    c.painter.text({std::round(at.x + a.dx - w / 2), std::round(at.y + a.dy - font.size / 2)}, a.text, font, color);
    return;
  }
  const auto box = annotationBox(c, a);
  if (!box) return;
  if (a.dx != 0.0f || a.dy != 0.0f) {
    const Point corner{std::clamp(at.x, box->x0, box->x1), std::clamp(at.y, box->y0, box->y1)};
    c.painter.strokePolyline(std::vector<Point>{at, corner}, false, color, 1.0, Dash::Solid);
  }
  if (a.marker) c.painter.fillCircle(at, 3.5, color);
  c.painter.fillRect(*box, c.palette.legendBackground);
  c.painter.strokeRect(*box, color, 1.0);
  c.painter.text(Point{box->x0 + kAnnotationPad, box->y0 + kAnnotationPad}, a.text, c.layout.fonts.label,
                 c.palette.text);
}

// Each polygon filled, then stroked thinly in its own colour: neighbours antialiased edge
// to edge would otherwise leave a hairline of background between them.
void paint(Canvas& c, const PolygonSeries& s) {
  std::vector<Point> points;
  for (std::size_t k = 0; k < std::min(s.polygons.size(), s.fills.size()); ++k) {
    const Polyline& polygon = s.polygons[k];
    points.clear();
    for (std::size_t i = 0; i < std::min(polygon.xs.size(), polygon.ys.size()); ++i) {
      const Point p = c.layout.pixel(polygon.xs[i], polygon.ys[i]);
      if (finite(p)) points.push_back(p);
    }
    if (points.size() < 3) continue;
    c.painter.fillPolygonSeamless(points, s.fills[k], 0.6);
  }
}

// What a contour label must not cover: annotation boxes, and the lines and markers drawn
// over the heatmap (a path, a start point) — those are the figure's message.
void reserveLabelRoom(Canvas& c) {
  for (const Annotation& a : c.figure.annotations)
    if (const auto box = annotationBox(c, a); box && a.boxed) c.labels.push_back(*box);
  const auto addPoints = [&](const std::vector<double>& xs, const std::vector<double>& ys, double radius) {
    std::vector<Point> run;
    for (std::size_t i = 0; i < std::min(xs.size(), ys.size()); ++i) {
      const Point p = c.layout.pixel(xs[i], ys[i]);
      if (finite(p)) run.push_back(p);
    }
    if (!run.empty()) c.obstacles.push_back({std::move(run), radius});
  };
  for (const Series& series : c.figure.series) {
    if (const auto* l = std::get_if<LineSeries>(&series))
      addPoints(l->xs, l->ys, l->style.width * c.widthFactor / 2 + l->markers.size);
    else if (const auto* m = std::get_if<MarkerSeries>(&series))
      addPoints(m->xs, m->ys, m->marker.size * c.widthFactor * 1.3);
  }
}

// True when the box touches a reserved line or marker (within its half width).
bool touchesObstacle(const Canvas& c, const Rect& box) {
  for (const Obstacle& o : c.obstacles) {
    const Rect grown = expanded(box, o.radius);
    for (std::size_t i = 0; i < o.points.size(); ++i) {
      Point a = o.points[i], b = i + 1 < o.points.size() ? o.points[i + 1] : o.points[i];
      if (clipSegment(grown, a, b)) return true;
    }
  }
  return false;
}

// Points along the longest visible stretch of a contour where its level may be written,
// best first: its middle, then further out. Empty when too short to carry `minLength`.
std::vector<Point> labelSpots(const Canvas& c, const std::vector<Polyline>& lines, double minLength) {
  const Rect& plot = c.layout.plot;
  std::vector<Point> best;  // the visible vertices of the longest stretch, and its length
  double bestLength = 0.0;
  for (const Polyline& line : lines) {
    std::vector<Point> stretch;
    double length = 0.0;
    for (std::size_t i = 0; i < std::min(line.xs.size(), line.ys.size()); ++i) {
      const Point p = c.layout.pixel(line.xs[i], line.ys[i]);
      if (!finite(p) || !plot.contains(p)) continue;
      if (!stretch.empty()) length += std::hypot(p.x - stretch.back().x, p.y - stretch.back().y);
      stretch.push_back(p);
    }
    if (length > bestLength) {
      bestLength = length;
      best = std::move(stretch);
    }
  }
  if (bestLength < minLength) return {};
  std::vector<Point> spots;
  for (double f : {0.5, 0.3, 0.7, 0.15, 0.85}) {
    double walked = 0.0;
    for (std::size_t i = 0; i + 1 < best.size(); ++i) {
      walked += std::hypot(best[i + 1].x - best[i].x, best[i + 1].y - best[i].y);
      if (walked >= f * bestLength) {
        spots.push_back(best[i]);
        break;
      }
    }
  }
  return spots;
}

bool overlaps(const Rect& a, const Rect& b) { return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1; }

void paint(Canvas& c, const ContourSeries& s) {
  // Contours lie over heatmaps: a neutral colour unless styled, not the next series colour.
  const Rgba neutral = c.theme == Theme::Print ? Rgba{0, 0, 0, 190.0f / 255} : Rgba{1, 1, 1, 215.0f / 255};
  const Rgba color = itemColor(c, s.label, s.style.color, neutral);
  const double width = s.style.color ? s.style.width * c.widthFactor : 1.25;
  addLegendEntry(c, {s.label, s.style.color ? color : c.palette.text.withAlpha(0.7f), SwatchKind::Line, width,
                     s.style.dash});
  for (const Polyline& line : s.polylines) {
    const std::size_t n = std::min(line.xs.size(), line.ys.size());
    strokeData(c, n, [&](std::size_t i) { return std::pair{line.xs[i], line.ys[i]}; }, color, width, s.style.dash,
               line.closed);
  }
  if (!s.labelled) return;
  // The level written where the longest visible stretch runs, on a box that keeps it
  // readable over any colour.
  const std::string level = formatNumber(s.level, 3);
  const Font& font = c.layout.fonts.tick;
  const double w = c.metrics.width(level, font);
  // Where no other level is written already: crowded levels (near a sharp minimum) are
  // left unlabelled rather than printed over each other.
  for (const Point& spot : labelSpots(c, s.polylines, w * 2.5)) {
    const Point topLeft{std::round(spot.x - w / 2), std::round(spot.y - font.size / 2)};
    const Rect box{topLeft.x - 2, topLeft.y, topLeft.x + w + 2, topLeft.y + font.size};
    const Rect& plot = c.layout.plot;
    if (box.x0 < plot.x0 || box.x1 > plot.x1 || box.y0 < plot.y0 || box.y1 > plot.y1) continue;
    const Rect room = expanded(box, 3.0);
    if (std::any_of(c.labels.begin(), c.labels.end(), [&](const Rect& r) { return overlaps(r, room); })) continue;
    if (touchesObstacle(c, box)) continue;
    c.labels.push_back(box);
    c.painter.fillRect(box, c.palette.plotBackground.withAlpha(c.palette.plotBackground.a * 0.8f));
    c.painter.text(topLeft, level, font, c.palette.text);
    return;
  }
}

void paintSeries(Canvas& c) {
  const auto& all = c.figure.series;
  const std::size_t barCount = static_cast<std::size_t>(
      std::count_if(all.begin(), all.end(), [](const Series& s) { return std::holds_alternative<BarSeries>(s); }));
  std::size_t barIndex = 0;
  for (const Series& series : all) {
    std::visit(
        [&](const auto& s) {
          if constexpr (std::is_same_v<std::decay_t<decltype(s)>, BarSeries>) paint(c, s, barIndex++, barCount);
          else paint(c, s);
        },
        series);
  }
}

// [SECTION] Axes, grid, colorbar, legend
// A 1-px line on a pixel centre, so it stays one crisp pixel in a PNG.
double crisp(double v) { return std::floor(v) + 0.5; }

void line(Painter& p, Point a, Point b, Rgba color, double width = 1.0) {
  p.strokePolyline(std::vector<Point>{a, b}, false, color, width, Dash::Solid);
}

void paintGrid(Canvas& c) {
  const FigureLayout& l = c.layout;
  for (const Tick& t : l.x.ticks) {
    const double x = crisp(l.pixelX(t.value));
    if (!std::isfinite(x) || x <= l.plot.x0 + 1 || x >= l.plot.x1 - 1) continue;
    line(c.painter, {x, l.plot.y0}, {x, l.plot.y1}, t.major ? c.palette.grid : c.palette.gridMinor);
  }
  for (const Tick& t : l.y.ticks) {
    const double y = crisp(l.pixelY(t.value));
    if (!std::isfinite(y) || y <= l.plot.y0 + 1 || y >= l.plot.y1 - 1) continue;
    line(c.painter, {l.plot.x0, y}, {l.plot.x1, y}, t.major ? c.palette.grid : c.palette.gridMinor);
  }
}

void paintAxes(Canvas& c) {
  const FigureLayout& l = c.layout;
  const ThemePalette& pal = c.palette;
  const Font &tick = l.fonts.tick, &label = l.fonts.label, &title = l.fonts.title;
  const double gap = 5.0;
  if (c.figure.showAxes)
    c.painter.strokeRect(Rect{l.plot.x0 + 0.5, l.plot.y0 + 0.5, l.plot.x1 - 0.5, l.plot.y1 - 0.5}, pal.axis, 1.0);
  for (const Tick& t : l.x.ticks) {
    const double x = crisp(l.pixelX(t.value));
    if (!std::isfinite(x) || x < l.plot.x0 - 0.5 || x > l.plot.x1 + 0.5) continue;
    line(c.painter, {x, l.plot.y1}, {x, l.plot.y1 - (t.major ? 6.0 : 3.0)}, pal.axis);
    if (t.label.empty()) continue;
    const double w = c.metrics.width(t.label, tick);
    const double x0 = std::clamp(x - w / 2, l.page.x0, l.page.x1 - w);
    c.painter.text({std::round(x0), l.plot.y1 + gap}, t.label, tick, pal.text);
  }
  for (const Tick& t : l.y.ticks) {
    const double y = crisp(l.pixelY(t.value));
    if (!std::isfinite(y) || y < l.plot.y0 - 0.5 || y > l.plot.y1 + 0.5) continue;
    line(c.painter, {l.plot.x0, y}, {l.plot.x0 + (t.major ? 6.0 : 3.0), y}, pal.axis);
    if (t.label.empty()) continue;
    const double w = c.metrics.width(t.label, tick);
    c.painter.text({std::round(l.plot.x0 - gap - w), std::round(y - tick.size / 2)}, t.label, tick, pal.text);
  }
  if (!l.x.label.empty()) {
    const double w = c.metrics.width(l.x.label, label);
    c.painter.text({std::round(l.plot.center().x - w / 2), l.frame.y1 - 8.0 - label.size}, l.x.label, label, pal.text);
  }
  if (!l.y.label.empty())
    c.painter.textVertical({l.frame.x0 + 8.0 + label.size / 2, l.plot.center().y}, l.y.label, label, pal.text);
  if (!c.figure.title.empty()) {
    const double w = c.metrics.width(c.figure.title, title);
    const double x0 = std::clamp(l.plot.center().x - w / 2, l.page.x0, std::max(l.page.x0, l.page.x1 - w));
    c.painter.text({std::round(x0), l.frame.y0 + 8.0}, c.figure.title, title, pal.text);
  }
}

void paintColorbar(Canvas& c) {
  if (!c.layout.colorbar) return;
  const ColorbarLayout& cb = *c.layout.colorbar;
  const Font &tick = c.layout.fonts.tick, &label = c.layout.fonts.label;
  const Rect& r = cb.strip;
  c.painter.image(r, colormapImage(cb.colormap, true));
  c.painter.strokeRect(Rect{r.x0 + 0.5, r.y0 + 0.5, r.x1 - 0.5, r.y1 - 0.5}, c.palette.axis, 1.0);
  double widest = 0.0;
  for (const Tick& t : cb.ticks) {
    const double f = FigureLayout::fraction(cb.scale, cb.range, t.value);
    if (!(f >= -1e-9 && f <= 1 + 1e-9)) continue;
    const double y = crisp(r.y1 - f * r.height());
    line(c.painter, {r.x1 - (t.major ? 5.0 : 3.0), y}, {r.x1, y}, c.palette.axis);
    if (t.label.empty()) continue;
    const double w = c.metrics.width(t.label, tick);
    widest = std::max(widest, w);
    c.painter.text({r.x1 + 5.0, std::round(y - tick.size / 2)}, t.label, tick, c.palette.text);
  }
  if (!cb.label.empty())
    c.painter.textVertical({r.x1 + 5.0 + widest + 8.0 + label.size / 2, r.center().y}, cb.label, label, c.palette.text);
}

void paintSwatch(Canvas& c, const LegendEntry& e, const Rect& r) {
  const Point mid = r.center();
  switch (e.kind) {
    case SwatchKind::Line:
      c.painter.strokePolyline(std::vector<Point>{{r.x0, mid.y}, {r.x1, mid.y}}, false, e.color, std::min(e.width, 4.0),
                               e.dash);
      drawMarker(c.painter, mid, e.marker, std::min(e.markerSize, r.height() * 0.4), e.color, e.markerFilled, e.width);
      return;
    case SwatchKind::Marker:
      drawMarker(c.painter, mid, e.marker, r.height() * 0.3, e.color, e.markerFilled, e.width);
      return;
    case SwatchKind::Fill: {
      const Rect box{r.x0 + r.width() * 0.15, r.y0 + 2, r.x1 - r.width() * 0.15, r.y1 - 2};
      c.painter.fillRect(box, e.color.withAlpha(e.color.a * 0.6f));
      c.painter.strokeRect(box, e.color, 1.0);
      return;
    }
    case SwatchKind::Colormap:
      c.painter.image(Rect{r.x0, r.y0 + 2, r.x1, r.y1 - 2}, colormapImage(e.colormap, false));
      return;
  }
}

void paintLegend(Canvas& c) {
  if (!c.figure.legend.visible || c.legend.empty()) return;
  const Font& font = c.layout.fonts.label;
  const double pad = 6.0, swatch = 24.0, spacing = 6.0, rowHeight = font.size + 4.0, margin = 8.0;
  double textWidth = 0.0;
  for (const LegendEntry& e : c.legend) textWidth = std::max(textWidth, c.metrics.width(e.name, font));
  const double w = std::round(2 * pad + swatch + spacing + textWidth);
  const double h = std::round(2 * pad + rowHeight * static_cast<double>(c.legend.size()));
  const LegendLocation where = c.figure.legend.location;
  const bool west = where == LegendLocation::NorthWest || where == LegendLocation::SouthWest;
  const bool south = where == LegendLocation::SouthEast || where == LegendLocation::SouthWest;
  const Rect& plot = c.layout.plot;
  const double x0 = std::round(west ? plot.x0 + margin : plot.x1 - margin - w);
  const double y0 = std::round(south ? plot.y1 - margin - h : plot.y0 + margin);
  const Rect box{x0, y0, x0 + w, y0 + h};
  c.painter.pushClip(plot);
  c.painter.fillRect(box, c.palette.legendBackground);
  c.painter.strokeRect(Rect{box.x0 + 0.5, box.y0 + 0.5, box.x1 - 0.5, box.y1 - 0.5}, c.palette.legendBorder, 1.0);
  double y = box.y0 + pad;
  for (const LegendEntry& e : c.legend) {
    paintSwatch(c, e, Rect{box.x0 + pad, y + 2, box.x0 + pad + swatch, y + rowHeight - 2});
    c.painter.text({box.x0 + pad + swatch + spacing, y + (rowHeight - font.size) / 2}, e.name, font, c.palette.text);
    y += rowHeight;
  }
  c.painter.popClip();
}

}  // namespace

// [SECTION] The figure
void paintFigure(const Figure& figure, Theme theme, const FigureLayout& layout, const TextMetrics& metrics,
                 Painter& painter) {
  const ThemePalette& palette = themePalette(theme);
  Canvas c{figure, theme, palette, layout, metrics, painter, palette.lineWidth / themePalette(Theme::Light).lineWidth,
           {}, 0, {}, {}};
  painter.fillRect(layout.page, palette.background);
  painter.fillRect(layout.plot, palette.plotBackground);
  paintGrid(c);
  painter.pushClip(layout.plot);
  reserveLabelRoom(c);
  paintSeries(c);
  for (const Annotation& a : figure.annotations) paint(c, a);
  painter.popClip();
  paintAxes(c);
  paintColorbar(c);
  paintLegend(c);
}

}  // namespace attnlab::exporting
