#include "core/bounds/data_shift.hpp"

#include <cmath>
#include <cstdio>
#include <string>

#include "core/bounds/spectral_norm.hpp"
#include "core/errors.hpp"

namespace attnlab {
namespace {

using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;

VectorXd softmax(const VectorXd& z) {
  const VectorXd e = (z.array() - z.maxCoeff()).exp();
  return e / e.sum();
}

// J c = f∘c − f⟨f, c⟩, the gradient of ½‖f − b‖² in z.
VectorXd softmaxLossGradient(const VectorXd& f, const VectorXd& b) {
  const VectorXd c = f - b;
  return f.cwiseProduct(c) - f * f.dot(c);
}

VectorXd rescaledLossGradient(const VectorXd& z, const VectorXd& b) {
  const VectorXd u = z.array().exp();
  const VectorXd r = u - u.sum() * b;
  return u.cwiseProduct((r.array() - r.dot(b)).matrix());
}

VectorXd logitGradientOf(const Problem& p, const VectorXd& z) {
  const VectorXd& b = p.b;
  switch (p.kind) {
    case Kind::Linear: return z - b;
    case Kind::Exp: {
      const VectorXd u = z.array().exp();
      return u.cwiseProduct(u - b);
    }
    case Kind::Softmax: return softmaxLossGradient(softmax(z), b);
    case Kind::Rescaled: return rescaledLossGradient(z, b);
    case Kind::CrossEntropy: return b.sum() * softmax(z) - b;
    case Kind::InfoPrompt: {
      const VectorXd f = softmax(z);
      return softmaxLossGradient(f, b) + b.sum() * f - b + p.w.cwiseAbs2().cwiseProduct(z);
    }
    case Kind::AttentionNormalized:
    case Kind::AttentionRescaled: break;
  }
  throw InputError("the data shift is defined for the vector kinds only (got '" + std::string(kindName(p.kind)) + "')",
                   InputLocation{.file = {}, .field = "kind", .row = {}, .column = {}});
}

[[noreturn]] void throwGradientOverflow(const Problem& p, const VectorXd& z) {
  Index i = 0;
  z.maxCoeff(&i);
  char value[32];
  std::snprintf(value, sizeof value, "%.6g", z[i]);
  throw OverflowError("∇_A L of kind '" + std::string(kindName(p.kind)) + "' at row " + std::to_string(i) +
                      " (largest logit: (Ax)_i = " + value + ")");
}

MatrixXd gaussian(Index rows, Index cols, double sd, Random& rng) {
  MatrixXd m(rows, cols);
  for (Index i = 0; i < rows; ++i)
    for (Index j = 0; j < cols; ++j) m(i, j) = sd * rng.normal();
  return m;
}

}  // namespace

VectorXd logitGradient(const Problem& p, const VectorXd& z) {
  VectorXd g = logitGradientOf(p, z);
  if (!g.allFinite()) throwGradientOverflow(p, z);
  return g;
}

MatrixXd dataGradient(const Problem& p) { return logitGradient(p, p.A * p.x) * p.x.transpose(); }

LsaWeights drawLsaWeights(Index d, Random& rng) {
  const double sd = 1.0 / std::sqrt(static_cast<double>(d));
  LsaWeights w;
  w.WQ = gaussian(d, d, sd, rng);
  w.WK = gaussian(d, d, sd, rng);
  w.WV = gaussian(d, d, sd, rng);
  return w;
}

MatrixXd lsaIncrement(const MatrixXd& A, const LsaWeights& w, double eta) {
  const MatrixXd keysQueries = (A * w.WK).transpose() * (A * w.WQ);  // d×d
  return (eta / static_cast<double>(A.rows())) * ((A * w.WV) * keysQueries);
}

MatrixXd randomPerturbation(Index n, Index d, double s, Random& rng) {
  const MatrixXd G = gaussian(n, d, 1.0, rng);
  const double norm = spectralNorm(G);
  if (s == 0.0 || norm == 0.0) return MatrixXd::Zero(n, d);
  return (s / norm) * G;
}

DataShiftUpdate::DataShiftUpdate(const Problem& p, const BoundsParams& params)
    : problem_(p), update_(params.update), lr_(params.lr), scale_(params.scale), rng_(params.seed) {
  if (update_ == AttentionUpdate::LinearSelfAttention) lsa_ = drawLsaWeights(p.d(), rng_);
}

MatrixXd DataShiftUpdate::increment(const MatrixXd& A) {
  switch (update_) {
    case AttentionUpdate::Gradient:
      problem_.A = A;
      return -lr_ * dataGradient(problem_);
    case AttentionUpdate::LinearSelfAttention: return lsaIncrement(A, lsa_, lr_);
    case AttentionUpdate::Random: return randomPerturbation(A.rows(), A.cols(), scale_, rng_);
  }
  return MatrixXd::Zero(A.rows(), A.cols());
}

}  // namespace attnlab
