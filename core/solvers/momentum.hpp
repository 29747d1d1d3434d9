// Heavy-ball momentum (Polyak 1964): v_{t+1} = β·v_t − η∇L(x_t), x_{t+1} = x_t + v_{t+1},
// with v_0 = 0, so the first step is a plain gradient step. β = 0 is gradient descent.
#pragma once
#include <Eigen/Dense>
#include <string>

#include "core/solvers/solver.hpp"

namespace attnlab {

class Momentum : public IterativeSolver<Momentum> {
 public:
  Momentum& setStepSize(double eta) { eta_ = eta; return *this; }  // η > 0
  Momentum& setBeta(double beta) { beta_ = beta; return *this; }    // 0 ≤ β < 1
  double stepSize() const { return eta_; }
  double beta() const { return beta_; }

  Momentum& compute(const Loss& L, const Eigen::VectorXd& x0);
  const std::string& issue() const { return issue_; }  // as GradientDescent::issue

 private:
  std::string issue_;
  double eta_ = 0.1;  // cli.md's defaults: --lr 0.1, --beta 0.9
  double beta_ = 0.9;
};

}  // namespace attnlab
