// A calling thread and a few helper threads that run the parts of one computation together:
// run(parts, fn) calls fn(k) for k = 0 … parts−1, part k always on thread k mod size() (thread 0
// is the caller). Keeping a part on one thread keeps the rows it reads in that core's cache from
// call to call: a 4096×64 design is 2 MB, more than one core's L2 holds but not more than two.
//
// Newton's solver calls run() for every pass over A, tens of microseconds apart, and waking a
// sleeping thread costs about as much as a pass; so helpers spin for a while after each call
// (kSpinMicroseconds) before they sleep. One run() at a time: concurrent callers take turns, and
// fn must not call run() itself. The first exception thrown by a part is rethrown by run(),
// after every part has finished.
#pragma once
#include <atomic>
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

  // threads = 0: one per hardware thread (at least one). threads = 1: the caller alone.
  explicit PartTeam(unsigned threads = 0);
  ~PartTeam();
  PartTeam(const PartTeam&) = delete;
  PartTeam& operator=(const PartTeam&) = delete;

  unsigned size() const { return static_cast<unsigned>(helpers_.size()) + 1; }

  void run(Index parts, const PartFunction& fn);

 private:
  void helperLoop(unsigned thread);
  void runParts(unsigned thread);
  std::uint64_t awaitCall(std::uint64_t seen);

  std::vector<std::thread> helpers_;
  std::mutex callers_;                        // one run() at a time
  std::atomic<std::uint64_t> generation_{0};  // bumped by every run() and by the destructor
  std::atomic<int> sleeping_{0};              // helpers blocked in generation_.wait
  std::atomic<int> pending_{0};               // helpers yet to finish the current call
  bool stopping_ = false;                     // written before the destructor's bump
  const PartFunction* fn_ = nullptr;          // the current call's, read after the bump
  Index parts_ = 0;
  std::mutex errorMutex_;
  std::exception_ptr error_;
};

// Runs fn on each part: on the team when there is one, else one after another on the caller.
// Either way the parts are the same, so results do not depend on whether a team helped.
void runParts(PartTeam* team, PartTeam::Index parts, const PartTeam::PartFunction& fn);

}  // namespace attnlab
