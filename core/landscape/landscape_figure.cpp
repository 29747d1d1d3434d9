#include "core/landscape/landscape_figure.hpp"

#include <cmath>
#include <iterator>

#include "core/figure/contour.hpp"

namespace attnlab {
namespace {

// "x₃" for index 2: coordinates are numbered from 1 on screen, as in the window.
std::string coordinateName(Eigen::Index index) {
  static const char* const kSubscripts[] = {"₀", "₁", "₂", "₃", "₄", "₅", "₆", "₇", "₈", "₉"};
  std::string name = "x";
  for (char c : std::to_string(index + 1)) name += kSubscripts[c - '0'];
  return name;
}

// The window's solver names and colour order (app/gui/regression_params: gd, momentum,
// newton, approx-newton).
struct SolverLook {
  const char* name;
  const char* title;
};
constexpr SolverLook kSolvers[] = {
    {"gd", "gradient descent"}, {"momentum", "momentum"}, {"newton", "Newton"}, {"approx-newton", "approximate Newton"}};

HeatmapSeries lossHeatmap(const LandscapeResult& r) {
  HeatmapSeries h;  // no label: the colorbar names it, a legend entry would repeat it
  h.rows = static_cast<int>(r.loss.rows());
  h.cols = static_cast<int>(r.loss.cols());
  h.values.assign(r.loss.data(), r.loss.data() + r.loss.size());  // row-major, rows follow t
  h.x = Range{r.s(0), r.s(r.s.size() - 1)};
  h.y = Range{r.t(0), r.t(r.t.size() - 1)};
  h.colormap = "viridis";
  const bool manyDecades = r.lossMin > 0.0 && r.lossMax / r.lossMin > kLogColorRatio;
  h.scale = manyDecades ? Scale::Log10 : Scale::Linear;
  if (r.lossMin < r.lossMax) h.valueRange = Range{r.lossMin, r.lossMax};
  return h;
}

// The solver's path: a dark outline under the coloured line (visible on every colormap),
// its iterates marked when there are few, and a diamond at its end.
void addPath(Figure& f, const std::vector<TrajectoryPoint>& trajectory, const std::string& name, Rgba color) {
  constexpr std::size_t kMarkEveryIterateUpTo = 40;
  LineSeries outline, path;
  for (const TrajectoryPoint& q : trajectory) {
    if (!std::isfinite(q.s) || !std::isfinite(q.t)) continue;
    path.xs.push_back(q.s);
    path.ys.push_back(q.t);
  }
  if (path.xs.empty()) return;
  outline.xs = path.xs;
  outline.ys = path.ys;
  outline.style = Style{Rgba{0.0f, 0.0f, 0.0f, 0.55f}, 4.0f, Dash::Solid};
  path.label = name;
  path.style = Style{color, 2.0f, Dash::Solid};
  if (path.xs.size() <= kMarkEveryIterateUpTo) path.markers = Marker{MarkerShape::Circle, 3.0f, true};
  MarkerSeries end;
  end.label = name;  // same label: same colour, one legend entry
  end.xs = {path.xs.back()};
  end.ys = {path.ys.back()};
  end.marker = Marker{MarkerShape::Diamond, 6.0f, true};
  end.color = color;
  f.series.push_back(std::move(outline));
  f.series.push_back(std::move(path));
  f.series.push_back(std::move(end));
}

// x₀ sits at the plane's origin: a white dot in a black ring, named.
void addOrigin(Figure& f) {
  MarkerSeries ring, dot;
  ring.xs = dot.xs = {0.0};
  ring.ys = dot.ys = {0.0};
  ring.marker = Marker{MarkerShape::Circle, 6.5f, true};
  ring.color = Rgba{0.0f, 0.0f, 0.0f, 1.0f};
  dot.marker = Marker{MarkerShape::Circle, 4.0f, true};
  dot.color = Rgba{1.0f, 1.0f, 1.0f, 1.0f};
  f.series.push_back(std::move(ring));
  f.series.push_back(std::move(dot));
  f.annotations.push_back(Annotation{0.0, 0.0, "x₀", 10.0f, -10.0f, false, std::nullopt, true});
}

}  // namespace

LandscapeFigureText landscapeFigureText(const std::string& plane, Eigen::Index axisI, Eigen::Index axisJ,
                                        const Problem& problem, const std::string& method) {
  LandscapeFigureText text;
  const std::string kind = std::string(kindName(problem.kind)) + ", n = " + std::to_string(problem.n()) +
                           ", d = " + std::to_string(problem.d());
  if (plane == "axes") {
    text.title = "L(x) over (" + coordinateName(axisI) + ", " + coordinateName(axisJ) + ") through x₀";
    text.x = "Δ" + coordinateName(axisI);
    text.y = "Δ" + coordinateName(axisJ);
  } else if (plane == "pca") {
    text.title = "L(x) on the PCA plane of " + method;  // the CLI name: short, as typed
    text.x = "s (1st principal direction)";
    text.y = "t (2nd principal direction)";
  } else {
    text.title = plane == "random" ? "L(x) on a random plane through x₀" : "L(x) on the given plane through x₀";
    text.x = "s (along u)";
    text.y = "t (along v)";
  }
  text.title += " — " + kind;
  text.path = method;
  for (std::size_t i = 0; i < std::size(kSolvers); ++i)
    if (method == kSolvers[i].name) {
      text.path = kSolvers[i].title;
      text.pathColor = i;
    }
  return text;
}

Figure landscapeFigure(const LandscapeResult& result, const LandscapeFigureText& text, Theme theme) {
  Figure f;
  f.name = "landscape";
  f.title = text.title;
  f.x.label = text.x;
  f.y.label = text.y;
  f.equalAspect = true;
  HeatmapSeries heatmap = lossHeatmap(result);
  // Exactly the grid: the contours and a path must not widen the view into empty axes
  // (a path leaving the grid is cut at its edge, where the landscape ends).
  f.x.range = heatmap.x;
  f.y.range = heatmap.y;
  const Range values = heatmapValueRange(heatmap);
  f.colorbar = Colorbar{"L(x)", heatmap.colormap, heatmap.scale, values};
  std::vector<ContourSeries> contours =
      contourSeries(heatmap, contourLevels(values, heatmap.scale, kLandscapeContourLevels));
  f.series.push_back(std::move(heatmap));
  for (ContourSeries& c : contours) f.series.push_back(std::move(c));
  // The picture names its marks itself; a legend only when there is a path to name.
  f.legend.visible = !result.trajectory.empty();
  addPath(f, result.trajectory, text.path.empty() ? "trajectory" : text.path, seriesColor(theme, text.pathColor));
  addOrigin(f);
  return f;
}

}  // namespace attnlab
