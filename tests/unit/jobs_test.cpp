// The worker pool, jobs and snapshots (core/jobs). These run under ThreadSanitizer in CI, so
// they lean on real concurrency: many tasks, readers racing writers, cancels racing with
// completion, nested loops. No timing is asserted; sleeps only make interleavings likely.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <limits>
#include <memory>
#include <set>
#include <mutex>
#include <numeric>
#include <stdexcept>
#include <thread>
#include <vector>

#include "core/errors.hpp"
#include "core/jobs/job.hpp"
#include "core/jobs/snapshot.hpp"
#include "core/jobs/worker_pool.hpp"

namespace attnlab {
namespace {

using namespace std::chrono_literals;
using Index = WorkerPool::Index;

// Spins (politely) until pred holds; the tests' only way of waiting for another thread
// apart from JobHandle::wait.
template <class Pred>
void waitUntil(Pred pred) {
  while (!pred()) std::this_thread::sleep_for(100us);
}

// --- WorkerPool -------------------------------------------------------------------------

TEST(WorkerPool, RunsEveryTaskOnce) {
  std::atomic<int> count{0};
  {
    WorkerPool pool(4);
    EXPECT_EQ(pool.size(), 4u);
    for (int i = 0; i < 20000; ++i) pool.submit([&] { count.fetch_add(1, std::memory_order_relaxed); });
  }
  EXPECT_EQ(count.load(), 20000);
}

TEST(WorkerPool, DefaultSizeIsAtLeastOne) {
  WorkerPool pool;
  EXPECT_GE(pool.size(), 1u);
}

// The destructor drains: tasks queued behind a slow one, and tasks submitted by running
// tasks during destruction, all run.
TEST(WorkerPool, StartHookRunsOnceOnEachWorkerThread) {
  std::mutex mutex;
  std::set<std::thread::id> started;
  {
    WorkerPool pool(3, [&] {
      std::lock_guard lock(mutex);
      started.insert(std::this_thread::get_id());
    });
    std::atomic<int> ran{0};
    for (int i = 0; i < 10; ++i) pool.submit([&] { ++ran; });
  }
  EXPECT_EQ(started.size(), 3u);
  EXPECT_EQ(started.count(std::this_thread::get_id()), 0u);
}

TEST(WorkerPool, DestructionRunsPendingWork) {
  std::atomic<int> count{0};
  std::atomic<bool> release{false};
  {
    WorkerPool pool(1);
    pool.submit([&] { waitUntil([&] { return release.load(); }); });
    for (int i = 0; i < 100; ++i)
      pool.submit([&pool, &count] {
        count.fetch_add(1);
        pool.submit([&count] { count.fetch_add(1); });
      });
    release.store(true);
  }
  EXPECT_EQ(count.load(), 200);
}

TEST(WorkerPool, TaskExceptionDoesNotKillWorker) {
  std::atomic<int> count{0};
  {
    WorkerPool pool(1);
    pool.submit([] { throw std::runtime_error("lost"); });
    pool.submit([&] { count.fetch_add(1); });
  }
  EXPECT_EQ(count.load(), 1);
}

TEST(ParallelFor, SumsAndVisitsEveryIndexOnce) {
  WorkerPool pool(3);
  constexpr Index n = 200'003;
  const Index huge = std::numeric_limits<Index>::max();
  for (Index grain : {Index(1), Index(7), Index(1000), Index(50'000), n, 10 * n, huge}) {
    std::vector<int> visits(n, 0);  // disjoint ranges: plain writes, TSan checks they are
    std::atomic<long long> sum{0};
    pool.parallelFor(0, n, grain, [&](Index lo, Index hi) {
      long long local = 0;
      for (Index i = lo; i < hi; ++i) {
        ++visits[i];
        local += i;
      }
      sum.fetch_add(local, std::memory_order_relaxed);
    });
    EXPECT_EQ(sum.load(), static_cast<long long>(n) * (n - 1) / 2) << "grain " << grain;
    EXPECT_EQ(std::count(visits.begin(), visits.end(), 1), n) << "grain " << grain;
  }
}

TEST(ParallelFor, OffsetAndEmptyRanges) {
  WorkerPool pool(2);
  std::atomic<long long> sum{0};
  pool.parallelFor(10, 20, 3, [&](Index lo, Index hi) {
    for (Index i = lo; i < hi; ++i) sum.fetch_add(i);
  });
  EXPECT_EQ(sum.load(), 145);
  bool called = false;
  pool.parallelFor(5, 5, 1, [&](Index, Index) { called = true; });
  pool.parallelFor(5, 2, 1, [&](Index, Index) { called = true; });
  EXPECT_FALSE(called);
}

// Every chunk of the outer loop runs an inner loop on the same pool: the callers help, so
// nothing waits for a free worker.
TEST(ParallelFor, NestedLoopsComplete) {
  WorkerPool pool(2);
  std::atomic<long long> sum{0};
  pool.parallelFor(0, 32, 1, [&](Index lo, Index hi) {
    for (Index i = lo; i < hi; ++i)
      pool.parallelFor(0, 1000, 10, [&](Index a, Index b) {
        long long local = 0;
        for (Index j = a; j < b; ++j) local += j;
        sum.fetch_add(local);
      });
  });
  EXPECT_EQ(sum.load(), 32LL * 999 * 1000 / 2);
}

// The pool's only worker runs a task that starts a parallelFor: no other thread exists to
// run its chunks, so the task must run them itself.
TEST(ParallelFor, InsideTheOnlyWorkerDoesNotDeadlock) {
  WorkerPool pool(1);
  std::atomic<long long> sum{0};
  std::atomic<bool> done{false};
  pool.submit([&] {
    pool.parallelFor(0, 10000, 16, [&](Index lo, Index hi) {
      for (Index i = lo; i < hi; ++i) sum.fetch_add(i, std::memory_order_relaxed);
    });
    done.store(true);
  });
  waitUntil([&] { return done.load(); });
  EXPECT_EQ(sum.load(), 9999LL * 10000 / 2);
}

TEST(ParallelFor, StopsHandingOutChunksOnceCancelled) {
  WorkerPool pool(2);
  Progress progress;
  std::atomic<int> chunksRun{0};
  pool.parallelFor(
      0, 100000, 1,
      [&](Index lo, Index) {
        chunksRun.fetch_add(1);
        if (lo == 50) progress.requestCancel();
      },
      &progress);
  // Chunks already claimed when the flag was set may finish; the rest are never run.
  EXPECT_GE(chunksRun.load(), 1);
  EXPECT_LT(chunksRun.load(), 100000);
}

TEST(ParallelFor, RethrowsTheFirstException) {
  WorkerPool pool(2);
  std::atomic<int> chunksRun{0};
  // Each chunk takes ~2 µs, so running them all would take ~0.2 s: the thread that throws would
  // have to be held off the CPU that long for the others to finish before the pool stops them
  // (with empty chunks, a moment's descheduling on a loaded machine was enough).
  const auto busy = [] {
    const auto until = std::chrono::steady_clock::now() + std::chrono::microseconds(2);
    while (std::chrono::steady_clock::now() < until) {
    }
  };
  EXPECT_THROW(pool.parallelFor(0, 100000, 1,
                                [&](Index lo, Index) {
                                  chunksRun.fetch_add(1);
                                  if (lo == 10) throw std::runtime_error("chunk 10");
                                  busy();
                                }),
               std::runtime_error);
  EXPECT_LT(chunksRun.load(), 100000);
  // The pool is still usable afterwards.
  std::atomic<int> after{0};
  pool.parallelFor(0, 100, 1, [&](Index, Index) { after.fetch_add(1); });
  EXPECT_EQ(after.load(), 100);
}

// --- Snapshot -----------------------------------------------------------------------------

// A result whose every entry equals its stamp: a torn read would break the equality.
struct Stamped {
  explicit Stamped(std::uint64_t s) : stamp(s), copies(64, s) {}
  std::uint64_t stamp;
  std::vector<std::uint64_t> copies;
  bool consistent() const {
    return std::all_of(copies.begin(), copies.end(), [&](std::uint64_t c) { return c == stamp; });
  }
};

TEST(Snapshot, EmptyUntilFirstPublish) {
  Snapshot<Stamped> snap;
  EXPECT_EQ(snap.latest(), nullptr);
  EXPECT_EQ(snap.version(), 0u);
  EXPECT_EQ(snap.publish(std::make_shared<const Stamped>(5)), 1u);
  ASSERT_NE(snap.latest(), nullptr);
  EXPECT_EQ(snap.latest()->stamp, 5u);
  EXPECT_EQ(snap.version(), 1u);
}

TEST(Snapshot, ConcurrentWritersAndReaders) {
  Snapshot<Stamped> snap;
  constexpr int kWriters = 2, kReaders = 3, kPerWriter = 3000;
  std::atomic<bool> stop{false};
  std::atomic<int> badReads{0};
  std::vector<std::thread> threads;
  for (int r = 0; r < kReaders; ++r)
    threads.emplace_back([&] {
      std::uint64_t lastVersion = 0;
      while (!stop.load()) {
        const auto v = snap.read();
        if (v.version < lastVersion) badReads.fetch_add(1);  // versions never go back
        if (v.value && !v.value->consistent()) badReads.fetch_add(1);
        if ((v.version == 0) != (v.value == nullptr)) badReads.fetch_add(1);
        lastVersion = v.version;
      }
    });
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w)
    writers.emplace_back([&, w] {
      for (int i = 0; i < kPerWriter; ++i) snap.publish(std::make_shared<const Stamped>(w * 1'000'000 + i));
    });
  for (auto& t : writers) t.join();
  stop.store(true);
  for (auto& t : threads) t.join();
  EXPECT_EQ(badReads.load(), 0);
  EXPECT_EQ(snap.version(), std::uint64_t(kWriters * kPerWriter));
}

// A value read by the UI stays valid after newer ones replace it.
TEST(Snapshot, ReaderKeepsItsValueAlive) {
  Snapshot<Stamped> snap;
  snap.publish(std::make_shared<const Stamped>(1));
  const std::shared_ptr<const Stamped> held = snap.latest();
  for (int i = 2; i < 100; ++i) snap.publish(std::make_shared<const Stamped>(i));
  EXPECT_EQ(held->stamp, 1u);
  EXPECT_TRUE(held->consistent());
  EXPECT_EQ(snap.latest()->stamp, 99u);
}

TEST(Snapshot, PublishUnlessCancelled) {
  Snapshot<Stamped> snap;
  Progress progress;
  EXPECT_TRUE(snap.publishUnlessCancelled(std::make_shared<const Stamped>(1), progress));
  progress.requestCancel();
  EXPECT_FALSE(snap.publishUnlessCancelled(std::make_shared<const Stamped>(2), progress));
  EXPECT_EQ(snap.latest()->stamp, 1u);
  EXPECT_EQ(snap.version(), 1u);
}

// --- Jobs ---------------------------------------------------------------------------------

TEST(Job, ReportsStatusStageAndFraction) {
  WorkerPool pool(2);
  auto job = runJob(pool, "sum", [](Progress& p) {
    p.setStage("summing");
    p.setFraction(0.5);
    p.setFraction(1.0);
    return Status::Success;
  });
  EXPECT_EQ(job->name(), "sum");
  EXPECT_EQ(job->wait(), Status::Success);
  EXPECT_TRUE(job->done());
  EXPECT_EQ(job->state(), JobState::Finished);
  EXPECT_EQ(job->status(), Status::Success);
  EXPECT_EQ(job->stage(), "summing");
  EXPECT_EQ(job->fraction(), 1.0);
  EXPECT_TRUE(job->errorMessage().empty());
}

TEST(Job, StatusIsEmptyWhileRunning) {
  WorkerPool pool(1);
  std::atomic<bool> started{false}, release{false};
  auto job = runJob(pool, "held", [&](Progress&) {
    started.store(true);
    waitUntil([&] { return release.load(); });
    return Status::NoConvergence;
  });
  waitUntil([&] { return started.load(); });
  EXPECT_EQ(job->state(), JobState::Running);
  EXPECT_FALSE(job->status().has_value());
  EXPECT_FALSE(job->done());
  release.store(true);
  EXPECT_EQ(job->wait(), Status::NoConvergence);
}

TEST(Job, ExceptionIsCapturedNotFatal) {
  WorkerPool pool(2);
  auto failing = runJob(pool, "boom", [](Progress&) -> Status { throw std::runtime_error("matrix exploded"); });
  auto bad = runJob(pool, "bad", [](Progress&) -> Status {
    throw InputError("must be > 0", InputLocation{.file = {}, .field = "--lr", .row = {}, .column = {}});
  });
  auto odd = runJob(pool, "odd", [](Progress&) -> Status { throw 42; });
  EXPECT_EQ(failing->wait(), Status::NumericalIssue);
  EXPECT_NE(failing->errorMessage().find("matrix exploded"), std::string::npos);
  EXPECT_EQ(bad->wait(), Status::InvalidInput);
  EXPECT_NE(bad->errorMessage().find("--lr"), std::string::npos);
  EXPECT_EQ(odd->wait(), Status::NumericalIssue);
  EXPECT_FALSE(odd->errorMessage().empty());
  // The pool survived all three.
  EXPECT_EQ(runJob(pool, "after", [](Progress&) { return Status::Success; })->wait(), Status::Success);
}

TEST(Job, CancelledWhileQueuedNeverRuns) {
  WorkerPool pool(1);
  std::atomic<bool> release{false}, ran{false};
  auto blocker = runJob(pool, "blocker", [&](Progress&) {
    waitUntil([&] { return release.load(); });
    return Status::Success;
  });
  auto queued = runJob(pool, "queued", [&](Progress&) {
    ran.store(true);
    return Status::Success;
  });
  queued->cancel();
  EXPECT_EQ(queued->state(), JobState::Queued);
  release.store(true);
  EXPECT_EQ(queued->wait(), Status::Cancelled);
  EXPECT_FALSE(ran.load());
  EXPECT_EQ(blocker->wait(), Status::Success);
}

// The job of architecture.md: it polls every ~1 ms and publishes a refinement each time,
// through publishUnlessCancelled. After cancel() returns, a newer result published by someone
// else (the replacing job) must survive: the cancelled job publishes nothing further.
TEST(Job, CancellationIsHonouredAndPublishesNothingFurther) {
  WorkerPool pool(2);
  Snapshot<Stamped> snap;
  std::atomic<int> refinements{0};
  auto job = runJob(pool, "refine", [&](Progress& p) {
    for (std::uint64_t step = 1;; ++step) {
      if (p.cancelled()) return Status::Cancelled;
      std::this_thread::sleep_for(1ms);  // ~1 ms of "work"
      if (snap.publishUnlessCancelled(std::make_shared<const Stamped>(step), p)) refinements.fetch_add(1);
    }
  });
  waitUntil([&] { return refinements.load() >= 3; });
  job->cancel();
  const std::uint64_t sentinelVersion = snap.publish(std::make_shared<const Stamped>(0));
  EXPECT_EQ(job->wait(), Status::Cancelled);
  EXPECT_EQ(snap.version(), sentinelVersion);
  EXPECT_EQ(snap.latest()->stamp, 0u);
}

// Cancels land before, during and after the jobs run; whatever the interleaving each job
// finishes exactly once, with the status its function returned or Cancelled, and a job whose
// function saw no cancel keeps its result.
TEST(Job, CancelRacingWithCompletion) {
  WorkerPool pool(3);
  constexpr int kJobs = 300;
  std::vector<std::shared_ptr<JobHandle>> jobs;
  std::vector<std::unique_ptr<std::atomic<int>>> runs;
  for (int i = 0; i < kJobs; ++i) {
    runs.push_back(std::make_unique<std::atomic<int>>(0));
    std::atomic<int>* count = runs.back().get();
    jobs.push_back(runJob(pool, "racer", [count, spin = i % 7](Progress& p) {
      count->fetch_add(1);
      for (int k = 0; k < spin * 50; ++k)
        if (p.cancelled()) return Status::Cancelled;
      return Status::Success;
    }));
    if (i % 3 == 0) jobs.back()->cancel();
    if (i % 5 == 0 && i > 0) jobs[i - 1]->cancel();
  }
  for (int i = 0; i < kJobs; ++i) {
    const Status s = jobs[i]->wait();
    EXPECT_TRUE(s == Status::Success || s == Status::Cancelled) << statusName(s);
    EXPECT_LE(runs[i]->load(), 1);
    if (runs[i]->load() == 0) {
      EXPECT_EQ(s, Status::Cancelled);
    }
    if (!jobs[i]->cancelRequested()) {
      EXPECT_EQ(s, Status::Success);
    }
  }
}

// A job that splits its work over the pool it runs on and stops when cancelled.
TEST(Job, ParallelWorkInsideAJob) {
  WorkerPool pool(2);
  std::atomic<long long> sum{0};
  auto job = runJob(pool, "grid", [&](Progress& p) {
    constexpr Index rows = 64;
    for (Index r = 0; r < rows; ++r) {
      pool.parallelFor(0, 1000, 100, [&](Index lo, Index hi) {
        long long local = 0;
        for (Index i = lo; i < hi; ++i) local += i;
        sum.fetch_add(local);
      }, &p);
      if (p.cancelled()) return Status::Cancelled;
      p.setFraction(double(r + 1) / rows);
    }
    return Status::Success;
  });
  EXPECT_EQ(job->wait(), Status::Success);
  EXPECT_EQ(sum.load(), 64LL * 999 * 1000 / 2);
  EXPECT_EQ(job->fraction(), 1.0);
}

// --- JobSlot ------------------------------------------------------------------------------

// Parameters change faster than jobs finish: every restart cancels the previous job, and the
// snapshot ends with the last job's result whatever the older ones were doing.
TEST(JobSlot, LatestJobWins) {
  WorkerPool pool(2);
  Snapshot<Stamped> snap;
  JobSlot slot;
  EXPECT_EQ(slot.current(), nullptr);
  EXPECT_FALSE(slot.busy());
  std::vector<std::shared_ptr<JobHandle>> started;
  constexpr int kRestarts = 50;
  for (int i = 1; i <= kRestarts; ++i) {
    started.push_back(slot.restart(pool, "param " + std::to_string(i), [&snap, i](Progress& p) {
      for (int refine = 0; refine < 5; ++refine) {
        if (p.cancelled()) return Status::Cancelled;
        std::this_thread::sleep_for(200us);
        snap.publishUnlessCancelled(std::make_shared<const Stamped>(std::uint64_t(i)), p);
      }
      return Status::Success;
    }));
    EXPECT_EQ(slot.current(), started.back());
  }
  EXPECT_EQ(started.back()->wait(), Status::Success);
  for (int i = 0; i + 1 < kRestarts; ++i) {
    EXPECT_TRUE(started[i]->cancelRequested());
    const Status s = started[i]->wait();
    EXPECT_TRUE(s == Status::Cancelled || s == Status::Success);
  }
  EXPECT_EQ(snap.latest()->stamp, std::uint64_t(kRestarts));
  EXPECT_FALSE(slot.busy());
}

TEST(JobSlot, DestructorCancels) {
  WorkerPool pool(1);
  std::shared_ptr<JobHandle> job;
  {
    JobSlot slot;
    job = slot.restart(pool, "forever", [](Progress& p) {
      while (!p.cancelled()) std::this_thread::sleep_for(1ms);
      return Status::Cancelled;
    });
  }
  EXPECT_EQ(job->wait(), Status::Cancelled);
}

}  // namespace
}  // namespace attnlab
