// The bounds lab's figures as data (app/gui/bounds_figures, no ImGui, no GL): every series
// holds exactly the core's numbers for a small run, failing hypotheses produce their marker
// series, and the lab's params survive a session round trip.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "core/labs/bounds_compute.hpp"
#include "core/labs/bounds_figures.hpp"
#include "core/labs/bounds_params.hpp"
#include "core/errors.hpp"
#include "core/jobs/worker_pool.hpp"

namespace attnlab {
namespace {

namespace L = bounds_labels;

BoundsLabParams smallLab() {
  BoundsLabParams p;
  p.kind = Kind::Softmax;
  p.n = 6;
  p.d = 3;
  p.R = 4.0;
  p.seed = 3;
  p.lr = 0.05;
  p.steps = 5;
  return p;
}

BoundsResult runOf(const BoundsLabParams& p, Shift shift) {
  Progress progress;
  return runBounds(makeBoundsProblem(p), boundsParamsFor(p, shift), progress);
}

template <class T>
const T* findSeries(const Figure& f, const std::string& label) {
  for (const Series& s : f.series)
    if (const T* t = std::get_if<T>(&s); t && t->label == label) return t;
  return nullptr;
}

// Equal as the core computed them; NaN (a gap) matches NaN.
void expectSame(double actual, double expected, const std::string& what) {
  if (std::isnan(expected)) EXPECT_TRUE(std::isnan(actual)) << what;
  else EXPECT_EQ(actual, expected) << what;
}

void expectLine(const Figure& f, const std::string& label, const BoundsResult& run,
                double (*expected)(const StepBounds&)) {
  const LineSeries* line = findSeries<LineSeries>(f, label);
  ASSERT_NE(line, nullptr) << label;
  ASSERT_EQ(line->xs.size(), run.steps.size()) << label;
  ASSERT_EQ(line->ys.size(), run.steps.size()) << label;
  for (std::size_t i = 0; i < run.steps.size(); ++i) {
    EXPECT_EQ(line->xs[i], static_cast<double>(run.steps[i].t)) << label;
    expectSame(line->ys[i], expected(run.steps[i]), label + " at step " + std::to_string(i));
  }
}

TEST(BoundsFigures, BoundsFigureHoldsTheCoresNumbers) {
  const BoundsResult run = runOf(smallLab(), Shift::Weight);
  ASSERT_EQ(run.steps.size(), 5u);
  const Figure f = boundsFigure(run, Theme::Light);
  EXPECT_EQ(f.name, "bounds");
  EXPECT_TRUE(figureProblems(f).empty());
  expectLine(f, L::kMeasured, run, [](const StepBounds& s) { return std::log10(s.dbNorm); });
  expectLine(f, L::kMeasured1, run, [](const StepBounds& s) { return std::log10(s.db1Norm); });
  expectLine(f, L::kMeasured2, run, [](const StepBounds& s) { return std::log10(s.db2Norm); });
  expectLine(f, L::kPart1, run, [](const StepBounds& s) { return s.log10Part1; });
  expectLine(f, L::kPart2, run, [](const StepBounds& s) { return s.log10Part2; });
  expectLine(f, L::kLemma, run, [](const StepBounds& s) { return s.log10Lemma; });
  expectLine(f, L::kTheorem, run, [](const StepBounds& s) { return s.log10Theorem / 2.0; });
  expectLine(f, L::kSharp, run, [](const StepBounds& s) { return std::log10(s.sharp); });
}

TEST(BoundsFigures, BoundsBeyondDoublePrecisionStillShow) {
  BoundsLabParams p = smallLab();
  p.R = 9.0;  // exp(10R²) = 10^352: only its log exists
  const BoundsResult run = runOf(p, Shift::Weight);
  for (const StepBounds& s : run.steps) ASSERT_FALSE(s.zeroStep);
  const Figure f = boundsFigure(run, Theme::Light);
  EXPECT_TRUE(figureProblems(f).empty());
  const LineSeries* theorem = findSeries<LineSeries>(f, L::kTheorem);
  ASSERT_NE(theorem, nullptr);
  for (double y : theorem->ys) {
    EXPECT_TRUE(std::isfinite(y));
    EXPECT_GT(y, 308.0 / 2.0);  // √ of a right side beyond 1e308
  }
}

TEST(BoundsFigures, SlackFigureIsSlackOfEachStep) {
  const BoundsResult run = runOf(smallLab(), Shift::Data);
  const Figure f = slackFigure(run, Theme::Light);
  EXPECT_EQ(f.name, "slack");
  EXPECT_TRUE(figureProblems(f).empty());
  expectLine(f, "Part 1", run, [](const StepBounds& s) { return slackOf(s).part1; });
  expectLine(f, "Part 2", run, [](const StepBounds& s) { return slackOf(s).part2; });
  expectLine(f, "lemma", run, [](const StepBounds& s) { return slackOf(s).lemma; });
  expectLine(f, "theorem (vs ‖δb‖²)", run, [](const StepBounds& s) { return slackOf(s).theorem; });
  expectLine(f, "sharp", run, [](const StepBounds& s) { return slackOf(s).sharp; });
}

TEST(BoundsFigures, TargetsAreBAndBothNewTargets) {
  const BoundsLabParams p = smallLab();
  const BoundsResult weight = runOf(p, Shift::Weight), data = runOf(p, Shift::Data);
  const Figure f = targetsFigure(weight, &data, Theme::Light);
  EXPECT_TRUE(figureProblems(f).empty());
  const NewTargets t = newTargets(weight, data);
  const std::pair<const char*, const Eigen::VectorXd*> expected[] = {
      {L::kTarget, &t.b}, {L::kWeightTarget, &t.weightShift}, {L::kDataTarget, &t.dataShift}};
  for (const auto& [label, v] : expected) {
    const BarSeries* bars = findSeries<BarSeries>(f, label);
    ASSERT_NE(bars, nullptr) << label;
    ASSERT_EQ(bars->heights.size(), static_cast<std::size_t>(v->size()));
    for (Eigen::Index i = 0; i < v->size(); ++i) {
      EXPECT_EQ(bars->heights[i], (*v)(i)) << label;
      EXPECT_EQ(bars->xs[i], static_cast<double>(i + 1));
    }
  }
  // The two learners really moved the target, by a bounded amount.
  EXPECT_GT((t.weightShift - t.b).norm(), 0.0);
  EXPECT_GT((t.dataShift - t.b).norm(), 0.0);
  // A failed data shift leaves its bars out.
  EXPECT_EQ(findSeries<BarSeries>(targetsFigure(weight, nullptr, Theme::Light), L::kDataTarget), nullptr);
}

TEST(BoundsFigures, NoFailureMarkersWhenEveryHypothesisHolds) {
  const BoundsResult run = runOf(smallLab(), Shift::Weight);
  for (const StepBounds& s : run.steps) ASSERT_TRUE(s.hypotheses.all());
  const Figure f = boundsFigure(run, Theme::Light);
  for (const char* label : {L::kFailR, L::kFailA, L::kFailX, L::kFailStep})
    EXPECT_EQ(findSeries<MarkerSeries>(f, label), nullptr) << label;
}

TEST(BoundsFigures, FailingHypothesesProduceTheirMarkerSeries) {
  BoundsLabParams p = smallLab();
  p.fixR = true;
  p.boundsR = 2.0;  // R < 4, and ‖A‖ = ‖x₀‖ = 4 > R at every step
  p.lr = 50.0;      // steps far from small
  const BoundsResult run = runOf(p, Shift::Weight);
  const Figure f = boundsFigure(run, Theme::Light);
  EXPECT_TRUE(figureProblems(f).empty());
  for (const char* label : {L::kFailR, L::kFailA, L::kFailX, L::kFailStep}) {
    bool (*holds)(const ShiftHypotheses&) = nullptr;
    if (label == L::kFailR) holds = [](const ShiftHypotheses& h) { return h.RAtLeast4; };
    if (label == L::kFailA) holds = [](const ShiftHypotheses& h) { return h.ANormAtMostR; };
    if (label == L::kFailX) holds = [](const ShiftHypotheses& h) { return h.xNormAtMostR; };
    if (label == L::kFailStep) holds = [](const ShiftHypotheses& h) { return h.smallStep; };
    std::vector<double> xs, ys;
    for (const StepBounds& s : run.steps)
      if (!holds(s.hypotheses)) {
        xs.push_back(static_cast<double>(s.t));
        ys.push_back(markerHeight(run, s));
      }
    ASSERT_FALSE(xs.empty()) << label << ": the setup should make it fail";
    const MarkerSeries* m = findSeries<MarkerSeries>(f, label);
    ASSERT_NE(m, nullptr) << label;
    EXPECT_EQ(m->xs, xs) << label;
    EXPECT_EQ(m->ys, ys) << label;
  }
  // Distinct shapes, so failures at one step read apart.
  EXPECT_NE(findSeries<MarkerSeries>(f, L::kFailR)->marker.shape, findSeries<MarkerSeries>(f, L::kFailA)->marker.shape);
  EXPECT_NE(findSeries<MarkerSeries>(f, L::kFailX)->marker.shape, findSeries<MarkerSeries>(f, L::kFailStep)->marker.shape);
  // The hover text names each failing hypothesis with its numbers.
  const std::vector<std::string> why = failedHypotheses(run.steps.front(), run.R, run.shift);
  ASSERT_EQ(why.size(), 4u);
  EXPECT_NE(why[0].find("R = 2 < 4"), std::string::npos) << why[0];
  EXPECT_NE(why[1].find("‖A‖"), std::string::npos);
  EXPECT_NE(why[3].find("0.01"), std::string::npos);
}

TEST(BoundsFigures, SweepFigureHoldsTheSweep) {
  BoundsLabParams p = smallLab();
  p.sweepAxis = SweepAxis::N;
  p.sweepValues = {4, 8};
  p.sweepInstances = 2;
  WorkerPool pool(2);
  Progress progress;
  const SlackSweep sweep = sweepSlack(sweepParamsFor(p), pool, progress);
  const Figure f = sweepFigure(sweep, Theme::Light);
  EXPECT_TRUE(figureProblems(f).empty());
  EXPECT_EQ(f.x.scale, Scale::Log10);
  const std::pair<const char*, const std::vector<double>*> lines[] = {
      {"Part 1", &sweep.part1}, {"Part 2", &sweep.part2}, {"lemma", &sweep.lemma},
      {"theorem (vs ‖δb‖²)", &sweep.theorem}, {"sharp", &sweep.sharp}};
  for (const auto& [label, ys] : lines) {
    const LineSeries* line = findSeries<LineSeries>(f, label);
    ASSERT_NE(line, nullptr) << label;
    EXPECT_EQ(line->xs, sweep.values);
    ASSERT_EQ(line->ys.size(), ys->size());
    for (std::size_t i = 0; i < ys->size(); ++i) expectSame(line->ys[i], (*ys)[i], label);
  }
}

TEST(BoundsFigures, ComputeRunsBothShiftsAndBuildsTheFigures) {
  BoundsLabParams p = smallLab();
  p.shift = Shift::Data;
  Progress progress;
  const auto runs = computeBoundsRuns(p, Theme::Dark, progress);
  ASSERT_NE(runs, nullptr);
  ASSERT_TRUE(runs->dataShift.has_value());
  EXPECT_EQ(runs->shown().shift, Shift::Data);
  EXPECT_EQ(runs->weightShift.shift, Shift::Weight);
  EXPECT_EQ(runs->figures.bounds.name, "bounds");
  EXPECT_EQ(runs->figures.slack.name, "slack");
  EXPECT_EQ(runs->figures.targets.name, "targets");
}

TEST(BoundsFigures, ThemeChangeRecoloursWithoutRecomputing) {
  const BoundsLabParams p = smallLab();
  Progress progress;
  auto marked = std::make_shared<BoundsRuns>(*computeBoundsRuns(p, Theme::Light, progress));
  marked->weightShift.R = 123.0;  // a run computed again would not carry this
  auto snapshots = std::make_shared<BoundsSnapshots>();
  ASSERT_EQ(boundsRunsJob(p, Theme::Dark, marked, snapshots)(progress), Status::Success);
  const auto recoloured = snapshots->runs.latest();
  EXPECT_EQ(recoloured->weightShift.R, 123.0);
  EXPECT_EQ(recoloured->theme, Theme::Dark);
  const LineSeries* dark = findSeries<LineSeries>(recoloured->figures.bounds, L::kMeasured);
  const LineSeries* light = findSeries<LineSeries>(marked->figures.bounds, L::kMeasured);
  ASSERT_TRUE(dark && light);
  EXPECT_NE(dark->style.color, light->style.color);  // the ink of each theme
  EXPECT_EQ(dark->ys, light->ys);
  // Other runs are computed afresh.
  BoundsLabParams q = p;
  q.steps = 3;
  ASSERT_EQ(boundsRunsJob(q, Theme::Dark, marked, snapshots)(progress), Status::Success);
  EXPECT_EQ(snapshots->runs.latest()->weightShift.steps.size(), 3u);
  EXPECT_NE(snapshots->runs.latest()->weightShift.R, 123.0);
}

TEST(BoundsLabParams, SessionRoundTripAndBadFields) {
  BoundsLabParams p = smallLab();
  p.shift = Shift::Data;
  p.update = AttentionUpdate::LinearSelfAttention;
  p.fixR = true;
  p.boundsR = 5.5;
  p.sweepAxis = SweepAxis::StepSize;
  p.sweepValues = {0.01, 0.1};
  EXPECT_EQ(boundsParamsFromJson(toJson(p), BoundsLabParams{}), p);
  EXPECT_THROW(boundsParamsFromJson({{"kind", "attention_normalized"}}, BoundsLabParams{}), InputError);
  EXPECT_THROW(boundsParamsFromJson({{"steps", 0}}, BoundsLabParams{}), InputError);
  EXPECT_THROW(boundsParamsFromJson({{"shift", "y"}}, BoundsLabParams{}), InputError);
  // A new axis without values takes that axis's defaults.
  const BoundsLabParams n = boundsParamsFromJson({{"sweep", {{"axis", "n"}}}}, BoundsLabParams{});
  EXPECT_EQ(n.sweepValues, defaultSweepValues(SweepAxis::N));
  EXPECT_EQ(parseSweepValues("4, 8;16  32"), (std::vector<double>{4, 8, 16, 32}));
  // What the panel shows, the panel reads back.
  for (SweepAxis axis : {SweepAxis::R, SweepAxis::N, SweepAxis::StepSize})
    EXPECT_EQ(parseSweepValues(formatSweepValues(defaultSweepValues(axis))), defaultSweepValues(axis));
  EXPECT_THROW(parseSweepValues("4, x"), InputError);
}

}  // namespace
}  // namespace attnlab
