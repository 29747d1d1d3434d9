// The mixed-precision Hessian (Loss::mixedPrecisionHessian: one low-precision Gram sum of
// uncentred rows, float32 or bf16x3 on AMX) against the exact one at random and hard points, and Newton with it
// (Newton::setMixedPrecision): steps refined to exact Newton's, the same x* and ‖∇L‖, steps from
// an earlier factor near x*, and the fall-back to double Hessians on an ill-conditioned problem.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/jobs/part_team.hpp"
#include "core/jobs/worker_pool.hpp"
#include "core/regression/generate.hpp"
#include "core/solvers/newton.hpp"
#include "unit/regression_testing.hpp"

namespace attnlab {
namespace {

using namespace attnlab::testing;

constexpr Kind kVectorKinds[] = {Kind::Linear,   Kind::Exp,          Kind::Softmax,
                                 Kind::Rescaled, Kind::CrossEntropy, Kind::InfoPrompt};

// float32 rounds each row to 6e-8 and the GEMMs sum a part's rows in float32: ~1e-7 of the terms'
// magnitudes in practice, which for uncentred rows (and the rank-2 re-centring) can be a few
// times ‖H‖. 3e-6 leaves room for that; a Gram sum left in double would show ~1e-15, a wrong
// row or a dropped chunk ~1.
constexpr double kMixedTol = 3e-6;
// bf16x3 (tile_gram.hpp) keeps 16 of float32's 24 significant bits: ~1e-5 of the terms.
constexpr double kBfloat16x3Tol = 3e-5;

constexpr Loss::GramSum kSums[] = {Loss::GramSum::Float32, Loss::GramSum::Fastest};

double tolerance(Loss::GramSum sum) {
  return sum == Loss::GramSum::Fastest && Loss::hasBfloat16Gram() ? kBfloat16x3Tol : kMixedTol;
}

const char* sumName(Loss::GramSum sum) {
  if (sum == Loss::GramSum::Float32) return "float32";
  return Loss::hasBfloat16Gram() ? "bf16x3" : "fastest = float32";
}

// [SECTION] the Hessian -------------------------------------------------------------------

// Enough rows (n = 12000, d = 24) that the sum runs in two row parts and in several 256-row
// chunks per part; with a team of two or alone, the same bits.
TEST(MixedPrecisionHessian, AgreesWithTheExactHessianOnLargeProblems) {
  PartTeam team(2);
  for (Loss::GramSum sum : kSums)
  for (Kind kind : kVectorKinds)
    for (double l2 : {0.0, 0.1}) {
      const Problem p = randomProblem(kind, 31, l2, 12000, 24);
      const Loss loss(p);
      const MatrixXd exact = loss.hessian(p.x);
      const MatrixXd mixed = loss.onTeam(&team).mixedPrecisionHessian(p.x, nullptr, sum);
      const double error = relativeError(mixed, exact);
      std::printf("[ %s %s l2=%g ] mixed vs exact: %.2e\n", sumName(sum), std::string(kindName(kind)).c_str(), l2, error);
      EXPECT_LT(error, tolerance(sum)) << kindName(kind);
      // It is really summed in float32 (else this test says nothing about that path); the
      // rescaled kinds get the exact Hessian (loss.hpp).
      if (kind == Kind::Rescaled)
        EXPECT_EQ(mixed, exact);
      else
        EXPECT_GT(error, 1e-12) << kindName(kind);
      EXPECT_EQ(mixed, mixed.transpose()) << kindName(kind);
      EXPECT_EQ(loss.mixedPrecisionHessian(p.x, nullptr, sum), mixed) << kindName(kind);  // team or not: the same bits
    }
}

TEST(MixedPrecisionHessian, AgreesWithTheExactHessianOnSmallProblems) {
  for (Loss::GramSum sum : kSums)
    for (Kind kind : kVectorKinds)
      for (std::uint64_t seed : {1, 2, 3}) {
        const Problem p = randomProblem(kind, seed, 0.3);
        const Loss loss(p);
        EXPECT_LT(relativeError(loss.mixedPrecisionHessian(p.x, nullptr, sum), loss.hessian(p.x)), tolerance(sum))
            << sumName(sum) << " " << kindName(kind);
      }
}

// The attention kinds have no float32 path: the exact Hessian, bit for bit.
TEST(MixedPrecisionHessian, AttentionKindsGetTheExactHessian) {
  for (Kind kind : {Kind::AttentionNormalized, Kind::AttentionRescaled}) {
    const Problem p = randomProblem(kind, 4, 0.1);
    const Loss loss(p);
    EXPECT_EQ(loss.mixedPrecisionHessian(p.x), loss.hessian(p.x)) << kindName(kind);
  }
}

// Logits near ±740 and nearly one-hot softmax (regression_testing.hpp), with enough rows that
// the float32 chunks are used: the dominant row is still formed in double from small terms.
struct HardCase {
  Kind kind;
  double shift, gap;
  bool oneHotTarget;
};

TEST(MixedPrecisionHessian, AgreesWithTheExactHessianAtHardPoints) {
  const HardCase cases[] = {
      {Kind::Softmax, 740.0, 0.0, false},      {Kind::Softmax, -740.0, 0.0, false},
      {Kind::Softmax, 740.0, 30.0, true},      {Kind::Softmax, 0.0, 8.0, false},
      {Kind::CrossEntropy, 740.0, 30.0, true}, {Kind::CrossEntropy, -740.0, 25.0, true},
      {Kind::InfoPrompt, 740.0, 0.0, false},   {Kind::InfoPrompt, 0.0, 8.0, false},
      {Kind::Rescaled, 300.0, 0.0, false},     {Kind::Rescaled, 300.0, 20.0, true},
      // 1 − f_top ~ 1e-12: forming a_top − m̄ by subtraction would be off by ~1e-4 of the result.
      {Kind::Softmax, 740.0, 36.0, true},      {Kind::CrossEntropy, -740.0, 36.0, true},
  };
  // 3000 rows: one row part; 40000 (n·d ≥ 2·2¹⁷): two, the dominant row in the first or the second.
  struct Shape {
    Eigen::Index rows, top;
  };
  for (Loss::GramSum sum : kSums)
  for (const Shape shape : {Shape{3000, 2}, Shape{40000, 2}, Shape{40000, 39990}})
  for (const HardCase& c : cases) {
    Problem p = shiftedVectorProblem(randomProblem(c.kind, 41, 0.0, shape.rows, 6), c.shift, c.gap, shape.top,
                                     c.oneHotTarget);
    if (c.kind == Kind::InfoPrompt) p.w.setConstant(1e-3);  // keeps ½‖diag(w)Ax‖² comparable at 740
    const Loss loss(p);
    const MatrixXd exact = loss.hessian(p.x);
    const MatrixXd mixed = loss.mixedPrecisionHessian(p.x, nullptr, sum);
    ASSERT_TRUE(mixed.allFinite()) << kindName(c.kind) << " shift " << c.shift;
    EXPECT_LT(relativeError(mixed, exact), tolerance(sum))
        << sumName(sum) << " " << kindName(c.kind) << " shift " << c.shift << " gap " << c.gap << " rows "
        << shape.rows << " top " << shape.top;
  }
}

// [SECTION] Newton with it ----------------------------------------------------------------

Problem wellConditioned(Kind kind, Eigen::Index n, Eigen::Index d, std::uint64_t seed, double l2) {
  Problem p = randomProblem(kind, seed, l2, n, d);
  p.x *= 2.0 / p.x.norm();
  return p;
}

struct Outcome {
  VectorXd x;
  double gradNorm;
};

Outcome solve(const Loss& L, const VectorXd& x0, double tol, bool mixed, Newton* out = nullptr) {
  WorkerPool pool(1);
  Newton newton;
  newton.setTolerance(tol).setMaxIterations(100).setWorkerPool(&pool).setMixedPrecision(mixed).compute(L, x0);
  EXPECT_EQ(newton.info(), Status::Success);
  if (out) *out = newton;
  return {newton.solution(), newton.error()};
}

TEST(MixedPrecisionNewton, ReachesTheExactMinimiserWithFloat32Hessians) {
  struct Case {
    Kind kind;
    Eigen::Index n, d;
    double l2;
  };
  for (const Case& c : {Case{Kind::InfoPrompt, 4096, 32, 0.0}, Case{Kind::CrossEntropy, 3000, 16, 0.05},
                        Case{Kind::Softmax, 3000, 16, 0.1}, Case{Kind::Linear, 2000, 20, 0.0}}) {
    Problem p = wellConditioned(c.kind, c.n, c.d, 51, c.l2);
    if (c.kind == Kind::InfoPrompt) p.w.setConstant(0.3);
    const Loss L(p);
    const double tol = 1e-10;
    Newton mixed;
    const Outcome exact = solve(L, p.x, tol, false);
    const Outcome withF32 = solve(L, p.x, tol, true, &mixed);
    std::printf("[ %s ] mixed: %d updates, %d Hessians (%d float32); |x - x_exact| = %.2e, |grad| = %.2e\n",
                std::string(kindName(c.kind)).c_str(), mixed.iterations(), mixed.hessianEvaluations(), mixed.mixedPrecisionHessians(),
                (withF32.x - exact.x).norm(), withF32.gradNorm);
    EXPECT_TRUE(mixed.mixedPrecision());
    EXPECT_FALSE(mixed.fellBackToDouble()) << kindName(c.kind);
    EXPECT_EQ(mixed.mixedPrecisionHessians(), mixed.hessianEvaluations()) << kindName(c.kind);
    EXPECT_GT(mixed.mixedPrecisionHessians(), 0) << kindName(c.kind);
    EXPECT_LE(withF32.gradNorm, tol) << kindName(c.kind);
    EXPECT_LE(L.gradient(withF32.x).norm(), tol) << kindName(c.kind);  // the exact gradient, recomputed
    EXPECT_LT((withF32.x - exact.x).norm(), 1e-9 * (1.0 + exact.x.norm())) << kindName(c.kind);
  }
}

// Quadratic convergence is kept: the same number of steps, and each ‖∇L‖ within twice exact
// Newton's or within 1e-6 of the previous one (the linear term κ(H)·~1e-7 a float32 Hessian
// adds: here κ ~ 10; an error of 1e-4 in the Hessian would show as 1e-3).
TEST(MixedPrecisionNewton, ConvergesInAsManyStepsAsExactNewton) {
  Problem p = wellConditioned(Kind::InfoPrompt, 4096, 32, 52, 0.0);
  p.w.setConstant(0.3);
  const Loss L(p);
  Newton exact, mixed;
  solve(L, p.x, 1e-10, false, &exact);
  solve(L, p.x, 1e-10, true, &mixed);
  EXPECT_EQ(mixed.iterations(), exact.iterations());
  for (std::size_t t = 0; t < exact.trajectory().size(); ++t) {
    const double e = exact.trajectory()[t].gradNorm, m = mixed.trajectory()[t].gradNorm;
    std::printf("t=%zu |grad| exact %.3e mixed %.3e\n", t, e, m);
    const double previous = t > 0 ? mixed.trajectory()[t - 1].gradNorm : 0.0;
    EXPECT_LE(m, std::max(2.0 * e, 1e-6 * previous)) << "t = " << t;
  }
}

// The last column of A is the first one plus 1e-5 of noise: κ(AᵀA) ~ 1e10, which no rescaling
// of the columns removes, so a float32 Gram sum (error ~1e-7·‖H‖) loses the smallest eigenvalue
// and refinement from its factor stalls. The Hessian is then formed again in double at the same
// point and the run stays in double; x* is exact Newton's.
TEST(MixedPrecisionNewton, FallsBackToDoubleOnAnIllConditionedProblem) {
  for (Kind kind : {Kind::Linear, Kind::InfoPrompt}) {
    Problem p = randomProblem(kind, 61, 0.0, 3000, 8);
    Random rng(62);
    p.A.col(7) = p.A.col(0) + 1e-5 * gaussian(p.n(), 1, rng, 1.0 / std::sqrt(8.0));
    p.w.setConstant(0.5);
    const Loss L(p);
    Newton mixed, exact;
    const Outcome withF32 = solve(L, p.x, 1e-10, true, &mixed);
    const Outcome reference = solve(L, p.x, 1e-10, false, &exact);
    EXPECT_TRUE(mixed.fellBackToDouble()) << kindName(kind);
    EXPECT_GT(mixed.hessianEvaluations(), mixed.mixedPrecisionHessians()) << kindName(kind);  // double ones
    EXPECT_LE(withF32.gradNorm, 1e-10) << kindName(kind);
    // With κ ~ 1e10, ‖∇L‖ ≤ 1e-10 pins x down only to ‖∇L‖/λ_min: both stop inside that ball.
    const double lambdaMin = Eigen::SelfAdjointEigenSolver<MatrixXd>(L.hessian(reference.x)).eigenvalues()[0];
    ASSERT_GT(lambdaMin, 0.0) << kindName(kind);
    std::printf("[ %s ] lambda_min %.3g, |grad| %.3g and %.3g, |x - x_double| %.3g\n", std::string(kindName(kind)).c_str(),
                lambdaMin, withF32.gradNorm, reference.gradNorm, (withF32.x - reference.x).norm());
    EXPECT_LT((withF32.x - reference.x).norm(), 1.5 * (withF32.gradNorm + reference.gradNorm) / lambdaMin + 1e-12)
        << kindName(kind);
  }
}

// Without a ridge softmax regression is not convex: where the float32 Hessian is indefinite it is
// damped like the exact one, and the damped H + μI (well conditioned) is solved in float32 too.
TEST(MixedPrecisionNewton, DampsAnIndefiniteHessianAndStillConverges) {
  Problem p = randomProblem(Kind::Softmax, 71, 0.0, 2000, 3);
  const Loss L(p);
  VectorXd x0;
  for (std::uint64_t seed = 1; seed < 200 && x0.size() == 0; ++seed) {
    Random rng(seed);
    const VectorXd x = gaussian(3, 1, rng, 3.0).col(0);
    if (Eigen::SelfAdjointEigenSolver<MatrixXd>(L.hessian(x)).eigenvalues().minCoeff() < -1e-3) x0 = x;
  }
  ASSERT_EQ(x0.size(), 3) << "no point with an indefinite Hessian found";
  Newton mixed;
  mixed.setDamping(1e-4).setTolerance(1e-9).setMaxIterations(500).setMixedPrecision(true).compute(L, x0);
  EXPECT_NE(mixed.info(), Status::NumericalIssue);
  EXPECT_GT(mixed.dampedSteps(), 0);
  EXPECT_GT(mixed.mixedPrecisionHessians(), 0);
  ASSERT_GE(mixed.trajectory().size(), 2u);
  for (std::size_t t = 1; t < mixed.trajectory().size(); ++t)
    EXPECT_LE(mixed.trajectory()[t].loss, mixed.trajectory()[t - 1].loss * (1 + 1e-15)) << "t = " << t;
}

// Mixed precision is the default: every update either formed a low-precision Hessian or refined
// its step from an earlier factor, and the trajectory is exact Newton's (double Hessians) to
// ~1e-10 — at a tight tolerance, and at a loose one, where refinement's target far from x* is
// the forcing term kForcing·‖g‖² (up to tol/2), not 1e-10·‖g‖.
class MixedPrecisionNewtonAt : public ::testing::TestWithParam<double> {};

TEST_P(MixedPrecisionNewtonAt, IsTheDefaultAndTakesExactNewtonSteps) {
  const double tol = GetParam();
  Problem p = wellConditioned(Kind::InfoPrompt, 4096, 16, 53, 0.0);
  p.w.setConstant(0.3);
  const Loss L(p);
  Newton mixed, exact;
  EXPECT_TRUE(mixed.mixedPrecision());
  mixed.setTolerance(tol).compute(L, p.x);
  exact.setTolerance(tol).setMixedPrecision(false).compute(L, p.x);
  ASSERT_EQ(mixed.info(), Status::Success);
  EXPECT_FALSE(mixed.fellBackToDouble());
  EXPECT_EQ(mixed.mixedPrecisionHessians(), mixed.hessianEvaluations());
  EXPECT_EQ(mixed.hessianEvaluations() + mixed.earlierFactorSteps(), mixed.iterations());
  EXPECT_GE(mixed.hessianProducts(), mixed.iterations());  // every step refined
  EXPECT_EQ(exact.mixedPrecisionHessians(), 0);
  ASSERT_EQ(mixed.trajectory().size(), exact.trajectory().size());
  for (std::size_t t = 0; t < exact.trajectory().size(); ++t) {
    const Iterate &m = mixed.trajectory()[t], &e = exact.trajectory()[t];
    std::printf("t=%zu |grad| %.3e |x - x_exact| %.3e\n", t, e.gradNorm, (m.x - e.x).norm());
    EXPECT_LE((m.x - e.x).norm(), 1e-10 * (1.0 + e.x.norm())) << "t = " << t;
    // The step's residual, at most the refinement target, adds to the next gradient.
    const double target = t > 0 ? mixed.refinementTarget(mixed.trajectory()[t - 1].gradNorm) : 0.0;
    EXPECT_LE(m.gradNorm, std::max(1.01 * e.gradNorm + target, 1e-12)) << "t = " << t;
  }
}

INSTANTIATE_TEST_SUITE_P(Tolerances, MixedPrecisionNewtonAt, ::testing::Values(1e-11, 1e-7));

// Near x* the Hessian hardly moves: a step from an earlier step's float32 factor, refined with
// exact products, replaces forming a new Hessian; the iterates stay exact Newton's.
TEST(MixedPrecisionNewton, RefinesLateStepsFromAnEarlierFactor) {
  GenerateSpec spec;
  spec.n = 4096;
  spec.d = 16;
  spec.R = 8.0;
  spec.seed = 5;
  spec.w = 0.02;
  const Problem p = generateProblem(Kind::InfoPrompt, spec);
  const Loss L(p);
  Newton mixed, exact;
  mixed.setTolerance(1e-12).compute(L, p.x);
  exact.setTolerance(1e-12).setMixedPrecision(false).compute(L, p.x);
  ASSERT_EQ(mixed.info(), Status::Success);
  EXPECT_GT(mixed.earlierFactorSteps(), 0);
  EXPECT_LT(mixed.hessianEvaluations(), mixed.iterations());
  EXPECT_EQ(mixed.iterations(), exact.iterations());
  EXPECT_LE(L.gradient(mixed.solution()).norm(), 1e-12);
  EXPECT_LE((mixed.solution() - exact.solution()).norm(), 1e-12 * (1.0 + exact.solution().norm()));
}

}  // namespace
}  // namespace attnlab
