// Shared by the regression_*_test.cpp files: seeded instances of every kind, the numerically
// hard points (logits near ±740, nearly one-hot softmax), and fourth-order central differences.
#pragma once
#include <Eigen/Dense>
#include <cmath>
#include <cstdint>
#include <string>

#include "core/random.hpp"
#include "core/regression/loss.hpp"

namespace attnlab::testing {

using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;

inline MatrixXd gaussian(Index rows, Index cols, Random& rng, double scale = 1.0) {
  MatrixXd m(rows, cols);
  for (Index j = 0; j < cols; ++j)
    for (Index i = 0; i < rows; ++i) m(i, j) = scale * rng.normal();
  return m;
}

// Positive entries summing to one.
inline VectorXd probability(Index n, Random& rng) {
  VectorXd p(n);
  for (Index i = 0; i < n; ++i) p[i] = 0.05 + rng.uniform();
  return p / p.sum();
}

// A small instance of the kind, with a random point x: vector kinds n×d, attention kinds
// n×d with X d×d. Targets are probability vectors (rows of B too) except for linear and exp.
inline Problem randomProblem(Kind kind, std::uint64_t seed, double l2 = 0.0, Index n = 7, Index d = 4) {
  Random rng(seed);
  Problem p;
  p.kind = kind;
  p.l2 = l2;
  if (isAttentionKind(kind)) {
    p.A1 = gaussian(n, d, rng, 1.0 / std::sqrt(double(d)));
    p.A2 = gaussian(n, d, rng, 1.0 / std::sqrt(double(d)));
    p.B.resize(n, n);
    for (Index i = 0; i < n; ++i) p.B.row(i) = probability(n, rng).transpose();
    p.x = gaussian(d * d, 1, rng, 0.7).col(0);
    return p;
  }
  p.A = gaussian(n, d, rng, 1.0 / std::sqrt(double(d)));
  if (kind == Kind::Linear)
    p.b = gaussian(n, 1, rng).col(0);
  else if (kind == Kind::Exp)
    p.b = (0.5 + 2.0 * n * probability(n, rng).array()).matrix();
  else
    p.b = probability(n, rng);
  p.w = VectorXd::Zero(n);
  for (Index i = 0; i < n; ++i) p.w[i] = 0.2 + 0.6 * rng.uniform();
  p.x = gaussian(d, 1, rng).col(0);
  return p;
}

// Moves the point of a vector-kind problem to logits z ≈ shift + O(1): A gains a leading column
// of ones whose coefficient is the shift. With a positive gap, row `top` also gains a column
// e_top with coefficient gap, so softmax(z) is one-hot up to ~n·e^{−gap}; with oneHotTarget the
// target becomes e_top too (the regime of a converged solver, where the loss is O(e^{−2·gap})).
inline Problem shiftedVectorProblem(Problem p, double shift, double gap = 0.0, Index top = 2,
                                    bool oneHotTarget = false) {
  const Index n = p.A.rows(), d = p.A.cols();
  MatrixXd A(n, d + 2);
  A.col(0).setOnes();
  A.col(1).setZero();
  A(top, 1) = 1.0;
  A.rightCols(d) = p.A;
  p.A = A;
  VectorXd x(d + 2);
  x << shift, gap, 0.3 * p.x;
  p.x = x;
  if (oneHotTarget) p.b = VectorXd::Unit(n, top);
  return p;
}

// The same for the attention kinds: Z_ij ≈ shift + gap·[j == 0] + O(1) in every row i, through
// a1_i = (1, 1, …), a2_j = (1, [j == 0], …) and X(0,0) = shift, X(1,1) = gap.
inline Problem shiftedAttentionProblem(Problem p, double shift, double gap = 0.0, bool oneHotTarget = false) {
  const Index n = p.A1.rows(), d = p.A1.cols();
  p.A1.col(0).setOnes();
  p.A1.col(1).setOnes();
  p.A2.col(0).setOnes();
  p.A2.col(1).setZero();
  p.A2(0, 1) = 1.0;
  Eigen::Map<MatrixXd> X(p.x.data(), d, d);
  X *= 0.3;
  X(0, 0) = shift;
  X(1, 1) = gap;
  X(0, 1) = X(1, 0) = 0.0;
  if (oneHotTarget) {
    p.B.setZero(n, n);
    p.B.col(0).setOnes();
  }
  return p;
}

// Fourth-order central difference of a scalar or vector function of x along each coordinate:
// (−F(x+2h) + 8F(x+h) − 8F(x−h) + F(x−2h)) / 12h, column k for coordinate k.
template <class F>
MatrixXd centralDifferences(const F& fn, const VectorXd& x, double h) {
  const auto at = [&](Index k, double t) {
    VectorXd y = x;
    y[k] += t;
    return MatrixXd(fn(y));
  };
  MatrixXd out;
  for (Index k = 0; k < x.size(); ++k) {
    const MatrixXd d = (-at(k, 2 * h) + 8.0 * at(k, h) - 8.0 * at(k, -h) + at(k, -2 * h)) / (12.0 * h);
    if (k == 0) out.resize(d.size(), x.size());
    out.col(k) = Eigen::Map<const VectorXd>(d.data(), d.size());
  }
  return out;
}

inline VectorXd finiteDifferenceGradient(const Loss& loss, const VectorXd& x, double h) {
  return centralDifferences([&](const VectorXd& y) { return MatrixXd::Constant(1, 1, loss.value(y)); }, x, h)
      .row(0)
      .transpose();
}

inline MatrixXd finiteDifferenceHessian(const Loss& loss, const VectorXd& x, double h) {
  return centralDifferences([&](const VectorXd& y) { return MatrixXd(loss.gradient(y)); }, x, h);
}

// max |approx − exact| / max |exact|: a relative error that ignores tiny entries' digits.
inline double relativeError(const MatrixXd& approx, const MatrixXd& exact) {
  const double scale = exact.cwiseAbs().maxCoeff();
  return (approx - exact).cwiseAbs().maxCoeff() / (scale > 0 ? scale : 1.0);
}

inline std::string caseName(Kind kind, double l2) {
  return std::string(kindName(kind)) + (l2 > 0 ? "_ridge" : "");
}

}  // namespace attnlab::testing
