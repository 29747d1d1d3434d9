// Per-frame CPU time for `--frame-stats` (cli.md, "The window, scripted"): the work of a
// frame from polling input to swapping buffers — the wait that paces frames to the display
// rate is not part of it. Frames rendered while a job was running are also counted apart,
// since that is when the budget (p99 ≤ 16.7 ms) matters.
#pragma once
#include <nlohmann/json.hpp>
#include <vector>

namespace attnlab::gui {

class FrameStats {
 public:
  void add(double milliseconds, bool jobsRunning);

  std::size_t frames() const { return all_.size(); }
  // { "frames", "p50_ms", "p99_ms", "max_ms", "busy_frames", "busy_p50_ms", "busy_p99_ms",
  //   "busy_max_ms", "max_rss_mb" } — the first four are the contract, the rest extra.
  nlohmann::ordered_json json() const;

  // The q-quantile (0..1) of a sample by nearest rank; 0 for an empty sample.
  static double quantile(std::vector<double> sample, double q);

 private:
  std::vector<double> all_;
  std::vector<double> busy_;
};

// Peak resident memory of this process so far, in MiB (getrusage).
double peakResidentMiB();

}  // namespace attnlab::gui
