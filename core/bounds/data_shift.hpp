// The data shift (000 §6–7, Thm 8.2; cli.md `bounds --shift A`): x stays fixed and the document
// A moves, A_t → A_{t+1}, in one of three ways.
//
//   gd      A ← A − η∇_A L. Every vector kind is L(A) = ℓ(Ax) + ½λ‖x‖², so
//           ∇_A L = (∇_z ℓ)(Ax)·xᵀ: the ridge does not depend on A, and ∇_z ℓ is below.
//   lsa     one linear self-attention layer (von Oswald et al. 2023, the in-context learner
//           the paper has in mind): A ← A + η·(A W_V)(A W_K)ᵀ(A W_Q)/n, with W_Q, W_K, W_V
//           d×d, entries N(0, 1/d) — so each A·W has rows of the size of A's — drawn once
//           from the seed, in the order W_Q, W_K, W_V, each row by row, and the same layer
//           applied at every step (a tied-weight stack).
//   random  A ← A + s·G/‖G‖, G n×d standard Gaussian, row by row, drawn afresh each step
//           from the same stream: a step of spectral norm exactly s (up to rounding).
#pragma once
#include <Eigen/Dense>

#include "core/bounds/bounds_params.hpp"
#include "core/random.hpp"
#include "core/regression/problem.hpp"

namespace attnlab {

// ∇_z ℓ at z = Ax for a vector kind, where L = ℓ(Ax) + ½λ‖x‖² (c = f − b, f = softmax z):
//   linear         z − b
//   exp            e^z ∘ (e^z − b)
//   softmax        J c = f∘c − f⟨f, c⟩                     (000 Lemma 4.5 with the Errata's sign)
//   rescaled       u ∘ (r − ⟨r, b⟩1),  u = e^z, r = u − αb
//   cross_entropy  ⟨b, 1⟩f − b                            (002 Lemma C.14)
//   infoprompt     J c + ⟨b, 1⟩f − b + w²∘z                (002 Lemma C.15)
// f through the max shift. Throws OverflowError (naming the kind and the logit) when e^z makes
// the result exceed double precision, and InputError for an attention kind.
Eigen::VectorXd logitGradient(const Problem& p, const Eigen::VectorXd& z);

// ∇_A L = (∇_z ℓ)(A x)·xᵀ, n×d, at the problem's A and x.
Eigen::MatrixXd dataGradient(const Problem& p);

struct LsaWeights {
  Eigen::MatrixXd WQ, WK, WV;  // d×d, entries N(0, 1/d)
};
LsaWeights drawLsaWeights(Eigen::Index d, Random& rng);

// η·(A W_V)(A W_K)ᵀ(A W_Q)/n, evaluated as (A W_V)·((A W_K)ᵀ(A W_Q)): O(nd²), never n×n.
Eigen::MatrixXd lsaIncrement(const Eigen::MatrixXd& A, const LsaWeights& w, double eta);

// s·G/‖G‖ with G n×d standard Gaussian drawn row by row from rng; zero when s = 0.
Eigen::MatrixXd randomPerturbation(Eigen::Index n, Eigen::Index d, double s, Random& rng);

// A_t → A_{t+1} for one run: holds the generator and the LSA layer, so successive calls give
// the steps of one seeded run. Starts from the problem's A, at its x.
class DataShiftUpdate {
 public:
  DataShiftUpdate(const Problem& p, const BoundsParams& params);
  // The increment A_{t+1} − A_t proposed at A (= p.A of the current iterate).
  Eigen::MatrixXd increment(const Eigen::MatrixXd& A);

 private:
  Problem problem_;  // A replaced by the current iterate at each call
  AttentionUpdate update_;
  double lr_;
  double scale_;
  Random rng_;
  LsaWeights lsa_;
};

}  // namespace attnlab
