// L(x) for one Problem: value, gradient, dense Hessian, Hessian-vector product.
//
// Every kind is a sum of row-block losses of a linear image of x plus the ridge:
//     L(x) = Σ_blocks ℓ(z_block) + ½·l2·‖x‖²,     z = 𝒜x,
// where 𝒜 = A for the vector kinds (one block of n rows) and, for the attention kinds,
// the n² rows (a2_j ⊗ a1_i)ᵀ acting on vec(X), grouped in n blocks (z_i = A₂Xᵀa1_i).
// In z the Hessian of each block is a diagonal plus a rank-≤4 term, so
//     ∇²L = 𝒜ᵀ(diag δ)𝒜 + W S Wᵀ + l2·I,     W = 𝒜ᵀU,
// which is how the dense Hessian is built (a symmetric rank-k update, never n×n) and
// what the approximate Newton solver samples (002 Algorithm 1).
//
// Numerics: softmax, α and log f always through the max shift; a result that does not
// fit in a double (exp(Ax) beyond ~709, a loss beyond 1.8e308) throws OverflowError
// naming the quantity, never returns inf or nan. All const methods are thread-safe.
#pragma once
#include <Eigen/Dense>
#include <memory>

#include "core/regression/problem.hpp"

namespace attnlab {

class PartTeam;
class WorkerPool;
namespace detail {
struct SingleSums;
}

// ∇²L = 𝒜ᵀ diag(delta) 𝒜 + W S Wᵀ + l2·I, the factored form of the Hessian at x.
struct FactoredHessian {
  Eigen::VectorXd delta;  // one weight per design row (n, or n² for attention kinds)
  Eigen::MatrixXd W;      // dim × k: 𝒜ᵀU, the low-rank part already mapped to parameters
  Eigen::MatrixXd S;      // k × k symmetric
  double l2 = 0.0;
};

class Loss {
 public:
  explicit Loss(std::shared_ptr<const Problem> problem);
  explicit Loss(Problem problem);

  // The same loss, its passes over the design split among the team's threads (vector kinds),
  // each thread on the same rows every time so that they stay in its core's cache. Results are
  // the same to the last bit with or without a team; the team must outlive the copy.
  Loss onTeam(PartTeam* team) const;
  // The same loss with none of the sums a Loss keeps after first use (Aᵀdiag(κ)A, the float32
  // copy of A): what a timing harness starts each run from, so that every run pays for them.
  Loss uncached() const;

  const Problem& problem() const { return *problem_; }
  Kind kind() const { return problem_->kind; }
  Eigen::Index dim() const { return problem_->dim(); }

  double value(const Eigen::VectorXd& x) const;
  class Curvature;
  // Returns L(x) and writes ∇L(x) into grad (resized as needed). With `curvature`, also
  // curvature(x) there, the same to the last bit: for the vector kinds from the same pass over A
  // and, for the softmax kinds, from the same passes over z = Ax.
  double valueAndGradient(const Eigen::VectorXd& x, Eigen::VectorXd& grad, Curvature* curvature = nullptr) const;
  Eigen::VectorXd gradient(const Eigen::VectorXd& x) const;
  // Dense dim×dim Hessian, symmetric (both triangles filled). With a pool, the vector kinds'
  // O(nd²) Gram sum runs on its threads and the caller's (the same matrix to the last bit).
  Eigen::MatrixXd hessian(const Eigen::VectorXd& x, WorkerPool* pool = nullptr) const;
  // How the mixed-precision Hessian sums its O(nd²) Gram part (the rest is in double):
  //   Float32  in float32 (AVX-512 tiles of registers, else Eigen): entries within a few 1e-7
  //            of the terms' magnitudes;
  //   Fastest  on a CPU with AMX tiles (hasBfloat16Gram()), in bf16x3 on the tile unit: each
  //            float32 split into two bfloat16s, entries within ~1e-5 of the terms' magnitudes,
  //            about twice as fast again; elsewhere the same as Float32.
  enum class GramSum { Fastest, Float32 };
  static bool hasBfloat16Gram();
  // Readies the calling thread for the Fastest sum (takes the tile unit's first-use trap); for a
  // PartTeam's threadStart, so that no solve pays it. Does nothing without tiles.
  static void prepareThread();
  // curvature(x).mixedPrecisionMatrix(pool, sum).
  Eigen::MatrixXd mixedPrecisionHessian(const Eigen::VectorXd& x, WorkerPool* pool = nullptr,
                                        GramSum sum = GramSum::Fastest) const;
  // ∇²L(x)·v without forming the Hessian: O(nd) for vector kinds.
  Eigen::VectorXd hessianTimes(const Eigen::VectorXd& x, const Eigen::VectorXd& v) const;

  // ∇²L at one x, evaluated once (z = Ax and the row losses' second derivatives) and then used
  // as often as a solver needs: Newton's solver factors the float32-Gram matrix and refines its
  // step with exact products until the step is the exact Newton step.
  class Curvature {
   public:
    Eigen::VectorXd times(const Eigen::VectorXd& v) const;  // ∇²L(x)·v, exact
    // The Hessian with its O(nd²) Gram sum formed from A rounded to float32 and summed as `sum`
    // says (GramSum above); the rest in double. The rescaled kinds,
    // whose Gram rows cancel badly when b is nearly one-hot, and the attention kinds get the
    // exact one.
    Eigen::MatrixXd mixedPrecisionMatrix(WorkerPool* pool = nullptr, GramSum sum = GramSum::Fastest) const;
    Eigen::MatrixXd matrix(WorkerPool* pool = nullptr) const;  // hessian(x, pool)

   private:
    friend class Loss;
    struct Point;
    const Loss* loss_ = nullptr;
    Eigen::VectorXd x_;
    std::shared_ptr<const Point> point_;  // null for the attention kinds
  };
  Curvature curvature(const Eigen::VectorXd& x) const;  // the Curvature refers to *this

  // --- the design view used by the approximate Newton solver --------------------------
  FactoredHessian factoredHessian(const Eigen::VectorXd& x) const;
  Eigen::Index designRows() const;                           // n, or n² (attention kinds)
  void designRow(Eigen::Index r, Eigen::Ref<Eigen::VectorXd> out) const;  // row r of 𝒜
  // Σ_r weight_r·delta_r·a_r a_rᵀ over the given rows + W S Wᵀ + l2·I (a sampled Hessian).
  Eigen::MatrixXd assembleHessian(const FactoredHessian& h, const Eigen::VectorXi& rows,
                                  const Eigen::VectorXd& weights) const;

 private:
  // Aᵀdiag(κ)A, the part of ∇²L that does not move with x (κ = w² for infoprompt, 1 for
  // linear): half the Gram work of every infoprompt Hessian, so it is summed once, on first use.
  struct FixedCurvature;
  const Eigen::MatrixXd& fixedCurvature(WorkerPool* pool) const;
  // A rounded to float32 once, row-major, or packed for the AMX tile unit, for mixed-precision
  // Hessians; singleSums forms their Gram sums from it.
  struct SingleDesign;
  detail::SingleSums singleSums(GramSum sum) const;

  std::shared_ptr<const Problem> problem_;
  std::shared_ptr<FixedCurvature> fixed_;
  std::shared_ptr<SingleDesign> single_;
  PartTeam* team_ = nullptr;  // shared by copies, which share the problem too
};

}  // namespace attnlab
