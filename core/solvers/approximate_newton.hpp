// Approximate Newton by row sampling (002 Algorithm 1, after Deng–Li–Song 2023), with the
// sign of line 8 corrected (math.md Errata): x_{t+1} = x_t − H̃⁻¹g. At each iterate the
// Hessian's design part 𝒜ᵀ diag(δ) 𝒜 is replaced by a sample of s rows drawn with
// replacement, row r with probability p_r, weighted 1/(s·p_r) so that E[H̃] = H; the
// low-rank part W S Wᵀ and the ridge enter exactly (Loss::assembleHessian).
//   Leverage: p_r ∝ |δ_r|·‖a_r‖², the squared row norms of B = diag(√|δ|)𝒜: a cheap proxy
//             for B's leverage scores b_rᵀ(BᵀB)⁻¹b_r, which lie between ‖b_r‖²/λ_max and
//             ‖b_r‖²/λ_min of BᵀB, so the proxy is good where that part of H is well
//             conditioned (and costs O(N) per iterate instead of a factorisation);
//   Uniform:  p_r = 1/N.
// The step is safeguarded as in Newton (damping when H̃ is not positive definite, Armijo
// backtracking), so far from x* it still descends; near x* it converges linearly at a rate
// set by ε, the distance of H̃ from H: H̃ within (1 ± ε)·H.
#pragma once
#include <Eigen/Dense>
#include <string>
#include <cstdint>
#include <optional>

#include "core/solvers/newton.hpp"
#include "core/solvers/solver.hpp"

namespace attnlab {

class ApproximateNewton : public IterativeSolver<ApproximateNewton> {
 public:
  enum class Sampling { Leverage, Uniform };

  // Rows drawn per iterate; 0 = automatic: min(N, max(32, ⌈4·dim·ln(dim + 1)⌉)), the
  // O(dim·log dim) of matrix-Chernoff sampling bounds with a constant that gives ε ≲ ½ on
  // our problems. s ≥ N keeps every row exactly (H̃ = H, exact Newton).
  ApproximateNewton& setSamples(int s) { samplesWanted_ = s; return *this; }
  ApproximateNewton& setSeed(std::uint64_t seed) { seed_ = seed; return *this; }
  ApproximateNewton& setSampling(Sampling sampling) { sampling_ = sampling; return *this; }
  ApproximateNewton& setDamping(double mu0) { mu0_ = mu0; return *this; }  // as Newton::setDamping
  // Measure ε against the exact Hessian (an extra O(N·dim²) per iterate); only for dim ≤ 256.
  ApproximateNewton& setMeasureEpsilon(bool on) { measureEpsilon_ = on; return *this; }

  ApproximateNewton& compute(const Loss& L, const Eigen::VectorXd& x0);
  const std::string& issue() const { return issue_; }  // as GradientDescent::issue

  int samples() const { return samples_; }  // rows per iterate actually used (draws, or N)
  // Largest measured ε = max|λ(H^{-1/2} H̃ H^{-1/2}) − 1| over the iterates where H was
  // positive definite; meaningful only when hasEpsilon().
  double epsilon() const { return epsilon_; }
  bool hasEpsilon() const { return hasEpsilon_; }
  int lineSearchBacktracks() const { return backtracks_; }

  static constexpr Eigen::Index kMaxEpsilonDim = 256;

 private:
  std::string issue_;
  void noteEpsilon(std::optional<double> eps);

  int samplesWanted_ = 0;
  std::uint64_t seed_ = 0;
  Sampling sampling_ = Sampling::Leverage;
  double mu0_ = 1e-6;
  bool measureEpsilon_ = true;

  int samples_ = 0;
  double epsilon_ = 0.0;
  bool hasEpsilon_ = false;
  int backtracks_ = 0;
};

}  // namespace attnlab
