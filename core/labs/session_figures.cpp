#include "core/labs/session_figures.hpp"

#include <algorithm>
#include <memory>

#include "core/errors.hpp"
#include "core/bounds/slack_sweep.hpp"
#include "core/labs/attention_lab_compute.hpp"
#include "core/labs/bounds_compute.hpp"
#include "core/labs/bounds_figures.hpp"
#include "core/labs/regression_compute.hpp"
#include "core/labs/regression_figures.hpp"
#include "core/labs/surface_figure.hpp"
#include "core/labs/template_lab_compute.hpp"

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

// The attention lab's figures: the matrices' three, or the sweeps'.
Figure attentionLabFigure(const Session& session, const std::string& name, Theme theme, WorkerPool& pool,
                          Progress& progress) {
  if (name.rfind("attention_", 0) == 0) {
    const std::shared_ptr<AttentionMatrices> m = computeAttentionMatrices(session.attention, theme, progress);
    requireNotCancelled(progress);
    return name == "attention_exact" ? m->figures.exact : name == "attention_kernel" ? m->figures.kernel : m->figures.difference;
  }
  const std::shared_ptr<AttentionSweeps> s = computeAttentionSweeps(session.attention, theme, pool, progress);
  requireNotCancelled(progress);
  return name == "error_vs_length" ? s->errorVsLength : name == "error_vs_features" ? s->errorVsFeatures : s->timeVsLength;
}

// The templates lab's figures: one experiment (the window's full run) gives the regression's
// three, the copying sweep its two.
Figure templateLabFigure(const Session& session, const std::string& name, Theme theme, WorkerPool& pool,
                         Progress& progress) {
  if (name.rfind("copy_task", 0) == 0) {
    const std::shared_ptr<CopyTaskPicture> copy = computeCopyTaskPicture(session.templates, theme, pool, progress);
    requireNotCancelled(progress);
    if (!copy) throw InputError("cancelled");
    return name == "copy_task" ? copy->perStep : copy->width;
  }
  const std::shared_ptr<TemplatePicture> picture = computeTemplatePicture(session.templates, theme, pool, progress);
  requireNotCancelled(progress);
  if (!picture) throw InputError("cancelled");
  return name == "test_error"      ? picture->figures.testError
         : name == "kernel_matrix" ? picture->figures.kernelMatrix
                                   : picture->figures.templateSpectrum;
}

}  // namespace

std::vector<std::string> figureNames(const Session& session) {
  if (session.lab == LabId::Bounds) return {"bounds", "slack", "targets", "slack_sweep"};
  if (session.lab == LabId::Attention)
    return {"attention_exact", "attention_kernel", "attention_difference", "error_vs_length", "error_vs_features",
            "time_vs_length"};
  if (session.lab == LabId::Templates)
    return {"test_error", "kernel_matrix", "template_spectrum", "copy_task", "copy_task_width"};
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
  if (session.lab == LabId::Attention) return attentionLabFigure(session, name, theme, pool, progress);
  if (session.lab == LabId::Templates) return templateLabFigure(session, name, theme, pool, progress);
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
