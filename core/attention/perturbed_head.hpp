// One attention head with the identity perturbations of paper 001 (Obs. 1.2, Thm 4.2):
//   head(X) = smax(s · X (W_K W_Qᵀ + a·I) Xᵀ) · X (W_V W_Oᵀ + b·I),
// smax row-wise. a makes the incidence matrix XXᵀ visible to the scores (data efficiency on
// template tasks); b lets the head copy its input, so unseen symbols can be output.
// Two trainable scalars per head; a = b = 0 is the standard head of 001 Eq. (3).
#pragma once
#include "core/attention/attention_matrix.hpp"
#include "core/jobs/worker_pool.hpp"

namespace attnlab {

struct PerturbedHead {
  Eigen::MatrixXd WK, WQ;  // d_emb × d_head
  Eigen::MatrixXd WV, WO;  // d_emb × d_head
  double a = 0.0;
  double b = 0.0;
  double scale = 1.0;   // s: 1 in the paper, 1/√d_head in a transformer
  bool causal = false;  // CausalRule with Lq = Lk = k tokens
};

// X: k×d_emb tokens → k×d_emb. Never forms the d_emb×d_emb products: X(W_K W_Qᵀ + aI) is
// (X W_K) W_Qᵀ + aX, and the scores go through the tiled softmaxAttention.
RowMatrix<double> perturbedHead(const PerturbedHead& head, const RowMatrix<double>& X, WorkerPool& pool);

}  // namespace attnlab
