// Landscapes (core/landscape): every grid point against Loss::value for all eight kinds, the
// separable form's exact fallbacks (underflowing sums at |Ax| ≈ 2000, cancellation near a
// minimum), the plane constructors and projections, cancellation and progressive refinement.
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <stdexcept>
#include <vector>

#include "core/errors.hpp"
#include "core/jobs/job.hpp"
#include "core/jobs/snapshot.hpp"
#include "core/landscape/landscape.hpp"
#include "core/landscape/vector_grid.hpp"
#include "core/random.hpp"

namespace attnlab {
namespace {

using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;

constexpr Kind kVectorKinds[] = {Kind::Linear,   Kind::Exp,          Kind::Softmax,
                                 Kind::Rescaled, Kind::CrossEntropy, Kind::InfoPrompt};

MatrixXd gaussian(Index rows, Index cols, Random& rng, double scale = 1.0) {
  MatrixXd m(rows, cols);
  for (Index j = 0; j < cols; ++j)
    for (Index i = 0; i < rows; ++i) m(i, j) = scale * rng.normal();
  return m;
}

VectorXd probability(Index n, Random& rng) {
  VectorXd p(n);
  for (Index i = 0; i < n; ++i) p(i) = 0.05 + rng.uniform();
  return p / p.sum();
}

// A vector-kind instance whose logits Ax have size ~scale; b a probability vector (a signed
// vector for linear, O(1) positive entries for exp), w and l2 set.
Problem vectorProblem(Kind kind, Index n, Index d, std::uint64_t seed, double scale = 1.0, double l2 = 0.3) {
  Random rng(seed);
  Problem p;
  p.kind = kind;
  p.A = gaussian(n, d, rng, scale / std::sqrt(double(d)));
  p.x = gaussian(d, 1, rng).col(0);
  if (kind == Kind::Linear)
    p.b = gaussian(n, 1, rng).col(0);
  else if (kind == Kind::Exp)
    p.b = (0.5 + 2.0 * double(n) * probability(n, rng).array()).matrix();
  else
    p.b = probability(n, rng);
  p.w = (0.2 + 0.6 * probability(n, rng).array() * double(n)).matrix();
  p.l2 = l2;
  return p;
}

Problem attentionProblem(Kind kind, Index n, Index d, std::uint64_t seed) {
  Random rng(seed);
  Problem p;
  p.kind = kind;
  p.A1 = gaussian(n, d, rng, 1.0 / std::sqrt(double(d)));
  p.A2 = gaussian(n, d, rng, 1.0 / std::sqrt(double(d)));
  p.B.resize(n, n);
  for (Index i = 0; i < n; ++i) p.B.row(i) = probability(n, rng).transpose();
  p.x = gaussian(d * d, 1, rng, 0.7).col(0);
  p.l2 = 0.1;
  return p;
}

// max over the grid of |landscape − Loss::value| / max|Loss::value|.
double relativeError(const Loss& L, const LandscapeResult& r) {
  double worst = 0, scale = 0;
  for (Index j = 0; j < r.loss.rows(); ++j)
    for (Index i = 0; i < r.loss.cols(); ++i) {
      const double exact = L.value(r.plane.x0 + r.s(i) * r.plane.u + r.t(j) * r.plane.v);
      worst = std::max(worst, std::abs(r.loss(j, i) - exact));
      scale = std::max(scale, std::abs(exact));
    }
  return worst / scale;
}

struct Landscape : ::testing::Test {
  WorkerPool pool{2};
  Progress progress;
};

TEST_F(Landscape, GridAxisFollowsTheContract) {
  const VectorXd s = gridAxis({.points = 5, .span = 2.5});
  ASSERT_EQ(s.size(), 5);
  EXPECT_EQ(s(0), -2.5);
  EXPECT_EQ(s(4), 2.5);
  EXPECT_EQ(s(2), 0.0);
  EXPECT_DOUBLE_EQ(s(1), -1.25);
  EXPECT_THROW(validate(GridSpec{1, 1.0}), InputError);
  EXPECT_THROW(validate(GridSpec{8, 0.0}), InputError);
  EXPECT_THROW(validate(GridSpec{8, std::nan("")}), InputError);
}

// Sizes chosen off every block size of the kernel: 37 logits, 19 points a side.
TEST_F(Landscape, EveryVectorKindMatchesLossValueAtEveryPoint) {
  for (Kind kind : kVectorKinds) {
    SCOPED_TRACE(std::string(kindName(kind)));
    const Loss L(vectorProblem(kind, 37, 5, 11));
    const Plane plane = randomPlane(L.problem().x, 3);
    const LandscapeResult r = computeLandscape(L, plane, {.points = 19, .span = 1.5}, pool, progress);
    ASSERT_EQ(r.status, Status::Success);
    ASSERT_EQ(r.loss.rows(), 19);
    ASSERT_EQ(r.loss.cols(), 19);
    EXPECT_EQ(r.recomputedPoints, 0);  // the separable form alone
    EXPECT_LE(relativeError(L, r), 1e-9);
  }
}

// n past the kernel's k blocks (128) with a remainder, N past its tiles, no ridge.
TEST_F(Landscape, LargerProblemsMatchToo) {
  for (Kind kind : kVectorKinds) {
    SCOPED_TRACE(std::string(kindName(kind)));
    const Loss L(vectorProblem(kind, 333, 9, 5, 2.0, 0.0));
    const Plane plane = randomPlane(L.problem().x, 8);
    const LandscapeResult r = computeLandscape(L, plane, {.points = 41, .span = 0.8}, pool, progress);
    EXPECT_EQ(r.recomputedPoints, 0);
    EXPECT_LE(relativeError(L, r), 1e-9);
  }
}

// n beyond one slab of packed exponentials (8 MB): the sums accumulate across slabs.
TEST_F(Landscape, SumsAccumulateAcrossSlabs) {
  for (Kind kind : {Kind::Softmax, Kind::CrossEntropy}) {
    const Loss L(vectorProblem(kind, 30000, 3, 2));
    const LandscapeResult r = computeLandscape(L, randomPlane(L.problem().x, 1), {6, 1.0}, pool, progress);
    EXPECT_LE(relativeError(L, r), 1e-9);
  }
}

// |Ax| ≈ 2000 (the peer's selftest): the two factors' maxima sit at different logits, the
// shifted sums underflow, and those points are recomputed exactly.
TEST_F(Landscape, ExtremeLogitsAreRecomputedExactly) {
  for (Kind kind : {Kind::Softmax, Kind::CrossEntropy, Kind::InfoPrompt}) {
    SCOPED_TRACE(std::string(kindName(kind)));
    Problem p = vectorProblem(kind, 64, 4, 21, 1.0, 0.0);
    const Plane plane = randomPlane(p.x, 4);
    const VectorXd Ax = p.A * p.x;
    const double reach = (p.A * plane.u).cwiseAbs().maxCoeff() + Ax.cwiseAbs().maxCoeff();
    p.A *= 2000.0 / reach;  // |Ax| up to ~2000 over the grid
    const Loss L(p);
    VectorXd s = gridAxis({25, 1.0});
    GridValues loss;
    detail::VectorGridStats stats;
    ASSERT_EQ(detail::vectorGridLoss(L.problem(), plane, s, s, pool, progress, loss, &stats), Status::Success);
    EXPECT_GT(stats.recomputed, 0);
    LandscapeResult r;
    r.plane = plane;
    r.s = s;
    r.t = s;
    r.loss = loss;
    EXPECT_LE(relativeError(L, r), 1e-9);
  }
}

TEST_F(Landscape, OverflowNamesTheGridPoint) {
  Problem p = vectorProblem(Kind::Exp, 16, 3, 4, 1.0, 0.0);
  p.A *= 2000.0;
  const Loss L(p);
  EXPECT_THROW(computeLandscape(L, randomPlane(p.x, 1), {9, 1.0}, pool, progress), OverflowError);
}

// A softmax plane through its minimum (b = f(x0)) with a tiny span: L ≪ ‖b‖², so the expanded
// ½‖f‖² − ⟨f, b⟩ + ½‖b‖² cancels; those points are recomputed from z and stay within 1e−9.
TEST_F(Landscape, CancellationNearAMinimumIsRecomputed) {
  Problem p = vectorProblem(Kind::Softmax, 50, 4, 9, 1.0, 0.0);
  const VectorXd z = p.A * p.x;
  p.b = (z.array() - z.maxCoeff()).exp().matrix();
  p.b /= p.b.sum();
  const Loss L(p);
  const Plane plane = randomPlane(p.x, 2);
  const VectorXd s = gridAxis({9, 1e-4});
  GridValues loss;
  detail::VectorGridStats stats;
  ASSERT_EQ(detail::vectorGridLoss(p, plane, s, s, pool, progress, loss, &stats), Status::Success);
  EXPECT_GT(stats.recomputed, 0);
  LandscapeResult r;
  r.plane = plane;
  r.s = s;
  r.t = s;
  r.loss = loss;
  EXPECT_LE(relativeError(L, r), 1e-9);
}

TEST_F(Landscape, AttentionKindsMatchLossValueInGridOrientation) {
  for (Kind kind : {Kind::AttentionNormalized, Kind::AttentionRescaled}) {
    const Loss L(attentionProblem(kind, 6, 3, 17));
    const Plane plane = randomPlane(L.problem().x, 5);
    const LandscapeResult r = computeLandscape(L, plane, {7, 0.9}, pool, progress);
    ASSERT_EQ(r.status, Status::Success);
    EXPECT_EQ(r.loss(1, 4), L.value(plane.x0 + r.s(4) * plane.u + r.t(1) * plane.v));
    EXPECT_LE(relativeError(L, r), 1e-12);
  }
}

TEST_F(Landscape, SummaryAndOrientation) {
  const Loss L(vectorProblem(Kind::Softmax, 20, 3, 1));
  const Plane plane = axesPlane(L.problem().x, 0, 2);
  const LandscapeResult r = computeLandscape(L, plane, {11, 2.0}, pool, progress);
  EXPECT_EQ(r.loss.minCoeff(), r.lossMin);
  EXPECT_EQ(r.loss.maxCoeff(), r.lossMax);
  EXPECT_EQ(r.loss(r.argminJ, r.argminI), r.lossMin);
  VectorXd x = L.problem().x;
  x(0) += r.s(3);
  x(2) += r.t(8);
  EXPECT_NEAR(r.loss(8, 3), L.value(x), 1e-12);
}

TEST_F(Landscape, PlaneMustFitTheProblem) {
  const Loss L(vectorProblem(Kind::Softmax, 20, 3, 1));
  Plane plane = randomPlane(L.problem().x, 1);
  plane.v = VectorXd::Ones(4);
  EXPECT_THROW(computeLandscape(L, plane, {5, 1.0}, pool, progress), InputError);
  EXPECT_THROW(givenPlane(VectorXd::Zero(3), VectorXd::Zero(3), VectorXd::Zero(2)), InputError);
}

// --- planes -----------------------------------------------------------------------------

TEST(Plane, RandomDirectionsAreRescaledToThePoint) {
  const VectorXd x0 = (VectorXd(4) << 1, -2, 0.5, 3).finished();
  const Plane a = randomPlane(x0, 7), b = randomPlane(x0, 7), c = randomPlane(x0, 8);
  EXPECT_NEAR(a.u.norm(), x0.norm(), 1e-12);
  EXPECT_NEAR(a.v.norm(), x0.norm(), 1e-12);
  EXPECT_EQ(a.u, b.u);  // same seed, same plane
  EXPECT_EQ(a.v, b.v);
  EXPECT_NE(a.u, c.u);
  EXPECT_NE(a.u, a.v);
  const Plane z = randomPlane(VectorXd::Zero(5), 7);
  EXPECT_NEAR(z.u.norm(), 1.0, 1e-12);
  EXPECT_NEAR(z.v.norm(), 1.0, 1e-12);
}

TEST(Plane, AxesAreUnitVectors) {
  const Plane p = axesPlane(VectorXd::Zero(5), 1, 3);
  EXPECT_EQ(p.u, VectorXd::Unit(5, 1));
  EXPECT_EQ(p.v, VectorXd::Unit(5, 3));
  EXPECT_THROW(axesPlane(VectorXd::Zero(5), 1, 5), InputError);
  EXPECT_THROW(axesPlane(VectorXd::Zero(5), 2, 2), InputError);
  EXPECT_THROW(axesPlane(VectorXd::Zero(5), -1, 2), InputError);
}

Trajectory trajectoryThrough(const std::vector<VectorXd>& points) {
  Trajectory tr;
  for (std::size_t k = 0; k < points.size(); ++k) tr.push_back({int(k), double(k), 0.0, points[k]});
  return tr;
}

void expectOrthonormal(const Plane& p) {
  EXPECT_NEAR(p.u.norm(), 1.0, 1e-12);
  EXPECT_NEAR(p.v.norm(), 1.0, 1e-12);
  EXPECT_NEAR(p.u.dot(p.v), 0.0, 1e-12);
}

TEST(Plane, PcaOfAStraightLineHoldsItAtDistanceZero) {
  Random rng(4);
  const VectorXd x0 = gaussian(6, 1, rng).col(0), w = gaussian(6, 1, rng).col(0);
  std::vector<VectorXd> points;
  for (int k = 0; k < 30; ++k) points.push_back(x0 + (1.0 - std::pow(0.8, k)) * w);
  const Trajectory tr = trajectoryThrough(points);
  const Plane p = pcaPlane(x0, tr);
  expectOrthonormal(p);
  EXPECT_NEAR(std::abs(p.u.dot(w.normalized())), 1.0, 1e-12);
  const std::vector<TrajectoryPoint> seen = projectTrajectory(p, tr);
  ASSERT_EQ(seen.size(), tr.size());
  for (const TrajectoryPoint& q : seen) {
    EXPECT_LE(q.distance, 1e-12);
    EXPECT_NEAR(q.t, 0.0, 1e-12);
  }
  EXPECT_GT(seen.back().s, 0.0);  // oriented along the run
  EXPECT_EQ(seen[5].iteration, 5);
  EXPECT_EQ(seen[5].loss, 5.0);
}

TEST(Plane, PcaOfAPlanarCurveHoldsIt) {
  Random rng(5);
  const VectorXd x0 = gaussian(8, 1, rng).col(0), a = gaussian(8, 1, rng).col(0), b = gaussian(8, 1, rng).col(0);
  std::vector<VectorXd> points;
  for (int k = 0; k < 40; ++k) points.push_back(x0 + std::sin(0.1 * k) * a + (0.02 * k * k) * b);
  const Plane p = pcaPlane(x0, trajectoryThrough(points));
  expectOrthonormal(p);
  for (const TrajectoryPoint& q : projectTrajectory(p, trajectoryThrough(points))) EXPECT_LE(q.distance, 1e-11);
}

TEST(Plane, PcaOfAnIdleRunFallsBackToAxes) {
  const VectorXd x0 = VectorXd::Ones(3);
  const Plane p = pcaPlane(x0, trajectoryThrough({x0, x0}));
  EXPECT_EQ(p.u, VectorXd::Unit(3, 0));
  EXPECT_EQ(p.v, VectorXd::Unit(3, 1));
  EXPECT_THROW(pcaPlane(VectorXd::Ones(1), trajectoryThrough({VectorXd::Ones(1)})), InputError);
}

TEST(Plane, LongRunsAreSubsampledKeepingTheLastIterate) {
  const VectorXd x0 = VectorXd::Zero(3);
  std::vector<VectorXd> points;
  for (int k = 0; k < 2000; ++k) points.push_back((VectorXd(3) << k, 0.0, 0.0).finished());
  points.back() = (VectorXd(3) << 1999, 0.0, 5000.0).finished();  // only the last leaves the line
  const Plane p = pcaPlane(x0, trajectoryThrough(points));
  EXPECT_LE(projectTrajectory(p, trajectoryThrough(points)).back().distance, 1e-9);
}

// u, v not orthogonal: the coordinates are the least-squares ones, the distance the residual.
TEST(Plane, ProjectionOfAnOffPlanePoint) {
  const VectorXd x0 = (VectorXd(4) << 1, 2, 3, 4).finished();
  const VectorXd u = (VectorXd(4) << 1, 1, 0, 0).finished();
  const VectorXd v = (VectorXd(4) << 0, 1, 1, 0).finished();
  const VectorXd off = (VectorXd(4) << 1, -1, 1, 2).finished();  // orthogonal to u and v
  const PlanePoint q = PlaneProjector(givenPlane(x0, u, v))(x0 + 2.0 * u - 3.0 * v + off);
  EXPECT_NEAR(q.s, 2.0, 1e-12);
  EXPECT_NEAR(q.t, -3.0, 1e-12);
  EXPECT_NEAR(q.distance, off.norm(), 1e-12);
}

// --- jobs ---------------------------------------------------------------------------------

TEST_F(Landscape, CancelledBeforeStartComputesNothing) {
  progress.requestCancel();
  const Loss vectorLoss(vectorProblem(Kind::Softmax, 40, 3, 1));
  EXPECT_EQ(computeLandscape(vectorLoss, randomPlane(vectorLoss.problem().x, 1), {32, 1.0}, pool, progress).status,
            Status::Cancelled);
  const Loss attention(attentionProblem(Kind::AttentionNormalized, 5, 2, 1));
  EXPECT_EQ(computeLandscape(attention, randomPlane(attention.problem().x, 1), {8, 1.0}, pool, progress).status,
            Status::Cancelled);
}

TEST_F(Landscape, ProgressivePublishesCoarseThenFine) {
  const Loss L(vectorProblem(Kind::InfoPrompt, 2000, 8, 3));
  const Plane plane = randomPlane(L.problem().x, 1);
  std::vector<std::shared_ptr<const LandscapeResult>> published;
  const Status status = computeLandscapeProgressive(L, plane, {160, 1.0}, pool, progress,
                                                    [&](auto r) { published.push_back(std::move(r)); });
  EXPECT_EQ(status, Status::Success);
  ASSERT_EQ(published.size(), 2u);
  EXPECT_TRUE(published[0]->coarse);
  EXPECT_EQ(published[0]->grid.points, coarseGridPoints(L.problem(), 160));
  EXPECT_LT(published[0]->grid.points, 160);
  EXPECT_FALSE(published[1]->coarse);
  EXPECT_EQ(published[1]->loss.rows(), 160);
  EXPECT_EQ(published[0]->grid.span, published[1]->grid.span);
}

TEST_F(Landscape, CancelAfterThePreviewStopsTheJob) {
  const Loss L(vectorProblem(Kind::Softmax, 500, 4, 3));
  int published = 0;
  const Status status = computeLandscapeProgressive(L, randomPlane(L.problem().x, 1), {200, 1.0}, pool, progress,
                                                    [&](auto) {
                                                      ++published;
                                                      progress.requestCancel();
                                                    });
  EXPECT_EQ(status, Status::Cancelled);
  EXPECT_EQ(published, 1);
}

TEST_F(Landscape, JobPublishesIntoASnapshot) {
  auto loss = std::make_shared<const Loss>(vectorProblem(Kind::CrossEntropy, 300, 4, 3));
  auto snapshot = std::make_shared<Snapshot<LandscapeResult>>();
  Trajectory tr = trajectoryThrough({loss->problem().x, loss->problem().x + VectorXd::Ones(4)});
  auto job = runJob(pool, "landscape",
                    landscapeJob(loss, randomPlane(loss->problem().x, 2), {100, 1.0}, pool, snapshot,
                                 std::make_shared<const Trajectory>(tr)));
  EXPECT_EQ(job->wait(), Status::Success);
  EXPECT_EQ(snapshot->version(), 2u);
  const auto last = snapshot->latest();
  ASSERT_TRUE(last);
  EXPECT_EQ(last->loss.rows(), 100);
  ASSERT_EQ(last->trajectory.size(), 2u);
  EXPECT_EQ(last->trajectory[1].iteration, 1);
}

TEST_F(Landscape, CancelledJobPublishesNothingFurther) {
  auto loss = std::make_shared<const Loss>(vectorProblem(Kind::Softmax, 4000, 16, 3));
  auto snapshot = std::make_shared<Snapshot<LandscapeResult>>();
  auto job = runJob(pool, "landscape",
                    landscapeJob(loss, randomPlane(loss->problem().x, 2), {1500, 1.0}, pool, snapshot));
  job->cancel();
  const Status status = job->wait();
  const auto version = snapshot->version();
  EXPECT_LE(version, 2u);
  if (status == Status::Cancelled) {
    EXPECT_LE(version, 1u);
  }
}

}  // namespace
}  // namespace attnlab
