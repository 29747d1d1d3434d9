#include "core/labs/bounds_compute.hpp"

#include "core/errors.hpp"
#include "core/random.hpp"
#include "core/regression/generate.hpp"

namespace attnlab {

Problem makeBoundsProblem(const BoundsLabParams& p) {
  GenerateSpec spec;
  spec.n = p.n;
  spec.d = p.d;
  spec.R = p.R;
  spec.seed = p.seed;
  Problem problem = generateProblem(p.kind, spec);
  // Both ‖A‖ and ‖x₀‖ at R, as in the sweep: the generated x = 0 would make the data
  // shift's Δ(Ax) = ΔA·0 vanish, and every step a zero step.
  Random rng(p.seed + kStartSeedOffset);
  Eigen::VectorXd g(p.d);
  for (Eigen::Index i = 0; i < p.d; ++i) g[i] = rng.normal();
  problem.x = (p.R / g.norm()) * g;
  return problem;
}

std::shared_ptr<BoundsRuns> computeBoundsRuns(const BoundsLabParams& params, Theme theme, Progress& progress) {
  validate(params);
  const Problem problem = makeBoundsProblem(params);
  auto out = std::make_shared<BoundsRuns>();
  out->params = params;
  out->theme = theme;
  // The shown shift first: its failure is the job's error.
  BoundsResult shown = runBounds(problem, boundsParamsFor(params, params.shift), progress);
  if (shown.status == Status::Cancelled) return nullptr;
  if (params.shift == Shift::Data) {
    // The targets figure needs b̃ too; a weight shift that overflows fails the job like the shown one.
    BoundsResult weight = runBounds(problem, boundsParamsFor(params, Shift::Weight), progress);
    if (weight.status == Status::Cancelled) return nullptr;
    out->weightShift = std::move(weight);
    out->dataShift = std::move(shown);
  } else {
    out->weightShift = std::move(shown);
    try {
      BoundsResult data = runBounds(problem, boundsParamsFor(params, Shift::Data), progress);
      if (data.status == Status::Cancelled) return nullptr;
      out->dataShift = std::move(data);
    } catch (const OverflowError& e) {
      // The data shift only feeds the targets figure: it says the run failed, the rest stands.
      out->dataShiftError = e.what();
    }
  }
  progress.setStage("bounds: figures");
  out->figures = buildBoundsFigures(out->shown(), out->weightShift, out->dataShift ? &*out->dataShift : nullptr, theme);
  return out;
}

JobFunction boundsRunsJob(BoundsLabParams params, Theme theme, std::shared_ptr<const BoundsRuns> reuse,
                          std::shared_ptr<BoundsSnapshots> snapshots) {
  if (reuse && !sameRuns(reuse->params, params)) reuse.reset();
  return [params, theme, reuse, snapshots](Progress& progress) -> Status {
    std::shared_ptr<const BoundsRuns> runs;
    if (reuse) {
      auto recoloured = std::make_shared<BoundsRuns>(*reuse);
      recoloured->params = params;
      recoloured->theme = theme;
      const BoundsResult* data = recoloured->dataShift ? &*recoloured->dataShift : nullptr;
      recoloured->figures = buildBoundsFigures(recoloured->shown(), recoloured->weightShift, data, theme);
      runs = std::move(recoloured);
    } else {
      runs = computeBoundsRuns(params, theme, progress);
    }
    if (!runs) return Status::Cancelled;
    return snapshots->runs.publishUnlessCancelled(runs, progress) ? Status::Success : Status::Cancelled;
  };
}

JobFunction slackSweepJob(BoundsLabParams params, Theme theme, std::shared_ptr<const SweepPicture> reuse,
                          WorkerPool& pool, std::shared_ptr<BoundsSnapshots> snapshots) {
  if (reuse && !sameSweep(reuse->params, params)) reuse.reset();
  return [params, theme, reuse, &pool, snapshots](Progress& progress) -> Status {
    validate(params);
    progress.setStage("slack sweep over " + std::string(sweepAxisName(params.sweepAxis)));
    auto picture = std::make_shared<SweepPicture>();
    picture->params = params;
    picture->theme = theme;
    picture->sweep = reuse ? reuse->sweep : sweepSlack(sweepParamsFor(params), pool, progress);
    // A cancelled sweep's lines are incomplete and must not be shown (slack_sweep.hpp).
    if (picture->sweep.status == Status::Cancelled) return Status::Cancelled;
    picture->figure = sweepFigure(picture->sweep, theme);
    return snapshots->sweep.publishUnlessCancelled(std::shared_ptr<const SweepPicture>(std::move(picture)), progress)
               ? Status::Success
               : Status::Cancelled;
  };
}

}  // namespace attnlab
