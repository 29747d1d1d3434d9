// The z-space loss of one block of design rows (internal to core/regression).
//
// Every kind is Σ_blocks ℓ(z_block) + ridge (loss.hpp). A block is all of z = Ax for the
// vector kinds and one row z_i of Z = A₁XA₂ᵀ for the attention kinds, which are softmax
// (normalized) or rescaled rows against the matching row of B. For one block this file gives
// the scaled loss ℓ̂ = e^{−logScale}·ℓ, its gradient and its Hessian in the form
//     ∇²ℓ̂ = diag(delta) + Cᵀ diag(q) C + KᵀK,
//     C = I − 1fᵀ (f = softmax z),     K = (I − b1ᵀ) diag(u) (u = exp z, rescaled rows only).
// The softmax kinds' Hessians are exactly Cᵀ diag(q) C (plus a diagonal for infoprompt) and
// the rescaled one is diag(·) + KᵀK, K being the Jacobian of u − αb. Kept in these factored
// forms, a nearly one-hot f (or u with b) costs no accuracy: the expanded diag + rank-2 form of
// loss.hpp cancels O(1) terms down to an O(1 − max f) result. Each projection treats the
// dominant entry `top` = argmax z apart, summing it from small terms instead of subtracting.
// logScale is 2·max z for rescaled rows, whose every term is quadratic in exp(z) =
// e^{max z}·exp(z − max z); it is 0 for every other kind. Nothing here overflows before ℓ does.
#pragma once
#include <Eigen/Dense>

#include "core/regression/kind.hpp"

namespace attnlab {
class PartTeam;
class WorkerPool;
}

namespace attnlab::detail {

// The z-space loss a block carries; the attention kinds map to Softmax and Rescaled rows.
enum class RowModel { Linear, Exp, Softmax, Rescaled, CrossEntropy, InfoPrompt };
RowModel rowModel(Kind kind);

struct BlockEval;

// ℓ̂ of the block at z and, when `gradient`, ∇ℓ̂ written over z. The exponentials are formed
// once, into one vector of the block's length, and the two or three passes reuse them piece by
// piece (an exp costs more than the memory it is kept in). With `hessian`, also what
// evaluateBlockHessian gives at z, the same numbers — for the softmax kinds from the same passes.
double blockValue(RowModel model, Eigen::Ref<Eigen::VectorXd> z, const Eigen::Ref<const Eigen::VectorXd>& b,
                  const Eigen::VectorXd* w, bool gradient, double& logScale, BlockEval* hessian = nullptr);

// The block's Hessian at z (w: the infoprompt weights, else ignored).
struct BlockEval {
  double logScale = 0.0;   // ∇²ℓ = e^{logScale}·∇²ℓ̂
  Eigen::VectorXd delta;   // diagonal part; empty when absent
  Eigen::VectorXd q;       // centred part Cᵀ diag(q) C; empty when absent
  Eigen::VectorXd ku, kb;  // K = (I − kb 1ᵀ) diag(ku); empty when absent
  Eigen::VectorXd f;       // softmax(z)                                     (softmax kinds)
  Eigen::Index top = 0;    // argmax z                                       (softmax kinds, rescaled)
  double sigma = 0.0;      // 1 − f_top, accurate when f is nearly one-hot   (softmax kinds)
  Eigen::VectorXd c;       // scratch, kept to reuse its allocation across blocks
};

void evaluateBlockHessian(RowModel model, const Eigen::Ref<const Eigen::VectorXd>& z,
                          const Eigen::Ref<const Eigen::VectorXd>& b, const Eigen::VectorXd* w, BlockEval& out);

// out = ∇²ℓ̂·y; scratch is resized as needed.
void applyBlockHessian(const BlockEval& blk, const Eigen::Ref<const Eigen::VectorXd>& y,
                       Eigen::Ref<Eigen::VectorXd> out, Eigen::VectorXd& scratch);

// Whether addBlockGram adds the diagonal part Mᵀ diag(delta) M. Linear and infoprompt rows have
// a delta that does not depend on z (1 and w²), so a caller may add that Gram once, kept.
enum class DiagonalPart { Include, Omit };
bool hasConstantDelta(RowModel model);

// lower(G) += Mᵀ ∇²ℓ̂ M (M: the block's m×d design), or without Mᵀ diag(delta) M. With a pool
// (or else a team), the rows are split among its threads (same result to the last bit as without).
void addBlockGram(const BlockEval& blk, const Eigen::MatrixXd& M, Eigen::MatrixXd& G,
                  DiagonalPart part = DiagonalPart::Include, WorkerPool* pool = nullptr, PartTeam* team = nullptr);

// The same Hessian as diag(delta) + U S Uᵀ (the FactoredHessian format, k ≤ 2):
// Cᵀ diag(q) C = diag(q) − q fᵀ − f qᵀ + (Σq) f fᵀ and KᵀK = diag(u²) − (u∘b)uᵀ − u(u∘b)ᵀ + ‖b‖² uuᵀ.
void expandBlockHessian(const BlockEval& blk, Eigen::Ref<Eigen::VectorXd> delta, Eigen::MatrixXd& U,
                        Eigen::MatrixXd& S);

// lower(G) += Σ_t coef_t·m_{r_t} m_{r_t}ᵀ over rows r_t of M (r_t = t when rows is null):
// a SYRK on √|coef|-scaled rows, split by sign, in chunks.
void addWeightedGram(Eigen::MatrixXd& G, const Eigen::MatrixXd& M, const Eigen::Ref<const Eigen::VectorXd>& coef,
                     const int* rows, WorkerPool* pool = nullptr, PartTeam* team = nullptr);

// Σ_{j≠top} v_j: the entries but the dominant one (all of them when top is outside v).
double sumWithout(const Eigen::Ref<const Eigen::VectorXd>& v, Eigen::Index top);

// v·e^t rounded once: e^t = 2^k·e^r with |r| ≤ ln2/2, so no intermediate overflows or
// underflows before the result does (t may exceed 709 while v·e^t still fits).
class ExpScale {
 public:
  explicit ExpScale(double t);
  double operator()(double v) const;
  bool isOne() const { return exponent_ == 0 && mantissa_ == 1.0; }

 private:
  double mantissa_ = 1.0;
  int exponent_ = 0;
};

}  // namespace attnlab::detail
