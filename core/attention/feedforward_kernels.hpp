// Trainable feedforward feature maps (paper 004, Yorsh & Kovalenko 2022; math.md §3):
//   softplus  φ(X) = Softplus(X W_f)                      W_f d×m, orthogonal init + penalty
//   glu       φ(X) = Softplus(X W_f) ∘ σ(X W_g)            (the paper's OGLU: W_f orthogonal)
//   aoglu     φ(X) = Softplus(X W_f) ∘ σ(X U V)            W_g ≈ U V of rank r (AOGLU)
// The paper trains W inside a transformer on a task. Here the map is fitted to the exact
// attention it replaces: on random batches of query and key rows, Adam minimises
//   ‖Att_φ(Q_b, K_b, V_b) − Att(Q_b, K_b, V_b)‖²_F / ‖Att(Q_b, K_b, V_b)‖²_F + λ‖G/c − I‖²_F,
// Att with the problem's scale s, computed directly on the batch; G = W_f W_fᵀ (W_fᵀW_f when
// m < d), c = tr(G)/rank. The penalty keeps W_f's directions orthogonal but leaves its scale
// free: in the paper W_Q, W_K can sharpen the kernel; here only W_f can. Every draw is
// seeded, so a fit is deterministic.
#pragma once
#include <cstdint>

#include "core/attention/feature_map.hpp"
#include "core/jobs/progress.hpp"

namespace attnlab {

enum class FeedforwardKind { Softplus, Glu, Aoglu };

// AOGLU's gate rank. The paper (d = m = n) uses r = n/4; with d ≠ m, r = min(d, m)/4, so
// the gate stays genuinely low-rank (rank W_g ≤ min(d, m)).
Index aogluRank(Index d, Index m);

struct FeedforwardParams {
  FeedforwardKind kind = FeedforwardKind::Softplus;
  Eigen::MatrixXd Wf;    // d×m
  Eigen::MatrixXd Wg;    // d×m (glu)
  Eigen::MatrixXd U, V;  // d×r and r×m (aoglu)

  Index inputDim() const { return Wf.rows(); }
  Index features() const { return Wf.cols(); }
  // All trainable numbers as one vector (for Adam and finite differences), and back.
  Eigen::VectorXd flatten() const;
  void unflatten(const Eigen::VectorXd& theta);
};

// Orthogonal initialisation (orthonormal rows of W_f when m ≥ d, columns otherwise; the
// same for W_g, U and V), seeded.
FeedforwardParams initialFeedforwardParams(FeedforwardKind kind, Index d, Index m, std::uint64_t seed);

// One training batch: rows of Q, K, V and the exact attention of those queries over those keys.
struct FeedforwardBatch {
  Eigen::MatrixXd Q, K, V, target;
};
FeedforwardBatch makeFeedforwardBatch(Eigen::MatrixXd Q, Eigen::MatrixXd K, Eigen::MatrixXd V, double scale);

// The fitting loss above on one batch; with gradient ≠ nullptr also its gradient, in the
// layout of flatten().
double feedforwardLoss(const FeedforwardParams& params, const FeedforwardBatch& batch, double orthogonality,
                       Eigen::VectorXd* gradient = nullptr);

struct FeedforwardTraining {
  int steps = 200;
  Index queryBatch = 128;  // query rows per step (all of them if fewer)
  Index keyBatch = 128;    // key rows per step (≤ 256 rows per step in all: ~0.4 s at d = 64, m = 256)
  double learningRate = 3e-2;
  double orthogonality = 1e-2;  // λ
  std::uint64_t seed = 0;       // initialisation and batches
};

struct FeedforwardFit {
  FeedforwardParams params;
  double initialLoss = 0;  // on a fixed evaluation batch drawn first
  double finalLoss = 0;
  int steps = 0;
  bool cancelled = false;
};

// Q: Lq×d, K: Lk×d, V: Lk×dv (double; the float path passes its rounded inputs).
FeedforwardFit fitFeedforwardMap(FeedforwardKind kind, Index m, const RowMatrix<double>& Q,
                                 const RowMatrix<double>& K, const RowMatrix<double>& V, double scale,
                                 const FeedforwardTraining& training, Progress* progress = nullptr);

// The fitted map for linearAttention (positive: Softplus > 0, σ > 0; no shift needed).
template <class T>
class FeedforwardFeatures final : public FeatureMap<T> {
 public:
  explicit FeedforwardFeatures(const FeedforwardParams& params);
  Index inputDim() const override { return Wf_.rows(); }
  Index features() const override { return Wf_.cols(); }
  void queries(const ConstRowsRef<T>& X, RowMatrix<T>& phi) const override { apply(X, phi); }
  T keys(const ConstRowsRef<T>& X, RowMatrix<T>& phi) const override {
    apply(X, phi);
    return T(0);
  }

 private:
  void apply(const ConstRowsRef<T>& X, RowMatrix<T>& phi) const;

  FeedforwardKind kind_;
  RowMatrix<T> Wf_, Wg_, U_, V_;
};

extern template class FeedforwardFeatures<float>;
extern template class FeedforwardFeatures<double>;

}  // namespace attnlab
