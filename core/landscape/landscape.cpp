#include "core/landscape/landscape.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <string>

#include "core/errors.hpp"
#include "core/landscape/vector_grid.hpp"

namespace attnlab {
namespace {

using Eigen::Index;
using Eigen::VectorXd;

constexpr double kCoarseBudgetFlops = 2e8;
constexpr int kCoarseMaxPoints = 64;
constexpr double kTaskFlops = 2e6;  // an attention task: ~1 ms, well inside the ~10 ms poll

// Flops of one grid point: the separable form's three n-term sums, or an attention loss
// (A₁X: n·d², (A₁X)A₂ᵀ: n²·d, and ~20 flops per exponential of the n² logits).
double pointFlops(const Problem& p) {
  const double n = double(p.n()), d = double(p.d());
  return isAttentionKind(p.kind) ? 2.0 * n * d * (n + d) + 20.0 * n * n : 6.0 * n;
}

void requirePlaneFits(const Plane& plane, Index dim) {
  auto check = [&](const VectorXd& v, const char* field) {
    if (v.size() != dim)
      throw InputError("has " + std::to_string(v.size()) + " entries, the problem has " + std::to_string(dim) +
                           " parameters",
                       InputLocation{.file = "", .field = field, .row = std::nullopt, .column = std::nullopt});
  };
  check(plane.x0, "plane.x0");
  check(plane.u, "plane.u");
  check(plane.v, "plane.v");
}

// Attention kinds: Loss::value at every point, in tasks of ~kTaskFlops (points, not rows, since
// one row of a large problem can take seconds).
Status attentionGridLoss(const Loss& L, const Plane& plane, const VectorXd& s, const VectorXd& t, WorkerPool& pool,
                         Progress& progress, GridValues& loss) {
  const Index Ns = s.size(), points = s.size() * t.size();
  loss.resize(t.size(), Ns);
  const Index grain = std::max<Index>(1, Index(kTaskFlops / pointFlops(L.problem())));
  std::atomic<Index> done{0};
  pool.parallelFor(0, points, grain, [&](Index b, Index e) {
    VectorXd x(plane.x0.size());
    for (Index k = b; k < e; ++k) {
      const Index j = k / Ns, i = k % Ns;
      x = plane.x0 + s(i) * plane.u + t(j) * plane.v;
      loss(j, i) = L.value(x);
    }
    progress.setFraction(double(done += e - b) / double(points));
  }, &progress);
  return progress.cancelled() ? Status::Cancelled : Status::Success;
}

// lossMin/lossMax/argmin, scanning j then i as numpy's argmin does on loss[j][i].
void summarise(LandscapeResult& r) {
  r.lossMin = r.loss(0, 0);
  r.lossMax = r.loss(0, 0);
  for (Index j = 0; j < r.loss.rows(); ++j)
    for (Index i = 0; i < r.loss.cols(); ++i) {
      const double v = r.loss(j, i);
      if (v < r.lossMin) {
        r.lossMin = v;
        r.argminI = i;
        r.argminJ = j;
      }
      r.lossMax = std::max(r.lossMax, v);
    }
}

}  // namespace

LandscapeResult computeLandscape(const Loss& loss, const Plane& plane, const GridSpec& grid, WorkerPool& pool,
                                 Progress& progress, const Trajectory* trajectory) {
  validate(grid);
  requirePlaneFits(plane, loss.dim());
  LandscapeResult r;
  r.kind = loss.kind();
  r.plane = plane;
  r.grid = grid;
  r.s = gridAxis(grid);
  r.t = r.s;
  if (isAttentionKind(loss.kind())) {
    r.status = attentionGridLoss(loss, plane, r.s, r.t, pool, progress, r.loss);
  } else {
    detail::VectorGridStats stats;
    r.status = detail::vectorGridLoss(loss.problem(), plane, r.s, r.t, pool, progress, r.loss, &stats);
    r.recomputedPoints = stats.recomputed;
  }
  if (r.status != Status::Success) return r;
  summarise(r);
  if (trajectory) r.trajectory = projectTrajectory(plane, *trajectory);
  progress.setFraction(1.0);
  return r;
}

int coarseGridPoints(const Problem& problem, int points) {
  const double side = std::sqrt(kCoarseBudgetFlops / pointFlops(problem));
  const int coarse = std::clamp(int(side), 2, kCoarseMaxPoints);
  return std::min(coarse, points);
}

Status computeLandscapeProgressive(const Loss& loss, const Plane& plane, const GridSpec& grid, WorkerPool& pool,
                                   Progress& progress, const LandscapePublisher& publish, const Trajectory* trajectory) {
  validate(grid);
  const int coarse = coarseGridPoints(loss.problem(), grid.points);
  if (coarse < grid.points) {
    progress.setStage("landscape: preview");
    auto preview = std::make_shared<LandscapeResult>(
        computeLandscape(loss, plane, GridSpec{coarse, grid.span}, pool, progress, trajectory));
    if (preview->status != Status::Success || progress.cancelled()) return Status::Cancelled;
    preview->coarse = true;
    publish(std::move(preview));
  }
  progress.setStage("landscape");
  progress.setFraction(0.0);
  auto full = std::make_shared<LandscapeResult>(computeLandscape(loss, plane, grid, pool, progress, trajectory));
  if (full->status != Status::Success || progress.cancelled()) return Status::Cancelled;
  publish(std::move(full));
  return Status::Success;
}

JobFunction landscapeJob(std::shared_ptr<const Loss> loss, Plane plane, GridSpec grid, WorkerPool& pool,
                         std::shared_ptr<Snapshot<LandscapeResult>> snapshot,
                         std::shared_ptr<const Trajectory> trajectory) {
  return [loss = std::move(loss), plane = std::move(plane), grid, &pool, snapshot = std::move(snapshot),
          trajectory = std::move(trajectory)](Progress& progress) {
    const auto publish = [&](std::shared_ptr<const LandscapeResult> r) {
      snapshot->publishUnlessCancelled(std::move(r), progress);
    };
    return computeLandscapeProgressive(*loss, plane, grid, pool, progress, publish, trajectory.get());
  };
}

}  // namespace attnlab
