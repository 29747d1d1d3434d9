// Where everything of a figure goes on a page of a given size: the plot area, the axes'
// ranges and ticks, the colorbar, and the fonts. The rules are the window's plot layer's
// (app/gui/plot.cpp, ComputeLayout) at pixel scale 1, so a file and the window agree on
// margins, tick density and label placement.
#pragma once
#include <optional>
#include <vector>

#include "app/export/painter.hpp"
#include "app/export/text_metrics.hpp"
#include "core/figure/colormap.hpp"
#include "core/figure/figure.hpp"
#include "core/figure/ticks.hpp"

namespace attnlab::exporting {

struct FigureFonts {
  Font title{18.0, true};  // the window's bold font, 16·1.15 px
  Font label{16.0, false};
  Font tick{14.0, false};  // the window's small font, 16·0.85 px
};

struct AxisLayout {
  std::string label;
  Scale scale = Scale::Linear;
  Range range{0.0, 1.0};
  std::vector<Tick> ticks;
};

struct ColorbarLayout {
  std::string label;
  Colormap colormap = Colormap::Viridis;
  Scale scale = Scale::Linear;
  Range range{0.0, 1.0};
  std::vector<Tick> ticks;
  Rect strip;
};

struct FigureLayout {
  Rect page;   // the whole picture
  Rect frame;  // what the title, labels, plot and colorbar are laid out in
  Rect plot;
  AxisLayout x, y;
  std::optional<ColorbarLayout> colorbar;
  FigureFonts fonts;

  // Pixel coordinates of data values (NaN where the value has no place on the scale).
  double pixelX(double x) const;
  double pixelY(double y) const;
  Point pixel(double x, double y) const { return {pixelX(x), pixelY(y)}; }
  // Where along [0, 1] of an axis or the colorbar a value falls.
  static double fraction(Scale scale, Range range, double v);
};

// Fonts for a theme: the print theme's type is larger (ThemePalette::textScale).
FigureFonts figureFonts(Theme theme);


// An equal-aspect figure (a landscape over a plane) gets a plot area of the data's shape,
// centred on the page, rather than the window's wider range: a file cannot be panned, so
// bands of empty axes would only waste the page.
FigureLayout layoutFigure(const Figure& figure, Theme theme, double width, double height, const TextMetrics& metrics);

}  // namespace attnlab::exporting
