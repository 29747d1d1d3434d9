// Kernelized (linear) attention for any positive feature map (feature_map.hpp):
//   out_i = φ(q_i)ᵀ S / φ(q_i)ᵀ z,  S = Σ_j φ(k_j) v_jᵀ (m×dv),  z = Σ_j φ(k_j) (m),
// the sums running over all keys (non-causal) or over the keys query i may see (causal,
// CausalRule: prefix sums). Cost O(L·m·(d + dv)); memory O(L·(d + dv)) plus per-thread
// blocks of features — φ(Q), φ(K) are never stored whole.
#pragma once
#include "core/attention/attention_matrix.hpp"
#include "core/attention/feature_map.hpp"
#include "core/jobs/progress.hpp"
#include "core/jobs/worker_pool.hpp"

namespace attnlab {

struct LinearAttentionOptions {
  bool causal = false;
  // Rows of Q or K whose features are built at once (one GEMM with W, then φᵀV).
  Index blockRows = 256;
  // Causal: rows per chunk, within which the masked C×C matrix φ(Q_c)φ(K_c)ᵀ is formed
  // directly; per row that costs C·(m + dv) against 2·m·dv for the prefix part.
  Index causalChunkRows = 64;
  Progress* progress = nullptr;
};

// Q: Lq×d, K: Lk×d, V: Lk×dv. In float, features and GEMMs are float and the sums S, z
// across blocks are accumulated in double (they add up L terms; cheap: m·dv per block).
template <class T>
RowMatrix<T> linearAttention(const FeatureMap<T>& map, const RowMatrix<T>& Q, const RowMatrix<T>& K,
                             const RowMatrix<T>& V, WorkerPool& pool, const LinearAttentionOptions& options = {});

extern template RowMatrix<float> linearAttention(const FeatureMap<float>&, const RowMatrix<float>&,
                                                 const RowMatrix<float>&, const RowMatrix<float>&, WorkerPool&,
                                                 const LinearAttentionOptions&);
extern template RowMatrix<double> linearAttention(const FeatureMap<double>&, const RowMatrix<double>&,
                                                  const RowMatrix<double>&, const RowMatrix<double>&, WorkerPool&,
                                                  const LinearAttentionOptions&);

}  // namespace attnlab
