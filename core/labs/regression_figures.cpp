#include "core/labs/regression_figures.hpp"

#include <cmath>

#include "core/figure/ticks.hpp"

namespace attnlab {
namespace {

// Few iterates (Newton's handful) are worth a dot each; thousands would be a smear.
constexpr std::size_t kMarkEveryIterateUpTo = 40;

std::string kindTitle(const SolveResult& solve) {
  const Problem& p = solve.loss->problem();
  return std::string(kindName(p.kind)) + ", n = " + std::to_string(p.n()) + ", d = " + std::to_string(p.d());
}

// Short enough to sit over a plot a third of the window wide.
std::string planeTitle(const SolveResult& solve) {
  const RegressionParams& p = solve.params;
  if (solve.trueSurface) return "L(x) over (x₁, x₂)";
  switch (p.plane) {
    case PlaneKind::Random: return "random plane";
    case PlaneKind::Axes: return "(" + coordinateName(p.axisI) + ", " + coordinateName(p.axisJ) + ") through x₀";
    case PlaneKind::Pca: return "PCA plane of " + std::string(solverName(p.pcaSolver));
  }
  return "L(x)";
}

void setPlaneAxes(Figure& f, const SolveResult& solve) {
  if (solve.trueSurface) {
    f.x.label = "x₁";
    f.y.label = "x₂";
  } else if (solve.params.plane == PlaneKind::Axes) {
    f.x.label = "Δ" + coordinateName(solve.params.axisI);
    f.y.label = "Δ" + coordinateName(solve.params.axisJ);
  } else if (solve.params.plane == PlaneKind::Pca) {
    f.x.label = "s (1st principal direction)";
    f.y.label = "t (2nd principal direction)";
  } else {
    f.x.label = "s (along u)";
    f.y.label = "t (along v)";
  }
}

Rgba solverColor(SolverId id, Theme theme) { return seriesColor(theme, solverIndex(id)); }

// One solver's path over the landscape: a dark outline under a coloured line (visible on
// every colormap), its iterates marked when there are few, and its end point.
// Returns false when the run leaves the grid's neighbourhood (it diverges).
bool addPath(Figure& f, const SolverRun& run, PlotOrigin origin, double span, Theme theme) {
  LineSeries outline, path;
  // A diverging run is drawn until it leaves the neighbourhood of the grid: the view fits
  // what is drawn, and 10¹⁵⁰ in one path would shrink the landscape to a dot.
  const double reach = 1.5 * span;
  bool leaves = false;
  for (const TrajectoryPoint& q : run.onPlane) {
    if (!(std::abs(q.s) <= reach && std::abs(q.t) <= reach)) {
      leaves = true;
      break;
    }
    path.xs.push_back(origin.x + q.s);
    path.ys.push_back(origin.y + q.t);
  }
  if (path.xs.empty()) return !leaves;
  outline.xs = path.xs;
  outline.ys = path.ys;
  outline.style = Style{Rgba{0.0f, 0.0f, 0.0f, 0.55f}, 4.0f, Dash::Solid};
  path.label = std::string(solverTitle(run.id));
  path.style = Style{solverColor(run.id, theme), 2.0f, Dash::Solid};
  if (path.xs.size() <= kMarkEveryIterateUpTo) path.markers = Marker{MarkerShape::Circle, 3.0f, true};
  MarkerSeries end;
  end.xs = {path.xs.back()};
  end.ys = {path.ys.back()};
  end.marker = Marker{leaves ? MarkerShape::TriangleUp : MarkerShape::Diamond, 6.0f, true};

  end.color = solverColor(run.id, theme);
  f.series.push_back(std::move(outline));
  f.series.push_back(std::move(path));
  f.series.push_back(std::move(end));
  return !leaves;
}

void addStart(Figure& f, const SolveResult& solve, PlotOrigin origin) {
  const PlanePoint p = PlaneProjector(solve.plane)(solve.start);
  MarkerSeries ring, dot;
  ring.label = "start x₀";
  ring.xs = dot.xs = {origin.x + p.s};
  ring.ys = dot.ys = {origin.y + p.t};
  ring.marker = Marker{MarkerShape::Circle, 6.5f, true};
  ring.color = Rgba{0.0f, 0.0f, 0.0f, 1.0f};
  dot.marker = Marker{MarkerShape::Circle, 4.0f, true};
  dot.color = Rgba{1.0f, 1.0f, 1.0f, 1.0f};
  f.series.push_back(std::move(ring));
  f.series.push_back(std::move(dot));
  f.annotations.push_back(Annotation{origin.x + p.s, origin.y + p.t, "x₀", 10.0f, -10.0f, false, std::nullopt, true});
}

// One curve per solver of value(iterate) against t, on a log axis (values ≤ 0 left out).
template <class Value>
Figure curvesFigure(const SolveResult& solve, Theme theme, Value value) {
  Figure f;
  f.x.label = "iteration t";
  f.y.scale = Scale::Log10;
  for (const SolverRun& run : solve.runs) {
    LineSeries line;
    line.label = std::string(solverTitle(run.id));
    line.style = Style{solverColor(run.id, theme), 2.0f, Dash::Solid};
    for (const Iterate& it : run.trajectory) {
      line.xs.push_back(it.t);
      line.ys.push_back(value(it));
    }
    if (line.xs.size() <= kMarkEveryIterateUpTo) line.markers = Marker{MarkerShape::Circle, 3.0f, true};
    f.series.push_back(std::move(line));
  }
  return f;
}

Figure distanceFigure(const SolveResult& solve, Theme theme) {
  Figure f;
  f.name = "plane_distance";
  f.title = "Distance from the plane";
  f.x.label = "iteration t";
  f.y.label = "dist(xₜ, plane)";
  f.legend.location = LegendLocation::NorthWest;
  for (const SolverRun& run : solve.runs) {
    LineSeries line;
    line.label = std::string(solverTitle(run.id));
    line.style = Style{solverColor(run.id, theme), 2.0f, Dash::Solid};
    for (const TrajectoryPoint& q : run.onPlane) {
      line.xs.push_back(q.iteration);
      line.ys.push_back(q.distance);
    }
    if (line.xs.size() <= kMarkEveryIterateUpTo) line.markers = Marker{MarkerShape::Circle, 3.0f, true};
    f.series.push_back(std::move(line));
  }
  return f;
}

}  // namespace

std::string coordinateName(int index) {
  static const char* const kSubscripts[] = {"₀", "₁", "₂", "₃", "₄", "₅", "₆", "₇", "₈", "₉"};
  std::string digits = std::to_string(index + 1), name = "x";
  for (char c : digits) name += kSubscripts[c - '0'];
  return name;
}

PlotOrigin plotOrigin(const SolveResult& solve) {
  if (!solve.trueSurface) return {};
  return {solve.plane.x0(0), solve.plane.x0(1)};
}

HeatmapSeries landscapeHeatmap(const SolveResult& solve, const LandscapeResult& landscape,
                               const RegressionParams& view, Range valueRange) {
  HeatmapSeries h;
  h.rows = static_cast<int>(landscape.loss.rows());
  h.cols = static_cast<int>(landscape.loss.cols());
  h.values.resize(static_cast<std::size_t>(h.rows) * h.cols);
  for (int j = 0; j < h.rows; ++j)
    for (int i = 0; i < h.cols; ++i) h.values[static_cast<std::size_t>(j) * h.cols + i] = landscape.loss(j, i);
  const PlotOrigin o = plotOrigin(solve);
  h.x = Range{o.x + landscape.s(0), o.x + landscape.s(landscape.s.size() - 1)};
  h.y = Range{o.y + landscape.t(0), o.y + landscape.t(landscape.t.size() - 1)};
  h.colormap = std::string(colormapName(view.colormap));
  h.scale = view.colorScale;
  h.valueRange = valueRange;
  return h;
}

Figure landscapeFigure(const SolveResult& solve, HeatmapSeries heatmap, std::vector<ContourSeries> contours,
                       Theme theme) {
  Figure f;
  f.name = "landscape";
  f.title = kindTitle(solve) + " — " + planeTitle(solve);
  setPlaneAxes(f, solve);
  // No fixed range: the view fits the heatmap (and follows a new one) until the user zooms.
  f.equalAspect = true;
  f.colorbar = Colorbar{"L(x)", heatmap.colormap, heatmap.scale, *heatmap.valueRange};
  // No legend over the picture: the curve plots name the colours, the start is labelled.
  f.legend.visible = false;
  f.series.push_back(std::move(heatmap));
  for (ContourSeries& c : contours) f.series.push_back(std::move(c));
  const PlotOrigin origin = plotOrigin(solve);
  std::string diverging;
  for (const SolverRun& run : solve.runs)
    if (!addPath(f, run, origin, solve.grid.span, theme))
      diverging += (diverging.empty() ? "" : ", ") + std::string(solverName(run.id));
  addStart(f, solve, origin);
  if (!diverging.empty()) {
    // Under x₀'s label, once for all of them: the paths leave the picture in one place.
    const Annotation& start = f.annotations.back();
    f.annotations.push_back(Annotation{start.x, start.y, "diverges: " + diverging, 12.0f,
                                       16.0f, false, std::nullopt, true});
  }
  return f;
}

RegressionFigures buildFigures(const SolveResult& solve, Theme theme) {
  RegressionFigures figures;
  const double best = solve.bestLoss;
  figures.loss = curvesFigure(solve, theme, [best](const Iterate& it) { return it.loss - best; });
  figures.loss.name = "loss";
  figures.loss.title = "Loss (L* = " + formatNumber(best, 3) + ")";
  figures.loss.y.label = "L(xₜ) − L*";
  figures.gradNorm = curvesFigure(solve, theme, [](const Iterate& it) { return it.gradNorm; });
  figures.gradNorm.name = "grad_norm";
  figures.gradNorm.title = "Gradient norm";
  figures.gradNorm.y.label = "‖∇L(xₜ)‖";
  // One legend for the three curve plots: the colours are the same everywhere.
  figures.gradNorm.legend.visible = false;
  figures.distance = distanceFigure(solve, theme);
  figures.distance.legend.visible = false;
  return figures;
}

}  // namespace attnlab
