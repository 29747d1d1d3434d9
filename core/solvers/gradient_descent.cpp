#include "core/solvers/gradient_descent.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <utility>

#include "core/errors.hpp"

namespace attnlab {
namespace detail {
namespace {

bool settingsValid(const Loss& L, const Eigen::VectorXd& x0, const IterationSettings& s) {
  return s.solverSettingsValid && s.tolerance >= 0.0 && std::isfinite(s.tolerance) && s.maxIterations >= 0 &&
         x0.size() == L.dim() && x0.allFinite();
}

// Reports how far the run is: the larger of the share of the budget spent and the share of
// the way from ‖∇L(x₀)‖ to tol covered on a log scale (the budget alone would sit near 0 for
// a Newton run that converges in 6 of 1000 allowed steps). Never moves backwards.
class FractionMeter {
 public:
  FractionMeter(Progress* progress, int maxIterations, double g0, double tolerance)
      : progress_(progress), maxIterations_(maxIterations), logG0_(std::log(g0)),
        logSpan_(std::log(g0) - std::log(tolerance)) {}

  void update(int iterations, double gradNorm) {
    if (!progress_) return;
    double f = maxIterations_ > 0 ? double(iterations) / maxIterations_ : 1.0;
    if (std::isfinite(logSpan_) && logSpan_ > 0.0 && gradNorm > 0.0)
      f = std::max(f, (logG0_ - std::log(gradNorm)) / logSpan_);
    shown_ = std::max(shown_, std::clamp(f, 0.0, 1.0));
    progress_->setFraction(shown_);
  }

  void finish() {
    if (progress_) progress_->setFraction(1.0);
  }

 private:
  Progress* progress_;
  int maxIterations_;
  double logG0_, logSpan_;
  double shown_ = 0.0;
};

void record(Trajectory& trajectory, int t, const Point& p) {
  trajectory.push_back(Iterate{t, p.loss, p.gradNorm, p.x});
}

// One update, with the loss's overflow and any non-finite result turned into a status and
// the words for it.
Status tryUpdate(const Update& update, const Point& at, Point& next, int t, std::string& issue) {
  Status s;
  try {
    s = update(at, next);
  } catch (const OverflowError& e) {
    issue = e.what();
    return Status::NumericalIssue;
  }
  if (s == Status::NumericalIssue)
    issue = "no step along the search direction lowered the loss (t = " + std::to_string(t) + ")";
  if (s != Status::Success) return s;
  next.gradNorm = next.grad.stableNorm();
  if (isFinite(next)) return Status::Success;
  issue = "the loss or its gradient is not finite at t = " + std::to_string(t + 1);
  return Status::NumericalIssue;
}

// The start, evaluated: NumericalIssue (with the words) if its loss or gradient is not finite.
Status evaluateStart(const Loss& L, Point& at, bool keepCurvature, std::string& issue) {
  try {
    evaluate(L, at, keepCurvature);
  } catch (const OverflowError& e) {
    issue = e.what();
    return Status::NumericalIssue;
  }
  if (isFinite(at)) return Status::Success;
  issue = "the loss or its gradient is not finite at the start";
  return Status::NumericalIssue;
}

// Why the loop ends before another update, if it does (cli.md: converged first).
std::optional<Status> stopBefore(const Point& at, int iterations, const IterationSettings& s) {
  if (at.gradNorm <= s.tolerance) return Status::Success;
  if (s.progress && s.progress->cancelled()) return Status::Cancelled;
  if (iterations == s.maxIterations) return Status::NoConvergence;
  return std::nullopt;
}

}  // namespace

void evaluate(const Loss& L, Point& p, bool keepCurvature) {
  p.curvature.reset();  // kept only once the evaluation has succeeded
  Loss::Curvature curvature;
  p.loss = L.valueAndGradient(p.x, p.grad, keepCurvature ? &curvature : nullptr);
  if (keepCurvature) p.curvature = std::move(curvature);
  p.gradNorm = p.grad.stableNorm();  // a gradient of 1e200 has a finite norm
}

bool isFinite(const Point& p) {
  return std::isfinite(p.loss) && std::isfinite(p.gradNorm) && p.x.allFinite();
}

void iterate(const Loss& L, const Eigen::VectorXd& x0, const IterationSettings& s, const Update& update,
             IterationOutput out) {
  out.iterations = 0;
  out.error = std::numeric_limits<double>::infinity();  // no gradient known yet
  out.x = x0;
  out.trajectory.clear();
  out.issue.clear();
  if (!settingsValid(L, x0, s)) {
    out.info = Status::InvalidInput;
    return;
  }
  if (s.progress && s.progress->cancelled()) {
    out.info = Status::Cancelled;
    return;
  }
  Point at, next;
  at.x = x0;
  if ((out.info = evaluateStart(L, at, s.keepCurvature, out.issue)) != Status::Success) return;
  if (s.record) {
    out.trajectory.reserve(std::size_t(std::min(s.maxIterations, 4096)) + 1);
    record(out.trajectory, 0, at);
  }
  out.error = at.gradNorm;

  FractionMeter meter(s.progress, s.maxIterations, at.gradNorm, s.tolerance);
  for (;;) {
    if (const std::optional<Status> stop = stopBefore(at, out.iterations, s)) {
      out.info = *stop;
      break;
    }
    if ((out.info = tryUpdate(update, at, next, out.iterations, out.issue)) != Status::Success) break;
    std::swap(at, next);
    ++out.iterations;
    out.error = at.gradNorm;
    if (s.record) record(out.trajectory, out.iterations, at);
    meter.update(out.iterations, at.gradNorm);
  }
  if (out.info != Status::Cancelled) meter.finish();
  out.x = std::move(at.x);
}

}  // namespace detail

GradientDescent& GradientDescent::compute(const Loss& L, const Eigen::VectorXd& x0) {
  const double eta = eta_;
  const detail::Update step = [&L, eta](const detail::Point& at, detail::Point& next) {
    next.x = at.x - eta * at.grad;
    detail::evaluate(L, next);
    return Status::Success;
  };
  const bool valid = eta > 0.0 && std::isfinite(eta);
  detail::iterate(L, x0, {tolerance_, maxIterations_, progress_, record_, valid}, step,
                  {info_, iterations_, error_, x_, trajectory_, issue_});
  return *this;
}

}  // namespace attnlab
