// The transformer random-features kernels of 001 Eq. 4, by Monte Carlo:
//   K_attn(X, Y) = E[ smax(β m(X))ᵀ (XYᵀ + γ²I) smax(β m(Y)) ],
//   [m(X), m(Y)] ~ N(0, [XXᵀ+γ²I, XYᵀ+γ²I; YXᵀ+γ²I, YYᵀ+γ²I]),
//   K_trans(X, Y) = E[φ(u)φ(v)], (u, v) ~ N(0, [K_attn(X,X), K_attn(X,Y); K_attn(Y,X), K_attn(Y,Y)]).
// The scores are drawn as m(X) = X̃g with X̃ = [X, γI_k] and one g ~ N(0, I) shared by every
// string — exactly the covariance above, for every pair at once. The estimate is then an
// average of ψ_g(X)ᵀψ_g(Y), ψ_g(X) = X̃ᵀ smax(β X̃g): a random-features kernel, symmetric and
// positive semi-definite for any number of samples (independent draws per pair would be
// neither), and K_trans applies the closed-form MLP integral (cosine_features.hpp) to it.
//
// Identity-perturbed scores (001 Obs 1.2, W_K W_Qᵀ → W_K W_Qᵀ + a·I): the scores gain the
// deterministic a·XXᵀ e_q, the incidence of every position with the query q, which we take
// to be the last position (where 001 Thm 3.4 puts its [CLS] token). The value perturbation
// b·I is left out: in the regression setting it only rescales XYᵀ.
#pragma once
#include <Eigen/Dense>
#include <cstdint>
#include <vector>

#include "core/jobs/worker_pool.hpp"
#include "core/status.hpp"
#include "core/templates/cosine_features.hpp"
#include "core/templates/template_data.hpp"

namespace attnlab {

struct AttentionKernelParams {
  double beta = 4.0;        // softmax inverse temperature β
  double gamma = 2.0;       // size γ of the positional embeddings
  double kqIdentity = 0.0;  // a in W_K W_Qᵀ + a·I
  bool operator==(const AttentionKernelParams&) const = default;
};

// A kernel on `rows` strings against the first `columns` of them (the training strings
// first), with its diagonal on every row: enough for ridge regression and for K_trans.
struct KernelBlocks {
  Eigen::MatrixXd cross;  // rows × columns: K(xᵢ, xⱼ)
  Eigen::VectorXd diag;   // rows: K(xᵢ, xᵢ)
};

// Samples are split into a fixed number of batches, each with its own generator seeded from
// (seed, batch), so the result does not depend on the number of threads. The batch means
// give standard errors (per entry here; for derived quantities by the jackknife).
struct KAttnEstimate {
  Status status = Status::Success;  // Cancelled: nothing else is valid
  KernelBlocks mean;
  KernelBlocks standardError;  // of each entry of mean
  std::vector<KernelBlocks> batchMeans;
  std::vector<Eigen::Index> batchSamples;
};

inline constexpr Eigen::Index kMonteCarloBatches = 16;

// The strings as the Monte Carlo loop sees them: symbols renumbered 0 … |used|−1 (indices
// into `used`, the symbols that occur), and the fixed score shift a·XXᵀe_q of each string.
struct ScoreInputs {
  std::vector<SymbolIndex> used;
  std::vector<std::vector<Eigen::Index>> compact;  // per string, per position: index into used
  Eigen::MatrixXd shift;                           // strings × k
};
ScoreInputs scoreInputs(const std::vector<TemplateString>& strings, const SymbolEmbedding& embedding,
                        const AttentionKernelParams& params);

// The scores' softmax for one draw: row i is smax(β m(xᵢ)), m(xᵢ)ₐ = scores(symbol) + γ·positionalₐ
// + shiftᵢₐ; scores = ⟨e_s, g⟩ per used symbol, positional = the k positional Gaussians.
Eigen::MatrixXd attentionWeights(const ScoreInputs& inputs, const AttentionKernelParams& params,
                                 const Eigen::VectorXd& scores, const Eigen::VectorXd& positional);

// samples ≥ 2 draws on the pool; cancellable (polled every draw). All strings have length k;
// no strings or fewer than 2 samples give Status::InvalidInput.
KAttnEstimate kAttnMonteCarlo(const std::vector<TemplateString>& strings, Eigen::Index columns,
                              const SymbolEmbedding& embedding, const AttentionKernelParams& params,
                              Eigen::Index samples, std::uint64_t seed, WorkerPool& pool, Progress& progress);

// K_trans from K_attn, entry by entry (column j is row j).
KernelBlocks kTransFromAttn(const KernelBlocks& attn, const CosineParams& params);

// Leave-one-batch-out means, for jackknife standard errors of anything computed from K_attn.
KernelBlocks leaveOneBatchOut(const KAttnEstimate& estimate, std::size_t batch);

}  // namespace attnlab
