// A fixed set of worker threads and one task queue: jobs are submitted to it, and a job splits
// its own work (grid rows, tiles, batches) with parallelFor, which the calling thread helps to
// run, so a parallelFor inside a pool task never waits for a free worker (no deadlock).
//
// Shutdown: the destructor lets the workers drain the queue, then joins them. Every task
// submitted before (or, by a running task, during) destruction runs exactly once, so a job
// always reaches a final status; cancel long jobs first to make the drain quick.
#pragma once
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "core/jobs/progress.hpp"

namespace attnlab {

class WorkerPool {
 public:
  using Index = std::ptrdiff_t;
  // fn(rangeBegin, rangeEnd) handles the half-open range [rangeBegin, rangeEnd).
  using RangeFunction = std::function<void(Index, Index)>;

  // threads = 0: one per hardware thread (at least one). onWorkerStart, if given, runs once
  // on each worker thread before it takes a task: the window uses it to lower the workers'
  // scheduling priority, so that drawing frames never queues behind compute.
  explicit WorkerPool(unsigned threads = 0, std::function<void()> onWorkerStart = {});
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  unsigned size() const { return static_cast<unsigned>(workers_.size()); }

  // Runs task on a worker, later. An exception escaping task is swallowed (the worker
  // survives); jobs capture theirs themselves (job.hpp).
  void submit(std::function<void()> task);

  // Calls fn on the chunks [begin + k·grain, begin + (k+1)·grain) ∩ [begin, end), on the pool
  // and on the calling thread, and returns when every chunk handed out has finished. Once
  // progress->cancelled() no further chunk is handed out (those running finish). The first
  // exception thrown by fn stops the hand-out too and is rethrown here. Progress's fraction
  // is left to the caller, who knows what this loop is a part of.
  void parallelFor(Index begin, Index end, Index grain, const RangeFunction& fn, Progress* progress = nullptr);

 private:
  void workerLoop();

  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
};

}  // namespace attnlab
