// The regression lab's figures as plain data (architecture.md, "One lab, end to end",
// piece 3): the landscape with its contours and trajectories, the loss and gradient-norm
// curves, and the iterates' distance from the plane. No ImGui here: the window draws these
// through figure_view, and an exporter can write the very same figures.
#pragma once
#include <vector>

#include "core/labs/regression_compute.hpp"
#include "core/figure/figure.hpp"

namespace attnlab {

// Where the plot's origin sits in parameter space: on the true surface the axes show x₁, x₂
// themselves (the plane is centred at c, so a plot coordinate is c + s); otherwise s, t.
struct PlotOrigin {
  double x = 0.0;
  double y = 0.0;
};
PlotOrigin plotOrigin(const SolveResult& solve);

// The grid as a heatmap series (row-major values, extents the first and last grid points).
HeatmapSeries landscapeHeatmap(const SolveResult& solve, const LandscapeResult& landscape,
                               const RegressionParams& view, Range valueRange);

// "landscape": the heatmap, its contours, and each solver's path (an outline, the path,
// its end point), the shared start point on top.
Figure landscapeFigure(const SolveResult& solve, HeatmapSeries heatmap, std::vector<ContourSeries> contours,
                       Theme theme);

// "x₃" for index 2: coordinates are numbered from 1 on screen.
std::string coordinateName(int index);

}  // namespace attnlab
