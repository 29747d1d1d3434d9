#include "core/labs/session_figures.hpp"

#include <algorithm>
#include <memory>

#include "core/errors.hpp"
#include "core/bounds/slack_sweep.hpp"
#include "core/labs/bounds_compute.hpp"
#include "core/labs/bounds_figures.hpp"
#include "core/labs/regression_compute.hpp"
#include "core/labs/regression_figures.hpp"
#include "core/labs/surface_figure.hpp"

namespace attnlab {
namespace {

std::string joined(const std::vector<std::string>& names) {
  std::string text;
  for (const std::string& n : names) text += (text.empty() ? "" : ", ") + n;
  return text;
}

void requireNotCancelled(const Progress& progress) {
  if (progress.cancelled()) throw InputError("cancelled");
}

std::shared_ptr<SolveResult> solved(const Session& session, Theme theme, Progress& progress) {
  std::shared_ptr<SolveResult> solve = solveRegression(session.regression, theme, progress);
  requireNotCancelled(progress);
  solve->theme = theme;
  solve->figures = buildFigures(*solve, theme);
  return solve;
}

LandscapePicture picture(const Session& session, std::shared_ptr<const SolveResult> solve, Theme theme, WorkerPool& pool,
                         Progress& progress) {
  const GridSpec grid{session.regression.gridPoints, solve->grid.span};
  auto result = std::make_shared<const LandscapeResult>(computeLandscape(*solve->loss, solve->plane, grid, pool, progress));
  requireNotCancelled(progress);
  return buildPicture(std::move(solve), std::move(result), session.regression, theme, pool, /*contourLines=*/true);
}

// The bounds lab's figures: the runs' three, or the sweep's.
Figure boundsLabFigure(const Session& session, const std::string& name, Theme theme, WorkerPool& pool,
                       Progress& progress) {
  if (name == "slack_sweep") {
    const SlackSweep sweep = sweepSlack(sweepParamsFor(session.bounds), pool, progress);
    requireNotCancelled(progress);
    return sweepFigure(sweep, theme);
  }
  const std::shared_ptr<BoundsRuns> runs = computeBoundsRuns(session.bounds, theme, progress);
  requireNotCancelled(progress);
  // The window lists these in one strip under the plots; a file carries its own legend.
  Figure figure = name == "bounds" ? runs->figures.bounds : name == "slack" ? runs->figures.slack : runs->figures.targets;
  figure.legend.visible = true;
  return figure;
}

}  // namespace

std::vector<std::string> figureNames(const Session& session) {
  if (session.lab == LabId::Bounds) return {"bounds", "slack", "targets", "slack_sweep"};
  std::vector<std::string> names{"landscape", "loss", "grad_norm"};
  if (!isTrueSurface(session.regression)) names.push_back("plane_distance");
  names.push_back("surface");
  return names;
}

Figure figureOfSession(const Session& session, const std::string& name, Theme theme, WorkerPool& pool,
                       Progress& progress) {
  const std::vector<std::string> names = figureNames(session);
  if (std::find(names.begin(), names.end(), name) == names.end())
    throw InputError("no figure '" + name + "' in this session (figures: " + joined(names) + ")",
                     InputLocation{{}, "--figure", {}, {}});
  if (session.lab == LabId::Bounds) return boundsLabFigure(session, name, theme, pool, progress);
  const std::shared_ptr<SolveResult> solve = solved(session, theme, progress);
  if (name == "landscape") return picture(session, solve, theme, pool, progress).figure;
  // The 3-D view through the session's camera (surface_figure: the window's projection and light).
  if (name == "surface") return surfaceFigure(picture(session, solve, theme, pool, progress), session.camera, theme);
  // In the window one legend serves the three curve plots; a file stands alone.
  Figure curves = name == "loss" ? solve->figures.loss : name == "grad_norm" ? solve->figures.gradNorm : solve->figures.distance;
  curves.legend.visible = true;
  return curves;
}

}  // namespace attnlab
