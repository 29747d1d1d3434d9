// Exact softmax attention Att(Q, K, V) = D⁻¹ exp(s·QKᵀ) V (math.md §3), computed the
// flash-attention way: for each block of query rows, stream over tiles of keys, keep per
// row a running max m and running sum ℓ of exp(s·qᵀk − m), rescale the partial output when
// m grows. Memory is O(L·d) plus one tile of scores per thread — never L×L.
#pragma once
#include "core/attention/attention_matrix.hpp"
#include "core/jobs/progress.hpp"
#include "core/jobs/worker_pool.hpp"

namespace attnlab {

// Tile shape. Defaults measured on Zen (1 MB L2 per core, AVX-512): a query block of
// 64 rows against key tiles of 512 keys keeps the score tile (128 KB in float), the query
// block and one key + value tile in L2, and the two tile GEMMs big enough for Eigen's kernel.
struct AttentionTiles {
  Index queries = 64;
  Index keys = 512;
};

struct SoftmaxAttentionOptions {
  double scale = 1.0;    // s: multiplies QKᵀ
  bool causal = false;   // CausalRule (attention_matrix.hpp)
  AttentionTiles tiles;
  Progress* progress = nullptr;  // cancel between query blocks; fraction of blocks done
};

// Q: Lq×d, K: Lk×d, V: Lk×dv → Lq×dv. T = float computes and accumulates in float (what
// PyTorch does; ~1e-7 relative), T = double in double. Shapes must agree and, if causal,
// Lq ≤ Lk (the caller validates: this is a kernel, not a boundary). Query blocks run on pool.
template <class T>
RowMatrix<T> softmaxAttention(const RowMatrix<T>& Q, const RowMatrix<T>& K, const RowMatrix<T>& V, WorkerPool& pool,
                              const SoftmaxAttentionOptions& options = {});

extern template RowMatrix<float> softmaxAttention(const RowMatrix<float>&, const RowMatrix<float>&,
                                                  const RowMatrix<float>&, WorkerPool&, const SoftmaxAttentionOptions&);
extern template RowMatrix<double> softmaxAttention(const RowMatrix<double>&, const RowMatrix<double>&,
                                                   const RowMatrix<double>&, WorkerPool&, const SoftmaxAttentionOptions&);

}  // namespace attnlab
