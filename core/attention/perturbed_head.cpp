#include "core/attention/perturbed_head.hpp"

#include "core/attention/exact_attention.hpp"

namespace attnlab {

RowMatrix<double> perturbedHead(const PerturbedHead& head, const RowMatrix<double>& X, WorkerPool& pool) {
  // Scores x_iᵀ (W_K W_Qᵀ + aI) x_j: queries X(W_K W_Qᵀ + aI), keys X.
  const RowMatrix<double> queries = (X * head.WK) * head.WQ.transpose() + head.a * X;
  const RowMatrix<double> values = (X * head.WV) * head.WO.transpose() + head.b * X;
  SoftmaxAttentionOptions options;
  options.scale = head.scale;
  options.causal = head.causal;
  return softmaxAttention(queries, X, values, pool, options);
}

}  // namespace attnlab
