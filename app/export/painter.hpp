// The drawing surface of an exported figure: the few primitives the figure painter needs,
// in logical pixels (y down, origin top-left), implemented once over Cairo (PNG, PDF) and
// once as SVG elements (so text stays text). The figure painter lays a figure out and draws
// it through this interface only, so every format shows the same picture.
#pragma once
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "core/figure/figure.hpp"

namespace attnlab::exporting {

struct Point {
  double x = 0.0;
  double y = 0.0;
};

struct Rect {
  double x0 = 0.0, y0 = 0.0, x1 = 0.0, y1 = 0.0;

  double width() const { return x1 - x0; }
  double height() const { return y1 - y0; }
  Point center() const { return {0.5 * (x0 + x1), 0.5 * (y0 + y1)}; }
  bool contains(Point p) const { return p.x >= x0 && p.x <= x1 && p.y >= y0 && p.y <= y1; }
};

// A font of the figure: DejaVu Sans, `size` being the line height in pixels as for the
// window's ImGui fonts (so the same number gives the same type in the window and a file).
struct Font {
  double size = 14.0;
  bool bold = false;
};

// Straight (not premultiplied) RGBA, row 0 at the top.
struct RgbaImage {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> pixels;  // width·height·4
};

class Painter {
 public:
  virtual ~Painter() = default;

  virtual void fillRect(const Rect& r, Rgba color) = 0;
  virtual void strokeRect(const Rect& r, Rgba color, double width) = 0;
  virtual void fillPolygon(std::span<const Point> points, Rgba color) = 0;
  // Filled and outlined `seam` wide in the same colour, so neighbouring polygons meet with
  // no hairline of background between them (a 3-D mesh); one element in an SVG.
  virtual void fillPolygonSeamless(std::span<const Point> points, Rgba color, double seam) {
    fillPolygon(points, color);
    strokePolyline(points, true, color, seam, Dash::Solid);
  }
  virtual void strokePolyline(std::span<const Point> points, bool closed, Rgba color, double width, Dash dash) = 0;
  virtual void fillCircle(Point center, double radius, Rgba color) = 0;
  virtual void strokeCircle(Point center, double radius, Rgba color, double width) = 0;
  // `topLeft` is the top-left corner of the text's line box (height font.size).
  virtual void text(Point topLeft, std::string_view text, const Font& font, Rgba color) = 0;
  // Turned a quarter counter-clockwise (reads bottom to top), centred on `center`.
  virtual void textVertical(Point center, std::string_view text, const Font& font, Rgba color) = 0;
  // Scaled to `dest` without smoothing: one grid cell stays one flat cell.
  virtual void image(const Rect& dest, const RgbaImage& image) = 0;
  virtual void pushClip(const Rect& r) = 0;
  virtual void popClip() = 0;
};

// Dash patterns in multiples of the line width (on, off, …), as the window's plot layer.
std::vector<double> dashPattern(Dash dash);

}  // namespace attnlab::exporting
