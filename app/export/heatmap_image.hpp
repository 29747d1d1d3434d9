// Heatmaps and colormap strips as images: one pixel per grid cell, coloured through the
// colormap tables of core/figure, so an exported heatmap is exactly the window's, and
// vector formats embed it as one picture instead of N² rectangles.
#pragma once
#include "app/export/painter.hpp"
#include "core/figure/colormap.hpp"
#include "core/figure/figure.hpp"

namespace attnlab::exporting {

// cols × rows; the top row of the image is the heatmap's last row (largest y).
RgbaImage heatmapImage(const HeatmapSeries& heatmap);
// The colormap's 256 entries: a column with the high end on top, or a row low end first.
RgbaImage colormapImage(Colormap colormap, bool vertical);

}  // namespace attnlab::exporting
