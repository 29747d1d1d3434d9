#include "core/jobs/job.hpp"

#include <exception>
#include <utility>

#include "core/errors.hpp"

namespace attnlab {

JobHandle::JobHandle(std::string name) : name_(std::move(name)) {}

JobState JobHandle::state() const {
  std::lock_guard lock(mutex_);
  return state_;
}

std::optional<Status> JobHandle::status() const {
  std::lock_guard lock(mutex_);
  if (state_ != JobState::Finished) return std::nullopt;
  return status_;
}

std::string JobHandle::errorMessage() const {
  std::lock_guard lock(mutex_);
  return error_;
}

Status JobHandle::wait() const {
  std::unique_lock lock(mutex_);
  finished_.wait(lock, [&] { return state_ == JobState::Finished; });
  return status_;
}

void JobHandle::run(const JobFunction& fn) {
  if (progress_.cancelled()) {
    finish(Status::Cancelled, {});
    return;
  }
  {
    std::lock_guard lock(mutex_);
    state_ = JobState::Running;
  }
  // Bad input found late is the user's to fix (InvalidInput); anything else is a failure of
  // the computation. Either way the message reaches the status bar, not std::terminate.
  try {
    const Status s = fn(progress_);
    finish(s, {});
  } catch (const InputError& e) {
    finish(Status::InvalidInput, e.what());
  } catch (const std::exception& e) {
    finish(Status::NumericalIssue, e.what());
  } catch (...) {
    finish(Status::NumericalIssue, "unknown exception in job '" + name_ + "'");
  }
}

void JobHandle::finish(Status status, std::string error) {
  {
    std::lock_guard lock(mutex_);
    status_ = status;
    error_ = std::move(error);
    state_ = JobState::Finished;
  }
  finished_.notify_all();
}

std::shared_ptr<JobHandle> runJob(WorkerPool& pool, std::string name, JobFunction fn) {
  auto job = std::make_shared<JobHandle>(std::move(name));
  pool.submit([job, fn = std::move(fn)] { job->run(fn); });
  return job;
}

JobSlot::~JobSlot() { cancel(); }

std::shared_ptr<JobHandle> JobSlot::restart(WorkerPool& pool, std::string name, JobFunction fn) {
  std::lock_guard lock(mutex_);
  // Cancel before submitting: the new job's publications then happen after the old job's
  // cancel flag is set, which is what Snapshot::publishUnlessCancelled relies on.
  if (current_) current_->cancel();
  current_ = runJob(pool, std::move(name), std::move(fn));
  return current_;
}

void JobSlot::cancel() {
  std::lock_guard lock(mutex_);
  if (current_) current_->cancel();
}

std::shared_ptr<JobHandle> JobSlot::current() const {
  std::lock_guard lock(mutex_);
  return current_;
}

bool JobSlot::busy() const {
  const std::shared_ptr<JobHandle> job = current();
  return job && !job->done();
}

}  // namespace attnlab
