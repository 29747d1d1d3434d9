#include "app/export/text_metrics.hpp"

#include <string>

namespace attnlab::exporting {

namespace {
// DejaVu Sans: ascent 0.928 em, descent 0.236 em (hhea). ImGui sizes a font by that sum,
// so this ratio turns the window's pixel sizes into Cairo's em sizes.
constexpr double kLineHeightPerEm = 0.928 + 0.236;
constexpr double kAscentPerEm = 0.928;
}  // namespace

double emSize(double lineHeight) { return lineHeight / kLineHeightPerEm; }

void selectFont(cairo_t* cr, const Font& font) {
  cairo_select_font_face(cr, kFontFamily, CAIRO_FONT_SLANT_NORMAL,
                         font.bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, emSize(font.size));
  // Unhinted metrics: widths do not depend on the surface or its scale, so the layout
  // measured once fits the PNG, the PDF and the SVG alike.
  cairo_font_options_t* options = cairo_font_options_create();
  cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_SLIGHT);
  cairo_font_options_set_antialias(options, CAIRO_ANTIALIAS_GRAY);
  cairo_set_font_options(cr, options);
  cairo_font_options_destroy(options);
}

double baselineOffset(cairo_t*, const Font& font) { return emSize(font.size) * kAscentPerEm; }

TextMetrics::TextMetrics()
    : surface_(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1), cairo_surface_destroy),
      cr_(cairo_create(surface_.get()), cairo_destroy) {}

double TextMetrics::width(std::string_view text, const Font& font) const {
  if (text.empty()) return 0.0;
  selectFont(cr_.get(), font);
  const std::string s(text);
  cairo_text_extents_t extents;
  cairo_text_extents(cr_.get(), s.c_str(), &extents);
  return extents.x_advance;
}

double TextMetrics::baseline(const Font& font) const { return baselineOffset(cr_.get(), font); }

}  // namespace attnlab::exporting
