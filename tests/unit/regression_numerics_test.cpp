// Overflow, underflow and one-hot limits: results that do not fit in a double throw
// OverflowError naming the quantity; everything that does fit comes out finite and accurate.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <string>

#include "core/errors.hpp"
#include "unit/regression_testing.hpp"

namespace attnlab {
namespace {

using namespace attnlab::testing;

// z = A x with A = (0.1, 0.2, 0.3, 1, 0.5)ᵀ and x = t: row 3 carries the largest logit, t.
Problem columnProblem(Kind kind, double t) {
  Problem p;
  p.kind = kind;
  p.A = Eigen::Matrix<double, 5, 1>(0.1, 0.2, 0.3, 1.0, 0.5);
  p.b = VectorXd::Constant(5, 0.2);
  p.w = VectorXd::Constant(5, 0.1);
  p.x = VectorXd::Constant(1, t);
  return p;
}

std::string overflowMessage(const std::function<void()>& call) {
  try {
    call();
  } catch (const OverflowError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no OverflowError";
  return {};
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(Overflow, ExpKindAt800ThrowsNamingTheRowAndTheExponent) {
  const Problem p = columnProblem(Kind::Exp, 800.0);
  const Loss loss(p);
  const std::string what = overflowMessage([&] { loss.value(p.x); });
  EXPECT_TRUE(contains(what, "loss of kind 'exp' at row 3 (exp(Ax) = e^800)")) << what;
  EXPECT_TRUE(contains(overflowMessage([&] { loss.gradient(p.x); }), "at row 3")) << "gradient";
  EXPECT_TRUE(contains(overflowMessage([&] { loss.hessian(p.x); }), "at row 3")) << "hessian";
  EXPECT_TRUE(contains(overflowMessage([&] { loss.hessianTimes(p.x, p.x); }), "e^800"));
  EXPECT_TRUE(contains(overflowMessage([&] { loss.factoredHessian(p.x); }), "e^800"));
}

// exp(400) fits, its square does not: the loss overflows although u does not.
TEST(Overflow, ExpKindOverflowsWhereTheSquareDoes) {
  const Problem p = columnProblem(Kind::Exp, 400.0);
  EXPECT_TRUE(contains(overflowMessage([&] { Loss(p).value(p.x); }), "e^400"));
  const Problem q = columnProblem(Kind::Exp, 350.0);  // ½e^700 ≈ 5e303 still fits
  const Loss loss(q);
  VectorXd g;
  EXPECT_TRUE(std::isfinite(loss.valueAndGradient(q.x, g)));
  EXPECT_TRUE(g.allFinite());
  EXPECT_NEAR(loss.value(q.x) / (0.5 * std::exp(700.0)), 1.0, 1e-12);

  // One logit at 354.6, b = 0: ℓ = ½u² ≈ 6.5e307 and ℓ' = u² fit, ℓ'' = 2u² ≈ 2.6e308 does not.
  Problem r;
  r.kind = Kind::Exp;
  r.A = MatrixXd::Ones(1, 1);
  r.b = VectorXd::Zero(1);
  r.x = VectorXd::Constant(1, 354.6);
  const Loss edge(r);
  EXPECT_TRUE(std::isfinite(edge.value(r.x)));
  EXPECT_TRUE(std::isfinite(edge.gradient(r.x)[0]));
  const std::string what = overflowMessage([&] { edge.hessian(r.x); });
  EXPECT_TRUE(contains(what, "Hessian of kind 'exp' at row 0 (exp(Ax) = e^354.6)")) << what;
}

TEST(Overflow, RescaledNamesTheLargestLogit) {
  const Problem p = columnProblem(Kind::Rescaled, 400.0);
  const std::string what = overflowMessage([&] { Loss(p).value(p.x); });
  EXPECT_TRUE(contains(what, "loss of kind 'rescaled' at row 3 (exp(Ax) = e^400)")) << what;
}

TEST(Overflow, AttentionRescaledNamesRowAndColumn) {
  Problem p = shiftedAttentionProblem(randomProblem(Kind::AttentionRescaled, 1, 0.0, 4, 3), 420.0, 5.0);
  const std::string what = overflowMessage([&] { Loss(p).value(p.x); });
  EXPECT_TRUE(contains(what, "loss of kind 'attention_rescaled' at row ")) << what;
  EXPECT_TRUE(contains(what, ", column 0 (exp(A1·X·A2ᵀ) = e^4")) << what;
}

TEST(Overflow, LogitsThatOverflowAreReportedBeforeAnyUse) {
  Problem p = columnProblem(Kind::Linear, 1e200);
  p.A(2, 0) = 1e200;
  const std::string what = overflowMessage([&] { Loss(p).value(p.x); });
  EXPECT_TRUE(contains(what, "Ax at row 2")) << what;
}

// The softmax kinds find non-finite logits while each row part takes its max: an infinite one or
// a NaN (∞ − ∞) in the second of two parts is still named by its row, and nothing else is used.
TEST(Overflow, SoftmaxLogitsThatOverflowAreReportedByRowInAnyPart) {
  constexpr Index kRows = 140000;  // d = 2: two row parts, the second from row 70000
  for (Kind kind : {Kind::Softmax, Kind::CrossEntropy, Kind::InfoPrompt})
    for (const bool nan : {false, true}) {
      Problem p;
      p.kind = kind;
      p.A = MatrixXd::Constant(kRows, 2, 0.1);
      p.b = VectorXd::Constant(kRows, 1.0 / kRows);
      p.w = VectorXd::Constant(kRows, 0.1);
      p.x = VectorXd::Constant(2, 1e200);
      p.A(100000, 0) = 1e200;  // z = 1e400 = ∞
      if (nan) p.A(100000, 1) = -1e200;  // z = ∞ − ∞
      const Loss loss(p);
      VectorXd g;
      for (const std::string& what : {overflowMessage([&] { loss.value(p.x); }),
                                      overflowMessage([&] { loss.valueAndGradient(p.x, g); }),
                                      overflowMessage([&] { loss.curvature(p.x); })})
        EXPECT_TRUE(contains(what, "Ax at row 100000")) << kindName(kind) << (nan ? " NaN: " : " ∞: ") << what;
    }
}

TEST(Overflow, LinearLossBeyondTheLargestDouble) {
  const Problem p = columnProblem(Kind::Linear, 1e160);  // ½(1e160)² = 5e319
  const std::string what = overflowMessage([&] { Loss(p).value(p.x); });
  EXPECT_TRUE(contains(what, "loss of kind 'linear' at row 3 (Ax = 1e+160)")) << what;
}

// All of u = e^{z} factored out as e^{2·max z}: u² = e^{720} overflows, but the loss fits because
// the target nearly matches; a direct ½‖u − αb‖² would have returned inf.
TEST(Overflow, RescaledFitsWhereExpOfTwiceTheLogitDoesNot) {
  Problem p;
  p.kind = Kind::Rescaled;
  p.A = MatrixXd::Ones(2, 1);
  p.b = Eigen::Vector2d(0.5, 0.5 + 1e-8);
  p.x = VectorXd::Constant(1, 360.0);
  const Loss loss(p);
  // r = u − αb = e^360·(1 − 2·0.5, 1 − 2·(0.5 + 1e−8)) = e^360·(0, −2e−8 + rounding of b).
  const long double r1 = std::exp(360.0L) * (1.0L - 2.0L * (long double)p.b[1]);
  const long double expected = 0.5L * r1 * r1;
  VectorXd g;
  const double L = loss.valueAndGradient(p.x, g);
  EXPECT_NEAR(double(L / expected), 1.0, 1e-12);
  EXPECT_TRUE(g.allFinite());
  // dL/dx = Σ_i ∂ℓ/∂z_i = ⟨r, J1⟩ with J = (I − b1ᵀ)diag(u): r₀ = 0, so it is r₁·(u₁ − b₁(u₀ + u₁)).
  const long double u = std::exp(360.0L);
  EXPECT_NEAR(double(g[0] / (r1 * (u - (long double)p.b[1] * 2 * u))), 1.0, 1e-7);
  // Along x every logit moves together: ℓ = ½e^{2x}‖1 − 2b‖², so ℓ'' = 4ℓ, also beyond e^709.
  // (Its diagonal part sums terms ±b_j·r₁ that cancel to 1e−8 of their size: 1e−8 of accuracy.)
  EXPECT_NEAR(loss.hessian(p.x)(0, 0) / (4 * L), 1.0, 1e-7);
}

TEST(Underflow, ExpKindAtMinus740IsFiniteAndCorrect) {
  Problem p = columnProblem(Kind::Exp, -740.0);
  p.A.setOnes();  // every logit at −740: exp(−740) ≈ 4e−322, subnormal
  const Loss loss(p);
  VectorXd g;
  const double L = loss.valueAndGradient(p.x, g);
  EXPECT_NEAR(L, 0.5 * p.b.squaredNorm(), 1e-16);
  ASSERT_TRUE(g.allFinite());
  EXPECT_LE(g[0], 0.0);  // u∘(u − b) < 0 entrywise, A > 0
  EXPECT_GT(g[0], -1e-300);
  EXPECT_TRUE(loss.hessian(p.x).allFinite());
}

TEST(Underflow, RescaledAtMinus740UnderflowsToZero) {
  Problem p = columnProblem(Kind::Rescaled, -740.0);
  p.A.setOnes();
  const Loss loss(p);
  EXPECT_EQ(loss.value(p.x), 0.0);  // e^{−1480}·O(1)
  EXPECT_TRUE(loss.gradient(p.x).allFinite());
  EXPECT_TRUE(loss.hessian(p.x).allFinite());
}

// The softmax kinds depend on z only up to a constant: at z + 740 and z − 740 they must give
// what they give at z (the one coordinate that moves every logit has zero gradient).
TEST(ShiftInvariance, SoftmaxKindsAtPlusMinus740AgreeWithTheCentredPoint) {
  for (Kind kind : {Kind::Softmax, Kind::CrossEntropy}) {
    const Problem base = shiftedVectorProblem(randomProblem(kind, 3), 0.0, 2.0);
    const Loss at0(base);
    for (double shift : {740.0, -740.0}) {
      Problem p = base;
      p.x[0] = shift;
      const Loss loss(p);
      EXPECT_NEAR(loss.value(p.x), at0.value(base.x), 1e-13 * at0.value(base.x)) << kindName(kind);
      EXPECT_LT(relativeError(loss.gradient(p.x), at0.gradient(base.x)), 1e-12) << kindName(kind);
      EXPECT_LT(relativeError(loss.hessian(p.x), at0.hessian(base.x)), 1e-12) << kindName(kind);
    }
  }
}

TEST(ShiftInvariance, AttentionNormalizedAtPlusMinus740) {
  const Problem base = shiftedAttentionProblem(randomProblem(Kind::AttentionNormalized, 4, 0.0, 4, 3), 0.0, 1.0);
  const Loss at0(base);
  for (double shift : {740.0, -740.0}) {
    Problem p = base;
    p.x[0] = shift;  // X(0,0): adds shift to every Z_ij
    const Loss loss(p);
    EXPECT_NEAR(loss.value(p.x), at0.value(base.x), 1e-13 * at0.value(base.x));
    EXPECT_LT(relativeError(loss.gradient(p.x), at0.gradient(base.x)), 1e-12);
    EXPECT_LT(relativeError(loss.hessian(p.x), at0.hessian(base.x)), 1e-12);
  }
}

// Two logits (g, 0), target (1, 0): f = (1 − σ, σ), σ = e^{−g}/(1 + e^{−g}). By hand:
// softmax ℓ = σ², ℓ' = −2σ²(1 − σ), ℓ'' = 2σ²(1 − σ)(2 − 3σ);
// cross entropy ℓ = log1p(e^{−g}), ℓ' = −σ, ℓ'' = σ(1 − σ).
// A naive f − b loses σ entirely once it drops below 1e−16; here σ² ≈ 1e−174 at g = 200.
TEST(OneHot, TwoLogitsMatchTheClosedForms) {
  for (double g : {30.0, 200.0, 700.0}) {
    Problem p;
    p.A = Eigen::Vector2d(1.0, 0.0);
    p.b = Eigen::Vector2d(1.0, 0.0);
    p.x = VectorXd::Constant(1, g);
    const double s = std::exp(-g) / (1.0 + std::exp(-g));
    const auto expectRel = [&](double actual, double expected, const char* what) {
      if (expected == 0.0)
        EXPECT_EQ(actual, 0.0) << what << " at g = " << g;
      else
        EXPECT_NEAR(actual / expected, 1.0, 1e-13) << what << " at g = " << g;
    };
    p.kind = Kind::Softmax;
    Loss softmax(p);
    expectRel(softmax.value(p.x), s * s, "softmax loss");
    expectRel(softmax.gradient(p.x)[0], -2 * s * s * (1 - s), "softmax gradient");
    expectRel(softmax.hessian(p.x)(0, 0), 2 * s * s * (1 - s) * (2 - 3 * s), "softmax Hessian");
    expectRel(softmax.hessianTimes(p.x, VectorXd::Ones(1))[0], 2 * s * s * (1 - s) * (2 - 3 * s), "softmax H·v");
    p.kind = Kind::CrossEntropy;
    Loss crossEntropy(p);
    expectRel(crossEntropy.value(p.x), std::log1p(std::exp(-g)), "cross-entropy loss");
    expectRel(crossEntropy.gradient(p.x)[0], -s, "cross-entropy gradient");
    expectRel(crossEntropy.hessian(p.x)(0, 0), s * (1 - s), "cross-entropy Hessian");
  }
}

// The same limit in a rescaled row: u = e^{g}(1, e^{−g}), b = (1, 0): r = (−1, 1)·1 after the
// scale, so ℓ = e^{2g}·... — instead check the two-logit rescaled loss ½((u₀ − α)² + u₁²) = u₁².
TEST(OneHot, RescaledTwoLogits) {
  Problem p;
  p.kind = Kind::Rescaled;
  p.A = Eigen::Vector2d(1.0, 0.0);
  p.b = Eigen::Vector2d(1.0, 0.0);
  for (double g : {30.0, 200.0}) {
    p.x = VectorXd::Constant(1, g);
    const Loss loss(p);
    // u = (e^g, 1), α = e^g + 1: r = (−1, 1), ℓ = 1; ∂ℓ/∂g = ⟨r, ∂r/∂g⟩ with ∂r/∂g = (e^g − e^g, −0) = 0.
    EXPECT_DOUBLE_EQ(loss.value(p.x), 1.0);
    EXPECT_EQ(loss.gradient(p.x)[0], 0.0);
    // ∂²ℓ/∂g² = ‖∂r/∂g‖² + ⟨r, ∂²r/∂g²⟩ = 0 + 0: exactly zero, not e^{2g}·rounding.
    EXPECT_EQ(loss.hessian(p.x)(0, 0), 0.0);
    EXPECT_EQ(loss.hessianTimes(p.x, VectorXd::Ones(1))[0], 0.0);
  }
}

TEST(Memory, RefusesADenseHessianLargerThanTheMachine) {
  Problem p;
  p.kind = Kind::Softmax;
  p.A = MatrixXd::Zero(1, 2'000'000);  // a 2e6 × 2e6 Hessian: 32 TB
  p.b = VectorXd::Ones(1);
  p.x = VectorXd::Zero(p.A.cols());
  const Loss loss(p);
  EXPECT_EQ(loss.value(p.x), 0.0);  // the loss itself is cheap
  try {
    loss.hessian(p.x);
    ADD_FAILURE() << "no InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().field, "hessian");
  }

  Problem q;
  q.kind = Kind::AttentionNormalized;
  q.A1 = MatrixXd::Zero(1, 3000);  // d² = 9e6 parameters: a 9e6 × 9e6 Hessian
  q.A2 = q.A1;
  q.B = MatrixXd::Ones(1, 1);
  q.x = VectorXd::Zero(9'000'000);
  EXPECT_THROW(Loss(q).hessian(q.x), InputError);
}

TEST(Arguments, WrongSizesAndRowsAreProgrammingErrors) {
  const Problem p = randomProblem(Kind::Softmax, 5);
  const Loss loss(p);
  EXPECT_THROW(loss.value(VectorXd::Zero(p.d() + 1)), std::invalid_argument);
  EXPECT_THROW(loss.hessianTimes(p.x, VectorXd::Zero(1)), std::invalid_argument);
  VectorXd row(loss.dim());
  EXPECT_THROW(loss.designRow(loss.designRows(), row), std::out_of_range);
  const FactoredHessian h = loss.factoredHessian(p.x);
  EXPECT_THROW(loss.assembleHessian(h, Eigen::VectorXi::Zero(2), VectorXd::Ones(3)), std::invalid_argument);
  EXPECT_THROW(loss.assembleHessian(h, Eigen::VectorXi::Constant(1, -1), VectorXd::Ones(1)), std::out_of_range);
}

}  // namespace
}  // namespace attnlab
