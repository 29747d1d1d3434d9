// Cancellable background jobs with progress (architecture.md, Threads). A job is a function
// Status(Progress&) run once on the pool; its JobHandle is what the window polls each frame
// (done, status, stage, fraction) and what the cancel button calls. The UI thread never
// waits on a job; wait() exists for tests and the command line.
//
// An exception escaping a job never reaches the worker: it is captured, its message kept,
// and the job finishes with InvalidInput (InputError) or NumericalIssue (anything else).
#pragma once
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "core/jobs/progress.hpp"
#include "core/jobs/worker_pool.hpp"
#include "core/status.hpp"

namespace attnlab {

using JobFunction = std::function<Status(Progress&)>;

enum class JobState { Queued, Running, Finished };

class JobHandle {
 public:
  explicit JobHandle(std::string name);
  JobHandle(const JobHandle&) = delete;
  JobHandle& operator=(const JobHandle&) = delete;

  const std::string& name() const { return name_; }
  Progress& progress() { return progress_; }
  const Progress& progress() const { return progress_; }
  std::string stage() const { return progress_.stage(); }
  double fraction() const { return progress_.fraction(); }

  // Asks the job to stop; it honours the request at its next poll. A job cancelled while
  // still queued never runs its function and finishes Cancelled.
  void cancel() { progress_.requestCancel(); }
  bool cancelRequested() const { return progress_.cancelled(); }

  JobState state() const;
  bool done() const { return state() == JobState::Finished; }
  // The job's final status; empty until it has finished.
  std::optional<Status> status() const;
  // The message of the exception that ended the job; empty if it returned normally.
  std::string errorMessage() const;

  // Blocks until the job has finished (tests and the command line only; never the UI thread).
  Status wait() const;

 private:
  friend std::shared_ptr<JobHandle> runJob(WorkerPool& pool, std::string name, JobFunction fn);

  // Runs the job's function on the calling worker and records its outcome, once.
  void run(const JobFunction& fn);
  void finish(Status status, std::string error);

  const std::string name_;
  Progress progress_;
  mutable std::mutex mutex_;
  mutable std::condition_variable finished_;
  JobState state_ = JobState::Queued;
  Status status_ = Status::Success;
  std::string error_;
};

// Submits fn to the pool as a job named `name` and returns its handle at once.
std::shared_ptr<JobHandle> runJob(WorkerPool& pool, std::string name, JobFunction fn);

// "The latest job wins", for a panel whose parameters change while it computes: restart()
// cancels the previous job (without waiting for it) and starts the new one. Pair it with
// Snapshot::publishUnlessCancelled so a superseded job can never overwrite a newer result.
// The destructor cancels the current job; whatever the job refers to must outlive it (or the
// pool, whose destructor drains every job).
class JobSlot {
 public:
  JobSlot() = default;
  JobSlot(const JobSlot&) = delete;
  JobSlot& operator=(const JobSlot&) = delete;
  ~JobSlot();

  std::shared_ptr<JobHandle> restart(WorkerPool& pool, std::string name, JobFunction fn);
  void cancel();
  // The most recently started job, or null before the first restart().
  std::shared_ptr<JobHandle> current() const;
  bool busy() const;  // a current job exists and has not finished

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<JobHandle> current_;
};

}  // namespace attnlab
