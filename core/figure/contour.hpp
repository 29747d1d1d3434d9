// Contour lines of a gridded field: marching squares per level, its segments joined into
// polylines (closed where the level set closes inside the grid), and the choice of levels
// (nice values on a linear scale, 1-2-5 or whole decades on a log scale). The window's
// shader draws isolines of a landscape by itself; these polylines are what the exports and
// the labelled contours of a figure are made of.
#pragma once
#include <span>
#include <vector>

#include "core/figure/figure.hpp"

namespace attnlab {

// Polylines where the field crosses `level`. values[row * cols + col] is the value at
// (x.min + col·Δx, y.min + row·Δy), as in HeatmapSeries. Cells with a non-finite corner
// are skipped (an overflowed loss leaves a hole, not a wrong line). Saddle cells are
// resolved by the cell-centre average, so adjacent cells always agree.
std::vector<Polyline> marchingSquares(std::span<const double> values, int rows, int cols, Range x, Range y,
                                      double level);

// About `targetCount` levels strictly inside `range`: nice values, or on a log scale
// 1-2-5 mantissas / whole decades.
std::vector<double> contourLevels(Range range, Scale scale, int targetCount);

// One ContourSeries per level that the field actually crosses, its level written on the
// line; the series carry no legend label (a legend of every level says nothing).
std::vector<ContourSeries> contourSeries(const HeatmapSeries& heatmap, std::span<const double> levels,
                                         const Style& style = {});

}  // namespace attnlab
