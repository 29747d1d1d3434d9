// Matrix types and the causal rule shared by every attention kernel (math.md §3).
// Attention matrices are row-major: one token per row, so a block of tokens is one
// contiguous slice of memory (what the tiles stream through) and rows read from JSON or
// a C-order .npy land in place.
#pragma once
#include <Eigen/Dense>
#include <algorithm>

namespace attnlab {

using Eigen::Index;

template <class T>
using RowMatrix = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
template <class T>
using ColVector = Eigen::Matrix<T, Eigen::Dynamic, 1>;
// Any contiguous block of rows of a RowMatrix (tiles, sampled batches) binds to this.
template <class T>
using ConstRowsRef = Eigen::Ref<const RowMatrix<T>>;

// The causal mask for Lq queries and Lk keys, aligned at the end: the queries are the
// last Lq positions of the key sequence (the decoding / KV-cache convention), so query i
// sees keys j ≤ i + (Lk − Lq). With Lq = Lk this is the usual j ≤ i. Lq > Lk would leave
// the first Lq − Lk queries with no key at all (0/0), so it is refused as input.
struct CausalRule {
  Index queries = 0;
  Index keys = 0;

  Index offset() const { return keys - queries; }
  // Last key index query i may see.
  Index lastKey(Index i) const { return i + offset(); }
  // Keys [0, keyEnd(i)) are visible to query i.
  Index keyEnd(Index i) const { return std::min(keys, lastKey(i) + 1); }
  bool valid() const { return queries <= keys; }
};

}  // namespace attnlab
