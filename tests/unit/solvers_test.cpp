// The solvers (core/solvers): gradient descent and momentum reach the normal-equations
// solution; Newton converges quadratically near x* and, thanks to its line search, from far
// away; approximate Newton converges linearly to the same x*, deterministically per seed;
// and every solver keeps cli.md's contract on status, iterations and trajectory.
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include "core/jobs/worker_pool.hpp"
#include "core/random.hpp"
#include "core/regression/loss.hpp"
#include "core/solvers/approximate_newton.hpp"
#include "core/solvers/gradient_descent.hpp"
#include "core/solvers/momentum.hpp"
#include "core/solvers/newton.hpp"

namespace attnlab {
namespace {

using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;

// [SECTION] problems built here, from seeded data -------------------------------------------

MatrixXd gaussian(Index rows, Index cols, Random& rng, double scale = 1.0) {
  MatrixXd m(rows, cols);
  for (Index j = 0; j < cols; ++j)
    for (Index i = 0; i < rows; ++i) m(i, j) = scale * rng.normal();
  return m;
}

VectorXd probability(Index n, Random& rng) {
  VectorXd p(n);
  for (Index i = 0; i < n; ++i) p[i] = 0.05 + rng.uniform();
  return p / p.sum();
}

// A vector kind with A Gaussian of entries ~ scale/√d (so ‖A x‖ ~ scale·‖x‖), a probability
// target (a Gaussian one for linear, a positive one for exp) and infoprompt weights w.
Problem vectorProblem(Kind kind, Index n, Index d, std::uint64_t seed, double l2 = 0.0, double scale = 1.0,
                      double w = 0.3) {
  Random rng(seed);
  Problem p;
  p.kind = kind;
  p.l2 = l2;
  p.A = gaussian(n, d, rng, scale / std::sqrt(double(d)));
  if (kind == Kind::Linear)
    p.b = gaussian(n, 1, rng).col(0);
  else if (kind == Kind::Exp)
    p.b = (0.5 + rng.uniform()) * VectorXd::Ones(n) + 0.2 * probability(n, rng);
  else
    p.b = probability(n, rng);
  p.w = VectorXd::Constant(n, w);
  p.x = VectorXd::Zero(d);
  return p;
}

Problem attentionProblem(Kind kind, Index n, Index d, std::uint64_t seed, double l2) {
  Random rng(seed);
  Problem p;
  p.kind = kind;
  p.l2 = l2;
  p.A1 = gaussian(n, d, rng, 1.0 / std::sqrt(double(d)));
  p.A2 = gaussian(n, d, rng, 1.0 / std::sqrt(double(d)));
  p.B.resize(n, n);
  for (Index i = 0; i < n; ++i) p.B.row(i) = probability(n, rng).transpose();
  p.x = VectorXd::Zero(d * d);
  return p;
}

VectorXd randomPoint(Index d, std::uint64_t seed, double norm) {
  Random rng(seed);
  return gaussian(d, 1, rng).col(0).normalized() * norm;
}

// The minimiser of ½‖Ax − b‖² + ½λ‖x‖², from the normal equations.
VectorXd leastSquaresSolution(const Problem& p) {
  MatrixXd AtA = p.A.transpose() * p.A;
  AtA.diagonal().array() += p.l2;
  return AtA.ldlt().solve(p.A.transpose() * p.b);
}

double largestEigenvalue(const MatrixXd& S) {
  return Eigen::SelfAdjointEigenSolver<MatrixXd>(S).eigenvalues().maxCoeff();
}

// x* to the last bits: Newton from x0 with a tolerance near the gradient's rounding floor.
VectorXd newtonMinimiser(const Loss& L, const VectorXd& x0) {
  Newton newton;
  newton.setTolerance(1e-14).setMaxIterations(200).setRecordTrajectory(false).compute(L, x0);
  EXPECT_EQ(newton.info(), Status::Success) << "reference solve";
  return newton.solution();
}

// ‖x_t − x*‖ along the trajectory.
std::vector<double> errors(const Trajectory& trajectory, const VectorXd& xStar) {
  std::vector<double> e;
  for (const Iterate& it : trajectory) e.push_back((it.x - xStar).norm());
  return e;
}

// cli.md: the trajectory holds every iterate from t = 0 (x0) to t = iterations (the solution),
// each with its loss and gradient norm.
template <class Solver>
void expectConsistentTrajectory(const Solver& s, const Loss& L, const VectorXd& x0) {
  const Trajectory& tr = s.trajectory();
  ASSERT_EQ(tr.size(), std::size_t(s.iterations()) + 1);
  for (std::size_t t = 0; t < tr.size(); ++t) {
    EXPECT_EQ(tr[t].t, int(t));
    EXPECT_NEAR(tr[t].loss, L.value(tr[t].x), 1e-12 * (1.0 + std::abs(tr[t].loss)));
    EXPECT_NEAR(tr[t].gradNorm, L.gradient(tr[t].x).norm(), 1e-12 * (1.0 + tr[t].gradNorm));
  }
  EXPECT_EQ(tr.front().x, x0);
  EXPECT_EQ(tr.back().x, s.solution());
  EXPECT_EQ(tr.back().gradNorm, s.error());
}

// [SECTION] gradient descent and momentum ----------------------------------------------------

TEST(GradientDescent, ReachesTheNormalEquationsSolution) {
  const Problem p = vectorProblem(Kind::Linear, 40, 5, 11);
  const Loss L(p);
  const VectorXd xStar = leastSquaresSolution(p);
  const double lambdaMax = largestEigenvalue(p.A.transpose() * p.A);
  GradientDescent gd;
  gd.setStepSize(1.0 / lambdaMax).setTolerance(1e-11).setMaxIterations(100000).compute(L, p.x);
  ASSERT_EQ(gd.info(), Status::Success);
  EXPECT_GT(gd.iterations(), 1);
  EXPECT_LE(gd.error(), 1e-11);
  EXPECT_LT((gd.solution() - xStar).norm(), 1e-9);
  EXPECT_DOUBLE_EQ(gd.stepSize(), 1.0 / lambdaMax);
  expectConsistentTrajectory(gd, L, p.x);
  // Each step of size 1/λ_max decreases a quadratic.
  for (std::size_t t = 1; t < gd.trajectory().size(); ++t)
    EXPECT_LE(gd.trajectory()[t].loss, gd.trajectory()[t - 1].loss * (1 + 1e-15));  // up to rounding
}

TEST(GradientDescent, TheStepIsXMinusEtaGradient) {
  const Problem p = vectorProblem(Kind::Softmax, 12, 3, 5);
  const Loss L(p);
  const VectorXd x0 = randomPoint(3, 6, 1.0);
  GradientDescent gd;
  gd.setStepSize(0.25).setMaxIterations(1).setTolerance(0.0).compute(L, x0);
  EXPECT_EQ(gd.info(), Status::NoConvergence);
  EXPECT_EQ(gd.iterations(), 1);
  EXPECT_TRUE(gd.solution().isApprox(x0 - 0.25 * L.gradient(x0), 1e-15));
}

TEST(Momentum, ReachesTheNormalEquationsSolution) {
  const Problem p = vectorProblem(Kind::Linear, 40, 5, 12, 0.0, 3.0);
  const Loss L(p);
  const VectorXd xStar = leastSquaresSolution(p);
  const Eigen::VectorXd eig = Eigen::SelfAdjointEigenSolver<MatrixXd>(p.A.transpose() * p.A).eigenvalues();
  // Polyak's tuning for a quadratic with curvatures in [μ, L].
  const double rootL = std::sqrt(eig.maxCoeff()), rootMu = std::sqrt(eig.minCoeff());
  const double eta = 4.0 / ((rootL + rootMu) * (rootL + rootMu));
  const double beta = std::pow((rootL - rootMu) / (rootL + rootMu), 2);
  Momentum heavyBall;
  heavyBall.setStepSize(eta).setBeta(beta).setTolerance(1e-11).setMaxIterations(100000).compute(L, p.x);
  ASSERT_EQ(heavyBall.info(), Status::Success);
  EXPECT_LT((heavyBall.solution() - xStar).norm(), 1e-9);
  expectConsistentTrajectory(heavyBall, L, p.x);

  GradientDescent gd;
  gd.setStepSize(1.0 / eig.maxCoeff()).setTolerance(1e-11).setMaxIterations(100000).compute(L, p.x);
  ASSERT_EQ(gd.info(), Status::Success);
  EXPECT_LT(heavyBall.iterations(), gd.iterations());  // the point of momentum on κ ≫ 1
}

TEST(Momentum, DefaultsAndBetaZeroIsGradientDescent) {
  Momentum m;
  EXPECT_DOUBLE_EQ(m.stepSize(), 0.1);
  EXPECT_DOUBLE_EQ(m.beta(), 0.9);
  const Problem p = vectorProblem(Kind::CrossEntropy, 20, 4, 3);
  const Loss L(p);
  const VectorXd x0 = randomPoint(4, 1, 2.0);
  m.setBeta(0.0).setStepSize(0.3).setMaxIterations(25).setTolerance(0.0).compute(L, x0);
  GradientDescent gd;
  gd.setStepSize(0.3).setMaxIterations(25).setTolerance(0.0).compute(L, x0);
  EXPECT_TRUE(m.solution().isApprox(gd.solution(), 1e-14));
}

TEST(Solvers, NoConvergenceWithinTheBudget) {
  const Problem p = vectorProblem(Kind::Linear, 40, 5, 11);
  const Loss L(p);
  GradientDescent gd;
  gd.setStepSize(1e-3).setTolerance(1e-12).setMaxIterations(7).compute(L, p.x);
  EXPECT_EQ(gd.info(), Status::NoConvergence);
  EXPECT_EQ(gd.iterations(), 7);
  EXPECT_EQ(gd.trajectory().size(), 8u);
  // Zero steps allowed: only the start is reported.
  gd.setMaxIterations(0).compute(L, p.x);
  EXPECT_EQ(gd.info(), Status::NoConvergence);
  EXPECT_EQ(gd.iterations(), 0);
  ASSERT_EQ(gd.trajectory().size(), 1u);
  EXPECT_EQ(gd.solution(), p.x);
}

TEST(Solvers, AlreadyConvergedAtTheStart) {
  const Problem p = vectorProblem(Kind::Linear, 30, 4, 2);
  const Loss L(p);
  const VectorXd xStar = leastSquaresSolution(p);
  Newton newton;
  newton.setTolerance(1e-8).compute(L, xStar);
  EXPECT_EQ(newton.info(), Status::Success);
  EXPECT_EQ(newton.iterations(), 0);
  EXPECT_EQ(newton.trajectory().size(), 1u);
}

TEST(Solvers, RecordingOffKeepsNoTrajectory) {
  const Problem p = vectorProblem(Kind::CrossEntropy, 20, 4, 3, 0.1);
  const Loss L(p);
  Newton newton;
  newton.setRecordTrajectory(false).setTolerance(1e-10).compute(L, p.x);
  EXPECT_EQ(newton.info(), Status::Success);
  EXPECT_GT(newton.iterations(), 0);
  EXPECT_TRUE(newton.trajectory().empty());
  EXPECT_TRUE(newton.issue().empty());
  EXPECT_LE(newton.error(), 1e-10);
}

// [SECTION] Newton --------------------------------------------------------------------------

// The step is refined until ‖Hp + g‖ ≤ kRefinedResidual·‖g‖ (newton.hpp), so x lands within
// kRefinedResidual·‖g‖/λ_min(H) of the least-squares solution; in double, within rounding.
TEST(Newton, OneStepOnLeastSquares) {
  const Problem p = vectorProblem(Kind::Linear, 30, 4, 9, 0.5);
  const Loss L(p);
  const VectorXd x0 = randomPoint(4, 2, 5.0);
  const double lambdaMin = Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(L.hessian(x0)).eigenvalues()[0];
  const double refined = Newton::kRefinedResidual * L.gradient(x0).norm() / lambdaMin;
  for (bool mixed : {true, false}) {
    Newton newton;
    newton.setMixedPrecision(mixed).setTolerance(1e-9).compute(L, x0);
    EXPECT_EQ(newton.info(), Status::Success);
    EXPECT_EQ(newton.iterations(), 1);
    EXPECT_EQ(newton.lineSearchBacktracks(), 0);
    EXPECT_LT((newton.solution() - leastSquaresSolution(p)).norm(), mixed ? refined + 1e-12 : 1e-12);
  }
}

// Lesson 03's quadratic: ‖∇L(x₀)‖ ~ 1e2 against tol = 1e-10. The refined step's residual is the
// next gradient, so refinement must go below tol (not just 1e-10·‖g‖) for Newton's one step.
TEST(Newton, OneStepOnLeastSquaresAtATightTolerance) {
  const Problem p = vectorProblem(Kind::Linear, 64, 2, 1, 4.0);
  const Loss L(p);
  const VectorXd x0 = randomPoint(2, 3, 40.0);
  ASSERT_GT(L.gradient(x0).norm(), 1.0);
  for (bool mixed : {true, false}) {
    Newton newton;
    newton.setMixedPrecision(mixed).setTolerance(1e-10).compute(L, x0);
    EXPECT_EQ(newton.info(), Status::Success) << (mixed ? "mixed" : "double");
    EXPECT_EQ(newton.iterations(), 1) << (mixed ? "mixed" : "double");
    EXPECT_LE(newton.error(), 1e-10);
  }
}

// e_{k+1}/e_k² stays bounded while e_{k+1}/e_k → 0, on strongly convex problems (the ridge,
// or infoprompt's ‖diag(w)Ax‖² with A of full column rank, makes them so).
void expectQuadraticConvergence(const Problem& p, const VectorXd& x0, const char* name) {
  const Loss L(p);
  const VectorXd xStar = newtonMinimiser(L, x0);
  Newton newton;
  newton.setTolerance(1e-13).setMaxIterations(100).compute(L, x0);
  ASSERT_EQ(newton.info(), Status::Success) << name;
  expectConsistentTrajectory(newton, L, x0);
  const std::vector<double> e = errors(newton.trajectory(), xStar);
  // Only steps whose result is still well above rounding (‖x*‖·1e-13) say anything.
  const double floor = 1e-13 * (1.0 + xStar.norm());
  std::vector<double> linear, quadratic;
  for (std::size_t k = 0; k + 1 < e.size(); ++k)
    if (e[k + 1] > floor && e[k] < 0.5) {
      linear.push_back(e[k + 1] / e[k]);
      quadratic.push_back(e[k + 1] / (e[k] * e[k]));
    }
  std::printf("[ %s ] Newton errors:", name);
  for (double v : e) std::printf(" %.3g", v);
  std::printf("\n[ %s ] e_{k+1}/e_k:", name);
  for (double v : linear) std::printf(" %.3g", v);
  std::printf("\n[ %s ] e_{k+1}/e_k^2:", name);
  for (double v : quadratic) std::printf(" %.3g", v);
  std::printf("\n");
  ASSERT_GE(linear.size(), 2u) << name << ": too few steps in the quadratic region to observe it";
  for (double q : quadratic) EXPECT_LT(q, 50.0) << name;
  for (std::size_t k = 1; k < linear.size(); ++k) EXPECT_LT(linear[k], linear[k - 1]) << name;  // → 0
  EXPECT_LT(linear.back(), 1e-2) << name;
  EXPECT_EQ(newton.dampedSteps(), 0) << name;
}

TEST(Newton, QuadraticConvergenceCrossEntropy) {
  const Problem p = vectorProblem(Kind::CrossEntropy, 40, 5, 21, 0.05, 3.0);
  expectQuadraticConvergence(p, randomPoint(5, 22, 3.0), "cross_entropy l2=0.05");
}

TEST(Newton, QuadraticConvergenceInfoPrompt) {
  const Problem p = vectorProblem(Kind::InfoPrompt, 60, 6, 23, 0.0, 4.0, 0.3);
  expectQuadraticConvergence(p, randomPoint(6, 24, 2.0), "infoprompt w=0.3");
}

TEST(Newton, QuadraticConvergenceSoftmaxWithRidge) {
  const Problem p = vectorProblem(Kind::Softmax, 30, 4, 25, 0.1, 2.0);
  expectQuadraticConvergence(p, randomPoint(4, 26, 1.0), "softmax l2=0.1");
}

TEST(Newton, QuadraticConvergenceAttention) {
  const Problem p = attentionProblem(Kind::AttentionNormalized, 6, 2, 27, 0.05);
  expectQuadraticConvergence(p, randomPoint(4, 28, 1.0), "attention_normalized l2=0.05");
}

// Hessian reuse: the same minimiser, fewer Hessians than updates, and every update from a reused
// factor cut ‖∇L‖ to θ·‖∇L‖ or less (the test that admits it). Exact Newton is the default. Both
// with double Hessians, so that one Hessian per update is what exact Newton spends.
void expectReuseReachesTheSameMinimiser(const Problem& p, const VectorXd& x0, const char* name) {
  const Loss L(p);
  const VectorXd xStar = newtonMinimiser(L, x0);
  Newton exact;
  exact.setTolerance(1e-11).setMixedPrecision(false).compute(L, x0);
  EXPECT_FALSE(exact.hessianReuse());
  EXPECT_EQ(exact.hessianEvaluations(), exact.iterations()) << name;
  EXPECT_EQ(exact.reusedSteps(), 0) << name;

  WorkerPool pool(1);
  Newton chord;
  chord.setTolerance(1e-11).setMixedPrecision(false).setHessianReuse(true).setWorkerPool(&pool).compute(L, x0);
  ASSERT_EQ(chord.info(), Status::Success) << name;
  expectConsistentTrajectory(chord, L, x0);
  EXPECT_LT((chord.solution() - xStar).norm(), 1e-9 * (1.0 + xStar.norm())) << name;
  EXPECT_GT(chord.reusedSteps(), 0) << name;
  EXPECT_LT(chord.hessianEvaluations(), exact.hessianEvaluations()) << name;
  EXPECT_EQ(chord.hessianEvaluations() + chord.reusedSteps(), chord.iterations()) << name;
  std::printf("[ %s ] reuse: %d updates, %d Hessians (exact Newton: %d)\n", name, chord.iterations(),
              chord.hessianEvaluations(), exact.hessianEvaluations());
}

TEST(Newton, HessianReuseReachesTheSameMinimiserWithFewerHessians) {
  expectReuseReachesTheSameMinimiser(vectorProblem(Kind::InfoPrompt, 3000, 8, 23, 0.0, 4.0, 0.3),
                                     randomPoint(8, 24, 2.0), "infoprompt w=0.3");
  expectReuseReachesTheSameMinimiser(vectorProblem(Kind::CrossEntropy, 40, 5, 21, 0.05, 3.0),
                                     randomPoint(5, 22, 3.0), "cross_entropy l2=0.05");
}

TEST(Newton, RejectsAReuseContractionOutsideZeroOne) {
  const Loss L(vectorProblem(Kind::Softmax, 12, 3, 5, 0.1));
  for (double theta : {0.0, 1.0, -0.5, std::numeric_limits<double>::quiet_NaN()}) {
    Newton newton;
    newton.setHessianReuse(true).setReuseContraction(theta).compute(L, VectorXd::Zero(3));
    EXPECT_EQ(newton.info(), Status::InvalidInput) << theta;
  }
}

// Far out the softmax saturates, the Hessian is nearly its ridge and the full Newton step
// overshoots: the loss goes up along it, and only the line search brings Newton home.
TEST(Newton, ConvergesFromAFarStartThanksToTheLineSearch) {
  const Problem p = vectorProblem(Kind::CrossEntropy, 40, 5, 31, 0.01, 3.0);
  const Loss L(p);
  const VectorXd x0 = randomPoint(5, 32, 40.0);
  const VectorXd fullStep = -L.hessian(x0).llt().solve(L.gradient(x0));
  ASSERT_GT(L.value(x0 + fullStep), L.value(x0)) << "the start is not far enough to need the line search";

  Newton newton;
  newton.setTolerance(1e-10).setMaxIterations(200).compute(L, x0);
  ASSERT_EQ(newton.info(), Status::Success);
  EXPECT_GT(newton.lineSearchBacktracks(), 0);
  const VectorXd xStar = newtonMinimiser(L, VectorXd::Zero(5));
  EXPECT_LT((newton.solution() - xStar).norm(), 1e-8);
  for (std::size_t t = 1; t < newton.trajectory().size(); ++t)
    EXPECT_LE(newton.trajectory()[t].loss, newton.trajectory()[t - 1].loss * (1 + 1e-15));
}

// Without a ridge softmax regression is not convex: where the Hessian is indefinite Newton
// damps it (Levenberg–Marquardt) and still goes downhill.
TEST(Newton, DampsAnIndefiniteHessian) {
  const Problem p = vectorProblem(Kind::Softmax, 10, 3, 41, 0.0, 3.0);
  const Loss L(p);
  VectorXd x0;
  for (std::uint64_t seed = 1; seed < 200 && x0.size() == 0; ++seed) {
    const VectorXd x = randomPoint(3, seed, 3.0);
    if (Eigen::SelfAdjointEigenSolver<MatrixXd>(L.hessian(x)).eigenvalues().minCoeff() < -1e-3) x0 = x;
  }
  ASSERT_EQ(x0.size(), 3) << "no point with an indefinite Hessian found";
  Newton newton;
  newton.setDamping(1e-4).setTolerance(1e-9).setMaxIterations(500).compute(L, x0);
  EXPECT_NE(newton.info(), Status::NumericalIssue);
  EXPECT_GT(newton.dampedSteps(), 0);
  EXPECT_DOUBLE_EQ(newton.damping(), 1e-4);
  ASSERT_GE(newton.trajectory().size(), 2u);
  EXPECT_LT(newton.trajectory().back().loss, newton.trajectory().front().loss);
  for (std::size_t t = 1; t < newton.trajectory().size(); ++t)
    EXPECT_LE(newton.trajectory()[t].loss, newton.trajectory()[t - 1].loss * (1 + 1e-15));
}

TEST(DampedNewtonStep, PlainStepWhenPositiveDefiniteDescentOtherwise) {
  MatrixXd H(2, 2);
  H << 4, 1, 1, 3;
  const VectorXd g = VectorXd::Ones(2);
  MatrixXd work = H;
  double mu = -1;
  VectorXd p = detail::dampedNewtonStep(work, g, 1e-6, mu);
  EXPECT_EQ(mu, 0.0);
  EXPECT_TRUE(p.isApprox(-H.llt().solve(g), 1e-15));
  // The step came from a Cholesky factor, which the lower triangle of the matrix now holds.
  bool factored = false;
  work = H;
  detail::dampedNewtonStep(work, g, 1e-6, mu, &factored);
  EXPECT_TRUE(factored);
  EXPECT_TRUE(work.triangularView<Eigen::Lower>().toDenseMatrix().isApprox(MatrixXd(H.llt().matrixL()), 1e-15));

  H << 1, 0, 0, -2;  // indefinite: damping must exceed 2
  work = H;
  p = detail::dampedNewtonStep(work, g, 1e-3, mu);
  EXPECT_GT(mu, 2.0);
  EXPECT_LT(g.dot(p), 0.0);
  MatrixXd damped = H;
  damped.diagonal().array() += mu;
  EXPECT_TRUE(p.isApprox(-damped.llt().solve(g), 1e-14));
}

// [SECTION] approximate Newton -----------------------------------------------------------

struct ApproxSetting {
  Problem problem;
  VectorXd x0;
};

ApproxSetting approxProblem() {
  return {vectorProblem(Kind::InfoPrompt, 400, 5, 51, 0.0, 3.0, 0.3), randomPoint(5, 52, 1.5)};
}

TEST(ApproximateNewton, ConvergesLinearlyToTheSameMinimiser) {
  const ApproxSetting s = approxProblem();
  const Loss L(s.problem);
  const VectorXd xStar = newtonMinimiser(L, s.x0);
  ApproximateNewton approx;
  approx.setSeed(7).setTolerance(1e-11).setMaxIterations(500).compute(L, s.x0);
  ASSERT_EQ(approx.info(), Status::Success);
  EXPECT_LT((approx.solution() - xStar).norm(), 1e-8);
  expectConsistentTrajectory(approx, L, s.x0);
  // Automatic: max(32, ⌈4·5·ln 6⌉) = 36 of the 400 rows.
  EXPECT_EQ(approx.samples(), 36);
  ASSERT_TRUE(approx.hasEpsilon());
  // Linear: every late ratio below one, but they do not tend to zero as Newton's do.
  const std::vector<double> e = errors(approx.trajectory(), xStar);
  std::printf("[ approx-newton s=36 ] eps=%.3g errors:", approx.epsilon());
  for (double v : e) std::printf(" %.3g", v);
  std::printf("\n");
  Newton newton;
  newton.setTolerance(1e-11).compute(L, s.x0);
  EXPECT_GT(approx.iterations(), newton.iterations());
}

TEST(ApproximateNewton, DeterministicForASeed) {
  const ApproxSetting s = approxProblem();
  const Loss L(s.problem);
  auto run = [&](std::uint64_t seed) {
    ApproximateNewton a;
    a.setSeed(seed).setSamples(40).setTolerance(1e-10).compute(L, s.x0);
    return a;
  };
  const ApproximateNewton a = run(3), b = run(3), c = run(4);
  ASSERT_EQ(a.info(), Status::Success);
  ASSERT_EQ(a.trajectory().size(), b.trajectory().size());
  for (std::size_t t = 0; t < a.trajectory().size(); ++t) EXPECT_EQ(a.trajectory()[t].x, b.trajectory()[t].x);
  EXPECT_EQ(a.epsilon(), b.epsilon());
  // Another seed samples other rows: the path differs (the minimiser does not).
  ASSERT_GE(c.trajectory().size(), 2u);
  EXPECT_NE(a.trajectory()[1].x, c.trajectory()[1].x);
  EXPECT_LT((a.solution() - c.solution()).norm(), 1e-8);
}

TEST(ApproximateNewton, EpsilonShrinksWithMoreSamples) {
  const ApproxSetting s = approxProblem();
  const Loss L(s.problem);
  double previous = INFINITY;
  for (int samples : {20, 100, 390}) {
    ApproximateNewton a;
    a.setSeed(1).setSamples(samples).setTolerance(1e-10).compute(L, s.x0);
    ASSERT_EQ(a.info(), Status::Success) << samples;
    ASSERT_TRUE(a.hasEpsilon());
    std::printf("[ approx-newton s=%d ] eps=%.3g iterations=%d\n", samples, a.epsilon(), a.iterations());
    if (samples >= 100) {
      EXPECT_LT(a.epsilon(), 1.0) << samples;
    }
    EXPECT_LT(a.epsilon(), previous) << samples;
    previous = a.epsilon();
  }
}

TEST(ApproximateNewton, AllRowsIsExactNewton) {
  const ApproxSetting s = approxProblem();
  const Loss L(s.problem);
  ApproximateNewton a;
  a.setSamples(100000).setTolerance(1e-12).compute(L, s.x0);
  Newton newton;
  newton.setTolerance(1e-12).compute(L, s.x0);
  ASSERT_EQ(a.info(), Status::Success);
  EXPECT_EQ(a.samples(), 400);
  EXPECT_EQ(a.iterations(), newton.iterations());
  EXPECT_LT(a.epsilon(), 1e-12);
  for (std::size_t t = 0; t < a.trajectory().size(); ++t)
    EXPECT_LT((a.trajectory()[t].x - newton.trajectory()[t].x).norm(), 1e-10);
}

TEST(ApproximateNewton, UniformSamplingConvergesToo) {
  const ApproxSetting s = approxProblem();
  const Loss L(s.problem);
  const VectorXd xStar = newtonMinimiser(L, s.x0);
  ApproximateNewton a;
  a.setSampling(ApproximateNewton::Sampling::Uniform).setSamples(80).setSeed(2).setTolerance(1e-11);
  a.compute(L, s.x0);
  ASSERT_EQ(a.info(), Status::Success);
  EXPECT_LT((a.solution() - xStar).norm(), 1e-8);
}

TEST(ApproximateNewton, AttentionKind) {
  const Problem p = attentionProblem(Kind::AttentionRescaled, 6, 2, 61, 0.1);
  const Loss L(p);
  const VectorXd xStar = newtonMinimiser(L, p.x);
  ApproximateNewton a;
  a.setSamples(20).setSeed(5).setTolerance(1e-11).setMaxIterations(500).compute(L, p.x);
  ASSERT_EQ(a.info(), Status::Success);
  EXPECT_LT((a.solution() - xStar).norm(), 1e-8);
}

TEST(ApproximateNewton, NoEpsilonWhenNotMeasured) {
  const ApproxSetting s = approxProblem();
  const Loss L(s.problem);
  ApproximateNewton a;
  a.setMeasureEpsilon(false).setTolerance(1e-10).compute(L, s.x0);
  EXPECT_EQ(a.info(), Status::Success);
  EXPECT_FALSE(a.hasEpsilon());
}

// [SECTION] cancellation, invalid input, overflow ----------------------------------------

TEST(Solvers, CancelledBeforeStartDoesNoWork) {
  const Problem p = vectorProblem(Kind::CrossEntropy, 20, 4, 3, 0.1);
  const Loss L(p);
  Progress progress;
  progress.requestCancel();
  Newton newton;
  newton.setProgress(&progress).compute(L, p.x);
  EXPECT_EQ(newton.info(), Status::Cancelled);
  EXPECT_EQ(newton.iterations(), 0);
  EXPECT_TRUE(newton.trajectory().empty());
  GradientDescent gd;
  gd.setProgress(&progress).compute(L, p.x);
  EXPECT_EQ(gd.info(), Status::Cancelled);
  ApproximateNewton approx;
  approx.setProgress(&progress).compute(L, p.x);
  EXPECT_EQ(approx.info(), Status::Cancelled);
}

// A run that would never stop on its own (tol 0, a huge budget) is cancelled from another
// thread once it has made progress; it stops with Cancelled and a consistent trajectory.
template <class Solver>
void expectCancelWhileRunning(Solver& solver, const Loss& L, const VectorXd& x0) {
  Progress progress;
  solver.setProgress(&progress).setTolerance(0.0).setMaxIterations(10'000'000);
  std::thread worker([&] { solver.compute(L, x0); });
  while (progress.fraction() == 0.0) std::this_thread::yield();
  progress.requestCancel();
  worker.join();
  EXPECT_EQ(solver.info(), Status::Cancelled);
  EXPECT_GT(solver.iterations(), 0);
  EXPECT_EQ(solver.trajectory().size(), std::size_t(solver.iterations()) + 1);
  EXPECT_LT(solver.iterations(), 10'000'000);
}

TEST(Solvers, CancelledWhileRunning) {
  const Problem p = vectorProblem(Kind::Linear, 30, 4, 3);
  const Loss L(p);
  GradientDescent gd;
  gd.setStepSize(1e-6);
  expectCancelWhileRunning(gd, L, p.x);
  Momentum momentum;
  momentum.setStepSize(1e-6).setRecordTrajectory(true);
  expectCancelWhileRunning(momentum, L, p.x);
}

TEST(Solvers, ProgressReachesOneOnSuccess) {
  const Problem p = vectorProblem(Kind::CrossEntropy, 20, 4, 3, 0.1);
  const Loss L(p);
  Progress progress;
  Newton newton;
  newton.setProgress(&progress).setTolerance(1e-10).compute(L, p.x);
  EXPECT_EQ(newton.info(), Status::Success);
  EXPECT_EQ(progress.fraction(), 1.0);
}

TEST(Solvers, InvalidInputWithoutWork) {
  const Problem p = vectorProblem(Kind::Softmax, 10, 3, 1);
  const Loss L(p);
  const VectorXd x0 = VectorXd::Zero(3);
  auto expectInvalid = [&](auto& solver, const VectorXd& x, const char* what) {
    solver.compute(L, x);
    EXPECT_EQ(solver.info(), Status::InvalidInput) << what;
    EXPECT_EQ(solver.iterations(), 0) << what;
    EXPECT_TRUE(solver.trajectory().empty()) << what;
  };
  GradientDescent gd;
  gd.setTolerance(-1.0);
  expectInvalid(gd, x0, "tol < 0");
  gd.setTolerance(NAN);
  expectInvalid(gd, x0, "tol NaN");
  gd.setTolerance(1e-8).setStepSize(0.0);
  expectInvalid(gd, x0, "η = 0");
  gd.setStepSize(-0.1);
  expectInvalid(gd, x0, "η < 0");
  gd.setStepSize(0.1).setMaxIterations(-1);
  expectInvalid(gd, x0, "steps < 0");
  gd.setMaxIterations(10);
  expectInvalid(gd, VectorXd::Zero(4), "x0 of the wrong size");
  expectInvalid(gd, VectorXd::Constant(3, NAN), "x0 not finite");

  Momentum m;
  m.setBeta(1.0);
  expectInvalid(m, x0, "β = 1");
  m.setBeta(0.5).setStepSize(-1.0);
  expectInvalid(m, x0, "η < 0");

  Newton newton;
  newton.setDamping(0.0);
  expectInvalid(newton, x0, "μ₀ = 0");
  newton.setDamping(1e-6).setTolerance(-1e-3);
  expectInvalid(newton, x0, "tol < 0");
  newton.setTolerance(1e-8);
  expectInvalid(newton, VectorXd::Zero(2), "x0 of the wrong size");

  ApproximateNewton approx;
  approx.setSamples(-3);
  expectInvalid(approx, x0, "samples < 0");
}

// exp(Ax) beyond e^709 does not fit in a double: the loss throws OverflowError, which the
// solver reports as NumericalIssue with the finite part of the run kept.
TEST(Solvers, OverflowIsANumericalIssue) {
  Problem p = vectorProblem(Kind::Exp, 10, 2, 71);
  const Loss L(p);
  GradientDescent gd;
  gd.setStepSize(50.0).setTolerance(1e-12).setMaxIterations(100).compute(L, VectorXd::Constant(2, 1.0));
  EXPECT_EQ(gd.info(), Status::NumericalIssue);
  ASSERT_GE(gd.trajectory().size(), 1u);
  EXPECT_EQ(gd.trajectory().size(), std::size_t(gd.iterations()) + 1);
  EXPECT_TRUE(gd.solution().allFinite());
  EXPECT_EQ(gd.solution(), gd.trajectory().back().x);
  EXPECT_NE(gd.issue().find("row"), std::string::npos) << gd.issue();  // says where

  // A start that overflows already: nothing to report but the status.
  Newton newton;
  newton.compute(L, VectorXd::Constant(2, 2000.0));
  EXPECT_EQ(newton.info(), Status::NumericalIssue);
  EXPECT_EQ(newton.iterations(), 0);
  EXPECT_TRUE(newton.trajectory().empty());
  EXPECT_FALSE(newton.issue().empty());
}

// Newton's line search treats an overflowing trial point as too far and backtracks.
TEST(Newton, BacktracksFromOverflowingTrialPoints) {
  const Problem p = vectorProblem(Kind::Exp, 20, 3, 72, 1e-3, 2.0);
  const Loss L(p);
  Newton newton;
  newton.setTolerance(1e-9).setMaxIterations(200).compute(L, randomPoint(3, 73, 6.0));
  EXPECT_EQ(newton.info(), Status::Success);
}

}  // namespace
}  // namespace attnlab
