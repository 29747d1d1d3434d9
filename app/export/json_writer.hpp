// The data behind a figure as JSON: its name, title, axes (label, scale, range shown),
// colorbar and annotations, and every series with its kind, label and data under named
// members (x, y; x, lower, upper; x, height; a heatmap's rows, cols, extents and values
// row by row; a contour's level and polylines). Non-finite numbers are written as null.
#pragma once
#include <string>

#include "core/figure/figure.hpp"

namespace attnlab::exporting {

std::string figureJson(const Figure& figure);

}  // namespace attnlab::exporting
