#include "core/bounds/prediction_shift.hpp"

#include <cmath>

namespace attnlab {
namespace {

// Below this |h| scaledExpm1 multiplies by expm1(h); above it the two exponentials differ by a
// factor e^{0.5} or more and their difference keeps its digits.
constexpr double kSmallExponent = 0.5;

// Λ = log α(z + Δz) − log α(z) from Σ δb,2 = α'/α − 1 (so Λ = log1p(Σ δb,2)): relative
// accuracy even where log α ≈ 750 carries an absolute error of 1e-13 that Λ ~ 1e-5 would not
// survive. When α'/α < ½ (log1p's argument near −1) or the sum overflows, Λ is large enough for
// the log-sum-exp of log f + Δz.
double logAlphaRatio(const Eigen::VectorXd& logF, const Eigen::VectorXd& dz, const Eigen::VectorXd& deltaB2) {
  const double s = deltaB2.sum();
  if (std::isfinite(s) && s > -0.5) return std::log1p(s);
  return logSumExp(logF + dz);
}

}  // namespace

double logSumExp(const Eigen::VectorXd& z) {
  if (z.size() == 0) return -INFINITY;
  const double m = z.maxCoeff();
  return m + std::log((z.array() - m).exp().sum());
}

double scaledExpm1(double logScale, double h) {
  if (std::abs(h) <= kSmallExponent) return std::exp(logScale) * std::expm1(h);
  // e^h is at least e^{0.5} away from 1: the difference keeps its digits.
  return std::exp(logScale + h) - std::exp(logScale);
}

PredictionShift measurePredictionShift(const Eigen::VectorXd& z, const Eigen::VectorXd& dz) {
  PredictionShift s;
  s.logAlpha = logSumExp(z);
  const Eigen::VectorXd logF = z.array() - s.logAlpha;
  const Eigen::Index n = z.size();
  s.deltaB2.resize(n);
  for (Eigen::Index i = 0; i < n; ++i) s.deltaB2[i] = scaledExpm1(logF[i], dz[i]);  // f_i(e^{Δz_i} − 1)
  const double lambda = logAlphaRatio(logF, dz, s.deltaB2);
  s.logAlphaNext = s.logAlpha + lambda;
  s.deltaB.resize(n);
  s.deltaB1.resize(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    s.deltaB[i] = scaledExpm1(logF[i], dz[i] - lambda);           // f_i(e^{Δz_i − Λ} − 1)
    s.deltaB1[i] = -scaledExpm1(logF[i] + dz[i] - lambda, lambda);  // f'_i(1 − e^{Λ})
  }
  // At the largest logit Δz_top − Λ cancels when f is nearly one-hot (Λ ≈ Δz_top), leaving
  // only rounding; both f are probability vectors, so δb sums to 0 and δb_top is the others' sum.
  if (n > 0) {
    Eigen::Index top = 0;
    z.maxCoeff(&top);
    s.deltaB[top] = 0.0;
    s.deltaB[top] = -s.deltaB.sum();
  }
  return s;
}

}  // namespace attnlab
