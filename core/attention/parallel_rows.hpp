// How the attention kernels spread independent row chunks over the worker pool. The chunks
// are fixed by the sizes alone (never by the number of threads), and each chunk's result is
// computed the same way whichever thread runs it, so outputs are bit-identical on any
// machine and any core count.
#pragma once
#include <functional>

#include "core/attention/attention_matrix.hpp"
#include "core/jobs/progress.hpp"
#include "core/jobs/worker_pool.hpp"

namespace attnlab {

// pool.parallelFor over the chunks [k·grain, min((k+1)·grain, count)) of [0, count), also
// reporting the finished fraction of chunks to progress. Once progress->cancelled(), chunks
// not yet started are skipped.
void parallelRows(WorkerPool& pool, Index count, Index grain, const std::function<void(Index, Index)>& fn,
                  Progress* progress = nullptr);

}  // namespace attnlab
