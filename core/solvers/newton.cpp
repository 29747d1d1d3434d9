#include "core/solvers/newton.hpp"

#include <cmath>
#include <limits>

#include "core/errors.hpp"

namespace attnlab {
namespace detail {
namespace {

using Eigen::MatrixXd;
using Eigen::VectorXd;

constexpr int kDampingIncreases = 20;  // μ₀ … μ₀·10²⁰: past that only a broken H is left
constexpr double kArmijo = 1e-4;       // sufficient-decrease constant (Nocedal & Wright §3.1)
constexpr int kHalvings = 60;          // η down to 2⁻⁶⁰: the step no longer changes x

// After a failed in-place Cholesky: the lower triangle again from the untouched upper one,
// the diagonal from its copy, plus μ.
void restoreShifted(MatrixXd& H, const VectorXd& diagonal, double mu) {
  H.triangularView<Eigen::StrictlyLower>() = H.transpose();
  H.diagonal() = diagonal.array() + mu;
}

bool isDescent(const VectorXd& p, const VectorXd& g) { return p.allFinite() && g.dot(p) < 0.0; }

// Armijo's sufficient decrease for the step η along a direction of slope gᵀp, up to a few ulps
// of L(x) (see armijoStep).
double armijoBound(const Point& at, double eta, double slope) {
  const double roundoff = 8.0 * std::numeric_limits<double>::epsilon() * std::abs(at.loss);
  return at.loss + kArmijo * eta * slope + roundoff;
}

// The trial point's loss, or false if it overflows, is not finite or is not low enough.
bool lowEnough(const Loss& L, Point& trial, double bound) {
  try {
    evaluate(L, trial, true);  // with its curvature: the next Hessian needs no pass over A of its own
  } catch (const OverflowError&) {
    return false;
  }
  return isFinite(trial) && trial.loss <= bound;
}

}  // namespace

VectorXd dampedNewtonStep(MatrixXd& H, const VectorXd& g, double mu0, double& muUsed, bool* factored) {
  const VectorXd diagonal = H.diagonal();
  if (factored) *factored = false;
  double mu = 0.0;
  for (int k = 0; k <= kDampingIncreases + 1; ++k) {
    if (k > 0) {
      mu = (k == 1) ? mu0 : 10.0 * mu;
      restoreShifted(H, diagonal, mu);
    }
    const Eigen::LLT<Eigen::Ref<MatrixXd>> llt(H);  // in place: no second dim×dim matrix
    if (llt.info() != Eigen::Success) continue;
    VectorXd p = -llt.solve(g);
    if (isDescent(p, g)) {
      muUsed = mu;
      if (factored) *factored = true;
      return p;
    }
  }
  // Cholesky failed for every μ: only rounding on a wildly scaled H gets here.
  restoreShifted(H, diagonal, mu);
  muUsed = mu;
  const Eigen::LDLT<MatrixXd> ldlt(H);
  if (ldlt.info() == Eigen::Success) {
    VectorXd p = -ldlt.solve(g);
    if (isDescent(p, g)) return p;
  }
  return -g;
}

Status armijoStep(const Loss& L, const Point& at, const VectorXd& p, Point& next, int& backtracks) {
  const double slope = at.grad.dot(p);
  double eta = 1.0;
  for (int k = 0; k <= kHalvings; ++k, eta *= 0.5) {
    if (k > 0) ++backtracks;
    next.x = at.x + eta * p;
    if (lowEnough(L, next, armijoBound(at, eta, slope))) return Status::Success;
  }
  return Status::NumericalIssue;
}

}  // namespace detail

namespace {

// The Cholesky factor of the last plain (undamped) Newton step, kept for reuse.
struct KeptFactor {
  Eigen::MatrixXd lower;  // its lower triangle is L, H = L Lᵀ
  bool usable = false;    // its last step was a unit step that cut ‖∇L‖ to θ·‖∇L‖ or less

  Eigen::VectorXd step(const Eigen::VectorXd& g) const {
    Eigen::VectorXd p = -g;
    lower.triangularView<Eigen::Lower>().solveInPlace(p);
    lower.triangularView<Eigen::Lower>().adjoint().solveInPlace(p);
    return p;
  }
};

// Iterative refinement (Higham, "Accuracy and Stability of Numerical Algorithms" ch. 12): p
// solves (H̃ + μI)p = −g for a low-precision Hessian H̃ whose Cholesky factor is the lower
// triangle of `factor`; each round r = −g − (H + μI)p with an exact product (two passes over A),
// then p += (H̃ + μI)⁻¹r, until ‖r‖ ≤ target. The residual shrinks by ρ ≈ ‖I − (H + μI)(H̃ + μI)⁻¹‖
// a round, and the first one estimates it: ρ₀ = ‖r₀‖/‖g‖ (the zero step's residual is g). Once
// the correction just applied is predicted to leave ρ₀·‖r‖ a hundredfold below the target, its
// product is not spent on confirming that. A round that reaches the target still applies its
// correction when it contracted: two triangular solves, no pass over A, and the step only gets
// closer to the exact one. False when a round shrinks ‖r‖ by less than `contraction` (H̃ too far
// from H) or `rounds` corrections did not reach the target.
struct Refinement {
  // The first round's ρ₀ measures I − HH̃⁻¹ on g alone; the next round's contraction has come
  // out up to ~6× larger than ρ₀ (bf16x3 and float32 factors alike), so a hundredfold is ample.
  static constexpr double kPredictionMargin = 1e-2;
  const Loss::Curvature& H;
  const Eigen::MatrixXd& factor;
  double mu;
  int rounds;
  double contraction;

  bool refine(const Eigen::VectorXd& g, double target, Eigen::VectorXd& p, int& products) const {
    const double gNorm = g.stableNorm();
    double previous = gNorm, rho = 1.0;
    for (int round = 0;; ++round) {
      ++products;
      Eigen::VectorXd r = -g - H.times(p) - mu * p;
      const double residual = r.stableNorm();
      const bool contracting = residual <= contraction * previous;
      const bool reached = residual <= target;
      if (!reached && (!contracting || round == rounds)) return false;
      if (round == 0) rho = residual / gNorm;
      previous = residual;
      if (contracting) p += correction(std::move(r));
      if (reached || rho * residual <= kPredictionMargin * target) return true;
    }
  }

  Eigen::VectorXd correction(Eigen::VectorXd r) const {
    factor.triangularView<Eigen::Lower>().solveInPlace(r);
    factor.triangularView<Eigen::Lower>().adjoint().solveInPlace(r);
    return r;
  }
};

// Refinement from the Hessian's own float32 factor: ρ ~ 1e-7·κ(H), one round as a rule.
constexpr int kFreshFactorRounds = Newton::kMaxRefinements;
constexpr double kFreshFactorContraction = 0.5;
// From an earlier step's factor: ρ ≈ ‖H(x) − H(x_earlier)‖·‖H⁻¹‖, which in Newton's quadratic
// phase is about twice the last contraction of ‖∇L‖ (the earlier step was that much shorter than
// the one before). Tried only when that predicts the target within kEarlierFactorProducts products
// (a fresh float32 Hessian and its usual two products cost about six).
constexpr int kEarlierFactorProducts = 4;
constexpr double kEarlierFactorContraction = 0.1;

bool earlierFactorPromising(double lastContraction, double gNorm, double target) {
  const double rho = 2.0 * lastContraction;
  if (!(rho < kEarlierFactorContraction)) return false;
  if (rho * gNorm <= target) return true;
  const double rounds = std::ceil(std::log(target / (rho * gNorm)) / std::log(rho));
  return 1.0 + rounds <= kEarlierFactorProducts;
}

bool contracted(const detail::Point& at, const detail::Point& next, double factor) {
  return next.grad.stableNorm() <= factor * at.gradNorm;
}

// The full step from the kept factor, if it is a descent direction that passes the Armijo
// test; next then holds the new point. Whether it also contracted ‖∇L‖ enough to keep the
// factor is the caller's question.
bool reusedStep(const Loss& L, const KeptFactor& kept, const detail::Point& at, detail::Point& next) {
  const Eigen::VectorXd p = kept.step(at.grad);
  if (!detail::isDescent(p, at.grad)) return false;
  next.x = at.x + p;
  return detail::lowEnough(L, next, detail::armijoBound(at, 1.0, at.grad.dot(p)));
}

}  // namespace

double Newton::refinementTarget(double gradNorm) const {
  const double exact = kRefinedResidual * gradNorm;
  if (!(tolerance_ > 0.0)) return exact;
  const double target = std::max({exact, kRefinedResidualOfTolerance * tolerance_, kForcing * gradNorm * gradNorm});
  return std::min(target, kRefinedResidualOfStop * tolerance_);
}

Newton& Newton::compute(const Loss& objective, const Eigen::VectorXd& x0) {
  backtracks_ = 0;
  dampedSteps_ = 0;
  hessians_ = 0;
  reusedSteps_ = 0;
  mixedHessians_ = 0;
  hessianProducts_ = 0;
  earlierFactorSteps_ = 0;
  fellBack_ = false;
  fellBackToFloat32_ = false;
  const double mu0 = mu0_;
  const Loss L = objective.onTeam(team_);
  KeptFactor kept;
  KeptFactor earlier;  // mixed precision: the last undamped low-precision factor, to refine later steps with
  double lastGradNorm = std::numeric_limits<double>::infinity();
  // The exact Newton step at `at`: refined from an earlier low-precision factor if that converges fast,
  // else from a new low-precision Hessian, else (fellBack_) from the exact Hessian.
  const auto newtonStep = [&](const detail::Point& at, Eigen::MatrixXd& H, double& mu) {
    const Loss::Curvature curvature = at.curvature ? *at.curvature : L.curvature(at.x);
    const double lastContraction = at.gradNorm / lastGradNorm;
    lastGradNorm = at.gradNorm;
    if (mixed_ && !fellBack_) {
      const double target = refinementTarget(at.gradNorm);
      if (earlier.usable && earlierFactorPromising(lastContraction, at.gradNorm, target)) {
        Eigen::VectorXd p = earlier.step(at.grad);
        const Refinement fromEarlier{curvature, earlier.lower, 0.0, kEarlierFactorProducts - 1, kEarlierFactorContraction};
        if (fromEarlier.refine(at.grad, target, p, hessianProducts_) && detail::isDescent(p, at.grad)) {
          ++earlierFactorSteps_;
          H = earlier.lower;
          mu = 0.0;
          return p;
        }
      }
      // bf16x3 where the CPU has AMX tiles (else this is float32), then float32.
      for (bool retry = Loss::hasBfloat16Gram();; retry = false) {
        const auto sum = fellBackToFloat32_ ? Loss::GramSum::Float32 : Loss::GramSum::Fastest;
        H = curvature.mixedPrecisionMatrix(pool_, sum);
        ++hessians_;
        ++mixedHessians_;
        bool factored = false;
        Eigen::VectorXd p = detail::dampedNewtonStep(H, at.grad, mu0, mu, &factored);
        // factored: a Cholesky factor of H̃ + μI is what H holds now (not LDLT, not −g).
        const Refinement fromFresh{curvature, H, mu, kFreshFactorRounds, kFreshFactorContraction};
        if (factored && fromFresh.refine(at.grad, target, p, hessianProducts_) && detail::isDescent(p, at.grad)) {
          earlier.usable = mu == 0.0;
          if (earlier.usable) earlier.lower = H;
          return p;
        }
        if (!retry || fellBackToFloat32_) break;
        fellBackToFloat32_ = true;
      }
      fellBack_ = true;
      earlier.usable = false;
    }
    H = curvature.matrix(pool_);
    ++hessians_;
    return detail::dampedNewtonStep(H, at.grad, mu0, mu);
  };
  const detail::Update step = [&](const detail::Point& at, detail::Point& next) {
    if (reuse_ && kept.usable) {
      // A reused step that passes the Armijo test is taken (it cost one gradient, and the
      // point is as good as any line-search point); if it contracted ‖∇L‖ too little, the
      // next update forms a fresh Hessian. One that fails is dropped: fresh Hessian here.
      kept.usable = false;
      if (reusedStep(L, kept, at, next)) {
        ++reusedSteps_;
        kept.usable = contracted(at, next, theta_);
        return Status::Success;
      }
    }
    Eigen::MatrixXd H;
    double mu = 0.0;
    const Eigen::VectorXd p = newtonStep(at, H, mu);
    if (mu > 0.0) ++dampedSteps_;
    const int before = backtracks_;
    const Status s = detail::armijoStep(L, at, p, next, backtracks_);
    if (reuse_ && s == Status::Success) {
      kept.usable = mu == 0.0 && backtracks_ == before && contracted(at, next, theta_);
      if (kept.usable) kept.lower = std::move(H);  // after the in-place LLT: L below the diagonal
    }
    return s;
  };
  const bool valid = mu0 > 0.0 && std::isfinite(mu0) && theta_ > 0.0 && theta_ < 1.0;
  detail::iterate(L, x0, {tolerance_, maxIterations_, progress_, record_, valid, true}, step,
                  {info_, iterations_, error_, x_, trajectory_, issue_});
  return *this;
}

}  // namespace attnlab
