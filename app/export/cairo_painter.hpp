// The Painter over a cairo_t: PNG (image surface) and PDF (vector surface, heatmaps
// embedded as images without smoothing).
#pragma once
#include <cairo.h>

#include "app/export/painter.hpp"

namespace attnlab::exporting {

class CairoPainter final : public Painter {
 public:
  explicit CairoPainter(cairo_t* cr) : cr_(cr) {}

  void fillRect(const Rect& r, Rgba color) override;
  void strokeRect(const Rect& r, Rgba color, double width) override;
  void fillPolygon(std::span<const Point> points, Rgba color) override;
  void strokePolyline(std::span<const Point> points, bool closed, Rgba color, double width, Dash dash) override;
  void fillCircle(Point center, double radius, Rgba color) override;
  void strokeCircle(Point center, double radius, Rgba color, double width) override;
  void text(Point topLeft, std::string_view text, const Font& font, Rgba color) override;
  void textVertical(Point center, std::string_view text, const Font& font, Rgba color) override;
  void image(const Rect& dest, const RgbaImage& image) override;
  void pushClip(const Rect& r) override;
  void popClip() override;

 private:
  void setColor(Rgba color);
  cairo_t* cr_;
};

}  // namespace attnlab::exporting
