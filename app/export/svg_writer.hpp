// The Painter as SVG markup, written by hand rather than through cairo_svg_surface: Cairo
// 1.16 turns every glyph into a path, and a figure's labels and title must stay text
// (searchable, editable, selectable). Lines and fills are plain SVG elements; images
// (heatmaps, colormap strips) are embedded PNGs drawn without smoothing.
#pragma once
#include <string>

#include "app/export/painter.hpp"
#include "app/export/text_metrics.hpp"

namespace attnlab::exporting {

class SvgPainter final : public Painter {
 public:
  SvgPainter(double width, double height, const TextMetrics& metrics);

  void fillRect(const Rect& r, Rgba color) override;
  void strokeRect(const Rect& r, Rgba color, double width) override;
  void fillPolygon(std::span<const Point> points, Rgba color) override;
  void fillPolygonSeamless(std::span<const Point> points, Rgba color, double seam) override;
  void strokePolyline(std::span<const Point> points, bool closed, Rgba color, double width, Dash dash) override;
  void fillCircle(Point center, double radius, Rgba color) override;
  void strokeCircle(Point center, double radius, Rgba color, double width) override;
  void text(Point topLeft, std::string_view text, const Font& font, Rgba color) override;
  void textVertical(Point center, std::string_view text, const Font& font, Rgba color) override;
  void image(const Rect& dest, const RgbaImage& image) override;
  void pushClip(const Rect& r) override;
  void popClip() override;

  // The finished document (closes any clip group still open).
  std::string finish();

 private:
  std::string body_;
  double width_, height_;
  const TextMetrics& metrics_;
  int clipCount_ = 0;
  int openGroups_ = 0;
};

}  // namespace attnlab::exporting
