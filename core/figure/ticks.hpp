// Axis ticks a reader can use: "nice" values (1, 2 or 5 times a power of ten, after
// Heckbert's "Nice numbers for graph labels", Graphics Gems 1990) on linear axes, and whole
// decades with unlabelled 2–9 minor ticks on log10 axes. Labels are compact and typographic:
// a true minus sign (−), and powers of ten with Unicode superscripts (10⁻³, 2.5×10⁵), so a
// tick label reads the same in the window, in an SVG and on a slide.
#pragma once
#include <string>
#include <vector>

#include "core/figure/scale.hpp"

namespace attnlab {

struct Tick {
  double value = 0.0;
  std::string label;  // empty for minor ticks
  bool major = true;
  bool operator==(const Tick&) const = default;
};

// The nice number (1, 2, 5 or 10 times a power of ten) nearest `x` (round) or not below it.
double niceNumber(double x, bool round);
// A nice step that divides `range` into about `targetCount` intervals.
double niceStep(Range range, int targetCount);

// Ticks inside `range` (inclusive), about `targetCount` of them labelled.
std::vector<Tick> linearTicks(Range range, int targetCount);
// Decades inside `range` (which must be positive): 10ⁿ labelled, 2·10ⁿ…9·10ⁿ as minor ticks.
// Over many decades only every k-th decade is labelled; within less than a decade the
// mantissas 1…9 (or 1, 2, 5) are labelled instead.
std::vector<Tick> logTicks(Range range, int targetCount);
std::vector<Tick> computeTicks(Range range, Scale scale, int targetCount);

// Labels for ticks `step` apart: fixed decimals just fine enough to tell neighbours apart,
// or a×10ⁿ when the values are very large or very small.
std::string formatTickValue(double value, double step, double magnitude);
// A value for a read-out, %g-like with `significant` digits: "0.0123", "−4.5×10⁻⁷", "∞".
std::string formatNumber(double value, int significant = 4);
// "⁻¹²" for -12: Unicode superscript digits.
std::string superscript(int n);
// "10⁻³"
std::string powerOfTen(int exponent);

}  // namespace attnlab
