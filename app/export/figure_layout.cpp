#include "app/export/figure_layout.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace attnlab::exporting {
namespace {

constexpr double kPad = 8.0;  // around the frame's contents
constexpr double kGap = 5.0;  // between tick labels and the plot

std::vector<Tick> axisTicks(const Axis& axis, Range r, int target) {
  if (axis.ticks.empty()) return computeTicks(r, axis.scale, target);
  std::vector<Tick> inside;
  for (const Tick& t : axis.ticks)
    if (t.value >= std::min(r.min, r.max) && t.value <= std::max(r.min, r.max)) inside.push_back(t);
  return inside;
}

double widestLabel(const std::vector<Tick>& ticks, const Font& font, const TextMetrics& metrics) {
  double w = 0.0;
  for (const Tick& t : ticks)
    if (!t.label.empty()) w = std::max(w, metrics.width(t.label, font));
  return w;
}

// True when no two labels overlap along an axis `length` pixels long.
bool labelsFit(const std::vector<Tick>& ticks, const AxisLayout& axis, double length, const Font& font,
               const TextMetrics& metrics) {
  double lastRight = -std::numeric_limits<double>::infinity();
  for (const Tick& t : ticks) {
    if (t.label.empty()) continue;
    const double w = metrics.width(t.label, font);
    const double c = FigureLayout::fraction(axis.scale, axis.range, t.value) * length;
    if (c - w / 2 < lastRight + font.size) return false;
    lastRight = c + w / 2;
  }
  return true;
}

int tickTarget(double length, double perTick, int lo, int hi) {
  return std::clamp(static_cast<int>(length / perTick), lo, hi);
}

// The plot area and ticks for the current ranges (ComputeLayout of the plot layer).
void placeAreas(FigureLayout& l, const Figure& figure, const TextMetrics& metrics) {
  const Font &tick = l.fonts.tick, &label = l.fonts.label, &title = l.fonts.title;
  double top = l.frame.y0 + kPad;
  if (!figure.title.empty()) top += title.size + 6.0;
  double bottom = l.frame.y1 - kPad;
  if (!l.x.label.empty()) bottom -= label.size + 4.0;
  if (figure.showAxes) bottom -= tick.size + kGap;
  top = std::max(top, l.frame.y0 + tick.size / 2 + 2.0);
  const double height = std::max(bottom - top, 1.0);

  if (figure.showAxes) l.y.ticks = axisTicks(figure.y, l.y.range, tickTarget(height, tick.size * 2.6, 2, 10));
  double left = l.frame.x0 + kPad;
  if (!l.y.label.empty()) left += label.size + 8.0;
  if (figure.showAxes) left += widestLabel(l.y.ticks, tick, metrics) + kGap;

  double right = l.frame.x1 - kPad;
  if (l.colorbar) {
    ColorbarLayout& c = *l.colorbar;
    c.ticks = computeTicks(c.range, c.scale, tickTarget(height, tick.size * 2.6, 2, 10));
    double width = 12.0 + 16.0 + kGap + widestLabel(c.ticks, tick, metrics);
    if (!c.label.empty()) width += 8.0 + label.size;
    right -= width;
  }

  // Fewer x ticks until their labels stand apart.
  const double width = std::max(right - left, 1.0);
  for (int target = tickTarget(width, tick.size * 5.0, 2, 12); figure.showAxes; --target) {
    l.x.ticks = axisTicks(figure.x, l.x.range, target);
    if (target <= 2 || !figure.x.ticks.empty() || labelsFit(l.x.ticks, l.x, width, tick, metrics)) break;
  }
  // The last label may hang past the right edge of the frame: pull the plot in.
  if (!l.colorbar) {
    for (auto it = l.x.ticks.rbegin(); it != l.x.ticks.rend(); ++it) {
      if (it->label.empty()) continue;
      const double c = left + FigureLayout::fraction(l.x.scale, l.x.range, it->value) * width;
      const double overhang = c + metrics.width(it->label, tick) / 2 - (l.frame.x1 - 2.0);
      if (overhang > 0) right -= overhang;
      break;
    }
  }
  // Whole pixels: 1-px frame and grid lines land on pixel centres and stay crisp.
  l.plot = Rect{std::round(left), std::round(top), std::round(std::max(right, left + 1)),
                std::round(std::max(bottom, top + 1))};
  if (l.colorbar) {
    const double x0 = std::round(l.plot.x1 + 12.0);
    l.colorbar->strip = Rect{x0, l.plot.y0, x0 + 16.0, l.plot.y1};
  }
}

// One x unit as long as one y unit: widen whichever range is tighter, about its centre.
void applyEqualAspect(FigureLayout& l) {
  if (l.x.scale != Scale::Linear || l.y.scale != Scale::Linear) return;
  Range& rx = l.x.range;
  Range& ry = l.y.range;
  const double w = std::max(l.plot.width(), 1.0), h = std::max(l.plot.height(), 1.0);
  const double ux = rx.span() / w, uy = ry.span() / h;
  if (ux < uy) {
    const double c = 0.5 * (rx.min + rx.max), half = 0.5 * uy * w;
    rx = {c - half, c + half};
  } else if (uy < ux) {
    const double c = 0.5 * (ry.min + ry.max), half = 0.5 * ux * h;
    ry = {c - half, c + half};
  }
}

// Insets the frame until the plot area has the shape of the data's ranges (one x unit as
// long as one y unit). Tick labels change with the plot, so it takes a few rounds.
void fitPlotToData(FigureLayout& l, const Figure& figure, const TextMetrics& metrics) {
  if (l.x.scale != Scale::Linear || l.y.scale != Scale::Linear) return;
  const double aspect = l.x.range.span() / l.y.range.span();  // width over height
  for (int round = 0; round < 3; ++round) {
    const double w = l.plot.width(), h = l.plot.height();
    if (w > h * aspect + 1.0) {
      const double inset = 0.5 * (w - h * aspect);
      l.frame.x0 += inset;
      l.frame.x1 -= inset;
    } else if (h > w / aspect + 1.0) {
      const double inset = 0.5 * (h - w / aspect);
      l.frame.y0 += inset;
      l.frame.y1 -= inset;
    } else {
      return;
    }
    placeAreas(l, figure, metrics);
  }
}

AxisLayout axisLayout(const Figure& figure, AxisId id) {
  const Axis& a = id == AxisId::X ? figure.x : figure.y;
  return AxisLayout{figure.showAxes ? a.label : std::string(), a.scale, sanitizedRange(viewRange(figure, id), a.scale), {}};
}

}  // namespace

double FigureLayout::fraction(Scale scale, Range r, double v) {
  return (toScale(scale, v) - toScale(scale, r.min)) / (toScale(scale, r.max) - toScale(scale, r.min));
}

double FigureLayout::pixelX(double v) const { return plot.x0 + fraction(x.scale, x.range, v) * plot.width(); }
double FigureLayout::pixelY(double v) const { return plot.y1 - fraction(y.scale, y.range, v) * plot.height(); }

FigureFonts figureFonts(Theme theme) {
  FigureFonts f;
  const double k = themePalette(theme).textScale;
  for (Font* font : {&f.title, &f.label, &f.tick}) font->size = std::round(font->size * k);
  return f;
}

FigureLayout layoutFigure(const Figure& figure, Theme theme, double width, double height,
                          const TextMetrics& metrics) {
  FigureLayout l;
  l.page = l.frame = Rect{0.0, 0.0, width, height};
  l.fonts = figureFonts(theme);
  l.x = axisLayout(figure, AxisId::X);
  l.y = axisLayout(figure, AxisId::Y);
  if (figure.colorbar) {
    const Colorbar& c = *figure.colorbar;
    ColorbarLayout cb;
    cb.label = c.label;
    cb.colormap = colormapFromName(c.colormap).value_or(Colormap::Viridis);
    cb.scale = c.scale;
    cb.range = sanitizedRange(c.range, c.scale);
    l.colorbar = std::move(cb);
  }
  placeAreas(l, figure, metrics);
  if (figure.equalAspect) {
    fitPlotToData(l, figure, metrics);
    applyEqualAspect(l);
    placeAreas(l, figure, metrics);
  }
  return l;
}

}  // namespace attnlab::exporting
