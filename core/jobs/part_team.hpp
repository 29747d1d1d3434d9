// A calling thread and a few helper threads that run the parts of one computation together:
// run(parts, fn) calls fn(k) once for each k = 0 … parts−1 and returns when all have finished.
// Part k is meant for thread k mod size() (thread 0 is the caller), so that the rows a part reads
// stay in one core's cache from call to call: a 4096×64 design is 2 MB, more than one core's L2
// holds but not more than two. A part its thread has not claimed by the time the caller is done
// with its own is run by the caller instead: a helper the system has not scheduled (another
// process, a virtual machine's vCPU held back) delays nothing.
//
// Newton's solver calls run() for every pass over A, tens of microseconds apart, and waking a
// sleeping thread costs about as much as a pass; so helpers spin for a while after each call
// (kSpinMicroseconds) before they sleep, and the caller spins while it waits for a part. Both
// yield the core now and then once they have spun kYieldAfterMicroseconds, in case the thread
// they wait for is queued behind them. One run() at a time: concurrent callers take turns, and fn
// must not call run() itself. The first exception thrown by a part is rethrown by run(), after
// every part has finished.
#pragma once
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace attnlab {

class PartTeam {
 public:
  using Index = std::ptrdiff_t;
  using PartFunction = std::function<void(Index)>;
  static constexpr int kSpinMicroseconds = 2000;
  static constexpr int kYieldAfterMicroseconds = 20;

  // threads = 0: one per hardware thread (at least one). threads = 1: the caller alone.
  // Every thread's stack is faulted in as it starts (the caller's in the constructor), and
  // threadStart, if given, runs once on each: per-thread set-up that would otherwise land in the
  // first run(). It must not throw.
  explicit PartTeam(unsigned threads = 0, const std::function<void()>& threadStart = {});
  ~PartTeam();
  PartTeam(const PartTeam&) = delete;
  PartTeam& operator=(const PartTeam&) = delete;

  unsigned size() const { return static_cast<unsigned>(helpers_.size()) + 1; }

  void run(Index parts, const PartFunction& fn);

 private:
  // Parts are claimed in batches of at most kBatch, one bit each in claims_, whose high bits
  // hold the batch's number: a helper that wakes late cannot claim a part of a batch gone by.
  static constexpr int kBatch = 40;
  static constexpr int kBatchShift = 40;

  void runBatch(Index base, int count);
  bool claim(std::uint64_t batch, int k);
  void runPart(int k);
  void helperLoop(unsigned thread);
  std::uint64_t awaitCall(std::uint64_t seen);
  void awaitBatch(int count);
  template <class Done>
  static bool spinFor(Done done, std::chrono::microseconds sleepAfter);

  std::vector<std::thread> helpers_;
  std::mutex callers_;                         // one run() at a time
  std::atomic<std::uint64_t> generation_{0};   // bumped for every batch and by the destructor
  std::atomic<int> sleeping_{0};               // helpers blocked in generation_.wait
  std::atomic<bool> stopping_{false};
  std::atomic<std::uint64_t> claims_{0};       // batch number << kBatchShift | claimed parts
  std::atomic<int> count_{0};                  // parts in the current batch
  std::atomic<Index> base_{0};                 // index of its first part
  std::atomic<const PartFunction*> fn_{nullptr};
  std::atomic<int> completed_{0};              // parts of the current batch finished
  std::atomic<bool> callerSleeping_{false};    // run() blocked in completed_.wait
  std::uint64_t batches_ = 0;                  // the caller's count, under callers_
  std::mutex errorMutex_;
  std::exception_ptr error_;
};

// Runs fn on each part: on the team when there is one, else one after another on the caller.
// Either way the parts are the same, so results do not depend on whether a team helped.
void runParts(PartTeam* team, PartTeam::Index parts, const PartTeam::PartFunction& fn);

}  // namespace attnlab
