#include "core/solvers/momentum.hpp"

#include <cmath>

#include "core/solvers/gradient_descent.hpp"

namespace attnlab {

Momentum& Momentum::compute(const Loss& L, const Eigen::VectorXd& x0) {
  const double eta = eta_, beta = beta_;
  // The velocity is the loop's only state besides the iterate; it belongs to this run.
  Eigen::VectorXd v = Eigen::VectorXd::Zero(x0.size());
  const detail::Update step = [&L, &v, eta, beta](const detail::Point& at, detail::Point& next) {
    v = beta * v - eta * at.grad;
    next.x = at.x + v;
    detail::evaluate(L, next);
    return Status::Success;
  };
  // β ≥ 1 never forgets a step: the iteration does not contract, whatever η is.
  const bool valid = eta > 0.0 && std::isfinite(eta) && beta >= 0.0 && beta < 1.0;
  detail::iterate(L, x0, {tolerance_, maxIterations_, progress_, record_, valid}, step,
                  {info_, iterations_, error_, x_, trajectory_, issue_});
  return *this;
}

}  // namespace attnlab
