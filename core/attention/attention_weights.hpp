// The attention matrix itself, for pictures: the Lq×Lk row-stochastic weights that
// multiply V (math.md §3). Exact:  W = D⁻¹ exp(s·QKᵀ);  kernelized:  W = D⁻¹ φ(Q)φ(K)ᵀ,
// D the row sums, the future masked (weight 0) when causal. The fast kernels never form
// W (that is their point); the attention lab forms it at small L to show what they do.
#pragma once
#include "core/attention/attention_matrix.hpp"
#include "core/attention/feature_map.hpp"

namespace attnlab {

// Row i: softmax over the keys query i may see, max-shifted (finite for any finite scores).
RowMatrix<double> softmaxAttentionWeights(const RowMatrix<double>& Q, const RowMatrix<double>& K, double scale,
                                          bool causal);

// Row i: φ(q_i)·φ(k_j) normalised over the keys query i may see. The per-row factor of
// queries() and the common shift of keys() cancel in the normalisation (feature_map.hpp).
RowMatrix<double> kernelAttentionWeights(const FeatureMap<double>& map, const RowMatrix<double>& Q,
                                         const RowMatrix<double>& K, bool causal);

}  // namespace attnlab
