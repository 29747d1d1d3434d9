// An axis scale and a numeric interval: the two things every axis, colorbar and heatmap
// value range of a figure is made of. A log10 scale maps a value to its base-10 logarithm,
// so equal ratios take equal lengths; values ≤ 0 have no place on it and are left out.
#pragma once
#include <cmath>

namespace attnlab {

enum class Scale { Linear, Log10 };

struct Range {
  double min = 0.0;
  double max = 1.0;

  double span() const { return max - min; }
  bool contains(double v) const { return v >= min && v <= max; }
  bool operator==(const Range&) const = default;
};

// Where `v` lies along the scale (identity, or log10). Non-positive values on a log scale
// give NaN, which every drawing path treats as "no point here".
inline double toScale(Scale scale, double v) {
  if (scale == Scale::Linear) return v;
  return v > 0.0 ? std::log10(v) : std::nan("");
}
inline double fromScale(Scale scale, double s) { return scale == Scale::Linear ? s : std::pow(10.0, s); }

// True when `v` can be placed on the scale (finite, and positive on a log scale).
inline bool representable(Scale scale, double v) { return std::isfinite(v) && (scale == Scale::Linear || v > 0.0); }

}  // namespace attnlab
