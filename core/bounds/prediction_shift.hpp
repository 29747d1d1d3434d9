// How one step moves the prediction f = softmax(z), z = Ax (000 Remark 5.2, Def 5.3; for the
// data shift Remark 7.2, Def 7.3 with x replaced by A): δb = f(z') − f(z) = δb,1 + δb,2 with
//     δb,1 = (α'⁻¹ − α⁻¹)·u',     δb,2 = α⁻¹·(u' − u),     u = exp(z), α = ⟨u, 1_n⟩.
//
// Numerics. u and α overflow once z > 709, so nothing here forms them: with log f = z − log α
// and the log-ratio Λ = log α' − log α, every quantity is a scaled exp − 1,
//     δb,2 = f∘expm1(Δz),   δb,1 = −f'·expm1(Λ),   δb = f∘expm1(Δz − Λ),
//     Λ = log1p(Σ f_i·expm1(Δz_i))   (= log Σ f_i e^{Δz_i}),
// which stays accurate at steps of 1e-9, where f(z') − f(z) would lose half its digits; δb at
// the largest logit is −(the sum of the others), exact for probability vectors and free of the
// cancellation Δz_top − Λ suffers when f is nearly one-hot. Δz must
// be computed from the step itself (AΔx, ΔA·x), never as z' − z, for the same reason.
#pragma once
#include <Eigen/Dense>

namespace attnlab {

struct PredictionShift {
  Eigen::VectorXd deltaB;   // δb   = f(z + Δz) − f(z)
  Eigen::VectorXd deltaB1;  // δb,1 = (α(z + Δz)⁻¹ − α(z)⁻¹)·u(z + Δz)
  Eigen::VectorXd deltaB2;  // δb,2 = α(z)⁻¹·(u(z + Δz) − u(z))
  double logAlpha = 0.0;      // log α at z
  double logAlphaNext = 0.0;  // log α at z + Δz
};

// log Σ exp(z_i) through the max shift; finite for every finite z.
double logSumExp(const Eigen::VectorXd& z);

// δb, δb,1, δb,2 and log α at both ends for the step z → z + dz. Entries are ±inf only when the
// true value does not fit in a double (a step that changes a logit by more than ~709).
PredictionShift measurePredictionShift(const Eigen::VectorXd& z, const Eigen::VectorXd& dz);

// e^{logScale}·(e^h − 1) without cancellation at small h nor a spurious overflow or underflow of
// e^{logScale} alone (the scale is a probability f_i, possibly below 1e-308).
double scaledExpm1(double logScale, double h);

}  // namespace attnlab
