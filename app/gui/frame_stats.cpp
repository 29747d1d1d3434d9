#include "app/gui/frame_stats.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <cmath>

namespace attnlab::gui {
namespace {

// Three decimals: microsecond resolution is all a frame time needs, and the JSON stays short.
double round3(double ms) { return std::round(ms * 1000.0) / 1000.0; }

void addSummary(nlohmann::ordered_json& out, const std::string& prefix, const std::vector<double>& sample) {
  out[prefix + "p50_ms"] = round3(FrameStats::quantile(sample, 0.50));
  out[prefix + "p99_ms"] = round3(FrameStats::quantile(sample, 0.99));
  out[prefix + "max_ms"] = round3(sample.empty() ? 0.0 : *std::max_element(sample.begin(), sample.end()));
}

}  // namespace

void FrameStats::add(double milliseconds, bool jobsRunning) {
  all_.push_back(milliseconds);
  if (jobsRunning) busy_.push_back(milliseconds);
}

double FrameStats::quantile(std::vector<double> sample, double q) {
  if (sample.empty()) return 0.0;
  // Nearest rank: the smallest value with at least q of the sample at or below it.
  const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(sample.size())));
  const std::size_t index = std::clamp<std::size_t>(rank, 1, sample.size()) - 1;
  std::nth_element(sample.begin(), sample.begin() + static_cast<std::ptrdiff_t>(index), sample.end());
  return sample[index];
}

nlohmann::ordered_json FrameStats::json() const {
  nlohmann::ordered_json out;
  out["frames"] = all_.size();
  addSummary(out, "", all_);
  out["busy_frames"] = busy_.size();
  addSummary(out, "busy_", busy_);
  out["max_rss_mb"] = std::round(peakResidentMiB() * 10.0) / 10.0;
  return out;
}

double peakResidentMiB() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // Linux reports KiB
}

}  // namespace attnlab::gui
