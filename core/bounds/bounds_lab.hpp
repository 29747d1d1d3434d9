// The shift-bound lab's compute function (architecture.md, "One lab"; math.md §2; cli.md
// `bounds`): T steps of the weight shift (gradient descent on x) or the data shift (x fixed, A
// moved), each measured against the bounds of 000 Lemma 5.5 / 7.5, Thm 8.1 / 8.2 and the
// sharp Jacobian bound.
//
// Per step t (iterate t → t+1): Δ = x_{t+1} − x_t or A_{t+1} − A_t; δb, δb,1, δb,2 measured
// stably (prediction_shift.hpp); β = min(α_t, α_{t+1}), kept as log β since α overflows once
// Ax > 709; every bound as log10 (shift_bounds.hpp); the hypotheses at both ends of the step.
// R is --R if given, else max(4, ‖A_t‖, ‖x_t‖) over every iterate of the run — so the run
// measures everything R-free first and applies R once it is known.
//
// The "new targets" (000 Thm 8.1 / 8.2): moving x_t → x_{t+1} fits f(x_t) to b̃ = b − δb exactly
// as well as f(x_{t+1}) fits b; over T steps b̃ = b − Σδb = b − (f(end) − f(start)). The data
// shift gives b̂ the same way.
#pragma once
#include <Eigen/Dense>
#include <optional>
#include <vector>

#include "core/bounds/bounds_params.hpp"
#include "core/jobs/progress.hpp"
#include "core/regression/problem.hpp"
#include "core/status.hpp"

namespace attnlab {

// The hypotheses of Lemma 5.5 / 7.5 and Thm 8.1 / 8.2, each at both ends of the step.
struct ShiftHypotheses {
  bool RAtLeast4 = false;      // R ≥ 4
  bool ANormAtMostR = false;   // ‖A_t‖, ‖A_{t+1}‖ ≤ R
  bool xNormAtMostR = false;   // ‖x_t‖, ‖x_{t+1}‖ ≤ R
  bool smallStep = false;      // ‖A(x_{t+1} − x_t)‖_∞ < 0.01, or ‖(A_{t+1} − A_t)x‖_∞ < 0.01
  bool all() const { return RAtLeast4 && ANormAtMostR && xNormAtMostR && smallStep; }
};

inline constexpr double kSmallStepLimit = 0.01;  // 000 Lemma 5.6 / 7.6: |e^h − 1| ≤ 2|h| below it

struct StepBounds {
  long long t = 0;
  // Measured, independent of R.
  double stepNorm = 0.0;       // ‖Δx‖₂, or ‖ΔA‖ spectral
  double dbNorm = 0.0;         // ‖δb‖
  double db1Norm = 0.0;        // ‖δb,1‖
  double db2Norm = 0.0;        // ‖δb,2‖
  double logBeta = 0.0;        // ln β, β = min(α_t, α_{t+1})
  double logitShiftInf = 0.0;  // ‖AΔx‖_∞ or ‖ΔA·x‖_∞, the small-step quantity
  double normA = 0.0;          // max(‖A_t‖, ‖A_{t+1}‖)
  double normX = 0.0;          // max(‖x_t‖, ‖x_{t+1}‖)
  double sharp = 0.0;          // ½‖A‖·‖Δx‖ or ½‖ΔA·x‖
  bool zeroStep = false;       // ‖Δ‖ = 0: the log10 bounds use the floor of shift_bounds.hpp
  // The bounds at the run's R, base-10 logs, and their constant factors (bound ÷ ‖Δ‖, or ÷ ‖Δx‖²
  // for Thm 8.1).
  double log10Part1 = 0.0, log10Part2 = 0.0, log10Lemma = 0.0, log10Theorem = 0.0;
  double log10Part1Factor = 0.0, log10Part2Factor = 0.0, log10LemmaFactor = 0.0, log10TheoremFactor = 0.0;
  ShiftHypotheses hypotheses;

  double log10Beta() const;
  // β itself when it is a positive finite double; empty once α over- or underflows.
  std::optional<double> beta() const;
};

// log10(bound) − log10(measured): how many orders of magnitude each bound leaves (theorem:
// against ‖δb‖²). NaN where the measured quantity is 0 (no slack to speak of).
struct BoundSlack {
  double part1 = 0.0, part2 = 0.0, lemma = 0.0, theorem = 0.0, sharp = 0.0;
};
BoundSlack slackOf(const StepBounds& step);
// The smallest slack of each bound over the steps (NaN if none measured a nonzero quantity).
BoundSlack minimalSlack(const std::vector<StepBounds>& steps);

struct BoundsResult {
  Status status = Status::Success;  // Cancelled: steps is empty
  Shift shift = Shift::Weight;
  Eigen::Index n = 0, d = 0;
  double R = 4.0;                   // the R every bound and hypothesis used
  std::vector<StepBounds> steps;    // exactly T entries
  Eigen::VectorXd b;                // the problem's target
  Eigen::VectorXd totalShift;       // Σ_t δb_t = f(last iterate) − f(first)
  Eigen::VectorXd newTarget() const { return b - totalShift; }  // b̃ (weight shift) or b̂ (data shift)
};

// Runs the shift of params on a vector-kind problem. Throws InputError for an attention kind
// or out-of-range params (checkBoundsParams), a run too large for memory, or a bad problem
// (validate); OverflowError (naming the quantity and step) when an iterate, a gradient or
// δb leaves double precision. Polls progress for cancellation every step.
BoundsResult runBounds(const Problem& problem, const BoundsParams& params, Progress& progress);

// b, b̃ and b̂ side by side, the figure of the paper's point: both learners move the target by
// a bounded amount. The runs must be of the same problem (same b).
struct NewTargets {
  Eigen::VectorXd b;
  Eigen::VectorXd weightShift;  // b̃ = b − δb (x moved)
  Eigen::VectorXd dataShift;    // b̂ = b − δb (A moved)
};
NewTargets newTargets(const BoundsResult& weightShift, const BoundsResult& dataShift);

namespace detail {
// runBounds that only polls progress.cancelled() and reports nothing: for jobs (slack sweeps)
// that run many of them under one Progress.
BoundsResult runBoundsQuietly(const Problem& problem, const BoundsParams& params, const Progress& progress);
}  // namespace detail

}  // namespace attnlab
