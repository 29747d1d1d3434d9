#include "core/jobs/part_team.hpp"

#include <algorithm>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace attnlab {
namespace {

// Tells the core it is in a spin loop: cheaper for a sibling hyperthread and for power.
inline void relax() {
#if defined(__x86_64__) || defined(__i386__)
  _mm_pause();
#else
  std::this_thread::yield();
#endif
}

// Faults in the next 512 KB of a thread's stack: a part's first large stack frame (Eigen's GEMM
// keeps its packed blocks there, up to 128 KB) would otherwise pay a page fault per 4 KB, inside
// the computation it is part of.
[[gnu::noinline]] void touchStack() {
  constexpr std::size_t kBytes = 512 * 1024;
  volatile char frame[kBytes];
  for (std::size_t i = 0; i < kBytes; i += 4096) frame[i] = 0;
  (void)frame[0];
}

}  // namespace

PartTeam::PartTeam(unsigned threads, const std::function<void()>& threadStart) {
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  for (unsigned t = 1; t < threads; ++t)
    helpers_.emplace_back([this, t, threadStart] {
      if (threadStart) threadStart();
      helperLoop(t);
    });
  touchStack();  // the caller is thread 0: its parts' frames too
  if (threadStart) threadStart();
}

PartTeam::~PartTeam() {
  {
    std::lock_guard lock(callers_);
    stopping_.store(true);
    generation_.fetch_add(1);
    generation_.notify_all();
  }
  for (std::thread& helper : helpers_) helper.join();
}

void PartTeam::run(Index parts, const PartFunction& fn) {
  if (parts <= 0) return;
  std::lock_guard lock(callers_);
  error_ = nullptr;
  fn_.store(&fn, std::memory_order_relaxed);
  for (Index base = 0; base < parts; base += kBatch) runBatch(base, static_cast<int>(std::min<Index>(kBatch, parts - base)));
  fn_.store(nullptr, std::memory_order_relaxed);
  if (error_) std::rethrow_exception(error_);
}

// Publishes the batch (count_, base_ and fn_ before the release of claims_), wakes the helpers,
// runs the caller's own parts, then whichever part nobody has claimed, then waits for the rest.
void PartTeam::runBatch(Index base, int count) {
  const std::uint64_t batch = ++batches_ & ((std::uint64_t(1) << (64 - kBatchShift)) - 1);
  count_.store(count, std::memory_order_relaxed);
  base_.store(base, std::memory_order_relaxed);
  completed_.store(0, std::memory_order_relaxed);
  claims_.store(batch << kBatchShift, std::memory_order_release);
  generation_.fetch_add(1);  // seq_cst with a helper's sleeping_ increment: one sees the other
  if (sleeping_.load() > 0) generation_.notify_all();
  for (int k = 0; k < count; k += static_cast<int>(size()))
    if (claim(batch, k)) runPart(k);
  for (int k = 0; k < count; ++k)
    if (claim(batch, k)) runPart(k);
  awaitBatch(count);
}

bool PartTeam::claim(std::uint64_t batch, int k) {
  const std::uint64_t bit = std::uint64_t(1) << k;
  std::uint64_t word = claims_.load(std::memory_order_acquire);
  while ((word >> kBatchShift) == batch && !(word & bit))
    if (claims_.compare_exchange_weak(word, word | bit, std::memory_order_acq_rel, std::memory_order_acquire))
      return true;
  return false;
}

// A claimed part keeps its batch current: the caller waits for it before it publishes another.
void PartTeam::runPart(int k) {
  try {
    (*fn_.load(std::memory_order_relaxed))(base_.load(std::memory_order_relaxed) + k);
  } catch (...) {
    std::lock_guard lock(errorMutex_);
    if (!error_) error_ = std::current_exception();
  }
  // The increment releases the part's writes to the caller; the last one wakes a sleeping caller.
  if (completed_.fetch_add(1) + 1 == count_.load(std::memory_order_relaxed) && callerSleeping_.load())
    completed_.notify_one();
}

// Waiting on a machine with as many cores as threads, where another process may take one: spin
// (the next call or part is usually microseconds away), yield the core now and then after
// kYieldAfterMicroseconds (a thread we wait for may be queued on our core), sleep after `sleepAfter`.
template <class Done>
bool PartTeam::spinFor(Done done, std::chrono::microseconds sleepAfter) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  for (int spins = 1;; ++spins) {
    if (done()) return true;
    relax();
    if (spins % 64 == 0) {
      const auto waited = Clock::now() - start;
      if (waited > sleepAfter) return false;
      if (waited > std::chrono::microseconds(kYieldAfterMicroseconds)) std::this_thread::yield();
    }
  }
}

std::uint64_t PartTeam::awaitCall(std::uint64_t seen) {
  const auto moved = [&] { return generation_.load(std::memory_order_acquire) != seen; };
  if (!spinFor(moved, std::chrono::microseconds(kSpinMicroseconds))) {
    sleeping_.fetch_add(1);  // seq_cst with runBatch's bump and load: one of the two sees the other
    generation_.wait(seen);
    sleeping_.fetch_sub(1);
  }
  return generation_.load(std::memory_order_acquire);
}

// Every part is claimed by now; some may still be running on a helper.
void PartTeam::awaitBatch(int count) {
  const auto finished = [&] { return completed_.load(std::memory_order_acquire) == count; };
  if (spinFor(finished, std::chrono::microseconds(kSpinMicroseconds))) return;
  callerSleeping_.store(true);  // seq_cst with runPart's increment and load, as above
  for (int done = completed_.load(); done != count; done = completed_.load()) completed_.wait(done);
  callerSleeping_.store(false);
}

void PartTeam::helperLoop(unsigned thread) {
  touchStack();
  std::uint64_t seen = 0;
  for (;;) {
    seen = awaitCall(seen);
    if (stopping_.load()) return;
    const std::uint64_t word = claims_.load(std::memory_order_acquire);
    const std::uint64_t batch = word >> kBatchShift;
    const int count = count_.load(std::memory_order_relaxed);  // checked by claim() against batch
    for (int k = static_cast<int>(thread); k < count; k += static_cast<int>(size()))
      if (claim(batch, k)) runPart(k);
  }
}

void runParts(PartTeam* team, PartTeam::Index parts, const PartTeam::PartFunction& fn) {
  if (team != nullptr && team->size() > 1 && parts > 1) {
    team->run(parts, fn);
    return;
  }
  for (PartTeam::Index k = 0; k < parts; ++k) fn(k);
}

}  // namespace attnlab
