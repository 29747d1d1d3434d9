// [SECTION] one step: measurement (R-free) and bounds (at R)
// [SECTION] the two shifts
// [SECTION] runBounds, slack, new targets
#include "core/bounds/bounds_lab.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <string>

#include "core/bounds/data_shift.hpp"
#include "core/bounds/prediction_shift.hpp"
#include "core/bounds/shift_bounds.hpp"
#include "core/bounds/spectral_norm.hpp"
#include "core/errors.hpp"
#include "core/io/matrix_files.hpp"
#include "core/regression/loss.hpp"

namespace attnlab {
namespace {

using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Polls for cancellation each step and, for runBounds, reports the fraction done.
struct StepPoll {
  const Progress& progress;
  Progress* reporter;  // null: quiet
  long long total;

  bool cancelled(long long t) const {
    if (reporter && total > 0) reporter->setFraction(static_cast<double>(t) / static_cast<double>(total));
    return progress.cancelled();
  }
};

// [SECTION] one step: measurement (R-free) and bounds (at R) -------------------------------

void requireFiniteStep(const StepBounds& s) {
  const auto check = [&](double v, const char* quantity) {
    if (!std::isfinite(v)) throw OverflowError(std::string(quantity) + " at step " + std::to_string(s.t));
  };
  check(s.stepNorm, "the step norm ‖Δ‖");
  check(s.dbNorm, "‖δb‖");
  check(s.db1Norm, "‖δb,1‖");
  check(s.db2Norm, "‖δb,2‖");
  check(s.logBeta, "log β");
  check(s.sharp, "the sharp bound");
}

// What step t measures when the logits move z → z + dz (dz from the step itself: AΔx or ΔA·x).
StepBounds measureStep(long long t, const VectorXd& z, const VectorXd& dz, double stepNorm, VectorXd& totalShift) {
  const PredictionShift s = measurePredictionShift(z, dz);
  StepBounds step;
  step.t = t;
  step.stepNorm = stepNorm;
  step.zeroStep = stepNorm == 0.0;
  step.dbNorm = s.deltaB.stableNorm();
  step.db1Norm = s.deltaB1.stableNorm();
  step.db2Norm = s.deltaB2.stableNorm();
  step.logBeta = std::min(s.logAlpha, s.logAlphaNext);
  step.logitShiftInf = dz.size() > 0 ? dz.cwiseAbs().maxCoeff() : 0.0;
  totalShift += s.deltaB;
  return step;
}

// The bounds and hypotheses of a measured step, once the run's R is known.
void applyRadius(StepBounds& step, Shift shift, Index n, double R) {
  const double nn = static_cast<double>(n);
  step.log10Part1Factor = lemma55Part1Factor(step.logBeta, nn, R);
  step.log10Part2Factor = lemma55Part2Factor(step.logBeta, nn, R);
  step.log10LemmaFactor = lemma55Part3Factor(step.logBeta, nn, R);
  step.log10TheoremFactor = theoremM(nn, R);
  step.log10Part1 = shiftBoundLemma55Part1(step.logBeta, nn, R, step.stepNorm);
  step.log10Part2 = shiftBoundLemma55Part2(step.logBeta, nn, R, step.stepNorm);
  step.log10Lemma = shiftBoundLemma55Part3(step.logBeta, nn, R, step.stepNorm);
  step.log10Theorem = shift == Shift::Weight ? theorem81Bound(nn, R, step.stepNorm) : theorem82Bound(nn, R, step.stepNorm);
  step.hypotheses = {.RAtLeast4 = R >= 4.0,
                     .ANormAtMostR = step.normA <= R,
                     .xNormAtMostR = step.normX <= R,
                     .smallStep = step.logitShiftInf < kSmallStepLimit};
}

template <class Derived>
void requireFiniteIterate(const Eigen::DenseBase<Derived>& m, const char* name, long long t) {
  if (!m.allFinite()) throw OverflowError(std::string(name) + " after step " + std::to_string(t));
}

// [SECTION] the two shifts -----------------------------------------------------------------

// Gradient descent on x (000 §5.1 with the Errata's sign: x_{t+1} = x_t − η∇L(x_t)).
// Returns max(‖A‖, ‖x_t‖) over the iterates (A is fixed).
double runWeightShift(const Problem& p, const BoundsParams& params, const StepPoll& poll, BoundsResult& out) {
  const Loss loss(p);
  const double normA = spectralNorm(p.A);
  VectorXd x = p.x;
  VectorXd z = p.A * x;
  double normX = x.stableNorm();
  double maxNormX = normX;
  for (long long t = 0; t < params.steps; ++t) {
    if (poll.cancelled(t)) break;
    const VectorXd next = x - params.lr * loss.gradient(x);
    requireFiniteIterate(next, "x", t);
    const VectorXd dx = next - x;  // exact (Sterbenz) where the step is small
    const double normNext = next.stableNorm();
    StepBounds step = measureStep(t, z, p.A * dx, dx.stableNorm(), out.totalShift);
    step.normA = normA;
    step.normX = std::max(normX, normNext);
    step.sharp = sharpBoundWeightShift(normA, step.stepNorm);
    requireFiniteStep(step);
    out.steps.push_back(step);
    x = next;
    z = p.A * x;
    normX = normNext;
    maxNormX = std::max(maxNormX, normX);
  }
  return std::max(normA, maxNormX);
}

// x fixed, A_t → A_{t+1} by gd, lsa or random (data_shift.hpp). Returns max(‖A_t‖, ‖x‖).
double runDataShift(const Problem& p, const BoundsParams& params, const StepPoll& poll, BoundsResult& out) {
  DataShiftUpdate update(p, params);
  const VectorXd& x = p.x;
  const double normX = x.stableNorm();
  MatrixXd A = p.A;
  double normA = spectralNorm(A);
  double maxNorm = std::max(normA, normX);
  for (long long t = 0; t < params.steps; ++t) {
    if (poll.cancelled(t)) break;
    const MatrixXd next = A + update.increment(A);
    requireFiniteIterate(next, "A", t);
    const MatrixXd dA = next - A;
    const double normNext = spectralNorm(next);
    StepBounds step = measureStep(t, A * x, dA * x, spectralNorm(dA), out.totalShift);
    step.normA = std::max(normA, normNext);
    step.normX = normX;
    step.sharp = sharpBoundDataShift((dA * x).stableNorm());
    requireFiniteStep(step);
    out.steps.push_back(step);
    A = next;
    normA = normNext;
    maxNorm = std::max(maxNorm, normA);
  }
  return maxNorm;
}

// [SECTION] runBounds, slack, new targets --------------------------------------------------

Problem checkedProblem(const Problem& problem, const BoundsParams& params) {
  if (isAttentionKind(problem.kind))
    throw InputError("the shift bounds are defined for the vector kinds only (got '" +
                         std::string(kindName(problem.kind)) + "')",
                     InputLocation{.file = {}, .field = "kind", .row = {}, .column = {}});
  checkBoundsParams(params);
  Problem p = problem;
  validate(p);
  requireMemory(static_cast<double>(params.steps) * sizeof(StepBounds),
                InputLocation{.file = {}, .field = "steps", .row = {}, .column = {}});
  return p;
}

BoundsResult run(const Problem& problem, const BoundsParams& params, const StepPoll& poll) {
  const Problem p = checkedProblem(problem, params);
  BoundsResult out;
  out.shift = params.shift;
  out.n = p.n();
  out.d = p.d();
  out.b = p.b;
  out.totalShift = VectorXd::Zero(p.n());
  out.steps.reserve(static_cast<std::size_t>(params.steps));
  const double maxNorm = params.shift == Shift::Weight ? runWeightShift(p, params, poll, out)
                                                       : runDataShift(p, params, poll, out);
  if (poll.progress.cancelled()) {
    out.steps.clear();
    out.status = Status::Cancelled;
    return out;
  }
  out.R = params.R ? *params.R : std::max(4.0, maxNorm);
  for (StepBounds& step : out.steps) applyRadius(step, out.shift, out.n, out.R);
  return out;
}

// log10(bound) − log10(measured); NaN when the measured quantity is 0.
double slackAgainst(double log10Bound, double measured) {
  return measured > 0.0 ? log10Bound - std::log10(measured) : kNaN;
}

}  // namespace

double StepBounds::log10Beta() const { return logBeta / std::numbers::ln10; }

std::optional<double> StepBounds::beta() const {
  const double b = std::exp(logBeta);
  if (!std::isfinite(b) || b <= 0.0) return std::nullopt;
  return b;
}

BoundSlack slackOf(const StepBounds& s) {
  BoundSlack slack;
  slack.part1 = slackAgainst(s.log10Part1, s.db1Norm);
  slack.part2 = slackAgainst(s.log10Part2, s.db2Norm);
  slack.lemma = slackAgainst(s.log10Lemma, s.dbNorm);
  slack.theorem = s.dbNorm > 0.0 ? s.log10Theorem - 2.0 * std::log10(s.dbNorm) : kNaN;  // against ‖δb‖²
  slack.sharp = s.sharp > 0.0 ? slackAgainst(std::log10(s.sharp), s.dbNorm) : kNaN;
  return slack;
}

BoundSlack minimalSlack(const std::vector<StepBounds>& steps) {
  BoundSlack m{kNaN, kNaN, kNaN, kNaN, kNaN};
  for (const StepBounds& s : steps) {  // std::fmin skips a NaN: it returns the other argument
    const BoundSlack k = slackOf(s);
    m.part1 = std::fmin(m.part1, k.part1);
    m.part2 = std::fmin(m.part2, k.part2);
    m.lemma = std::fmin(m.lemma, k.lemma);
    m.theorem = std::fmin(m.theorem, k.theorem);
    m.sharp = std::fmin(m.sharp, k.sharp);
  }
  return m;
}

BoundsResult runBounds(const Problem& problem, const BoundsParams& params, Progress& progress) {
  progress.setStage(params.shift == Shift::Weight ? "bounds: weight shift" : "bounds: data shift");
  BoundsResult out = run(problem, params, StepPoll{progress, &progress, params.steps});
  if (out.status == Status::Success) progress.setFraction(1.0);
  return out;
}

NewTargets newTargets(const BoundsResult& weightShift, const BoundsResult& dataShift) {
  return {.b = weightShift.b, .weightShift = weightShift.newTarget(), .dataShift = dataShift.newTarget()};
}

namespace detail {
BoundsResult runBoundsQuietly(const Problem& problem, const BoundsParams& params, const Progress& progress) {
  return run(problem, params, StepPoll{progress, nullptr, params.steps});
}
}  // namespace detail

}  // namespace attnlab
