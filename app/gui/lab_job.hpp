// One of a lab's recomputations, as the panels run them: a JobSlot ("latest wins"), the
// params and theme its job was started for, and whether its outcome has already become the
// lab's status message. Each frame a lab asks current(); when the widgets moved on it
// restart()s, and noteFinished() turns a finished job into one line for the status bar.
#pragma once
#include <chrono>
#include <cstdio>
#include <optional>
#include <string>

#include "core/figure/theme.hpp"
#include "core/jobs/job.hpp"
#include "core/status.hpp"

namespace attnlab::gui {

// The status bar's line for a lab: what it last finished, or why it could not.
struct LabMessage {
  std::string text;
  bool error = false;
};

template <class Params>
class LabJob {
 public:
  using Same = bool (*)(const Params&, const Params&);
  explicit LabJob(Same same) : same_(same) {}

  // The job (running or done) was started for these params and theme.
  bool current(const Params& params, Theme theme) const {
    return submitted_ && submitted_->theme == theme && same_(submitted_->params, params);
  }
  bool started() const { return submitted_.has_value(); }

  void restart(WorkerPool& pool, std::string name, JobFunction fn, const Params& params, Theme theme) {
    slot_.restart(pool, std::move(name), std::move(fn));
    submitted_ = Submitted{params, theme, std::chrono::steady_clock::now(), false};
  }
  // Params that failed validation: remembered as tried, so that nothing retries every frame.
  void refuse(const Params& params, Theme theme) {
    submitted_ = Submitted{params, theme, std::chrono::steady_clock::now(), true};
  }
  // Forget the last job's params: the next frame starts it again.
  void forget() { submitted_.reset(); }

  // Once per job: its outcome becomes `message` (an error stays until a job succeeds; the
  // last good figures stay on screen meanwhile).
  void noteFinished(const char* what, LabMessage& message) {
    const auto job = slot_.current();
    if (!submitted_ || submitted_->noted || !job || !job->done()) return;
    submitted_->noted = true;
    const Status status = job->status().value_or(Status::Success);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - submitted_->at).count();
    char text[160];
    if (status == Status::Success) {
      std::snprintf(text, sizeof text, "Ready — %s computed in %.2f s", what, seconds);
      message = {text, false};
    } else if (status == Status::Cancelled) {
      std::snprintf(text, sizeof text, "Cancelled — the %s show the last finished result", what);
      message = {text, false};
    } else {
      message = {job->errorMessage().empty() ? std::string(statusName(status)) : job->errorMessage(), true};
    }
  }

  std::shared_ptr<JobHandle> job() const { return slot_.current(); }
  std::shared_ptr<JobHandle> running() const { return slot_.busy() ? slot_.current() : nullptr; }
  bool busy() const { return slot_.busy(); }
  void cancel() { slot_.cancel(); }

 private:
  struct Submitted {
    Params params;
    Theme theme = Theme::Light;
    std::chrono::steady_clock::time_point at{};
    bool noted = false;
  };
  Same same_;
  JobSlot slot_;
  std::optional<Submitted> submitted_;
};

}  // namespace attnlab::gui
