// The shift-bound lab's computation (architecture.md, "One lab, end to end", piece 2): two
// cancellable jobs that "latest wins", each publishing an immutable snapshot.
//   runs  — both shifts on the same problem (the shown one first), and the figures: the
//           targets figure needs b̃ and b̂ side by side, so the other shift always runs too.
//   sweep — sweepSlack over R, n or the step size on the worker pool (many runs; slower).
// Nothing here touches ImGui or OpenGL: the window draws the snapshots, tests inspect them.
#pragma once
#include <memory>
#include <optional>
#include <string>

#include "core/labs/bounds_figures.hpp"
#include "core/labs/bounds_params.hpp"
#include "core/jobs/job.hpp"
#include "core/jobs/snapshot.hpp"
#include "core/regression/problem.hpp"

namespace attnlab {

struct BoundsRuns {
  BoundsLabParams params;                // what it was computed for
  Theme theme = Theme::Light;            // what its figures are coloured for
  BoundsResult weightShift;
  std::optional<BoundsResult> dataShift; // empty when it left double precision
  std::string dataShiftError;            // why, then
  BoundsFigures figures;

  const BoundsResult& shown() const { return params.shift == Shift::Weight ? weightShift : *dataShift; }
};

struct SweepPicture {
  BoundsLabParams params;
  Theme theme = Theme::Light;
  SlackSweep sweep;
  Figure figure;  // "slack_sweep"
};

// Shared by the lab and its jobs, so a job that outlives the panel still writes somewhere valid.
struct BoundsSnapshots {
  Snapshot<BoundsRuns> runs;
  Snapshot<SweepPicture> sweep;
};

// generateProblem(kind, {n, d, R, seed}) started at x₀ = R·g/‖g‖, g Gaussian from
// Random(seed + kStartSeedOffset): exactly the sweep's instance 0 (slack_sweep.hpp).
Problem makeBoundsProblem(const BoundsLabParams& params);

// Both runs and the figures; null when cancelled. Throws what runBounds throws for the
// shown shift (InputError, OverflowError); the other shift's overflow is kept as a note.
std::shared_ptr<BoundsRuns> computeBoundsRuns(const BoundsLabParams& params, Theme theme, Progress& progress);

// The jobs. `reuse`, when it was computed for the same runs (sweep), is only recoloured:
// a theme change rebuilds the figures, not the numbers.
JobFunction boundsRunsJob(BoundsLabParams params, Theme theme, std::shared_ptr<const BoundsRuns> reuse,
                          std::shared_ptr<BoundsSnapshots> snapshots);
JobFunction slackSweepJob(BoundsLabParams params, Theme theme, std::shared_ptr<const SweepPicture> reuse,
                          WorkerPool& pool, std::shared_ptr<BoundsSnapshots> snapshots);

}  // namespace attnlab
