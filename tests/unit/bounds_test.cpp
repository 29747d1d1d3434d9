// [SECTION] references: quad-precision δb, long-double bounds
// [SECTION] the prediction shift: accuracy at tiny steps and beyond logit 709
// [SECTION] the bounds hold over 1,000+ random instances
// [SECTION] logs at R = 20 and logits beyond 709
// [SECTION] the data shift: ∇_A L, gd, lsa, random
// [SECTION] the run: steps, R, zero steps, new targets, cancellation, errors
// [SECTION] slack sweeps and params
//
// The references are independent of the code under test: δb from the textbook formula
// α'⁻¹u' − α⁻¹u evaluated in __float128 (113-bit mantissa, so f(z') − f(z) at a 1e-9 step keeps
// ~20 digits even at z ≈ 750), and every log10 bound from its formula in long double, whose
// range (to 1e4932) holds e^{2R²} at R = 30 outright.
#include <gtest/gtest.h>

#include <cmath>
#include <iostream>
#include <limits>
#include <vector>

#include "core/bounds/bounds_lab.hpp"
#include "core/bounds/data_shift.hpp"
#include "core/bounds/prediction_shift.hpp"
#include "core/bounds/shift_bounds.hpp"
#include "core/bounds/slack_sweep.hpp"
#include "core/bounds/spectral_norm.hpp"
#include "core/errors.hpp"
#include "core/jobs/worker_pool.hpp"
#include "core/random.hpp"
#include "core/regression/loss.hpp"

namespace attnlab {
namespace {

using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;

// [SECTION] references: quad-precision δb, long-double bounds ----------------------------

__extension__ typedef __float128 Quad;

// e^x in quad: e^k by binary powers of e (itself a Taylor sum) times a Taylor sum for the
// remainder r = x − k, |r| ≤ ½. Relative error ~1e-31 for |x| ≤ 1000, far below what is tested.
Quad expQuad(Quad x) {
  const auto taylor = [](Quad r) {
    Quad term = 1, sum = 1;
    for (int k = 1; k < 45; ++k) {
      term *= r / k;
      sum += term;
    }
    return sum;
  };
  const double kd = std::nearbyint(static_cast<double>(x));
  const Quad r = x - Quad(kd);
  long long k = static_cast<long long>(kd);
  const bool negative = k < 0;
  if (negative) k = -k;
  Quad base = taylor(1), power = 1;
  for (; k > 0; k >>= 1, base *= base)
    if (k & 1) power *= base;
  return (negative ? Quad(1) / power : power) * taylor(r);
}

struct QuadShift {
  VectorXd deltaB, deltaB1, deltaB2;  // rounded to double only at the end
};

// δb = α'⁻¹u' − α⁻¹u, δb,1 = (α'⁻¹ − α⁻¹)u', δb,2 = α⁻¹(u' − u), straight from 000 Def 5.3.
QuadShift quadShift(const std::vector<Quad>& z, const std::vector<Quad>& zNext) {
  const std::size_t n = z.size();
  std::vector<Quad> u(n), v(n);
  Quad alpha = 0, alphaNext = 0;
  for (std::size_t i = 0; i < n; ++i) {
    u[i] = expQuad(z[i]);
    v[i] = expQuad(zNext[i]);
    alpha += u[i];
    alphaNext += v[i];
  }
  QuadShift s{VectorXd(n), VectorXd(n), VectorXd(n)};
  for (std::size_t i = 0; i < n; ++i) {
    const auto k = static_cast<Index>(i);
    s.deltaB[k] = static_cast<double>(v[i] / alphaNext - u[i] / alpha);
    s.deltaB1[k] = static_cast<double>((1 / alphaNext - 1 / alpha) * v[i]);
    s.deltaB2[k] = static_cast<double>((v[i] - u[i]) / alpha);
  }
  return s;
}

// Ax with every product exact (53 + 53 bits < 113) and the sums rounded at ~1e-34.
std::vector<Quad> quadLogits(const MatrixXd& A, const VectorXd& x) {
  std::vector<Quad> z(static_cast<std::size_t>(A.rows()), Quad(0));
  for (Index i = 0; i < A.rows(); ++i)
    for (Index j = 0; j < A.cols(); ++j) z[static_cast<std::size_t>(i)] += Quad(A(i, j)) * Quad(x[j]);
  return z;
}

std::vector<Quad> quadSum(const VectorXd& z, const VectorXd& dz) {
  std::vector<Quad> out(static_cast<std::size_t>(z.size()));
  for (Index i = 0; i < z.size(); ++i) out[static_cast<std::size_t>(i)] = Quad(z[i]) + Quad(dz[i]);
  return out;
}

double relativeError(const VectorXd& approx, const VectorXd& exact) {
  const double scale = exact.stableNorm();
  return (approx - exact).stableNorm() / (scale > 0 ? scale : 1.0);
}

// Natural log of α = Σ e^{z_i} in long double (no shift needed: e^{800} fits).
long double logAlphaLong(const std::vector<Quad>& z) {
  long double alpha = 0;
  for (const Quad& zi : z) alpha += std::exp(static_cast<long double>(zi));
  return std::log(alpha);
}

// The four log10 bounds from their statements, in long double.
struct LongBounds {
  long double part1, part2, lemma, theorem;
};

LongBounds longBounds(long double beta, long double n, long double R, long double step, bool weightShift) {
  const long double e2 = std::exp(2 * R * R), e1 = std::exp(R * R), M = std::pow(n, 1.5L) * std::exp(10 * R * R);
  return {std::log10(2 / (beta * beta) * std::pow(n, 1.5L) * R * e2 * step),
          std::log10(2 / beta * std::sqrt(n) * R * e1 * step),
          std::log10(4 / (beta * beta) * std::pow(n, 1.5L) * R * e2 * step),
          std::log10(M * (weightShift ? step * step : step))};
}

// [SECTION] test instances ------------------------------------------------------------------

MatrixXd gaussian(Index rows, Index cols, Random& rng) {
  MatrixXd m(rows, cols);
  for (Index i = 0; i < rows; ++i)
    for (Index j = 0; j < cols; ++j) m(i, j) = rng.normal();
  return m;
}

VectorXd probability(Index n, Random& rng) {
  VectorXd p(n);
  for (Index i = 0; i < n; ++i) p[i] = 0.05 + rng.uniform();
  return p / p.sum();
}

double logUniform(Random& rng, double lo10, double hi10) { return std::pow(10.0, lo10 + (hi10 - lo10) * rng.uniform()); }

// A vector-kind problem with ‖A‖ = normA exactly and ‖x‖ = normX.
Problem makeProblem(Kind kind, Index n, Index d, double normA, double normX, Random& rng) {
  Problem p;
  p.kind = kind;
  p.A = gaussian(n, d, rng);
  p.A *= normA / spectralNorm(p.A);
  const VectorXd g = gaussian(d, 1, rng).col(0);
  p.x = (normX / g.norm()) * g;
  p.b = kind == Kind::Linear ? VectorXd(gaussian(n, 1, rng).col(0)) : probability(n, rng);
  p.w = VectorXd::Constant(n, 0.3);
  p.l2 = rng.uniform() < 0.5 ? 0.0 : 0.1;
  return p;
}

BoundsResult run(const Problem& p, const BoundsParams& params) {
  Progress progress;
  return runBounds(p, params, progress);
}

BoundsParams weightShift(double lr, long long steps) {
  BoundsParams b;
  b.shift = Shift::Weight;
  b.lr = lr;
  b.steps = steps;
  return b;
}

BoundsParams dataShift(AttentionUpdate update, double size, long long steps, std::uint64_t seed = 3) {
  BoundsParams b;
  b.shift = Shift::Data;
  b.update = update;
  b.lr = size;
  b.scale = size;
  b.steps = steps;
  b.seed = seed;
  return b;
}

// [SECTION] the prediction shift: accuracy at tiny steps and beyond logit 709 ----------------

TEST(PredictionShift, MatchesQuadReferenceOverRandomSteps) {
  Random rng(11);
  for (int trial = 0; trial < 1000; ++trial) {
    const Index n = 2 + static_cast<Index>(rng.below(30));
    // Logits up to ±800 (beyond 709 in a third of the trials), steps from 1e-12 to 1.
    const double level = trial % 3 == 0 ? 720.0 + 80.0 * rng.uniform() : 0.0;
    const VectorXd z = (gaussian(n, 1, rng).col(0) * logUniform(rng, -1, 1.5)).array() + level;
    const VectorXd dz = gaussian(n, 1, rng).col(0) * logUniform(rng, -12, 0);
    const PredictionShift s = measurePredictionShift(z, dz);
    const QuadShift ref = quadShift(quadSum(z, VectorXd::Zero(n)), quadSum(z, dz));
    // 1e-30: the reference's own resolution of f' − f (quad rounds f ≈ 1 at ~1e-34 per
    // operation); it matters only when f is one-hot to 1e-15 and the step is below 1e-9.
    const auto close = [](const VectorXd& got, const VectorXd& want) {
      return (got - want).stableNorm() <= 1e-10 * want.stableNorm() + 1e-30;
    };
    ASSERT_TRUE(close(s.deltaB, ref.deltaB)) << "trial " << trial << ": " << relativeError(s.deltaB, ref.deltaB);
    ASSERT_TRUE(close(s.deltaB1, ref.deltaB1)) << "trial " << trial << ": " << relativeError(s.deltaB1, ref.deltaB1);
    ASSERT_TRUE(close(s.deltaB2, ref.deltaB2)) << "trial " << trial << ": " << relativeError(s.deltaB2, ref.deltaB2);
    // δb = δb,1 + δb,2 (000 Lemma 5.4) to rounding.
    ASSERT_LE((s.deltaB - s.deltaB1 - s.deltaB2).norm(), 1e-13 * (s.deltaB1.norm() + s.deltaB2.norm()) + 1e-300);
  }
}

TEST(PredictionShift, TinyStepBeyondLogit709KeepsItsDigits) {
  Random rng(5);
  const Index n = 12;
  const VectorXd z = (gaussian(n, 1, rng).col(0) * 3.0).array() + 745.0;
  const VectorXd dz = gaussian(n, 1, rng).col(0) * 1e-9;
  const PredictionShift s = measurePredictionShift(z, dz);
  const QuadShift ref = quadShift(quadSum(z, VectorXd::Zero(n)), quadSum(z, dz));
  EXPECT_LE(relativeError(s.deltaB, ref.deltaB), 1e-8);
  EXPECT_LE(relativeError(s.deltaB1, ref.deltaB1), 1e-8);
  EXPECT_LE(relativeError(s.deltaB2, ref.deltaB2), 1e-8);
  EXPECT_TRUE(std::isfinite(s.logAlpha) && std::isfinite(s.logAlphaNext));
  EXPECT_GT(s.logAlpha, 709.0);
  // What the naive double formula gives, for the record: f(z') − f(z) loses digits here.
  const auto softmax = [](const VectorXd& v) { VectorXd e = (v.array() - v.maxCoeff()).exp(); return VectorXd(e / e.sum()); };
  EXPECT_GT(relativeError(softmax(z + dz) - softmax(z), ref.deltaB), 1e-8);
}

TEST(PredictionShift, ScaledExpm1NeitherCancelsNorUnderflowsAlone) {
  EXPECT_DOUBLE_EQ(scaledExpm1(0.0, 1e-12), std::expm1(1e-12));
  // e^{-800} underflows alone, e^{-800 + 801} does not.
  EXPECT_NEAR(scaledExpm1(-800.0, 801.0), std::exp(1.0), 1e-15);
  EXPECT_NEAR(scaledExpm1(std::log(0.25), -3.0), 0.25 * std::expm1(-3.0), 1e-16);
}

TEST(PredictionShift, ZeroStepIsExactlyZero) {
  const VectorXd z = VectorXd::LinSpaced(5, -3.0, 750.0);
  const PredictionShift s = measurePredictionShift(z, VectorXd::Zero(5));
  EXPECT_EQ(s.deltaB.norm(), 0.0);
  EXPECT_EQ(s.deltaB1.norm(), 0.0);
  EXPECT_EQ(s.deltaB2.norm(), 0.0);
  EXPECT_EQ(s.logAlpha, s.logAlphaNext);
}

// [SECTION] tiny steps through the whole run ------------------------------------------------

TEST(Bounds, TinyWeightStepMatchesQuadReference) {
  Random rng(21);
  for (const double level : {0.0, 740.0}) {
    Problem p = makeProblem(Kind::Softmax, 9, 3, 2.0, 1.0, rng);
    if (level > 0) {  // every logit near x₀ = level
      p.A.col(0).setOnes();
      p.x[0] = level;
    }
    const Loss loss(p);
    const VectorXd g = loss.gradient(p.x);
    const double lr = 1e-9 / g.norm();  // ‖Δx‖ = 1e-9
    const BoundsResult r = run(p, weightShift(lr, 1));
    ASSERT_EQ(r.steps.size(), 1u);
    const VectorXd next = p.x - lr * loss.gradient(p.x);  // the run's own iterate, bit for bit
    const QuadShift ref = quadShift(quadLogits(p.A, p.x), quadLogits(p.A, next));
    const StepBounds& s = r.steps[0];
    EXPECT_NEAR(s.stepNorm, 1e-9, 1e-12);  // x₁ is rounded at |x| ≈ 740: ‖Δx‖ to ~1e-4
    EXPECT_LE(std::abs(s.dbNorm - ref.deltaB.norm()) / ref.deltaB.norm(), 1e-8) << "level " << level;
    EXPECT_LE(std::abs(s.db1Norm - ref.deltaB1.norm()) / ref.deltaB1.norm(), 1e-8) << "level " << level;
    EXPECT_LE(std::abs(s.db2Norm - ref.deltaB2.norm()) / ref.deltaB2.norm(), 1e-8) << "level " << level;
    const long double logBeta = std::min(logAlphaLong(quadLogits(p.A, p.x)), logAlphaLong(quadLogits(p.A, next)));
    EXPECT_NEAR(s.log10Beta(), static_cast<double>(logBeta / std::log(10.0L)), 1e-12 * (1 + std::abs(s.log10Beta())));
  }
}

TEST(Bounds, TinyRandomDataStepMatchesQuadReference) {
  Random rng(22);
  Problem p = makeProblem(Kind::CrossEntropy, 14, 5, 2.0, 1.0, rng);
  p.A.col(0).setConstant(30.0);  // with x₀ = 25: every logit near 750, none dominant
  p.x[0] = 25.0;
  const BoundsParams params = dataShift(AttentionUpdate::Random, 1e-9, 1, 8);
  const BoundsResult r = run(p, params);
  DataShiftUpdate update(p, params);
  const MatrixXd next = p.A + update.increment(p.A);
  const QuadShift ref = quadShift(quadLogits(p.A, p.x), quadLogits(next, p.x));
  const StepBounds& s = r.steps[0];
  EXPECT_GT((p.A * p.x).maxCoeff(), 709.0);
  EXPECT_NEAR(s.stepNorm, 1e-9, 1e-14);  // A₁ is rounded at |A| ≈ 30
  EXPECT_LE(std::abs(s.dbNorm - ref.deltaB.norm()) / ref.deltaB.norm(), 1e-8);
  EXPECT_LE(std::abs(s.db1Norm - ref.deltaB1.norm()) / ref.deltaB1.norm(), 1e-8);
  EXPECT_LE(std::abs(s.db2Norm - ref.deltaB2.norm()) / ref.deltaB2.norm(), 1e-8);
  EXPECT_FALSE(s.beta().has_value());  // α beyond e^709
}

// [SECTION] the bounds hold over 1,000+ random instances ------------------------------------

struct SlackRecord {
  double part1 = INFINITY, part2 = INFINITY, lemma = INFINITY, theorem = INFINITY, sharp = INFINITY;
  long long stepsChecked = 0;
  void add(const BoundSlack& s) {
    const auto keep = [](double& m, double v) { if (!std::isnan(v)) m = std::min(m, v); };
    keep(part1, s.part1);
    keep(part2, s.part2);
    keep(lemma, s.lemma);
    keep(theorem, s.theorem);
    keep(sharp, s.sharp);
    ++stepsChecked;
  }
};

// One random instance: kind, n, d, ‖A‖, ‖x‖, shift, update, step size, T and (sometimes) R vary.
struct Instance {
  Problem problem;
  BoundsParams params;
};

Instance randomInstance(Random& rng) {
  static const Kind kinds[] = {Kind::Softmax, Kind::CrossEntropy, Kind::InfoPrompt, Kind::Linear, Kind::Exp,
                               Kind::Rescaled};
  const Kind kind = kinds[rng.below(6)];
  const bool expKind = kind == Kind::Exp || kind == Kind::Rescaled;
  const Index n = 2 + static_cast<Index>(rng.below(40));
  const Index d = 1 + static_cast<Index>(rng.below(8));
  const double scale = expKind ? 0.5 + 1.5 * rng.uniform() : 1.0 + 19.0 * rng.uniform();  // up to R = 20
  Instance in{makeProblem(kind, n, d, scale * (0.3 + 0.7 * rng.uniform()), scale * rng.uniform(), rng), {}};
  const long long steps = 1 + static_cast<long long>(rng.below(3));
  const double size = logUniform(rng, -9, expKind ? -2 : 0);
  switch (rng.below(4)) {
    case 0: in.params = weightShift(size, steps); break;
    case 1: in.params = dataShift(AttentionUpdate::Gradient, size, steps, rng.nextU64()); break;
    case 2: in.params = dataShift(AttentionUpdate::LinearSelfAttention, size / 10, steps, rng.nextU64()); break;
    default: in.params = dataShift(AttentionUpdate::Random, size, steps, rng.nextU64()); break;
  }
  if (rng.uniform() < 0.25) in.params.R = 2.0 + 20.0 * rng.uniform();  // hypotheses may fail
  return in;
}

TEST(Bounds, HoldWheneverTheHypothesesHoldOverRandomInstances) {
  Random rng(2024);
  SlackRecord record;
  int instances = 0, overflowed = 0, withHypotheses = 0, failingHypotheses = 0;
  constexpr double kRounding = 1e-9;  // log10 units
  for (; instances < 1200; ++instances) {
    const Instance in = randomInstance(rng);
    BoundsResult r;
    try {
      r = run(in.problem, in.params);
    } catch (const OverflowError&) {
      ++overflowed;  // exp kinds stepping far: the run names the quantity instead of printing inf
      continue;
    }
    ASSERT_EQ(r.steps.size(), static_cast<std::size_t>(in.params.steps));
    for (const StepBounds& s : r.steps) {
      for (double v : {s.log10Part1, s.log10Part2, s.log10Lemma, s.log10Theorem, s.log10Beta(), s.sharp})
        ASSERT_TRUE(std::isfinite(v)) << "instance " << instances;
      const BoundSlack slack = slackOf(s);
      // The sharp bound needs no hypothesis: ‖J‖ ≤ ½ along the whole segment.
      if (!std::isnan(slack.sharp)) {
        ASSERT_GE(slack.sharp, -kRounding) << "instance " << instances;
      }
      if (!s.hypotheses.all()) {
        ++failingHypotheses;
        continue;
      }
      ++withHypotheses;
      for (double v : {slack.part1, slack.part2, slack.lemma, slack.theorem}) {
        if (!std::isnan(v)) {
          ASSERT_GE(v, -kRounding) << "instance " << instances << ", step " << s.t;
        }
      }
      record.add(slack);
    }
  }
  EXPECT_LE(overflowed, instances / 10);
  EXPECT_GE(withHypotheses, 500);
  EXPECT_GE(failingHypotheses, 100);
  std::cout << instances << " instances (" << overflowed << " overflowed), " << withHypotheses << " steps with the hypotheses, "
            << failingHypotheses << " without; smallest slack (orders of magnitude) with them: part1 " << record.part1 << ", part2 " << record.part2 << ", lemma "
            << record.lemma << ", theorem " << record.theorem << ", sharp " << record.sharp << '\n';
  RecordProperty("min_slack_part1", std::to_string(record.part1));
  RecordProperty("min_slack_part2", std::to_string(record.part2));
  RecordProperty("min_slack_lemma", std::to_string(record.lemma));
  RecordProperty("min_slack_theorem", std::to_string(record.theorem));
  RecordProperty("min_slack_sharp", std::to_string(record.sharp));
}

// [SECTION] logs at R = 20 and logits beyond 709 ---------------------------------------------

// Every log10 field of the run's one step against long double, recomputing β from quad logits.
void expectLogsMatchLongDouble(const Problem& p, const BoundsParams& params, const MatrixXd& nextA,
                               const VectorXd& nextX) {
  const BoundsResult r = run(p, params);
  const StepBounds& s = r.steps[0];
  const std::vector<Quad> z = quadLogits(p.A, p.x), zNext = quadLogits(nextA, nextX);
  const long double beta = std::exp(std::min(logAlphaLong(z), logAlphaLong(zNext)));
  const bool weight = params.shift == Shift::Weight;
  const long double step = weight ? (nextX - p.x).norm() : spectralNorm(nextA - p.A);
  const LongBounds ref = longBounds(beta, r.n, r.R, step, weight);
  const auto near = [](double got, long double want) { EXPECT_NEAR(got, static_cast<double>(want), 1e-12 * (1 + std::abs(got))); };
  near(s.log10Beta(), std::log10(beta));
  near(s.log10Part1, ref.part1);
  near(s.log10Part2, ref.part2);
  near(s.log10Lemma, ref.lemma);
  near(s.log10Theorem, ref.theorem);
  for (double v : {s.log10Part1, s.log10Part2, s.log10Lemma, s.log10Theorem, s.log10Beta()}) EXPECT_TRUE(std::isfinite(v));
}

TEST(Bounds, LogsFiniteAndCorrectAtR20) {
  Random rng(31);
  const Problem p = makeProblem(Kind::Softmax, 20, 4, 20.0, 20.0, rng);
  const BoundsParams params = weightShift(1e-4, 1);
  const VectorXd next = p.x - params.lr * Loss(p).gradient(p.x);
  const BoundsResult r = run(p, params);
  EXPECT_NEAR(r.R, 20.0, 1e-2);  // max(4, ‖A‖, ‖x₀‖, ‖x₁‖)
  EXPECT_GT(r.steps[0].log10Theorem, 1700.0);  // e^{4000}: far beyond double
  expectLogsMatchLongDouble(p, params, p.A, next);
}

TEST(Bounds, LogsFiniteAndCorrectWithLogitsBeyond709) {
  // Row 0 of A is 30·e₁ and x = 25·e₁ (+ a little): logit 750, α ≈ e^{750}, R = 30.
  Random rng(32);
  Problem p = makeProblem(Kind::InfoPrompt, 6, 3, 1.0, 1.0, rng);
  p.A.row(0) << 30.0, 0.0, 0.0;
  p.x << 25.0, 0.1, -0.2;
  for (const BoundsParams& params : {weightShift(1e-6, 1), dataShift(AttentionUpdate::Random, 1e-6, 1, 4)}) {
    MatrixXd nextA = p.A;
    VectorXd nextX = p.x;
    if (params.shift == Shift::Weight)
      nextX = p.x - params.lr * Loss(p).gradient(p.x);
    else
      nextA = p.A + DataShiftUpdate(p, params).increment(p.A);
    const BoundsResult r = run(p, params);
    EXPECT_GT(r.steps[0].log10Beta(), 709.0 / std::log(10.0));
    EXPECT_FALSE(r.steps[0].beta().has_value());
    expectLogsMatchLongDouble(p, params, nextA, nextX);
  }
}

// [SECTION] the data shift: ∇_A L, gd, lsa, random -------------------------------------------

// ∇_A L against fourth-order central differences of the regression core's L(A).
TEST(DataShift, GradientInAMatchesFiniteDifferencesForEveryVectorKind) {
  for (const Kind kind : {Kind::Linear, Kind::Exp, Kind::Softmax, Kind::Rescaled, Kind::CrossEntropy, Kind::InfoPrompt}) {
    for (const double level : {0.0, 740.0}) {
      if (level > 0 && (kind == Kind::Exp || kind == Kind::Rescaled || kind == Kind::Linear)) continue;
      Random rng(40 + static_cast<std::uint64_t>(kind));
      Problem p = makeProblem(kind, 5, 3, 1.2, 1.0, rng);
      p.l2 = 0.3;
      if (level > 0) {  // every logit near 740, the largest separated by O(1)
        p.A.col(0).setConstant(1.0);
        p.x[0] = level;
      }
      const MatrixXd G = dataGradient(p);
      MatrixXd fd(p.A.rows(), p.A.cols());
      const double h = 1e-3 / std::max(1.0, p.x.cwiseAbs().maxCoeff());
      for (Index i = 0; i < p.A.rows(); ++i)
        for (Index j = 0; j < p.A.cols(); ++j) {
          const auto L = [&](double t) {
            Problem q = p;
            q.A(i, j) += t;
            return Loss(q).value(q.x);
          };
          fd(i, j) = (-L(2 * h) + 8 * L(h) - 8 * L(-h) + L(-2 * h)) / (12 * h);
        }
      const double scale = std::max(G.cwiseAbs().maxCoeff(), 1e-3);
      EXPECT_LE((G - fd).cwiseAbs().maxCoeff() / scale, 1e-6) << kindName(kind) << " at level " << level;
      // And the chain rule back to x: Aᵀ∇_zℓ + λx is the regression core's ∇_x L.
      const VectorXd gx = p.A.transpose() * logitGradient(p, p.A * p.x) + p.l2 * p.x;
      const VectorXd core = Loss(p).gradient(p.x);
      EXPECT_LE((gx - core).norm(), 1e-10 * std::max(1.0, core.norm())) << kindName(kind);
    }
  }
}

TEST(DataShift, LogitGradientOverflowIsNamed) {
  Problem p;
  p.kind = Kind::Exp;
  p.A = MatrixXd::Constant(1, 1, 1000.0);
  p.b = VectorXd::Ones(1);
  p.x = VectorXd::Ones(1);
  EXPECT_THROW(dataGradient(p), OverflowError);
  p.kind = Kind::AttentionNormalized;
  EXPECT_THROW(logitGradient(p, p.A * p.x), InputError);
}

TEST(DataShift, GdMovesAByMinusEtaGradient) {
  Random rng(50);
  const Problem p = makeProblem(Kind::Softmax, 8, 3, 3.0, 2.0, rng);
  const BoundsParams params = dataShift(AttentionUpdate::Gradient, 0.05, 1);
  DataShiftUpdate update(p, params);
  const MatrixXd G = dataGradient(p);
  EXPECT_LE((update.increment(p.A) + 0.05 * G).cwiseAbs().maxCoeff(), 1e-15);
  // ∇_A L = g xᵀ has rank one, so the run's spectral step norm is η‖g‖‖x‖.
  const VectorXd g = logitGradient(p, p.A * p.x);
  const BoundsResult r = run(p, params);
  EXPECT_NEAR(r.steps[0].stepNorm, 0.05 * g.norm() * p.x.norm(), 1e-12 * r.steps[0].stepNorm);
}

TEST(DataShift, LsaIsOneLinearSelfAttentionLayer) {
  Random rng(51);
  const Problem p = makeProblem(Kind::Softmax, 7, 4, 3.0, 1.0, rng);
  const BoundsParams params = dataShift(AttentionUpdate::LinearSelfAttention, 0.2, 2, 77);
  // The documented draw: W_Q, W_K, W_V, each d×d row by row, entries N(0, 1/d), from the seed.
  Random draw(77);
  MatrixXd W[3];
  for (MatrixXd& w : W) w = gaussian(4, 4, draw) / 2.0;
  const MatrixXd &WQ = W[0], &WK = W[1], &WV = W[2];
  // The layer with the n×n attention matrix written out: (A W_V)(A W_K)ᵀ(A W_Q) / n.
  const auto layer = [&](const MatrixXd& A) {
    const MatrixXd scores = (A * WV) * (A * WK).transpose();
    return MatrixXd(0.2 * scores * (A * WQ) / 7.0);
  };
  DataShiftUpdate update(p, params);
  const MatrixXd A1 = p.A + update.increment(p.A);
  EXPECT_LE((A1 - p.A - layer(p.A)).cwiseAbs().maxCoeff(), 1e-13 * std::max(1.0, layer(p.A).cwiseAbs().maxCoeff()));
  const MatrixXd A2 = A1 + update.increment(A1);  // the same layer again
  EXPECT_LE((A2 - A1 - layer(A1)).cwiseAbs().maxCoeff(), 1e-13 * std::max(1.0, layer(A1).cwiseAbs().maxCoeff()));
  const BoundsResult r = run(p, params);
  EXPECT_NEAR(r.steps[1].stepNorm, spectralNorm(A2 - A1), 1e-13);
}

TEST(DataShift, LsaWeightsHaveVarianceOneOverD) {
  Random rng(52);
  const LsaWeights w = drawLsaWeights(200, rng);
  for (const MatrixXd* m : {&w.WQ, &w.WK, &w.WV}) {
    const double variance = m->squaredNorm() / static_cast<double>(m->size());
    EXPECT_NEAR(variance * 200.0, 1.0, 0.02);
  }
}

TEST(DataShift, RandomStepsHaveSpectralNormSAndAreFreshEachStep) {
  Random rng(53);
  const Problem p = makeProblem(Kind::Softmax, 9, 3, 3.0, 1.0, rng);
  const BoundsParams params = dataShift(AttentionUpdate::Random, 0.003, 3, 9);
  DataShiftUpdate update(p, params);
  const MatrixXd d1 = update.increment(p.A), d2 = update.increment(p.A);
  EXPECT_NEAR(spectralNorm(d1), 0.003, 1e-15);
  EXPECT_NEAR(spectralNorm(d2), 0.003, 1e-15);
  EXPECT_GT((d1 - d2).norm(), 1e-3);
  // The documented draw: G n×d, row by row, standard normal.
  Random draw(9);
  const MatrixXd G = gaussian(9, 3, draw);
  EXPECT_LE((d1 - 0.003 * G / spectralNorm(G)).cwiseAbs().maxCoeff(), 1e-17);
  const BoundsResult r = run(p, params);
  for (const StepBounds& s : r.steps) EXPECT_NEAR(s.stepNorm, 0.003, 1e-14);
  const BoundsResult again = run(p, params);  // a seed gives the same run
  EXPECT_EQ(again.steps[2].dbNorm, r.steps[2].dbNorm);
}

TEST(SpectralNorm, MatchesSvdAtEveryScale) {
  Random rng(54);
  for (const double scale : {1e-200, 1e-9, 1.0, 1e200}) {
    const MatrixXd M = gaussian(6, 4, rng) * scale;
    const double svd = (M / scale).jacobiSvd().singularValues()(0) * scale;
    EXPECT_NEAR(spectralNorm(M) / svd, 1.0, 1e-13);
    EXPECT_NEAR(spectralNorm(M.transpose()) / svd, 1.0, 1e-13);
  }
  EXPECT_EQ(spectralNorm(MatrixXd::Zero(3, 2)), 0.0);
}

// [SECTION] the run: steps, R, zero steps, new targets, cancellation, errors -----------------

TEST(Bounds, RDefaultsToTheLargestNormOfTheRunAndCanBeOverridden) {
  Random rng(60);
  const Problem p = makeProblem(Kind::Linear, 10, 3, 5.0, 1.0, rng);
  const BoundsParams params = weightShift(0.05, 4);
  const BoundsResult r = run(p, params);
  ASSERT_EQ(r.steps.size(), 4u);
  double maxNorm = std::max(4.0, spectralNorm(p.A));
  VectorXd x = p.x;
  const Loss loss(p);
  for (int t = 0; t <= 4; ++t) {
    maxNorm = std::max(maxNorm, x.norm());
    x = x - 0.05 * loss.gradient(x);
  }
  EXPECT_NEAR(r.R, maxNorm, 1e-12 * maxNorm);
  for (const StepBounds& s : r.steps) {
    EXPECT_TRUE(s.hypotheses.RAtLeast4 && s.hypotheses.ANormAtMostR && s.hypotheses.xNormAtMostR);
    EXPECT_EQ(s.hypotheses.smallStep, s.logitShiftInf < 0.01);
  }
  BoundsParams small = params;
  small.R = 3.0;
  const BoundsResult overridden = run(p, small);
  EXPECT_EQ(overridden.R, 3.0);
  EXPECT_FALSE(overridden.steps[0].hypotheses.RAtLeast4);
  EXPECT_FALSE(overridden.steps[0].hypotheses.ANormAtMostR);  // ‖A‖ = 5
}

TEST(Bounds, ZeroStepIsFlaggedAndItsLogsAreTheFlooredUpperBound) {
  Random rng(61);
  Problem p = makeProblem(Kind::Softmax, 6, 3, 4.0, 1.0, rng);
  p.x.setZero();  // ∇_A L = g·xᵀ = 0: A never moves
  const BoundsResult r = run(p, dataShift(AttentionUpdate::Gradient, 0.1, 2));
  for (const StepBounds& s : r.steps) {
    EXPECT_TRUE(s.zeroStep);
    EXPECT_EQ(s.stepNorm, 0.0);
    EXPECT_EQ(s.dbNorm, 0.0);
    EXPECT_DOUBLE_EQ(s.log10Part1, s.log10Part1Factor + log10SmallestStep());
    EXPECT_DOUBLE_EQ(s.log10Theorem, s.log10TheoremFactor + log10SmallestStep());
    EXPECT_TRUE(std::isnan(slackOf(s).lemma));
  }
  EXPECT_NEAR(log10SmallestStep(), -323.306, 1e-3);
}

TEST(Bounds, NewTargetsAreBMinusTheTotalShift) {
  Random rng(62);
  const Problem p = makeProblem(Kind::Softmax, 8, 3, 4.0, 2.0, rng);
  const auto softmax = [](const VectorXd& z) { VectorXd e = (z.array() - z.maxCoeff()).exp(); return VectorXd(e / e.sum()); };
  const BoundsResult w = run(p, weightShift(0.5, 5));
  const BoundsResult d = run(p, dataShift(AttentionUpdate::LinearSelfAttention, 0.1, 5));
  VectorXd x = p.x;
  for (int t = 0; t < 5; ++t) x = x - 0.5 * Loss(p).gradient(x);
  const NewTargets targets = newTargets(w, d);
  EXPECT_LE((targets.weightShift - (p.b - (softmax(p.A * x) - softmax(p.A * p.x)))).norm(), 1e-14);
  // ‖f(x_T) − b‖ = ‖f(x₀) − b̃‖: training the weights is solving for the new target.
  EXPECT_NEAR((softmax(p.A * x) - p.b).norm(), (softmax(p.A * p.x) - targets.weightShift).norm(), 1e-14);
  EXPECT_EQ(targets.b, p.b);
  EXPECT_GT((targets.dataShift - p.b).norm(), 0.0);
}

TEST(Bounds, CancelledBeforeStartPublishesNothing) {
  Random rng(63);
  const Problem p = makeProblem(Kind::Softmax, 8, 3, 4.0, 2.0, rng);
  Progress progress;
  progress.requestCancel();
  const BoundsResult r = runBounds(p, weightShift(0.1, 1000), progress);
  EXPECT_EQ(r.status, Status::Cancelled);
  EXPECT_TRUE(r.steps.empty());
}

TEST(Bounds, RejectsAttentionKindsAndOutOfRangeParams) {
  Random rng(64);
  const Problem p = makeProblem(Kind::Softmax, 4, 2, 1.0, 1.0, rng);
  Problem attention;
  attention.kind = Kind::AttentionNormalized;
  attention.A1 = attention.A2 = MatrixXd::Ones(3, 2);
  attention.B = MatrixXd::Constant(3, 3, 1.0 / 3);
  EXPECT_THROW(run(attention, weightShift(0.1, 1)), InputError);
  EXPECT_THROW(run(p, weightShift(0.0, 1)), InputError);
  EXPECT_THROW(run(p, weightShift(0.1, -1)), InputError);
  EXPECT_THROW(run(p, weightShift(std::nan(""), 1)), InputError);
  BoundsParams badR = weightShift(0.1, 1);
  badR.R = 0.0;
  EXPECT_THROW(run(p, badR), InputError);
  EXPECT_THROW(run(p, dataShift(AttentionUpdate::Random, -1.0, 1)), InputError);
  EXPECT_EQ(run(p, weightShift(0.1, 0)).steps.size(), 0u);
}

TEST(Bounds, DivergingIterateIsAnOverflowErrorNotInf) {
  Problem p;
  p.kind = Kind::Linear;
  p.A = MatrixXd::Identity(2, 2) * 10.0;
  p.b = VectorXd::Ones(2);
  p.x = VectorXd::Ones(2);
  EXPECT_THROW(run(p, weightShift(1e10, 200)), OverflowError);
}

// [SECTION] slack sweeps and params -----------------------------------------------------------

TEST(SlackSweep, OneLinePerBoundOnThePool) {
  WorkerPool pool(2);
  SlackSweepParams params;
  params.axis = SweepAxis::R;
  params.values = {4.0, 6.0, 8.0};
  params.n = 12;
  params.d = 3;
  params.instances = 3;
  params.bounds = weightShift(1e-4, 2);
  Progress progress;
  const SlackSweep sweep = sweepSlack(params, pool, progress);
  ASSERT_EQ(sweep.status, Status::Success);
  for (const auto* line : {&sweep.part1, &sweep.part2, &sweep.lemma, &sweep.theorem, &sweep.sharp}) {
    ASSERT_EQ(line->size(), 3u);
    for (double v : *line) EXPECT_GE(v, -1e-9);
  }
  EXPECT_EQ(sweep.guaranteed, std::vector<bool>({true, true, true}));
  EXPECT_GT(sweep.part1[2], sweep.part1[0]);  // e^{2R²}: looser as R grows
  EXPECT_DOUBLE_EQ(progress.fraction(), 1.0);

  params.axis = SweepAxis::StepSize;
  params.values = {1e-6, 1e-3, 1.0};
  params.bounds = dataShift(AttentionUpdate::Random, 1.0, 1);
  const SlackSweep steps = sweepSlack(params, pool, progress);
  EXPECT_TRUE(steps.guaranteed[0]);
  EXPECT_FALSE(steps.guaranteed[2]);  // a step of spectral norm 1 is not small

  params.axis = SweepAxis::N;
  params.values = {2.0, 64.0};
  EXPECT_EQ(sweepSlack(params, pool, progress).sharp.size(), 2u);
}

TEST(SlackSweep, CancelledSweepReportsCancelled) {
  WorkerPool pool(2);
  SlackSweepParams params;
  params.values = std::vector<double>(50, 5.0);
  Progress progress;
  progress.requestCancel();
  EXPECT_EQ(sweepSlack(params, pool, progress).status, Status::Cancelled);
  params.kind = Kind::AttentionRescaled;
  Progress fresh;
  EXPECT_THROW(sweepSlack(params, pool, fresh), InputError);
}

TEST(BoundsParams, JsonRoundTripAndValidation) {
  BoundsParams p = dataShift(AttentionUpdate::LinearSelfAttention, 0.02, 7, 99);
  p.R = 6.5;
  const nlohmann::json j = p;
  EXPECT_EQ(j.at("shift"), "A");
  EXPECT_EQ(j.at("attention_update"), "lsa");
  EXPECT_EQ(j.get<BoundsParams>(), p);
  EXPECT_EQ(nlohmann::json::object().get<BoundsParams>(), BoundsParams{});
  EXPECT_THROW(nlohmann::json({{"shift", "y"}}).get<BoundsParams>(), InputError);
  EXPECT_THROW(nlohmann::json({{"steps", 2.5}}).get<BoundsParams>(), InputError);
  EXPECT_THROW(nlohmann::json({{"seed", -1}}).get<BoundsParams>(), InputError);
  EXPECT_THROW(nlohmann::json({{"lr", 0}}).get<BoundsParams>(), InputError);
}

}  // namespace
}  // namespace attnlab
