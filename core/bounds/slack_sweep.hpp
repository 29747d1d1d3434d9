// Sweeps of the slack — log10(bound) − log10(measured), in orders of magnitude — against R, n
// or the step size, one line per bound (issue 4: "sweeps of the slack against R, n and the step
// size, computed on the job pool"). Each point runs the shift on `instances` seeded random
// problems and keeps, per bound, the smallest slack over every instance and step: the worst
// case, which is how close the bound comes to the truth.
//
// Instance k of a point: generateProblem(kind, {n, d, R, seed + k}) (‖A‖ = R, b a probability
// vector), started at x = R·g/‖g‖ with g Gaussian from Random(seed + k + kStartSeedOffset), so
// ‖A‖ and ‖x₀‖ both sit at the swept R; the run's own seed (lsa, random) is bounds.seed + k. R
// of the bounds is the run's default, max(4, ‖A_t‖, ‖x_t‖). The same seeds at every point (common
// random numbers), so a line's wiggles come from the swept value, not from the draw.
#pragma once
#include <Eigen/Dense>
#include <cstdint>
#include <vector>

#include "core/bounds/bounds_lab.hpp"
#include "core/bounds/bounds_params.hpp"
#include "core/jobs/worker_pool.hpp"
#include "core/regression/kind.hpp"

namespace attnlab {

enum class SweepAxis {
  R,         // ‖A‖ = ‖x₀‖ = value
  N,         // rows of A: value, rounded to an integer ≥ 1
  StepSize,  // η (lr), and s (scale) for the random data shift
};

inline constexpr std::uint64_t kStartSeedOffset = 0x5eed5eedULL;

struct SlackSweepParams {
  SweepAxis axis = SweepAxis::R;
  std::vector<double> values;  // the swept values, in plotting order
  Kind kind = Kind::Softmax;   // a vector kind
  Eigen::Index n = 16;
  Eigen::Index d = 4;
  double R = 4.0;
  BoundsParams bounds;         // shift, lr, steps, update, scale, seed; its R is ignored
  int instances = 4;           // ≥ 1
  std::uint64_t seed = 0;

  bool operator==(const SlackSweepParams&) const = default;
};

struct SlackSweep {
  Status status = Status::Success;  // Cancelled: the lines are incomplete and must not be shown
  SweepAxis axis = SweepAxis::R;
  std::vector<double> values;
  // Per value, the smallest slack of each bound; NaN where nothing nonzero was measured or
  // every instance overflowed double precision (a gap in the line).
  std::vector<double> part1, part2, lemma, theorem, sharp;
  // Per value: every step of every instance satisfied all the hypotheses (else the point is
  // drawn as "not guaranteed").
  std::vector<bool> guaranteed;
};

// Runs the values × instances runs on the pool (parallelFor; the calling thread helps), polls
// progress for cancellation between and within runs and reports the fraction of runs done.
// Throws InputError for an attention kind, instances < 1, or out-of-range params.
SlackSweep sweepSlack(const SlackSweepParams& params, WorkerPool& pool, Progress& progress);

}  // namespace attnlab
