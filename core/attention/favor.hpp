// FAVOR+ positive random features (Choromanski et al. 2021, "Performer"; math.md §3):
//   φ(x) = exp(W x − ‖x‖²/2) / √m,  rows ω_r of W (m×d) with ω_r ~ N(0, I_d),
// so that E[φ(q)ᵀφ(k)] = exp(qᵀk) exactly. For the softmax kernel exp(s·qᵀk), x = √s·q.
// Orthogonal features draw W in blocks of d mutually orthogonal rows (each row still
// marginally N(0, I): an orthogonal matrix times independent χ_d lengths), which keeps the
// estimate unbiased and lowers its variance.
#pragma once
#include <cstdint>

#include "core/attention/feature_map.hpp"

namespace attnlab {

// m×d projection, seeded (attnlab::Random: the same W on every machine).
Eigen::MatrixXd favorProjection(Index m, Index d, std::uint64_t seed, bool orthogonal);

// The unstabilised estimate φ(√s q)ᵀφ(√s k) of exp(s·qᵀk), in double (for tests and plots).
double favorKernelEstimate(const Eigen::MatrixXd& W, const Eigen::VectorXd& q, const Eigen::VectorXd& k,
                           double scale = 1.0);

// The map for linearAttention. Stabilised as feature_map.hpp allows: a query row drops
// its own max of ω_r·x and the common factors ‖x‖², 1/√m (all cancel in its ratio); a key
// block subtracts the block's max of ω_r·x − ‖x‖²/2, returned as the shift.
template <class T>
class FavorFeatures final : public FeatureMap<T> {
 public:
  FavorFeatures(Eigen::MatrixXd W, double scale);
  Index inputDim() const override { return Wt_.rows(); }
  Index features() const override { return Wt_.cols(); }
  void queries(const ConstRowsRef<T>& X, RowMatrix<T>& phi) const override;
  T keys(const ConstRowsRef<T>& X, RowMatrix<T>& phi) const override;

 private:
  RowMatrix<T> Wt_;  // √s·Wᵀ (d×m): the scale folded into the projection once
  T halfScale_;      // s/2, for ‖√s·x‖²/2
};

extern template class FavorFeatures<float>;
extern template class FavorFeatures<double>;

}  // namespace attnlab
