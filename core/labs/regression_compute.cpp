// [SECTION] the problem and the start point
// [SECTION] solvers
// [SECTION] the plane and its span
// [SECTION] pictures
// [SECTION] the job
#include "core/labs/regression_compute.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

#include "core/labs/regression_figures.hpp"
#include "core/errors.hpp"
#include "core/figure/contour.hpp"
#include "core/figure/ticks.hpp"
#include "core/io/json_problem.hpp"
#include "core/random.hpp"
#include "core/regression/generate.hpp"
#include "core/solvers/approximate_newton.hpp"
#include "core/solvers/gradient_descent.hpp"
#include "core/solvers/momentum.hpp"
#include "core/solvers/newton.hpp"

namespace attnlab {
namespace {

using Eigen::Index;
using Eigen::VectorXd;

// [SECTION] the problem and the start point

// A seeded direction of length `radius`: the same start on every machine, and a different
// stream from the instance's own draws (the seed is mixed with a constant).
VectorXd startPoint(Index dim, std::uint64_t seed, double radius) {
  VectorXd x(dim);
  if (radius == 0.0) return VectorXd::Zero(dim);
  Random random(seed ^ 0x5354415254ULL);  // "START"
  for (Index i = 0; i < dim; ++i) x(i) = random.normal();
  const double norm = x.norm();
  return norm > 0.0 ? VectorXd(x * (radius / norm)) : VectorXd::Zero(dim);
}

// [SECTION] solvers

std::string statusText(const SolverRun& run) {
  switch (run.status) {
    case Status::Success: return "converged in " + std::to_string(run.iterations) + " steps";
    case Status::NoConvergence: return "not converged after " + std::to_string(run.iterations) + " steps";
    case Status::NumericalIssue: return "stopped at step " + std::to_string(run.iterations) + ": the loss overflowed";
    case Status::InvalidInput: return "rejected its settings";
    case Status::Cancelled: return "cancelled";
  }
  return "";
}

template <class Solver>
void collect(const Solver& solver, SolverRun& run) {
  run.status = solver.info();
  run.iterations = solver.iterations();
  run.trajectory = solver.trajectory();
}

SolverRun runSolver(SolverId id, const Loss& L, const VectorXd& x0, const RegressionParams& p, Progress& progress) {
  SolverRun run;
  run.id = id;
  const auto start = std::chrono::steady_clock::now();
  switch (id) {
    case SolverId::GradientDescent: {
      GradientDescent s;
      s.setStepSize(p.stepSize).setTolerance(p.tolerance).setMaxIterations(p.steps).setProgress(&progress);
      collect(s.compute(L, x0), run);
      break;
    }
    case SolverId::Momentum: {
      Momentum s;
      s.setStepSize(p.stepSize).setBeta(p.beta).setTolerance(p.tolerance).setMaxIterations(p.steps);
      collect(s.setProgress(&progress).compute(L, x0), run);
      break;
    }
    case SolverId::Newton: {
      Newton s;
      s.setTolerance(p.tolerance).setMaxIterations(p.steps).setProgress(&progress).compute(L, x0);
      collect(s, run);
      run.detail = std::to_string(s.dampedSteps()) + " damped steps, " + std::to_string(s.lineSearchBacktracks()) +
                   " step halvings";
      break;
    }
    case SolverId::ApproximateNewton: {
      ApproximateNewton s;
      s.setSeed(p.seed).setMeasureEpsilon(L.dim() <= ApproximateNewton::kMaxEpsilonDim);
      s.setTolerance(p.tolerance).setMaxIterations(p.steps).setProgress(&progress).compute(L, x0);
      collect(s, run);
      run.detail = std::to_string(s.samples()) + " sampled rows per step";
      if (s.hasEpsilon()) run.detail += ", ε ≤ " + formatNumber(s.epsilon(), 2);
      break;
    }
  }
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  run.detail = statusText(run) + (run.detail.empty() ? "" : "; " + run.detail);
  return run;
}

// [SECTION] the plane and its span

const Trajectory* pcaTrajectory(const SolveResult& r, SolverId wanted) {
  for (const SolverRun& run : r.runs)
    if (run.id == wanted) return &run.trajectory;
  return r.runs.empty() ? nullptr : &r.runs.front().trajectory;
}

// An iterate of a diverging run (loss far above where it started) is left out of the picture's
// frame, or one bad step size would shrink the interesting part to a dot.
double divergenceLimit(const SolverRun& run) {
  return run.trajectory.empty() ? 0.0 : 1e3 * std::abs(run.trajectory.front().loss) + 1.0;
}

// The middle of the box around every iterate: the true surface is centred on the action.
VectorXd trajectoriesCentre(const SolveResult& r) {
  VectorXd lo = r.start, hi = r.start;
  for (const SolverRun& run : r.runs)
    for (const Iterate& it : run.trajectory)
      if (it.x.allFinite() && std::abs(it.loss) <= divergenceLimit(run)) {
        lo = lo.cwiseMin(it.x);
        hi = hi.cwiseMax(it.x);
      }
  return (lo + hi) / 2.0;
}

Plane choosePlane(const SolveResult& r, const RegressionParams& p) {
  if (r.trueSurface) return axesPlane(trajectoriesCentre(r), 0, 1);
  switch (p.plane) {
    case PlaneKind::Random: return randomPlane(r.start, p.planeSeed);
    case PlaneKind::Axes: return axesPlane(r.start, p.axisI, p.axisJ);
    case PlaneKind::Pca: {
      const Trajectory* t = pcaTrajectory(r, p.pcaSolver);
      return pcaPlane(r.start, t != nullptr ? *t : Trajectory{Iterate{0, 0.0, 0.0, r.start}});
    }
  }
  return randomPlane(r.start, p.planeSeed);
}

// Half the side of the square that shows every iterate with a margin (diverging ones aside).
double chooseSpan(const SolveResult& r) {
  double extent = 0.0;
  for (const SolverRun& run : r.runs) {
    const double limit = divergenceLimit(run);
    for (std::size_t k = 0; k < run.onPlane.size(); ++k) {
      const TrajectoryPoint& q = run.onPlane[k];
      if (!std::isfinite(q.s) || !std::isfinite(q.t) || !(std::abs(q.loss) <= limit)) continue;
      extent = std::max({extent, std::abs(q.s), std::abs(q.t)});
    }
  }
  const double floor = 0.1 * std::max(1.0, r.start.norm());
  return std::clamp(1.4 * extent, floor, 1e3);
}

double bestLoss(const SolveResult& r) {
  double best = std::numeric_limits<double>::infinity();
  for (const SolverRun& run : r.runs)
    for (const Iterate& it : run.trajectory)
      if (std::isfinite(it.loss)) best = std::min(best, it.loss);
  return std::isfinite(best) ? best : r.loss->value(r.start);
}

// [SECTION] pictures

// The colours span the grid's values; on a log scale its smallest positive one, but no
// more than 15 decades below the largest (a loss of exactly 0 at x* has no logarithm).
Range colourRange(const LandscapeResult& landscape, Scale scale) {
  double lo = landscape.lossMin, hi = landscape.lossMax;
  if (scale == Scale::Log10) {
    lo = std::numeric_limits<double>::infinity();
    for (Index k = 0; k < landscape.loss.size(); ++k) {
      const double v = landscape.loss.data()[k];
      if (v > 0.0) lo = std::min(lo, v);
    }
    if (!(hi > 0.0) || !std::isfinite(lo)) return Range{1e-3, 1.0};
    lo = std::max(lo, hi * 1e-15);
    if (lo == hi) return Range{lo / 2.0, hi * 2.0};
    return Range{lo, hi};
  }
  if (lo == hi) return Range{lo - 0.5, hi + 0.5};
  return Range{lo, hi};
}

std::vector<ContourSeries> contoursInParallel(const HeatmapSeries& heatmap, const std::vector<double>& levels,
                                              const Style& style, WorkerPool& pool) {
  std::vector<std::vector<ContourSeries>> perLevel(levels.size());
  pool.parallelFor(0, static_cast<WorkerPool::Index>(levels.size()), 1, [&](WorkerPool::Index b, WorkerPool::Index e) {
    for (auto k = b; k < e; ++k)
      perLevel[static_cast<std::size_t>(k)] = contourSeries(heatmap, std::span(&levels[static_cast<std::size_t>(k)], 1), style);
  });
  std::vector<ContourSeries> out;
  for (auto& level : perLevel)
    for (auto& series : level) out.push_back(std::move(series));
  return out;
}

}  // namespace

Problem makeProblem(const RegressionParams& params) {
  validate(params);
  if (params.source == DataSource::File) return readProblem(params.problemFile);
  GenerateSpec spec;
  spec.n = params.n;
  spec.d = params.d;
  spec.R = params.R;
  spec.seed = params.seed;
  spec.noise = params.noise;
  Problem problem = generateProblem(params.kind, spec);
  problem.l2 = params.l2;
  problem.x = startPoint(problem.dim(), params.seed, params.startRadius);
  return problem;
}

std::shared_ptr<SolveResult> solveRegression(const RegressionParams& params, Theme theme, Progress& progress) {
  progress.setStage("building the problem");
  auto result = std::make_shared<SolveResult>();
  result->params = params;
  result->theme = theme;
  auto problem = std::make_shared<const Problem>(makeProblem(params));
  result->loss = std::make_shared<const Loss>(problem);
  result->start = problem->x;
  result->trueSurface = problem->dim() == 2;
  if (problem->dim() < 2) throw InputError("a landscape needs at least two parameters; the problem has one");

  for (SolverId id : kAllSolvers) {
    if (!params.solvers[solverIndex(id)]) continue;
    if (progress.cancelled()) return nullptr;
    progress.setStage("solving: " + std::string(solverTitle(id)));
    result->runs.push_back(runSolver(id, *result->loss, result->start, params, progress));
  }
  if (progress.cancelled()) return nullptr;
  result->plane = choosePlane(*result, params);
  for (SolverRun& run : result->runs) run.onPlane = projectTrajectory(result->plane, run.trajectory);
  result->grid = GridSpec{params.gridPoints, chooseSpan(*result)};
  result->bestLoss = bestLoss(*result);
  return result;
}

LandscapePicture buildPicture(std::shared_ptr<const SolveResult> solve, std::shared_ptr<const LandscapeResult> landscape,
                              const RegressionParams& view, Theme theme, WorkerPool& pool, bool contourLines) {
  LandscapePicture picture;
  picture.params = view;
  picture.theme = theme;
  picture.coarse = landscape->coarse;
  picture.valueRange = colourRange(*landscape, view.colorScale);

  HeatmapSeries heatmap = landscapeHeatmap(*solve, *landscape, view, picture.valueRange);
  picture.values.resize(heatmap.values.size());
  std::transform(heatmap.values.begin(), heatmap.values.end(), picture.values.begin(),
                 [](double v) { return static_cast<float>(v); });

  std::vector<double> levels;
  if (view.contourLevels > 0) levels = contourLevels(picture.valueRange, view.colorScale, view.contourLevels);
  for (double level : levels) picture.levels.push_back(static_cast<float>(toScale(view.colorScale, level)));
  Style contourStyle;
  if (!contourLines) contourStyle.color = Rgba{1.0f, 1.0f, 1.0f, 0.0f};  // labels only: the shader draws the lines
  std::vector<ContourSeries> contours = contoursInParallel(heatmap, levels, contourStyle, pool);

  picture.figure = landscapeFigure(*solve, std::move(heatmap), std::move(contours), theme);
  picture.solve = std::move(solve);
  picture.landscape = std::move(landscape);
  return picture;
}

JobFunction regressionJob(RegressionParams params, Theme theme, Reuse reuse, WorkerPool& pool,
                          std::shared_ptr<RegressionSnapshots> snapshots) {
  return [params, theme, reuse, &pool, snapshots](Progress& progress) -> Status {
    std::shared_ptr<const SolveResult> solve = reuse.solve;
    if (!solve || solve->theme != theme) {
      std::shared_ptr<SolveResult> fresh =
          solve ? std::make_shared<SolveResult>(*solve) : solveRegression(params, theme, progress);
      if (!fresh) return Status::Cancelled;
      fresh->theme = theme;
      fresh->figures = buildFigures(*fresh, theme);
      solve = std::move(fresh);
    }
    if (!snapshots->solve.publishUnlessCancelled(solve, progress)) return Status::Cancelled;

    const auto publish = [&](std::shared_ptr<const LandscapeResult> landscape) {
      if (progress.cancelled()) return;
      progress.setStage(landscape->coarse ? "landscape: contours of the preview" : "landscape: contours");
      auto picture = std::make_shared<const LandscapePicture>(
          buildPicture(solve, std::move(landscape), params, theme, pool, /*contourLines=*/false));
      snapshots->picture.publishUnlessCancelled(picture, progress);
    };
    if (reuse.landscape) {
      publish(reuse.landscape);
      return progress.cancelled() ? Status::Cancelled : Status::Success;
    }
    const GridSpec grid{params.gridPoints, solve->grid.span};
    return computeLandscapeProgressive(*solve->loss, solve->plane, grid, pool, progress, publish);
  };
}

}  // namespace attnlab
