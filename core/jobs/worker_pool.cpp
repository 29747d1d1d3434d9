#include "core/jobs/worker_pool.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <memory>

namespace attnlab {
namespace {

using Index = WorkerPool::Index;

// What the calling thread and the helper tasks of one parallelFor share. A helper that starts
// after the loop has returned claims an index past the end and leaves without touching fn or
// progress, which by then may be gone; the state itself lives as long as its last helper.
class ForLoop {
 public:
  ForLoop(Index begin, Index end, Index grain, const WorkerPool::RangeFunction& fn, Progress* progress)
      : begin_(begin), end_(end), grain_(grain),
        chunks_((end - begin) / grain + ((end - begin) % grain != 0)),  // ⌈(end − begin)/grain⌉
        fn_(&fn), progress_(progress) {}

  Index chunks() const { return chunks_; }

  // Claims chunks until none is left. A chunk is claimed before it is looked at, so the caller
  // can wait for exactly `chunks` accountings: run, or skipped after a cancel or an exception.
  void work() {
    for (;;) {
      const Index k = next_.fetch_add(1, std::memory_order_relaxed);
      if (k >= chunks_) return;
      if (!stopped()) run(k);
      account();
    }
  }

  // Called by the thread that started the loop, after its own work(): every chunk is claimed.
  void waitAndRethrow() {
    std::unique_lock lock(mutex_);
    finished_.wait(lock, [&] { return accounted_.load(std::memory_order_acquire) == chunks_; });
    if (error_) std::rethrow_exception(error_);
  }

 private:
  bool stopped() const {
    return failed_.load(std::memory_order_relaxed) || (progress_ != nullptr && progress_->cancelled());
  }

  void run(Index k) {
    const Index lo = begin_ + k * grain_;
    const Index hi = lo + std::min(grain_, end_ - lo);  // no overflow for a huge grain
    try {
      (*fn_)(lo, hi);
    } catch (...) {
      std::lock_guard lock(mutex_);
      if (!error_) error_ = std::current_exception();
      failed_.store(true, std::memory_order_relaxed);
    }
  }

  // The release on the count publishes the chunk's writes to the waiting caller; the lock
  // around notify closes the gap between the caller's test and its sleep.
  void account() {
    if (accounted_.fetch_add(1, std::memory_order_acq_rel) + 1 == chunks_) {
      std::lock_guard lock(mutex_);
      finished_.notify_all();
    }
  }

  const Index begin_, end_, grain_, chunks_;
  const WorkerPool::RangeFunction* fn_;
  Progress* progress_;
  std::atomic<Index> next_{0};
  std::atomic<Index> accounted_{0};
  std::atomic<bool> failed_{false};
  std::mutex mutex_;
  std::condition_variable finished_;
  std::exception_ptr error_;
};

}  // namespace

WorkerPool::WorkerPool(unsigned threads, std::function<void()> onWorkerStart) {
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  workers_.reserve(threads);
  for (unsigned i = 0; i < threads; ++i)
    workers_.emplace_back([this, onWorkerStart] {
      if (onWorkerStart) onWorkerStart();
      workerLoop();
    });
}

WorkerPool::~WorkerPool() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (std::thread& t : workers_) t.join();
}

void WorkerPool::submit(std::function<void()> task) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(task));
  }
  wake_.notify_one();
}

// Workers leave only once the queue is empty and the pool is stopping: the destructor drains.
void WorkerPool::workerLoop() {
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    try {
      task();
    } catch (...) {
      // A bare task has nobody to report to; the worker must survive it.
    }
  }
}

void WorkerPool::parallelFor(Index begin, Index end, Index grain, const RangeFunction& fn, Progress* progress) {
  if (end <= begin) return;
  grain = std::max<Index>(grain, 1);
  auto loop = std::make_shared<ForLoop>(begin, end, grain, fn, progress);
  // One helper per worker at most, and none for the chunk the caller takes itself.
  const Index helpers = std::min<Index>(loop->chunks() - 1, static_cast<Index>(size()));
  for (Index h = 0; h < helpers; ++h) submit([loop] { loop->work(); });
  loop->work();
  loop->waitAndRethrow();
}

}  // namespace attnlab
