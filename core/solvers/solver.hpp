// What every solver shares, in Eigen's manner: chaining setters, compute(), then info(),
// iterations(), error(), solution() and the full trajectory from t = 0 to t = iterations().
#pragma once
#include <Eigen/Dense>
#include <vector>

#include "core/jobs/progress.hpp"
#include "core/regression/loss.hpp"
#include "core/status.hpp"

namespace attnlab {

struct Iterate {
  int t = 0;
  double loss = 0.0;
  double gradNorm = 0.0;
  Eigen::VectorXd x;
};
using Trajectory = std::vector<Iterate>;

// CRTP base so that setters chain with the derived type: Newton().setTolerance(1e-10).compute(L, x0).
template <class Derived>
class IterativeSolver {
 public:
  Derived& setTolerance(double tol) { tolerance_ = tol; return self(); }        // stop at ‖∇L‖ ≤ tol
  Derived& setMaxIterations(int steps) { maxIterations_ = steps; return self(); }
  Derived& setProgress(Progress* p) { progress_ = p; return self(); }          // cancel + fraction
  Derived& setRecordTrajectory(bool on) { record_ = on; return self(); }       // default on

  Status info() const { return info_; }
  int iterations() const { return iterations_; }
  double error() const { return error_; }  // ‖∇L‖ at the solution
  const Eigen::VectorXd& solution() const { return x_; }
  const Trajectory& trajectory() const { return trajectory_; }
  double tolerance() const { return tolerance_; }
  int maxIterations() const { return maxIterations_; }

 protected:
  Derived& self() { return static_cast<Derived&>(*this); }

  double tolerance_ = 1e-10;
  int maxIterations_ = 1000;
  Progress* progress_ = nullptr;
  bool record_ = true;

  Status info_ = Status::InvalidInput;
  int iterations_ = 0;
  double error_ = 0.0;
  Eigen::VectorXd x_;
  Trajectory trajectory_;
};

}  // namespace attnlab
