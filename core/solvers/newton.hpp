// Exact Newton with the safeguards it needs far from x* (math.md §1, Newton solver):
//     x_{t+1} = x_t + η_t·p_t,   (H + μI)·p_t = −∇L(x_t),   H = ∇²L(x_t),
// μ = 0 while H is positive definite (Cholesky succeeds), else Levenberg–Marquardt damping
// μ = μ₀, 10μ₀, 100μ₀, … until it does; η_t from backtracking (Armijo) starting at the full
// step, which near x* is always accepted, so the quadratic convergence shows.
//
// Hessian reuse (off by default; the chord / Shamanskii variant, Kelley, "Solving Nonlinear
// Equations with Newton's Method" §2.3 and §5.4): after an undamped, unit Newton step that cut
// ‖∇L‖ to θ·‖∇L‖ or less (θ = reuseContraction(), 0.5 as in Kelley's nsold), the next update
// first tries the full step from that Hessian's Cholesky factor. If it passes the Armijo test it
// is taken — and the factor is kept for the next update only if this step, too, cut ‖∇L‖ to
// θ·‖∇L‖; if it fails, it is dropped (one wasted gradient) and a fresh Hessian is formed at the
// same point. Each reused step costs one gradient instead of an O(nd²) Hessian; convergence is
// then only linear with rate ≤ θ while a factor is reused (superlinear while it is fresh), not
// quadratic, which is why exact Newton every step stays the default.
//
// Mixed precision (setMixedPrecision, on by default): the Hessian's O(nd²) Gram sum is formed in
// low precision (Loss::Curvature::mixedPrecisionMatrix: bf16x3 on a CPU with AMX tiles, else
// float32; two to five times as fast as in double), and the step from its Cholesky factor is
// then refined with exact Hessian-vector products (two passes over A each) until
// ‖(H + μI)p + g‖ ≤ refinementTarget(‖g‖) (below; at most tol/2, and the last correction, applied
// unconfirmed, leaves about a hundredth of that): the step taken is the exact Newton step to
// below what a plot or the stopping test can see, so the iterates are exact Newton's (one or two
// products per step: the first round's contraction predicts the next, which is not spent once
// it is a hundredfold below the target). If a round fails to halve the residual
// (κ(H) too large for the Gram sum's precision), the Hessian at the same point is formed again
// one precision up — bf16x3, then float32, then double — and the rest of the run stays there.
// Near x* the Hessian hardly changes from one step to the next, so the last undamped factor is tried first
// when the last contraction of ‖∇L‖ predicts that refinement from it reaches the target within
// four products, each round shrinking the residual tenfold; then no Hessian is formed for that
// step at all (earlierFactorSteps()). setMixedPrecision(false): every Hessian in double, no
// refinement.
//
// Passes over A run on the PartTeam given (setPartTeam), else on the caller; same iterates.
#pragma once
#include <Eigen/Dense>
#include <string>

#include "core/solvers/gradient_descent.hpp"
#include "core/solvers/solver.hpp"

namespace attnlab {

class PartTeam;
class WorkerPool;

class Newton : public IterativeSolver<Newton> {
 public:
  // μ₀ > 0: the first damping tried when the Hessian is not positive definite.
  Newton& setDamping(double mu0) { mu0_ = mu0; return *this; }
  double damping() const { return mu0_; }
  // Threads for the Hessian's Gram sum (the pool's and the caller's); null: the caller alone.
  // The iterates are the same to the last bit either way.
  Newton& setWorkerPool(WorkerPool* pool) { pool_ = pool; return *this; }
  // Threads for every pass over A (Loss::onTeam); null: the caller alone. Same iterates either way.
  Newton& setPartTeam(PartTeam* team) { team_ = team; return *this; }
  Newton& setHessianReuse(bool on) { reuse_ = on; return *this; }  // see the top of this file
  bool hessianReuse() const { return reuse_; }
  Newton& setMixedPrecision(bool on) { mixed_ = on; return *this; }  // on by default; see the top of this file
  bool mixedPrecision() const { return mixed_; }
  // Refinement stops at ‖(H + μI)p + g‖ ≤ refinementTarget(‖g‖) or gives up after
  // kMaxRefinements rounds (see the top of this file): kRefinedResidual·‖g‖ when tol = 0; when
  // tol > 0, max(kRefinedResidual·‖g‖, kRefinedResidualOfTolerance·tol, kForcing·‖g‖²) but never
  // above kRefinedResidualOfStop·tol — on a quadratic the step's residual is the next gradient,
  // so a looser step could not be the last one, and Newton would need two steps where it needs
  // one. kForcing·‖g‖² is an inexact-Newton forcing term (Dembo, Eisenstat & Steihaug 1982: a
  // residual of O(‖g‖²) keeps convergence quadratic); far from x* it lets the first product's
  // prediction settle a step that ‖g‖·1e-10 would have sent back for a confirming product.
  static constexpr double kRefinedResidual = 1e-10;
  static constexpr double kRefinedResidualOfTolerance = 1e-1;
  static constexpr double kRefinedResidualOfStop = 0.5;
  static constexpr double kForcing = 1e-2;
  double refinementTarget(double gradNorm) const;
  static constexpr int kMaxRefinements = 8;
  // θ in (0, 1): a reused factor must cut ‖∇L‖ to θ·‖∇L‖ in one full step.
  Newton& setReuseContraction(double theta) { theta_ = theta; return *this; }
  double reuseContraction() const { return theta_; }

  Newton& compute(const Loss& L, const Eigen::VectorXd& x0);
  const std::string& issue() const { return issue_; }  // as GradientDescent::issue

  int lineSearchBacktracks() const { return backtracks_; }  // step halvings over the run
  int dampedSteps() const { return dampedSteps_; }          // updates whose Hessian needed μ > 0
  int hessianEvaluations() const { return hessians_; }       // dense Hessians formed over the run
  int reusedSteps() const { return reusedSteps_; }           // updates made with a reused factor
  int mixedPrecisionHessians() const { return mixedHessians_; }  // of those, low-precision ones
  int hessianProducts() const { return hessianProducts_; }  // exact ∇²L·v spent refining steps
  int earlierFactorSteps() const { return earlierFactorSteps_; }  // exact steps from an earlier factor
  bool fellBackToFloat32() const { return fellBackToFloat32_; }  // a bf16x3 Hessian was refused
  bool fellBackToDouble() const { return fellBack_; }  // a float32 Hessian was refused (see top)

 private:
  std::string issue_;
  double mu0_ = 1e-6;
  WorkerPool* pool_ = nullptr;
  PartTeam* team_ = nullptr;
  int backtracks_ = 0;
  int dampedSteps_ = 0;
  bool reuse_ = false;
  double theta_ = 0.5;
  int hessians_ = 0;
  int reusedSteps_ = 0;
  bool mixed_ = true;
  int mixedHessians_ = 0;
  int hessianProducts_ = 0;
  int earlierFactorSteps_ = 0;
  bool fellBack_ = false;
  bool fellBackToFloat32_ = false;
};

namespace detail {

// The step −(H + μI)⁻¹g, μ as above, factoring in place (H's lower triangle is overwritten;
// the upper one, which a Hessian from Loss fills too, is what damping restarts from). If no
// μ up to μ₀·10²⁰ makes the Cholesky succeed, LDLT of the damped matrix; if that is no
// descent direction either, −g. muUsed receives the damping (0: plain Newton step); factored, if
// given, whether the step came from a Cholesky factor, which H's lower triangle then holds.
Eigen::VectorXd dampedNewtonStep(Eigen::MatrixXd& H, const Eigen::VectorXd& g, double mu0, double& muUsed,
                                 bool* factored = nullptr);

// Backtracking line search along p from `at` (which must have gᵀp < 0): the first of
// η = 1, ½, ¼, … with L(x + ηp) ≤ L(x) + 10⁻⁴·η·gᵀp, up to a few ulps of L(x) (near x* the
// change in L drowns in rounding before ‖∇L‖ reaches a small tolerance). A trial point where
// the loss overflows counts as too far. NumericalIssue if no step is accepted.
Status armijoStep(const Loss& L, const Point& at, const Eigen::VectorXd& p, Point& next, int& backtracks);

}  // namespace detail
}  // namespace attnlab
