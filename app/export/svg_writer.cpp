#include "app/export/svg_writer.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "app/export/image_encoding.hpp"

namespace attnlab::exporting {
namespace {

// Coordinates to a hundredth of a pixel: finer than any display, and short.
std::string num(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2f", v);
  std::string s = buffer;
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s == "-0" ? "0" : s;
}

std::string rgb(Rgba c) {
  const auto byte = [](float v) { return static_cast<int>(std::lround(std::clamp(v, 0.0f, 1.0f) * 255.0f)); };
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "#%02x%02x%02x", byte(c.r), byte(c.g), byte(c.b));
  return buffer;
}

// fill="…" (and fill-opacity when translucent); the same for stroke.
std::string paint(const char* what, Rgba c) {
  std::string s = std::string(" ") + what + "=\"" + rgb(c) + "\"";
  if (c.a < 1.0f) s += std::string(" ") + what + "-opacity=\"" + num(c.a) + "\"";
  return s;
}

std::string escaped(std::string_view text) {
  std::string out;
  for (char ch : text) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += ch;
    }
  }
  return out;
}

std::string points(std::span<const Point> pts) {
  std::string s;
  for (const Point& p : pts) {
    if (!s.empty()) s += ' ';
    s += num(p.x) + ',' + num(p.y);
  }
  return s;
}

std::string fontAttributes(const Font& font) {
  std::string s = " font-family=\"" + std::string(kFontFamily) + ", sans-serif\" font-size=\"" + num(emSize(font.size)) + "\"";
  if (font.bold) s += " font-weight=\"bold\"";
  return s;
}

}  // namespace

SvgPainter::SvgPainter(double width, double height, const TextMetrics& metrics)
    : width_(width), height_(height), metrics_(metrics) {}

void SvgPainter::fillRect(const Rect& r, Rgba color) {
  body_ += "<rect x=\"" + num(r.x0) + "\" y=\"" + num(r.y0) + "\" width=\"" + num(r.width()) + "\" height=\"" +
           num(r.height()) + "\"" + paint("fill", color) + "/>\n";
}

void SvgPainter::strokeRect(const Rect& r, Rgba color, double width) {
  body_ += "<rect x=\"" + num(r.x0) + "\" y=\"" + num(r.y0) + "\" width=\"" + num(r.width()) + "\" height=\"" +
           num(r.height()) + "\" fill=\"none\"" + paint("stroke", color) + " stroke-width=\"" + num(width) + "\"/>\n";
}

void SvgPainter::fillPolygon(std::span<const Point> pts, Rgba color) {
  if (pts.size() < 3) return;
  body_ += "<polygon points=\"" + points(pts) + "\"" + paint("fill", color) + "/>\n";
}

void SvgPainter::fillPolygonSeamless(std::span<const Point> pts, Rgba color, double seam) {
  if (pts.size() < 3) return;
  body_ += "<polygon points=\"" + points(pts) + "\"" + paint("fill", color) + paint("stroke", color) +
           " stroke-width=\"" + num(seam) + "\" stroke-linejoin=\"round\"/>\n";
}

void SvgPainter::strokePolyline(std::span<const Point> pts, bool closed, Rgba color, double width, Dash dash) {
  if (pts.size() < 2) return;
  body_ += std::string(closed ? "<polygon" : "<polyline") + " points=\"" + points(pts) + "\" fill=\"none\"" +
           paint("stroke", color) + " stroke-width=\"" + num(width) + "\" stroke-linejoin=\"round\"";
  const std::vector<double> pattern = dashPattern(dash);
  if (!pattern.empty()) {
    body_ += " stroke-dasharray=\"";
    for (std::size_t i = 0; i < pattern.size(); ++i) {
      if (i > 0) body_ += ',';
      body_ += num(pattern[i] * std::max(width, 1.0));
    }
    body_ += "\"";
  }
  body_ += "/>\n";
}

void SvgPainter::fillCircle(Point c, double radius, Rgba color) {
  body_ += "<circle cx=\"" + num(c.x) + "\" cy=\"" + num(c.y) + "\" r=\"" + num(radius) + "\"" + paint("fill", color) +
           "/>\n";
}

void SvgPainter::strokeCircle(Point c, double radius, Rgba color, double width) {
  body_ += "<circle cx=\"" + num(c.x) + "\" cy=\"" + num(c.y) + "\" r=\"" + num(radius) + "\" fill=\"none\"" +
           paint("stroke", color) + " stroke-width=\"" + num(width) + "\"/>\n";
}

void SvgPainter::text(Point topLeft, std::string_view text, const Font& font, Rgba color) {
  if (text.empty()) return;
  body_ += "<text x=\"" + num(topLeft.x) + "\" y=\"" + num(topLeft.y + metrics_.baseline(font)) + "\"" +
           fontAttributes(font) + paint("fill", color) + ">" + escaped(text) + "</text>\n";
}

void SvgPainter::textVertical(Point c, std::string_view text, const Font& font, Rgba color) {
  if (text.empty()) return;
  // Centred by text-anchor; the baseline sits as for horizontal text in a line box
  // centred on c, then the whole is turned about c.
  const double baseline = c.y - font.size / 2 + metrics_.baseline(font);
  body_ += "<text x=\"" + num(c.x) + "\" y=\"" + num(baseline) + "\" text-anchor=\"middle\" transform=\"rotate(-90 " +
           num(c.x) + " " + num(c.y) + ")\"" + fontAttributes(font) + paint("fill", color) + ">" + escaped(text) +
           "</text>\n";
}

void SvgPainter::image(const Rect& dest, const RgbaImage& image) {
  if (image.width < 1 || image.height < 1 || dest.width() <= 0 || dest.height() <= 0) return;
  const std::string png = encodePng(image);
  if (png.empty()) return;
  body_ += "<image x=\"" + num(dest.x0) + "\" y=\"" + num(dest.y0) + "\" width=\"" + num(dest.width()) +
           "\" height=\"" + num(dest.height()) +
           "\" preserveAspectRatio=\"none\" image-rendering=\"optimizeSpeed\" style=\"image-rendering:pixelated\" "
           "xlink:href=\"data:image/png;base64," + base64(png) + "\"/>\n";
}

void SvgPainter::pushClip(const Rect& r) {
  const std::string id = "clip" + std::to_string(clipCount_++);
  body_ += "<clipPath id=\"" + id + "\"><rect x=\"" + num(r.x0) + "\" y=\"" + num(r.y0) + "\" width=\"" +
           num(r.width()) + "\" height=\"" + num(r.height()) + "\"/></clipPath>\n<g clip-path=\"url(#" + id + ")\">\n";
  ++openGroups_;
}

void SvgPainter::popClip() {
  if (openGroups_ == 0) return;
  body_ += "</g>\n";
  --openGroups_;
}

std::string SvgPainter::finish() {
  while (openGroups_ > 0) popClip();
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" version=\"1.1\" width=\"" +
         num(width_) + "\" height=\"" + num(height_) + "\" viewBox=\"0 0 " + num(width_) + " " + num(height_) + "\">\n" +
         body_ + "</svg>\n";
}

}  // namespace attnlab::exporting
