#include "core/bounds/slack_sweep.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <string>

#include "core/errors.hpp"
#include "core/random.hpp"
#include "core/regression/generate.hpp"

namespace attnlab {
namespace {

using Eigen::Index;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// One run's contribution: its smallest slacks, and whether its hypotheses held throughout.
struct RunSlack {
  BoundSlack slack{kNaN, kNaN, kNaN, kNaN, kNaN};
  bool guaranteed = false;
  bool completed = false;  // false: the run overflowed double precision (or was cancelled)
};

InputLocation sweepField(const char* name) {
  return InputLocation{.file = {}, .field = std::string("sweep.") + name, .row = {}, .column = {}};
}

void checkSweep(const SlackSweepParams& p) {
  if (isAttentionKind(p.kind))
    throw InputError("the shift bounds are defined for the vector kinds only", sweepField("kind"));
  if (p.instances < 1) throw InputError("must be ≥ 1", sweepField("instances"));
  for (std::size_t i = 0; i < p.values.size(); ++i) {
    const double v = p.values[i];
    if (!std::isfinite(v) || v <= 0.0)
      throw InputError("must be a finite number > 0", InputLocation{.file = {}, .field = "sweep.values",
                                                                    .row = static_cast<long long>(i), .column = {}});
  }
}

Problem sweepInstance(const SlackSweepParams& p, double value, int k) {
  GenerateSpec spec;
  spec.n = p.axis == SweepAxis::N ? std::max<Index>(1, std::llround(value)) : p.n;
  spec.d = p.d;
  spec.R = p.axis == SweepAxis::R ? value : p.R;
  spec.seed = p.seed + static_cast<std::uint64_t>(k);
  Problem problem = generateProblem(p.kind, spec);
  Random rng(spec.seed + kStartSeedOffset);
  Eigen::VectorXd g(spec.d);
  for (Index i = 0; i < spec.d; ++i) g[i] = rng.normal();
  problem.x = (spec.R / g.norm()) * g;
  return problem;
}

BoundsParams sweepRunParams(const SlackSweepParams& p, double value, int k) {
  BoundsParams b = p.bounds;
  b.R.reset();
  b.seed = p.bounds.seed + static_cast<std::uint64_t>(k);
  if (p.axis == SweepAxis::StepSize) {
    b.lr = value;
    b.scale = value;
  }
  return b;
}

RunSlack runOne(const SlackSweepParams& p, double value, int k, const Progress& progress) {
  RunSlack out;
  try {
    const BoundsResult r = detail::runBoundsQuietly(sweepInstance(p, value, k), sweepRunParams(p, value, k), progress);
    if (r.status != Status::Success) return out;
    out.slack = minimalSlack(r.steps);
    out.guaranteed = std::all_of(r.steps.begin(), r.steps.end(), [](const StepBounds& s) { return s.hypotheses.all(); });
    out.completed = true;
  } catch (const OverflowError&) {
    // Large R with the exp kinds: this instance leaves a gap, the others still count.
  }
  return out;
}

// Per value, the smallest slack over its instances (fmin skips NaN) and whether all held.
SlackSweep reduce(const SlackSweepParams& p, const std::vector<RunSlack>& runs) {
  SlackSweep out;
  out.axis = p.axis;
  out.values = p.values;
  for (std::size_t v = 0; v < p.values.size(); ++v) {
    BoundSlack m{kNaN, kNaN, kNaN, kNaN, kNaN};
    bool guaranteed = true, anyCompleted = false;
    for (int k = 0; k < p.instances; ++k) {
      const RunSlack& r = runs[v * static_cast<std::size_t>(p.instances) + static_cast<std::size_t>(k)];
      if (!r.completed) continue;
      anyCompleted = true;
      guaranteed = guaranteed && r.guaranteed;
      m = {std::fmin(m.part1, r.slack.part1), std::fmin(m.part2, r.slack.part2), std::fmin(m.lemma, r.slack.lemma),
           std::fmin(m.theorem, r.slack.theorem), std::fmin(m.sharp, r.slack.sharp)};
    }
    out.part1.push_back(m.part1);
    out.part2.push_back(m.part2);
    out.lemma.push_back(m.lemma);
    out.theorem.push_back(m.theorem);
    out.sharp.push_back(m.sharp);
    out.guaranteed.push_back(anyCompleted && guaranteed);
  }
  return out;
}

}  // namespace

SlackSweep sweepSlack(const SlackSweepParams& params, WorkerPool& pool, Progress& progress) {
  checkSweep(params);
  checkBoundsParams(sweepRunParams(params, params.values.empty() ? 1.0 : params.values.front(), 0));
  progress.setStage("bounds: slack sweep");
  const auto instances = static_cast<std::size_t>(params.instances);
  const auto total = static_cast<WorkerPool::Index>(params.values.size() * instances);
  std::vector<RunSlack> runs(static_cast<std::size_t>(total));
  std::atomic<WorkerPool::Index> done{0};
  pool.parallelFor(
      0, total, 1,
      [&](WorkerPool::Index begin, WorkerPool::Index end) {
        for (WorkerPool::Index i = begin; i < end && !progress.cancelled(); ++i) {
          const auto u = static_cast<std::size_t>(i);
          runs[u] = runOne(params, params.values[u / instances], static_cast<int>(u % instances), progress);
          progress.setFraction(static_cast<double>(++done) / static_cast<double>(total));
        }
      },
      &progress);
  if (progress.cancelled()) {
    SlackSweep cancelled;
    cancelled.status = Status::Cancelled;
    cancelled.axis = params.axis;
    return cancelled;
  }
  progress.setFraction(1.0);  // the workers' last reports may land out of order
  return reduce(params, runs);
}

}  // namespace attnlab
