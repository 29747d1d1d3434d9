// Progress and cooperative cancellation for one job (Tracy's worker, ggml's abort callback):
// the job writes a fraction and a stage name; anyone may request a cancel, which the job
// polls at least every ~10 ms of work and honours by returning Status::Cancelled.
#pragma once
#include <atomic>
#include <mutex>
#include <string>

namespace attnlab {

class Progress {
 public:
  void requestCancel() { cancel_.store(true, std::memory_order_relaxed); }
  bool cancelled() const { return cancel_.load(std::memory_order_relaxed); }

  void setFraction(double f) { fraction_.store(f, std::memory_order_relaxed); }
  double fraction() const { return fraction_.load(std::memory_order_relaxed); }

  void setStage(std::string stage) {
    std::lock_guard lock(mutex_);
    stage_ = std::move(stage);
  }
  std::string stage() const {
    std::lock_guard lock(mutex_);
    return stage_;
  }

 private:
  std::atomic<bool> cancel_{false};
  std::atomic<double> fraction_{0.0};
  mutable std::mutex mutex_;
  std::string stage_;
};

}  // namespace attnlab
