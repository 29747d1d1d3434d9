// The shift-bound lab's figures as plain data (architecture.md, "One lab, end to end",
// piece 3). No ImGui here: the window draws them through figure_view, and the export issue
// writes the very same figures headlessly.
//
//   "bounds"  per step, log₁₀ of the measured ‖δb‖, ‖δb,1‖, ‖δb,2‖ and of every bound of
//             math.md §2, on a linear axis of orders of magnitude: exp(10R²) leaves double
//             precision from R ≈ 8.4, so the bounds are only ever held as log10 (the core's
//             log10 fields are plotted as they are, nothing is clamped). The theorem bounds
//             ‖δb‖², so its √ (half the log) is drawn against ‖δb‖. Steps whose hypotheses
//             fail carry one marker series per failing hypothesis.
//   "slack"   per step, log10(bound) − log10(measured) = slackOf(step), one line per bound.
//   "targets" b, b̃ (weight shift) and b̂ (data shift) as grouped bars.
//   "slack_sweep" the smallest slack against R, n or the step size, one line per bound.
#pragma once
#include <string>
#include <vector>

#include "core/bounds/bounds_lab.hpp"
#include "core/bounds/slack_sweep.hpp"
#include "core/figure/figure.hpp"

namespace attnlab {

// Legend labels, shared with the tests and the panel's bound list.
namespace bounds_labels {
inline constexpr const char* kMeasured = "‖δb‖ measured";
inline constexpr const char* kMeasured1 = "‖δb,1‖ measured";
inline constexpr const char* kMeasured2 = "‖δb,2‖ measured";
inline constexpr const char* kPart1 = "Part 1 (bounds ‖δb,1‖)";
inline constexpr const char* kPart2 = "Part 2 (bounds ‖δb,2‖)";
inline constexpr const char* kLemma = "Lemma 5.5/7.5";
inline constexpr const char* kTheorem = "√ Thm 8.1/8.2 right side";
inline constexpr const char* kSharp = "sharp ½‖A‖‖Δ‖";
// One per hypothesis (ShiftHypotheses' order).
inline constexpr const char* kFailR = "✗ R ≥ 4 fails";
inline constexpr const char* kFailA = "✗ ‖A‖ ≤ R fails";
inline constexpr const char* kFailX = "✗ ‖x‖ ≤ R fails";
inline constexpr const char* kFailStep = "✗ small step fails";
inline constexpr const char* kTarget = "b (the target)";
inline constexpr const char* kWeightTarget = "b̃ = b − Σδb (weight shift)";
inline constexpr const char* kDataTarget = "b̂ = b − Σδb (data shift)";
inline constexpr const char* kNotGuaranteed = "hypotheses fail somewhere";
}  // namespace bounds_labels

struct BoundsFigures {
  Figure bounds;   // "bounds"
  Figure slack;    // "slack"
  Figure targets;  // "targets"
};

// log10 of a measured norm, NaN (a gap in the line) where it is 0.
double log10OrGap(double value);

// The y at which a step's markers sit on the "bounds" figure: log10‖δb‖, or, for a step
// that moved nothing, the lowest finite measured value of the run (so the marker shows).
double markerHeight(const BoundsResult& run, const StepBounds& step);

// Why the hypotheses of a step fail, one sentence each with the numbers ("‖x‖ = 4.2 > R =
// 4"); empty when all hold. For the hover text over the markers.
std::vector<std::string> failedHypotheses(const StepBounds& step, double R, Shift shift);

Figure boundsFigure(const BoundsResult& run, Theme theme);
Figure slackFigure(const BoundsResult& run, Theme theme);
// `dataShift` null: that run failed (the figure shows b and b̃ only, and says so).
Figure targetsFigure(const BoundsResult& weightShift, const BoundsResult* dataShift, Theme theme);
Figure sweepFigure(const SlackSweep& sweep, Theme theme);

BoundsFigures buildBoundsFigures(const BoundsResult& shown, const BoundsResult& weightShift,
                                 const BoundsResult* dataShift, Theme theme);

}  // namespace attnlab
