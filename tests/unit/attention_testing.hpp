// Shared by the attention tests: a pool whose chunks really run concurrently (two workers
// plus the calling thread, also on one core), seeded Gaussian matrices, relative errors.
#pragma once
#include <cstdint>

#include "core/attention/attention_matrix.hpp"
#include "core/jobs/worker_pool.hpp"
#include "core/random.hpp"

namespace attnlab::testing {

inline WorkerPool& attentionPool() {
  static WorkerPool workers(2);
  return workers;
}

inline RowMatrix<double> gaussian(Index rows, Index cols, std::uint64_t seed, double sd = 1.0) {
  Random rng(seed);
  RowMatrix<double> m(rows, cols);
  for (Index i = 0; i < rows; ++i)
    for (Index j = 0; j < cols; ++j) m(i, j) = sd * rng.normal();
  return m;
}

inline double relativeError(const RowMatrix<double>& a, const RowMatrix<double>& b) { return (a - b).norm() / b.norm(); }

}  // namespace attnlab::testing
