#include "core/attention/parallel_rows.hpp"

#include <atomic>

namespace attnlab {

void parallelRows(WorkerPool& pool, Index count, Index grain, const std::function<void(Index, Index)>& fn,
                  Progress* progress) {
  if (count <= 0) return;
  grain = std::max<Index>(grain, 1);
  const double chunks = double((count + grain - 1) / grain);
  std::atomic<Index> done{0};
  pool.parallelFor(
      0, count, grain,
      [&](WorkerPool::Index begin, WorkerPool::Index end) {
        fn(begin, end);
        if (progress) progress->setFraction(double(done.fetch_add(1, std::memory_order_relaxed) + 1) / chunks);
      },
      progress);
}

}  // namespace attnlab
