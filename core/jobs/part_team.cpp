#include "core/jobs/part_team.hpp"

#include <chrono>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace attnlab {
namespace {

// Tells the core it is in a spin loop: cheaper for the sibling hyperthread and for power.
inline void relax() {
#if defined(__x86_64__) || defined(__i386__)
  _mm_pause();
#else
  std::this_thread::yield();
#endif
}

// Faults in the top of a new thread's stack: a part's first large stack frame (Eigen's GEMM keeps
// its packed blocks there, up to 128 KB, beside a part's own chunk buffers) would otherwise pay a page fault per 4 KB, inside the
// computation it is part of.
[[gnu::noinline]] void touchStack() {
  constexpr std::size_t kBytes = 512 * 1024;
  volatile char frame[kBytes];
  for (std::size_t i = 0; i < kBytes; i += 4096) frame[i] = 0;
  (void)frame[0];
}

}  // namespace

PartTeam::PartTeam(unsigned threads) {
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  for (unsigned t = 1; t < threads; ++t) helpers_.emplace_back([this, t] { helperLoop(t); });
}

PartTeam::~PartTeam() {
  {
    std::lock_guard lock(callers_);
    stopping_ = true;
    generation_.fetch_add(1, std::memory_order_release);
    generation_.notify_all();
  }
  for (std::thread& helper : helpers_) helper.join();
}

void PartTeam::run(Index parts, const PartFunction& fn) {
  if (parts <= 0) return;
  std::lock_guard lock(callers_);
  fn_ = &fn;
  parts_ = parts;
  error_ = nullptr;
  pending_.store(static_cast<int>(helpers_.size()), std::memory_order_relaxed);
  generation_.fetch_add(1);  // publishes fn_, parts_ to the helpers
  if (sleeping_.load() > 0) generation_.notify_all();
  runParts(0);
  for (long spins = 0; pending_.load(std::memory_order_acquire) > 0; ++spins)
    if (spins < 100000)
      relax();
    else
      std::this_thread::yield();  // a helper was descheduled: let it run
  fn_ = nullptr;
  if (error_) std::rethrow_exception(error_);
}

void PartTeam::runParts(unsigned thread) {
  for (Index k = thread; k < parts_; k += size()) {
    try {
      (*fn_)(k);
    } catch (...) {
      std::lock_guard lock(errorMutex_);
      if (!error_) error_ = std::current_exception();
    }
  }
}

// Spins until the generation moves past `seen`, then sleeps if it still has not.
std::uint64_t PartTeam::awaitCall(std::uint64_t seen) {
  using Clock = std::chrono::steady_clock;
  const auto until = Clock::now() + std::chrono::microseconds(kSpinMicroseconds);
  for (int spins = 0;; ++spins) {
    const std::uint64_t now = generation_.load(std::memory_order_acquire);
    if (now != seen) return now;
    if ((spins & 255) == 255 && Clock::now() > until) break;
    relax();
  }
  sleeping_.fetch_add(1);  // seq_cst with run()'s bump and load: one of the two sees the other
  generation_.wait(seen);
  sleeping_.fetch_sub(1);
  return generation_.load(std::memory_order_acquire);
}

void PartTeam::helperLoop(unsigned thread) {
  touchStack();
  std::uint64_t seen = 0;
  for (;;) {
    seen = awaitCall(seen);
    if (stopping_) return;
    runParts(thread);
    pending_.fetch_sub(1, std::memory_order_acq_rel);  // releases this part's writes to run()
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
