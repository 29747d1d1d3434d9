#include "app/export/cairo_painter.hpp"

#include <numbers>
#include <string>

#include "app/export/image_encoding.hpp"
#include "app/export/text_metrics.hpp"

namespace attnlab::exporting {

void CairoPainter::setColor(Rgba c) { cairo_set_source_rgba(cr_, c.r, c.g, c.b, c.a); }

void CairoPainter::fillRect(const Rect& r, Rgba color) {
  setColor(color);
  cairo_rectangle(cr_, r.x0, r.y0, r.width(), r.height());
  cairo_fill(cr_);
}

void CairoPainter::strokeRect(const Rect& r, Rgba color, double width) {
  setColor(color);
  cairo_set_line_width(cr_, width);
  cairo_set_dash(cr_, nullptr, 0, 0.0);
  cairo_set_line_join(cr_, CAIRO_LINE_JOIN_MITER);
  cairo_rectangle(cr_, r.x0, r.y0, r.width(), r.height());
  cairo_stroke(cr_);
}

void CairoPainter::fillPolygon(std::span<const Point> points, Rgba color) {
  if (points.size() < 3) return;
  setColor(color);
  cairo_move_to(cr_, points[0].x, points[0].y);
  for (const Point& p : points.subspan(1)) cairo_line_to(cr_, p.x, p.y);
  cairo_close_path(cr_);
  cairo_fill(cr_);
}

void CairoPainter::strokePolyline(std::span<const Point> points, bool closed, Rgba color, double width, Dash dash) {
  if (points.size() < 2) return;
  setColor(color);
  cairo_set_line_width(cr_, width);
  cairo_set_line_join(cr_, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap(cr_, CAIRO_LINE_CAP_BUTT);
  std::vector<double> pattern = dashPattern(dash);
  for (double& d : pattern) d *= std::max(width, 1.0);
  cairo_set_dash(cr_, pattern.data(), static_cast<int>(pattern.size()), 0.0);
  cairo_move_to(cr_, points[0].x, points[0].y);
  for (const Point& p : points.subspan(1)) cairo_line_to(cr_, p.x, p.y);
  if (closed) cairo_close_path(cr_);
  cairo_stroke(cr_);
  cairo_set_dash(cr_, nullptr, 0, 0.0);
}

void CairoPainter::fillCircle(Point center, double radius, Rgba color) {
  setColor(color);
  cairo_new_sub_path(cr_);
  cairo_arc(cr_, center.x, center.y, radius, 0.0, 2 * std::numbers::pi);
  cairo_fill(cr_);
}

void CairoPainter::strokeCircle(Point center, double radius, Rgba color, double width) {
  setColor(color);
  cairo_set_line_width(cr_, width);
  cairo_set_dash(cr_, nullptr, 0, 0.0);
  cairo_new_sub_path(cr_);
  cairo_arc(cr_, center.x, center.y, radius, 0.0, 2 * std::numbers::pi);
  cairo_stroke(cr_);
}

void CairoPainter::text(Point topLeft, std::string_view text, const Font& font, Rgba color) {
  if (text.empty()) return;
  const std::string s(text);
  selectFont(cr_, font);
  setColor(color);
  cairo_move_to(cr_, topLeft.x, topLeft.y + baselineOffset(cr_, font));
  cairo_show_text(cr_, s.c_str());
  cairo_new_path(cr_);
}

void CairoPainter::textVertical(Point center, std::string_view text, const Font& font, Rgba color) {
  if (text.empty()) return;
  const std::string s(text);
  selectFont(cr_, font);
  cairo_text_extents_t extents;
  cairo_text_extents(cr_, s.c_str(), &extents);
  cairo_save(cr_);
  cairo_translate(cr_, center.x, center.y);
  cairo_rotate(cr_, -std::numbers::pi / 2);
  setColor(color);
  cairo_move_to(cr_, -extents.x_advance / 2, -font.size / 2 + baselineOffset(cr_, font));
  cairo_show_text(cr_, s.c_str());
  cairo_new_path(cr_);
  cairo_restore(cr_);
}

void CairoPainter::image(const Rect& dest, const RgbaImage& image) {
  if (image.width < 1 || image.height < 1 || dest.width() <= 0 || dest.height() <= 0) return;
  cairo_surface_t* surface = imageSurface(image);
  if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
    cairo_surface_destroy(surface);
    return;
  }
  cairo_save(cr_);
  cairo_translate(cr_, dest.x0, dest.y0);
  cairo_scale(cr_, dest.width() / image.width, dest.height() / image.height);
  cairo_set_source_surface(cr_, surface, 0, 0);
  // Flat cells, as the data are; PDF viewers are told not to interpolate either.
  cairo_pattern_set_filter(cairo_get_source(cr_), CAIRO_FILTER_NEAREST);
  cairo_pattern_set_extend(cairo_get_source(cr_), CAIRO_EXTEND_PAD);
  cairo_rectangle(cr_, 0, 0, image.width, image.height);
  cairo_fill(cr_);
  cairo_restore(cr_);
  cairo_surface_destroy(surface);
}

void CairoPainter::pushClip(const Rect& r) {
  cairo_save(cr_);
  cairo_rectangle(cr_, r.x0, r.y0, r.width(), r.height());
  cairo_clip(cr_);
}

void CairoPainter::popClip() { cairo_restore(cr_); }

}  // namespace attnlab::exporting
