// Seeded benchmark instances, built here rather than by `generate`, so the benchmarks
// depend only on Loss: A Gaussian scaled to spectral norm R, b = softmax(A x°).
#pragma once
#include <Eigen/Dense>

#include "core/random.hpp"
#include "core/regression/problem.hpp"

namespace attnlab::bench {

inline Eigen::MatrixXd gaussianMatrix(Eigen::Index rows, Eigen::Index cols, Random& rng) {
  Eigen::MatrixXd m(rows, cols);
  for (Eigen::Index j = 0; j < cols; ++j)
    for (Eigen::Index i = 0; i < rows; ++i) m(i, j) = rng.normal();
  return m;
}

// Largest singular value by power iteration on AᵀA (enough for scaling benchmark data).
inline double spectralNorm(const Eigen::MatrixXd& a) {
  Eigen::VectorXd v = Eigen::VectorXd::Ones(a.cols()).normalized();
  double sigma = 0;
  for (int k = 0; k < 200; ++k) {
    Eigen::VectorXd w = a.transpose() * (a * v);
    sigma = std::sqrt(w.norm());
    v = w.normalized();
  }
  return sigma;
}

inline Problem vectorProblem(Kind kind, Eigen::Index n, Eigen::Index d, double R, std::uint64_t seed) {
  Random rng(seed);
  Problem p;
  p.kind = kind;
  p.A = gaussianMatrix(n, d, rng);
  p.A *= R / spectralNorm(p.A);
  Eigen::VectorXd xStar = gaussianMatrix(d, 1, rng).col(0).normalized();
  Eigen::VectorXd z = p.A * xStar;
  p.b = (z.array() - z.maxCoeff()).exp();
  p.b /= p.b.sum();
  p.w = Eigen::VectorXd::Constant(n, 0.02);
  p.x = Eigen::VectorXd::Zero(d);
  return p;
}

}  // namespace attnlab::bench
