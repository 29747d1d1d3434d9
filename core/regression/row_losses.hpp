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
#include <vector>

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

// --- the softmax kinds over row parts -------------------------------------------------------
// The vector kinds split their passes over A into row parts (loss.cpp). For the softmax kinds the
// z-space work goes with the parts, so that none of it waits on one thread between two passes:
//   startSoftmaxPart     as part k forms z_k = A_k x: its max and its exponentials;
//   combineSoftmaxParts  then the block's max and normaliser from the parts' (O(parts), serial);
//   finishSoftmaxPart    before part k forms A_kᵀ∇: f, and ∇ and q up to the one term that needs
//                        every part, D·f with D = Σ_j f_j (c_top − c_j) (see softmaxFamilyValue):
//                        ∇ = g⁰ + D·f and q = q⁰ + D·f, their dominant entries 0 and apart;
//   softmaxTotals        the value, D and ∇_top from the parts' sums.
// blockValue does the same with one part.
struct SoftmaxPart {
  double max = 0.0;     // the part's largest z
  Eigen::Index top = 0;  // its first index, in the block
  double tail = 0.0;    // Σ exp(z_j − max) over the part's other rows
  double bSum = 0.0;    // Σ b_j over the part
  bool finite = true;   // every z_j of the part is finite (else the rest is meaningless)
};
// e's rows [begin, end) become exp(z − max) for the part's own max.
SoftmaxPart startSoftmaxPart(const Eigen::Ref<const Eigen::VectorXd>& z, const Eigen::Ref<const Eigen::VectorXd>& b,
                             Eigen::Index begin, Eigen::Index end, Eigen::VectorXd& e);

struct SoftmaxBlock {
  RowModel model = RowModel::Softmax;
  Eigen::Index top = 0;               // argmax z (its first index)
  double max = 0.0, tail = 0.0;       // z_top and τ = Σ_{j≠top} exp(z_j − z_top)
  double zTop = 0.0, bTop = 0.0, beta = 0.0;  // z_top, b_top, Σb
  double fTop = 1.0, cTop = 0.0;      // f_top = 1/(1 + τ), c_top = f_top − b_top from small terms
  std::vector<double> partScale;      // exp(max_k − max): part k's e times it is exp(z − max)
  double sigma() const { return tail / (1.0 + tail); }  // 1 − f_top
};
SoftmaxBlock combineSoftmaxParts(RowModel model, const std::vector<SoftmaxPart>& parts,
                                 const Eigen::Ref<const Eigen::VectorXd>& z, const Eigen::Ref<const Eigen::VectorXd>& b);

struct SoftmaxPartSums {
  double value = 0.0;  // the part's share of ℓ̂ but β·log1p(τ)
  double D = 0.0;      // Σ f_j (c_top − c_j) over the part
  double bRest = 0.0;  // Σ_{j≠top} b_j over the part
};
// Sizes out for n rows and sets what is known from the block alone (top, σ; δ = w² is written by
// the parts), before the parts run: out.f always, out.q and out.delta with `curvature`.
void startSoftmaxEval(const SoftmaxBlock& block, Eigen::Index n, bool curvature, BlockEval& out);
// Part k, rows [begin, end): out.f, with `curvature` q⁰ into out.q and w² into out.delta, with
// `gradient` g⁰ over z (z_top's entry 0). e holds startSoftmaxPart's exponentials.
SoftmaxPartSums finishSoftmaxPart(const SoftmaxBlock& block, Eigen::Index k, Eigen::Index begin, Eigen::Index end,
                                  Eigen::Ref<Eigen::VectorXd> z, const Eigen::Ref<const Eigen::VectorXd>& b,
                                  const Eigen::VectorXd* w, const Eigen::VectorXd& e, bool gradient, bool curvature,
                                  BlockEval& out);
struct SoftmaxTotals {
  double value = 0.0, D = 0.0, gTop = 0.0;  // ℓ̂, D, and ∇_top
};
SoftmaxTotals softmaxTotals(const SoftmaxBlock& block, const std::vector<SoftmaxPartSums>& parts,
                            const Eigen::VectorXd* w);

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
