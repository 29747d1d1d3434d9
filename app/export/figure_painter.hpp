// Draws a laid-out figure on a Painter, in the window's order and look (app/gui/plot.cpp):
// page, plot area, grid, the series (clipped to the plot area), annotations, axes and
// their labels, the title, the colorbar, and the legend.
#pragma once
#include "app/export/figure_layout.hpp"
#include "app/export/painter.hpp"
#include "app/export/text_metrics.hpp"
#include "core/figure/figure.hpp"

namespace attnlab::exporting {

void paintFigure(const Figure& figure, Theme theme, const FigureLayout& layout, const TextMetrics& metrics,
                 Painter& painter);

}  // namespace attnlab::exporting
