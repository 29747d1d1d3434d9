// [SECTION] gradient descent: x_{t+1} = x_t − η∇L(x_t)  (000 §5.1, sign per math.md Errata)
// [SECTION] detail: the loop every solver shares
//
// Every solver is the same loop around a different update, so the loop lives here once:
// stop at ‖∇L‖ ≤ tol (Success), when maxIterations updates are spent (NoConvergence), on a
// cancel request (Cancelled), or when a value stops being finite or the loss throws
// OverflowError (NumericalIssue, keeping the last finite iterate and the trajectory so far).
// Bad settings give InvalidInput before any evaluation of the loss.
#pragma once
#include <Eigen/Dense>
#include <functional>
#include <optional>
#include <string>

#include "core/solvers/solver.hpp"

namespace attnlab {

class GradientDescent : public IterativeSolver<GradientDescent> {
 public:
  GradientDescent& setStepSize(double eta) { eta_ = eta; return *this; }  // η > 0
  double stepSize() const { return eta_; }

  GradientDescent& compute(const Loss& L, const Eigen::VectorXd& x0);
  // Why the run ended with NumericalIssue (the OverflowError's message naming the quantity,
  // ...); empty otherwise.
  const std::string& issue() const { return issue_; }

 private:
  double eta_ = 0.1;  // cli.md's default --lr
  std::string issue_;
};

namespace detail {

// An iterate with everything the loop needs about it, evaluated together.
struct Point {
  Eigen::VectorXd x;
  double loss = 0.0;
  Eigen::VectorXd grad;
  double gradNorm = 0.0;
  std::optional<Loss::Curvature> curvature;  // ∇²L at x when evaluated with keepCurvature
};

// Fills loss, grad and gradNorm of p at p.x (one pass for value and gradient), and with
// keepCurvature p.curvature from the same passes (Newton; else it is left empty).
void evaluate(const Loss& L, Point& p, bool keepCurvature = false);
bool isFinite(const Point& p);

// One update of a solver: writes the next iterate into `next` (x, loss, grad; gradNorm is
// filled by the loop) and returns Status::Success, or returns the reason it could not move.
// An OverflowError it lets escape counts as NumericalIssue.
using Update = std::function<Status(const Point& at, Point& next)>;

struct IterationSettings {
  double tolerance;
  int maxIterations;
  Progress* progress;
  bool record;
  bool solverSettingsValid;  // the solver's own settings (step size, β, ...) passed its checks
  bool keepCurvature = false;  // the start evaluated with its curvature (Newton's first step uses it)
};

// Where the loop writes its results: the members of IterativeSolver.
struct IterationOutput {
  Status& info;
  int& iterations;
  double& error;
  Eigen::VectorXd& x;
  Trajectory& trajectory;
  std::string& issue;  // set with NumericalIssue: what went wrong, and where
};

void iterate(const Loss& L, const Eigen::VectorXd& x0, const IterationSettings& settings, const Update& update,
             IterationOutput out);

}  // namespace detail
}  // namespace attnlab
