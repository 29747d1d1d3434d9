#include "core/regression/generate.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "core/errors.hpp"
#include "core/random.hpp"

namespace attnlab {
namespace {

// Every member spelled out: GCC 12 warns (-Wmissing-field-initializers) on omitted ones.
InputLocation at(const char* field) { return {.file = "", .field = field, .row = std::nullopt, .column = std::nullopt}; }

// Column-major fill, so the draw order is part of the documented recipe.
Eigen::MatrixXd gaussianMatrix(Eigen::Index rows, Eigen::Index cols, Random& rng) {
  Eigen::MatrixXd m(rows, cols);
  for (Eigen::Index j = 0; j < cols; ++j)
    for (Eigen::Index i = 0; i < rows; ++i) m(i, j) = rng.normal();
  return m;
}

// Largest singular value from the smaller Gram matrix: its largest eigenvalue is σ₁² to
// working precision (only the small singular values suffer from squaring). Deterministic,
// O(n·k² + k³) with k = min(n, d), and no convergence tolerance to tune.
double spectralNorm(const Eigen::MatrixXd& m) {
  const Eigen::MatrixXd gram = m.rows() >= m.cols() ? Eigen::MatrixXd(m.transpose() * m)
                                                    : Eigen::MatrixXd(m * m.transpose());
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(gram, Eigen::EigenvaluesOnly);
  return std::sqrt(std::max(eigen.eigenvalues().maxCoeff(), 0.0));
}

Eigen::MatrixXd gaussianWithNorm(Eigen::Index rows, Eigen::Index cols, double R, Random& rng) {
  Eigen::MatrixXd m = gaussianMatrix(rows, cols, rng);
  m *= R / spectralNorm(m);
  return m;
}

Eigen::VectorXd softmax(const Eigen::VectorXd& z) {
  Eigen::VectorXd e = (z.array() - z.maxCoeff()).exp();
  return e / e.sum();
}

// p + noise·g, clipped at 0 and renormalised: still a probability vector.
Eigen::VectorXd addNoise(const Eigen::VectorXd& p, double noise, Random& rng) {
  Eigen::VectorXd q(p.size());
  for (Eigen::Index i = 0; i < p.size(); ++i) q[i] = std::max(p[i] + noise * rng.normal(), 0.0);
  const double mass = q.sum();
  if (!(mass > 0))
    throw InputError("so large that clipping at 0 left no probability mass; lower it", at("generate.noise"));
  return q / mass;
}

Problem vectorProblem(Kind kind, const GenerateSpec& spec, Random& rng) {
  Problem p;
  p.kind = kind;
  p.A = gaussianWithNorm(spec.n, spec.d, spec.R, rng);
  const Eigen::VectorXd xTarget = gaussianMatrix(spec.d, 1, rng).col(0).normalized();
  p.b = softmax(p.A * xTarget);
  if (spec.noise > 0) p.b = addNoise(p.b, spec.noise, rng);
  if (kind == Kind::InfoPrompt) p.w = Eigen::VectorXd::Constant(spec.n, spec.w.value_or(kDefaultInfoPromptWeight));
  p.x = Eigen::VectorXd::Zero(spec.d);
  return p;
}

Problem attentionProblem(Kind kind, const GenerateSpec& spec, Random& rng) {
  Problem p;
  p.kind = kind;
  p.A1 = gaussianWithNorm(spec.n, spec.d, spec.R, rng);
  p.A2 = gaussianWithNorm(spec.n, spec.d, spec.R, rng);
  Eigen::MatrixXd xTarget = gaussianMatrix(spec.d, spec.d, rng);
  xTarget /= xTarget.norm();  // Frobenius norm 1
  const Eigen::MatrixXd scores = (p.A1 * xTarget) * p.A2.transpose();
  p.B.resize(spec.n, spec.n);
  for (Eigen::Index i = 0; i < spec.n; ++i) p.B.row(i) = softmax(scores.row(i).transpose()).transpose();
  if (spec.noise > 0)
    for (Eigen::Index i = 0; i < spec.n; ++i) p.B.row(i) = addNoise(p.B.row(i).transpose(), spec.noise, rng).transpose();
  p.x = Eigen::VectorXd::Zero(spec.d * spec.d);
  return p;
}

std::string numberText(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.17g", v);
  return text;
}

}  // namespace

void checkGenerateSpec(const GenerateSpec& spec) {
  if (spec.n < 1) throw InputError("must be an integer ≥ 1 (got " + std::to_string(spec.n) + ")", at("generate.n"));
  if (spec.d < 1) throw InputError("must be an integer ≥ 1 (got " + std::to_string(spec.d) + ")", at("generate.d"));
  if (!std::isfinite(spec.R) || spec.R <= 0)
    throw InputError("must be a finite number > 0 (got " + numberText(spec.R) + ")", at("generate.R"));
  if (!std::isfinite(spec.noise) || spec.noise < 0)
    throw InputError("must be a finite number ≥ 0 (got " + numberText(spec.noise) + ")", at("generate.noise"));
  if (spec.w && !std::isfinite(*spec.w))
    throw InputError("must be a finite number (got " + numberText(*spec.w) + ")", at("generate.w"));
}

double generatedBytes(Kind kind, const GenerateSpec& spec) {
  const double n = static_cast<double>(spec.n);
  const double d = static_cast<double>(spec.d);
  const double k = std::min(n, d);  // side of the Gram matrix
  const double doubles = isAttentionKind(kind) ? 3 * n * d + 2 * n * n + 2 * d * d + k * k  // A1, A2, A1X°, scores, B
                                               : n * d + 4 * n + 2 * d + k * k;             // A, b, w, Ax°, x°, x
  return 8 * doubles;
}

Problem generateProblem(Kind kind, const GenerateSpec& spec) {
  checkGenerateSpec(spec);
  Random rng(spec.seed);
  return isAttentionKind(kind) ? attentionProblem(kind, spec, rng) : vectorProblem(kind, spec, rng);
}

}  // namespace attnlab
