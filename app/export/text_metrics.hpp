// Text measured the way every export draws it: DejaVu Sans through Cairo's toy font API
// (fontconfig picks the file fonts-dejavu-core installs). Layout, the Cairo painter and the
// SVG writer all take their sizes from here, so a label's box is the same in every format.
#pragma once
#include <cairo.h>

#include <memory>
#include <string_view>

#include "app/export/painter.hpp"

namespace attnlab::exporting {

inline constexpr const char* kFontFamily = "DejaVu Sans";

// Selects `font` on `cr` (family, weight, em size for the line height font.size).
void selectFont(cairo_t* cr, const Font& font);
// Where the baseline sits below the top of the line box.
double baselineOffset(cairo_t* cr, const Font& font);
// The em size that gives DejaVu Sans a line height (ascent + descent) of `lineHeight`.
double emSize(double lineHeight);

class TextMetrics {
 public:
  TextMetrics();
  // The advance of `text`: how far the next text would start.
  double width(std::string_view text, const Font& font) const;
  double baseline(const Font& font) const;

 private:
  std::unique_ptr<cairo_surface_t, void (*)(cairo_surface_t*)> surface_;
  std::unique_ptr<cairo_t, void (*)(cairo_t*)> cr_;
};

}  // namespace attnlab::exporting
