// Loss landscapes: L on an N×N grid of a plane x0 + s·u + t·v (grid.hpp), for the regression
// lab's window and for `attnlab landscape` (cli.md).
//
// Vector kinds cost O(n) per point after one O(nd) pass, done as matrix products in the
// separable form (vector_grid.hpp) and exact to 1e−9·max|L| against Loss::value. Attention
// kinds are evaluated point by point with Loss::value, O(n²d + nd²) each: their logits
// A₁XA₂ᵀ are bilinear in X, so a plane gives Z = Z₀ + s·Z_u + t·Z_v, but each point still
// needs n² exponentials, which no separable product removes — the direct form is within a
// small factor of the best possible and keeps one code path for them. Both run on the pool,
// split into tasks of ~1 ms or less (grid rows, or points for the attention kinds), and stop
// at the next task once the Progress is cancelled.
#pragma once
#include <Eigen/Dense>
#include <functional>
#include <memory>
#include <vector>

#include "core/jobs/job.hpp"
#include "core/jobs/progress.hpp"
#include "core/jobs/snapshot.hpp"
#include "core/jobs/worker_pool.hpp"
#include "core/landscape/grid.hpp"
#include "core/landscape/plane.hpp"
#include "core/regression/loss.hpp"
#include "core/solvers/solver.hpp"
#include "core/status.hpp"

namespace attnlab {

struct LandscapeResult {
  Status status = Status::Success;  // Cancelled: the job stopped early, loss is unspecified
  Kind kind = Kind::Softmax;
  Plane plane;                      // the x0, u, v actually used
  GridSpec grid;
  Eigen::VectorXd s, t;             // the grid's axes (gridAxis)
  GridValues loss;                  // N×N, loss(j, i) = L(x0 + s_i·u + t_j·v): rows follow t
  double lossMin = 0.0, lossMax = 0.0;
  Eigen::Index argminI = 0, argminJ = 0;  // first minimum with j, then i, increasing
  std::vector<TrajectoryPoint> trajectory;  // the trajectory seen from the plane, if one was given
  bool coarse = false;              // a preview of a finer grid still being computed
  Eigen::Index recomputedPoints = 0;  // vector kinds: points evaluated exactly (diagnostics)
};

// Computes the landscape synchronously on the pool (the calling thread helps). Throws
// InputError when the plane does not fit the problem or the grid is out of range, and
// OverflowError when the loss at a grid point does not fit in a double.
LandscapeResult computeLandscape(const Loss& loss, const Plane& plane, const GridSpec& grid, WorkerPool& pool,
                                 Progress& progress, const Trajectory* trajectory = nullptr);

// Called with each finished stage: the coarse preview, then the full grid.
using LandscapePublisher = std::function<void(std::shared_ptr<const LandscapeResult>)>;

// Progressive refinement for the window: a coarse grid of coarseGridPoints() points per side
// (same span) is published first, so the plot appears within ~50 ms, then the full grid. Nothing
// is published once the progress is cancelled. Returns the final status; throws as computeLandscape.
Status computeLandscapeProgressive(const Loss& loss, const Plane& plane, const GridSpec& grid, WorkerPool& pool,
                                   Progress& progress, const LandscapePublisher& publish,
                                   const Trajectory* trajectory = nullptr);

// The preview's N: the largest N_c ≤ min(N, 64) whose grid costs about 2·10⁸ flops or less
// (~50 ms on a loaded core), at least 2. Equal to N means no separate preview.
int coarseGridPoints(const Problem& problem, int points);

// computeLandscapeProgressive as a job (job.hpp): each stage goes to snapshot through
// publishUnlessCancelled, so a superseded job can never overwrite a newer picture.
JobFunction landscapeJob(std::shared_ptr<const Loss> loss, Plane plane, GridSpec grid, WorkerPool& pool,
                         std::shared_ptr<Snapshot<LandscapeResult>> snapshot,
                         std::shared_ptr<const Trajectory> trajectory = nullptr);

}  // namespace attnlab
