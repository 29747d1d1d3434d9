#include "core/labs/bounds_figures.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/figure/ticks.hpp"
#include "core/regression/kind.hpp"

namespace attnlab {
namespace {

namespace L = bounds_labels;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// Few steps are worth a dot each; hundreds would be a smear.
constexpr std::size_t kMarkEveryStepUpTo = 40;

// Each bound keeps one colour in every figure of the lab; Part 1 and Part 2 share theirs
// with the measured quantity they bound (solid: measured, dashed: bound).
enum ColourSlot : std::size_t { kBlue = 0, kOrange = 1, kVermillion = 2, kPurple = 3, kGreen = 4, kSky = 5 };
Rgba part1Colour(Theme t) { return seriesColor(t, kBlue); }
Rgba part2Colour(Theme t) { return seriesColor(t, kGreen); }
Rgba lemmaColour(Theme t) { return seriesColor(t, kOrange); }
Rgba theoremColour(Theme t) { return seriesColor(t, kPurple); }
Rgba sharpColour(Theme t) { return seriesColor(t, kSky); }
Rgba failureColour(Theme t) { return seriesColor(t, kVermillion); }

std::string shiftTitle(Shift shift) {
  return shift == Shift::Weight ? "weight shift (x moves)" : "data shift (A moves)";
}

LineSeries stepLine(const BoundsResult& run, std::string label, Style style, bool markers,
                    double (*value)(const StepBounds&)) {
  LineSeries line;
  line.label = std::move(label);
  line.style = style;
  for (const StepBounds& s : run.steps) {
    line.xs.push_back(static_cast<double>(s.t));
    line.ys.push_back(value(s));
  }
  if (markers && line.xs.size() <= kMarkEveryStepUpTo) line.markers = Marker{MarkerShape::Circle, 3.0f, true};
  return line;
}

// A zero step's bounds describe a step of 4.9e-324 (shift_bounds.hpp), ~−320 on this axis:
// true, but they would squash every other step into a line. Such steps are left as gaps.
double boundOrGap(const StepBounds& s, double log10Bound) { return s.zeroStep ? kNaN : log10Bound; }

void addMeasured(Figure& f, const BoundsResult& run, Theme theme) {
  const Rgba ink = themePalette(theme).text;
  f.series.push_back(stepLine(run, L::kMeasured, Style{ink, 2.5f, Dash::Solid}, true,
                              [](const StepBounds& s) { return log10OrGap(s.dbNorm); }));
  f.series.push_back(stepLine(run, L::kMeasured1, Style{part1Colour(theme), 1.5f, Dash::Solid}, false,
                              [](const StepBounds& s) { return log10OrGap(s.db1Norm); }));
  f.series.push_back(stepLine(run, L::kMeasured2, Style{part2Colour(theme), 1.5f, Dash::Solid}, false,
                              [](const StepBounds& s) { return log10OrGap(s.db2Norm); }));
}

void addBounds(Figure& f, const BoundsResult& run, Theme theme) {
  f.series.push_back(stepLine(run, L::kPart1, Style{part1Colour(theme), 2.0f, Dash::Dashed}, false,
                              [](const StepBounds& s) { return boundOrGap(s, s.log10Part1); }));
  f.series.push_back(stepLine(run, L::kPart2, Style{part2Colour(theme), 2.0f, Dash::Dashed}, false,
                              [](const StepBounds& s) { return boundOrGap(s, s.log10Part2); }));
  f.series.push_back(stepLine(run, L::kLemma, Style{lemmaColour(theme), 2.0f, Dash::Dashed}, false,
                              [](const StepBounds& s) { return boundOrGap(s, s.log10Lemma); }));
  // The theorem bounds ‖δb‖²: half its log is the bound on ‖δb‖ itself.
  f.series.push_back(stepLine(run, L::kTheorem, Style{theoremColour(theme), 2.0f, Dash::DashDot}, false,
                              [](const StepBounds& s) { return boundOrGap(s, s.log10Theorem / 2.0); }));
  f.series.push_back(stepLine(run, L::kSharp, Style{sharpColour(theme), 2.5f, Dash::Dotted}, false,
                              [](const StepBounds& s) { return log10OrGap(s.sharp); }));
}

// One marker series per hypothesis that fails somewhere, at the step's measured ‖δb‖: a
// distinct shape each, so two failing at one step still read apart.
void addFailures(Figure& f, const BoundsResult& run, Theme theme) {
  struct Check {
    const char* label;
    bool ShiftHypotheses::*holds;
    Marker marker;
  };
  const Check checks[] = {
      {L::kFailR, &ShiftHypotheses::RAtLeast4, Marker{MarkerShape::Cross, 7.0f, false}},
      {L::kFailA, &ShiftHypotheses::ANormAtMostR, Marker{MarkerShape::Square, 7.0f, false}},
      {L::kFailX, &ShiftHypotheses::xNormAtMostR, Marker{MarkerShape::Diamond, 9.0f, false}},
      {L::kFailStep, &ShiftHypotheses::smallStep, Marker{MarkerShape::TriangleUp, 6.0f, false}},
  };
  for (const Check& k : checks) {
    MarkerSeries m;
    m.label = k.label;
    m.marker = k.marker;
    m.color = failureColour(theme);
    for (const StepBounds& s : run.steps) {
      if (s.hypotheses.*k.holds) continue;
      m.xs.push_back(static_cast<double>(s.t));
      m.ys.push_back(markerHeight(run, s));
    }
    if (!m.xs.empty()) f.series.push_back(std::move(m));
  }
}

LineSeries slackLine(const BoundsResult& run, const char* label, Rgba colour, double BoundSlack::*member) {
  LineSeries line;
  line.label = label;
  line.style = Style{colour, 2.0f, Dash::Solid};
  for (const StepBounds& s : run.steps) {
    line.xs.push_back(static_cast<double>(s.t));
    line.ys.push_back(slackOf(s).*member);
  }
  if (line.xs.size() <= kMarkEveryStepUpTo) line.markers = Marker{MarkerShape::Circle, 3.0f, true};
  return line;
}

// y = 0: where a bound would meet the measurement.
LineSeries zeroLine(double x0, double x1, Theme theme) {
  LineSeries line;
  line.xs = {x0, x1};
  line.ys = {0.0, 0.0};
  line.style = Style{themePalette(theme).text.withAlpha(0.45f), 1.0f, Dash::Dashed};
  return line;
}

BarSeries targetBars(const Eigen::VectorXd& v, const char* label, Rgba colour) {
  BarSeries bars;
  bars.label = label;
  bars.color = colour;
  bars.width = 0.84;
  for (Eigen::Index i = 0; i < v.size(); ++i) {
    bars.xs.push_back(static_cast<double>(i + 1));
    bars.heights.push_back(v(i));
  }
  return bars;
}

LineSeries sweepLine(const SlackSweep& sweep, const char* label, Rgba colour, const std::vector<double>& ys) {
  LineSeries line;
  line.label = label;
  line.style = Style{colour, 2.0f, Dash::Solid};
  line.markers = Marker{MarkerShape::Circle, 3.5f, true};
  line.xs = sweep.values;
  line.ys = ys;
  return line;
}

std::string sweepAxisLabel(SweepAxis axis) {
  switch (axis) {
    case SweepAxis::R: return "R  (‖A‖ = ‖x₀‖ = R)";
    case SweepAxis::N: return "n  (rows of A)";
    case SweepAxis::StepSize: return "step size η (s for random)";
  }
  return "";
}

}  // namespace

double log10OrGap(double value) { return value > 0.0 ? std::log10(value) : kNaN; }

double markerHeight(const BoundsResult& run, const StepBounds& step) {
  if (step.dbNorm > 0.0) return std::log10(step.dbNorm);
  double lowest = kNaN;
  for (const StepBounds& s : run.steps)
    for (double v : {s.dbNorm, s.db1Norm, s.db2Norm})
      if (v > 0.0) lowest = std::fmin(lowest, std::log10(v));
  return std::isfinite(lowest) ? lowest : 0.0;
}

std::vector<std::string> failedHypotheses(const StepBounds& s, double R, Shift shift) {
  std::vector<std::string> out;
  const ShiftHypotheses& h = s.hypotheses;
  const std::string r = formatNumber(R, 4);
  if (!h.RAtLeast4) out.push_back("R = " + r + " < 4: Lemma 5.5 / 7.5 assume R ≥ 4");
  if (!h.ANormAtMostR) out.push_back("‖A‖ = " + formatNumber(s.normA, 4) + " > R = " + r);
  if (!h.xNormAtMostR) out.push_back("‖x‖ = " + formatNumber(s.normX, 4) + " > R = " + r);
  if (!h.smallStep)
    out.push_back(std::string(shift == Shift::Weight ? "‖AΔx‖∞" : "‖ΔA·x‖∞") + " = " +
                  formatNumber(s.logitShiftInf, 3) + " ≥ 0.01: not a small step (Lemma 5.6 / 7.6)");
  return out;
}

Figure boundsFigure(const BoundsResult& run, Theme theme) {
  Figure f;
  f.name = "bounds";
  f.title = "‖δb‖ vs the bounds — " + shiftTitle(run.shift) + ", R = " + formatNumber(run.R, 3);
  // Zero steps are gaps (boundOrGap); say so, or a run that never moved (a saturated
  // softmax at large R) would look like a broken plot.
  const auto zero = std::count_if(run.steps.begin(), run.steps.end(), [](const StepBounds& s) { return s.zeroStep; });
  if (zero > 0)
    f.title += " — " + std::to_string(zero) + " of " + std::to_string(run.steps.size()) + " steps moved nothing (gaps)";
  f.x.label = "step t";
  // Orders of magnitude on a linear axis: the bounds reach 10^1000 and beyond at larger R.
  f.y.label = "log₁₀ of the norm";
  f.legend.location = LegendLocation::NorthEast;
  addBounds(f, run, theme);
  addMeasured(f, run, theme);
  addFailures(f, run, theme);
  return f;
}

Figure slackFigure(const BoundsResult& run, Theme theme) {
  Figure f;
  f.name = "slack";
  f.title = "Slack per step (theorem: vs ‖δb‖²)";
  f.x.label = "step t";
  f.y.label = "log₁₀(bound ÷ measured)";
  f.legend.location = LegendLocation::NorthEast;
  if (!run.steps.empty())
    f.series.push_back(zeroLine(static_cast<double>(run.steps.front().t), static_cast<double>(run.steps.back().t), theme));
  f.series.push_back(slackLine(run, "Part 1", part1Colour(theme), &BoundSlack::part1));
  f.series.push_back(slackLine(run, "Part 2", part2Colour(theme), &BoundSlack::part2));
  f.series.push_back(slackLine(run, "lemma", lemmaColour(theme), &BoundSlack::lemma));
  f.series.push_back(slackLine(run, "theorem (vs ‖δb‖²)", theoremColour(theme), &BoundSlack::theorem));
  f.series.push_back(slackLine(run, "sharp", sharpColour(theme), &BoundSlack::sharp));
  return f;
}

Figure targetsFigure(const BoundsResult& weightShift, const BoundsResult* dataShift, Theme theme) {
  Figure f;
  f.name = "targets";
  // How far each learner moved the target, over the whole run: ‖b − b̃‖ = ‖Σδb‖.
  f.title = "Targets: ‖b − b̃‖ = " + formatNumber(weightShift.totalShift.norm(), 2);
  f.title += dataShift ? ", ‖b − b̂‖ = " + formatNumber(dataShift->totalShift.norm(), 2) : " (data shift failed)";
  f.x.label = "entry i of b";
  f.y.label = "value";
  f.legend.location = LegendLocation::NorthEast;
  f.series.push_back(targetBars(weightShift.b, L::kTarget, themePalette(theme).axis));
  f.series.push_back(targetBars(weightShift.newTarget(), L::kWeightTarget, seriesColor(theme, kBlue)));
  if (dataShift) f.series.push_back(targetBars(dataShift->newTarget(), L::kDataTarget, seriesColor(theme, kOrange)));
  // Room above the tallest bar for the legend (three rows), so it covers no bar; zoom and
  // pan still work from this view.
  double lo = 0.0, hi = 0.0;
  for (const Series& s : f.series)
    for (double h : std::get<BarSeries>(s).heights)
      if (std::isfinite(h)) lo = std::min(lo, h), hi = std::max(hi, h);
  if (hi > lo) f.y.range = Range{lo - 0.05 * (hi - lo), hi + 0.7 * (hi - lo)};
  // Integer ticks for a handful of entries; a long vector keeps the computed ticks.
  if (weightShift.b.size() <= 24)
    for (Eigen::Index i = 0; i < weightShift.b.size(); ++i)
      f.x.ticks.push_back(Tick{static_cast<double>(i + 1), std::to_string(i + 1), true});
  return f;
}

Figure sweepFigure(const SlackSweep& sweep, Theme theme) {
  Figure f;
  f.name = "slack_sweep";
  f.title = "Smallest slack over the run vs " + std::string(sweep.axis == SweepAxis::R   ? "R"
                                                            : sweep.axis == SweepAxis::N ? "n"
                                                                                         : "the step size");
  f.x.label = sweepAxisLabel(sweep.axis);
  if (sweep.axis != SweepAxis::R) f.x.scale = Scale::Log10;
  f.y.label = "log₁₀(bound ÷ measured)";
  f.legend.location = LegendLocation::NorthWest;
  if (!sweep.values.empty()) {
    const auto [lo, hi] = std::minmax_element(sweep.values.begin(), sweep.values.end());
    f.series.push_back(zeroLine(*lo, *hi, theme));
  }
  f.series.push_back(sweepLine(sweep, "Part 1", part1Colour(theme), sweep.part1));
  f.series.push_back(sweepLine(sweep, "Part 2", part2Colour(theme), sweep.part2));
  f.series.push_back(sweepLine(sweep, "lemma", lemmaColour(theme), sweep.lemma));
  f.series.push_back(sweepLine(sweep, "theorem (vs ‖δb‖²)", theoremColour(theme), sweep.theorem));
  f.series.push_back(sweepLine(sweep, "sharp", sharpColour(theme), sweep.sharp));
  MarkerSeries ring;
  ring.label = L::kNotGuaranteed;
  ring.marker = Marker{MarkerShape::Circle, 7.0f, false};
  ring.color = failureColour(theme);
  for (std::size_t i = 0; i < sweep.values.size() && i < sweep.guaranteed.size(); ++i) {
    if (sweep.guaranteed[i]) continue;
    for (const std::vector<double>* line : {&sweep.part1, &sweep.part2, &sweep.lemma, &sweep.theorem, &sweep.sharp}) {
      if (i >= line->size() || !std::isfinite((*line)[i])) continue;
      ring.xs.push_back(sweep.values[i]);
      ring.ys.push_back((*line)[i]);
    }
  }
  if (!ring.xs.empty()) f.series.push_back(std::move(ring));
  return f;
}

BoundsFigures buildBoundsFigures(const BoundsResult& shown, const BoundsResult& weightShift,
                                 const BoundsResult* dataShift, Theme theme) {
  return {boundsFigure(shown, theme), slackFigure(shown, theme), targetsFigure(weightShift, dataShift, theme)};
}

}  // namespace attnlab
