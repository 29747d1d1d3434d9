// Immutable results handed from a job to the UI (architecture.md, Data flow): the job
// publishes a std::shared_ptr<const T>, coarse first then refined; each frame the panel takes
// latest() and keeps the pointer as long as it draws from it. Nothing is locked across a
// frame, and a reader never sees a half-built result, since T is never modified after
// publication.
//
// The pointer itself sits behind a tiny mutex held only to copy it (a few nanoseconds, never
// across any other work): libstdc++ 12's std::atomic<std::shared_ptr> guards its pointer
// with a lock bit ThreadSanitizer cannot see, and our CI runs these paths under TSan.
//
// Writers are serialised by a mutex the readers never touch. publishUnlessCancelled checks
// the job's cancel flag under that mutex, which gives the guarantee JobSlot needs: once
// cancel() has returned, anything published afterwards (by the job that replaced it) can no
// longer be overwritten by the cancelled job.
#pragma once
#include <cstdint>
#include <memory>
#include <mutex>

#include "core/jobs/progress.hpp"

namespace attnlab {

template <class T>
class Snapshot {
 public:
  // A value together with its publication number (0: nothing published yet).
  struct Versioned {
    std::shared_ptr<const T> value;
    std::uint64_t version = 0;
  };

  Snapshot() = default;
  Snapshot(const Snapshot&) = delete;
  Snapshot& operator=(const Snapshot&) = delete;

  // Makes value the latest result; returns its version.
  std::uint64_t publish(std::shared_ptr<const T> value) {
    std::lock_guard lock(writer_);
    return store(std::move(value));
  }

  // Publishes only if the job owning progress has not been cancelled; false if it was (and
  // the snapshot is unchanged). A job that always publishes this way publishes nothing after
  // its cancellation.
  bool publishUnlessCancelled(std::shared_ptr<const T> value, const Progress& progress) {
    std::lock_guard lock(writer_);
    if (progress.cancelled()) return false;
    store(std::move(value));
    return true;
  }

  // The latest value (null before the first publish).
  std::shared_ptr<const T> latest() const {
    const std::shared_ptr<const Entry> e = entry();
    return e ? std::shared_ptr<const T>(e, e->value.get()) : nullptr;
  }

  // The latest value and its version, read together (one copy of the pointer).
  Versioned read() const {
    const std::shared_ptr<const Entry> e = entry();
    if (!e) return {};
    return {std::shared_ptr<const T>(e, e->value.get()), e->version};
  }

  // Number of publications so far; increases by one with each.
  std::uint64_t version() const { return read().version; }

 private:
  // The value and its number travel in one allocation, so a reader sees a consistent pair;
  // latest() aliases into it, which keeps the value alive through the entry.
  struct Entry {
    std::shared_ptr<const T> value;
    std::uint64_t version;
  };

  std::shared_ptr<const Entry> entry() const {
    std::lock_guard lock(pointer_);
    return entry_;
  }

  // The entry is built before, and the replaced one released after, the pointer's lock.
  std::uint64_t store(std::shared_ptr<const T> value) {
    const std::uint64_t v = ++published_;
    std::shared_ptr<const Entry> fresh = std::make_shared<const Entry>(Entry{std::move(value), v});
    {
      std::lock_guard lock(pointer_);
      entry_.swap(fresh);
    }
    return v;
  }

  std::mutex writer_;            // serialises publishers (and their cancel checks)
  std::uint64_t published_ = 0;  // guarded by writer_
  mutable std::mutex pointer_;   // guards entry_ only while it is copied or swapped
  std::shared_ptr<const Entry> entry_;
};

}  // namespace attnlab
