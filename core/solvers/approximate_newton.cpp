#include "core/solvers/approximate_newton.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>
#include <vector>

#include "core/random.hpp"

namespace attnlab {
namespace {

using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;
using Eigen::VectorXi;
using Sampling = ApproximateNewton::Sampling;

Index automaticSamples(Index rows, Index dim) {
  const auto s = static_cast<Index>(std::ceil(4.0 * double(dim) * std::log(double(dim) + 1.0)));
  return std::min(rows, std::max<Index>(32, s));
}

// Draws the rows of H̃ for one iterate. The squared row norms ‖a_r‖² do not depend on x and
// are computed once per run, at the first draw; the probabilities follow δ, which does.
class RowSampler {
 public:
  RowSampler(const Loss& L, Sampling sampling, Index samples, std::uint64_t seed)
      : L_(L), rows_(L.designRows()), samples_(samples), sampling_(sampling), rng_(seed) {}

  // rows (distinct, ascending) and weights count/(s·p_r): a row drawn c times enters once.
  void draw(const VectorXd& delta, VectorXi& rows, VectorXd& weights) {
    if (samples_ >= rows_) {
      keepAll(rows, weights);
      return;
    }
    if (sampling_ == Sampling::Leverage && rowNorms2_.size() == 0) rowNorms2_ = squaredRowNorms(L_);
    const bool uniform = sampling_ == Sampling::Uniform || !setLeverage(delta);
    draws_.resize(samples_);
    for (Index& r : draws_) r = uniform ? Index(rng_.below(std::uint64_t(rows_))) : pick();
    std::sort(draws_.begin(), draws_.end());
    merge(uniform, rows, weights);
  }

 private:
  static VectorXd squaredRowNorms(const Loss& L) {
    VectorXd norms(L.designRows()), row(L.dim());
    for (Index r = 0; r < norms.size(); ++r) {
      L.designRow(r, row);
      norms[r] = row.squaredNorm();
    }
    return norms;
  }

  void keepAll(VectorXi& rows, VectorXd& weights) const {
    rows = VectorXi::LinSpaced(rows_, 0, int(rows_ - 1));
    weights = VectorXd::Ones(rows_);
  }

  // Cumulative q_r = |δ_r|·‖a_r‖²; false (use uniform) when they carry no information.
  bool setLeverage(const VectorXd& delta) {
    cumulative_.resize(rows_);
    double total = 0.0;
    for (Index r = 0; r < rows_; ++r) {
      const double q = std::abs(delta[r]) * rowNorms2_[r];
      total += q;
      cumulative_[r] = total;
      if (q > 0.0) lastPositive_ = r;
    }
    return total > 0.0 && std::isfinite(total);
  }

  double probability(Index r, bool uniform) const {
    if (uniform) return 1.0 / double(rows_);
    const double before = r > 0 ? cumulative_[r - 1] : 0.0;
    return (cumulative_[r] - before) / cumulative_.back();
  }

  // The row whose slice of the cumulative sum holds u·Q: zero-probability rows own empty
  // slices and are never picked; u·Q rounding up to Q falls back to the last positive row.
  Index pick() {
    const double u = rng_.uniform() * cumulative_.back();
    const auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), u);
    return std::min(Index(it - cumulative_.begin()), lastPositive_);
  }

  void merge(bool uniform, VectorXi& rows, VectorXd& weights) const {
    std::vector<int> distinct;
    std::vector<double> w;
    for (std::size_t k = 0; k < draws_.size();) {
      std::size_t next = k;
      while (next < draws_.size() && draws_[next] == draws_[k]) ++next;
      distinct.push_back(int(draws_[k]));
      w.push_back(double(next - k) / (double(samples_) * probability(draws_[k], uniform)));
      k = next;
    }
    rows = Eigen::Map<const VectorXi>(distinct.data(), Index(distinct.size()));
    weights = Eigen::Map<const VectorXd>(w.data(), Index(w.size()));
  }

  const Loss& L_;
  const Index rows_, samples_;
  const Sampling sampling_;
  Random rng_;
  VectorXd rowNorms2_;
  std::vector<double> cumulative_;
  Index lastPositive_ = 0;
  std::vector<Index> draws_;
};

// max|λ(H^{-1/2} H̃ H^{-1/2}) − 1| through H = LLᵀ: the eigenvalues of L⁻¹H̃L⁻ᵀ. Empty when H
// is not positive definite (far from x* on a non-convex kind), where ε means nothing.
std::optional<double> spectralDistance(const MatrixXd& Htilde, const MatrixXd& H) {
  const Eigen::LLT<MatrixXd> chol(H);
  if (chol.info() != Eigen::Success) return std::nullopt;
  const MatrixXd X = chol.matrixL().solve(Htilde);             // L⁻¹H̃
  const MatrixXd C = chol.matrixL().solve(X.transpose());      // L⁻¹H̃L⁻ᵀ
  const Eigen::SelfAdjointEigenSolver<MatrixXd> eig(C, Eigen::EigenvaluesOnly);
  if (eig.info() != Eigen::Success) return std::nullopt;
  return (eig.eigenvalues().array() - 1.0).abs().maxCoeff();
}

}  // namespace

ApproximateNewton& ApproximateNewton::compute(const Loss& L, const Eigen::VectorXd& x0) {
  backtracks_ = 0;
  epsilon_ = 0.0;
  hasEpsilon_ = false;
  const double mu0 = mu0_;
  const bool valid = samplesWanted_ >= 0 && mu0 > 0.0 && std::isfinite(mu0);
  const Index N = L.designRows();
  const Index s = samplesWanted_ == 0 ? automaticSamples(N, L.dim()) : std::min<Index>(samplesWanted_, N);
  samples_ = valid ? int(s) : 0;
  const bool measure = measureEpsilon_ && L.dim() <= kMaxEpsilonDim;

  RowSampler sampler(L, sampling_, samples_, seed_);
  VectorXi rows;
  VectorXd weights;
  const detail::Update step = [&](const detail::Point& at, detail::Point& next) {
    const FactoredHessian h = L.factoredHessian(at.x);
    sampler.draw(h.delta, rows, weights);
    MatrixXd Htilde = L.assembleHessian(h, rows, weights);
    if (measure) noteEpsilon(spectralDistance(Htilde, L.hessian(at.x)));
    double mu = 0.0;
    const VectorXd p = detail::dampedNewtonStep(Htilde, at.grad, mu0, mu);
    return detail::armijoStep(L, at, p, next, backtracks_);
  };
  detail::iterate(L, x0, {tolerance_, maxIterations_, progress_, record_, valid}, step,
                  {info_, iterations_, error_, x_, trajectory_, issue_});
  return *this;
}

void ApproximateNewton::noteEpsilon(std::optional<double> eps) {
  if (!eps) return;
  epsilon_ = hasEpsilon_ ? std::max(epsilon_, *eps) : *eps;
  hasEpsilon_ = true;
}

}  // namespace attnlab
