// The MLP layer of the random-features transformer (001 Eq. 4): φ(t) = cos(b₁t + b₂) on a
// Gaussian pair (u, v) with variances kxx, kyy and covariance kxy. With cos A cos B =
// ½[cos(A − B) + cos(A + B)] and E cos(c·w + e) = cos(e)·exp(−c²Var(w)/2) for a centred
// Gaussian w, the expectation is closed-form, so no Monte Carlo noise is added on top of
// the attention layer's:
//   E[φ(u)φ(v)] = ½[exp(−b₁²(kxx + kyy − 2kxy)/2) + cos(2b₂)·exp(−b₁²(kxx + kyy + 2kxy)/2)].
#pragma once
#include <cmath>

namespace attnlab {

struct CosineParams {
  double b1 = 0.5;
  double b2 = 0.5;
  bool operator==(const CosineParams&) const = default;
};

inline double cosineFeatureKernel(double kxx, double kyy, double kxy, const CosineParams& p) {
  const double c = p.b1 * p.b1 / 2.0;
  return 0.5 * (std::exp(-c * (kxx + kyy - 2.0 * kxy)) + std::cos(2.0 * p.b2) * std::exp(-c * (kxx + kyy + 2.0 * kxy)));
}

}  // namespace attnlab
