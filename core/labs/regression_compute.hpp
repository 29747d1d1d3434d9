// The regression lab's computation (architecture.md, "One lab, end to end", piece 2), as
// one cancellable job that "latest wins": build the problem, run the chosen solvers, pick a
// plane that holds their trajectories, then the landscape — coarse first, then refined —
// and the figures of all of it. Each stage is published as an immutable snapshot the
// moment it is ready; a job started for a smaller change reuses what is still valid (the
// solve when only the grid changed, the landscape too when only the view did).
//
// Nothing here touches ImGui or OpenGL: the window draws the snapshots, the tests inspect
// them, and the same functions could serve `attnlab export`.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "core/labs/regression_params.hpp"
#include "core/figure/figure.hpp"
#include "core/jobs/job.hpp"
#include "core/jobs/snapshot.hpp"
#include "core/landscape/landscape.hpp"
#include "core/regression/loss.hpp"

namespace attnlab {

struct SolverRun {
  SolverId id = SolverId::GradientDescent;
  Status status = Status::Success;
  int iterations = 0;
  double seconds = 0.0;
  std::string detail;                     // what the solver reports beyond its status
  Trajectory trajectory;                  // every iterate, t = 0 … iterations
  std::vector<TrajectoryPoint> onPlane;   // the iterates seen from the landscape's plane
};

struct RegressionFigures {
  Figure loss;      // "loss": L(xₜ) − L* per solver, log axis
  Figure gradNorm;  // "grad_norm": ‖∇L(xₜ)‖ per solver, log axis
  Figure distance;  // "plane_distance": how far each iterate lies off the plane
};

struct SolveResult {
  RegressionParams params;              // the parameters it was computed for
  Theme theme = Theme::Light;           // the theme its figures are coloured for
  std::shared_ptr<const Loss> loss;
  Eigen::VectorXd start;                // x₀ of every solver
  std::vector<SolverRun> runs;          // the enabled solvers, in kAllSolvers order
  Plane plane;                          // where the landscape is drawn
  GridSpec grid;                        // its span holds every trajectory
  bool trueSurface = false;             // two parameters: the plane is the whole space
  double bestLoss = 0.0;                // L*: the lowest loss any iterate reached
  RegressionFigures figures;
};

struct LandscapePicture {
  RegressionParams params;  // the parameters (with the view) it was drawn for
  Theme theme = Theme::Light;
  std::shared_ptr<const SolveResult> solve;
  std::shared_ptr<const LandscapeResult> landscape;
  std::vector<float> values;     // the grid row-major for the GPU: values[j·N + i] = L(s_i, t_j)
  std::vector<float> levels;     // isoline levels on the colour scale (log10 on a log scale)
  Range valueRange;              // the values at the ends of the colormap
  Figure figure;                 // "landscape": heatmap, labelled contours, trajectories
  bool coarse = false;           // a preview; the refined grid is on its way
};

// Where the lab's job publishes. Shared by the lab and its jobs, so a job that outlives the
// panel (it is cancelled, but finishes its current task) still writes somewhere valid.
struct RegressionSnapshots {
  Snapshot<SolveResult> solve;
  Snapshot<LandscapePicture> picture;
};

// The problem the parameters describe: a generated instance started at startRadius·(a
// seeded unit direction), or a problem file (cli.md, "Problems") with its own x.
// Throws InputError for bad files or settings.
Problem makeProblem(const RegressionParams& params);

// Runs the enabled solvers and chooses the plane; null when cancelled.
std::shared_ptr<SolveResult> solveRegression(const RegressionParams& params, Theme theme, Progress& progress);

// The picture of a landscape: the grid for the GPU, its colour range and isolines, and the
// figure. `contourLines` false leaves the contour polylines invisible (labels only): the
// window's shader draws the lines itself, at every zoom.
LandscapePicture buildPicture(std::shared_ptr<const SolveResult> solve, std::shared_ptr<const LandscapeResult> landscape,
                              const RegressionParams& view, Theme theme, WorkerPool& pool, bool contourLines);

// The curves' figures for a solve, coloured for `theme`.
RegressionFigures buildFigures(const SolveResult& solve, Theme theme);

// What the next job may reuse of the latest snapshots (null members: recompute).
struct Reuse {
  std::shared_ptr<const SolveResult> solve;
  std::shared_ptr<const LandscapeResult> landscape;
};

// The job: from `params`, reusing what `reuse` holds. Publishes through publishUnlessCancelled.
JobFunction regressionJob(RegressionParams params, Theme theme, Reuse reuse, WorkerPool& pool,
                          std::shared_ptr<RegressionSnapshots> snapshots);

}  // namespace attnlab
