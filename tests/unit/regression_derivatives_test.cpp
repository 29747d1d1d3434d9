// Every kind's gradient against central differences of its loss, its Hessian against central
// differences of the gradient, and the other Hessian views (product, factored, sampled)
// against the dense Hessian — at random points and at the numerically hard ones.
#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "core/jobs/part_team.hpp"
#include "core/jobs/worker_pool.hpp"
#include "unit/regression_testing.hpp"

namespace attnlab {
namespace {

using namespace attnlab::testing;

// Fourth-order differences with h = 1e-3 on O(1)-scaled data leave ~1e-12 truncation and
// ~1e-13 rounding error; 1e-8 is far below what a wrong term in a derivative produces.
constexpr double kStep = 1e-3;
constexpr double kGradientTol = 1e-8;
constexpr double kHessianTol = 1e-8;

struct Case {
  Kind kind;
  double l2;
};

std::vector<Case> allCases() {
  std::vector<Case> cases;
  for (Kind kind : kAllKinds)
    for (double l2 : {0.0, 0.3}) cases.push_back({kind, l2});
  return cases;
}

std::string nameOf(const ::testing::TestParamInfo<Case>& info) { return caseName(info.param.kind, info.param.l2); }

class RandomPoints : public ::testing::TestWithParam<Case> {
 protected:
  Problem problem(std::uint64_t seed) const { return randomProblem(GetParam().kind, seed, GetParam().l2); }
};

TEST_P(RandomPoints, GradientMatchesFiniteDifferences) {
  for (std::uint64_t seed : {1, 2, 3}) {
    const Problem p = problem(seed);
    const Loss loss(p);
    const VectorXd g = loss.gradient(p.x);
    EXPECT_LT(relativeError(finiteDifferenceGradient(loss, p.x, kStep), g), kGradientTol) << "seed " << seed;
  }
}

TEST_P(RandomPoints, HessianMatchesFiniteDifferencesOfGradient) {
  for (std::uint64_t seed : {1, 2, 3}) {
    const Problem p = problem(seed);
    const Loss loss(p);
    const MatrixXd H = loss.hessian(p.x);
    EXPECT_LT(relativeError(finiteDifferenceHessian(loss, p.x, kStep), H), kHessianTol) << "seed " << seed;
  }
}

TEST_P(RandomPoints, HessianIsExactlySymmetric) {
  const Problem p = problem(4);
  const MatrixXd H = Loss(p).hessian(p.x);
  EXPECT_EQ(H, H.transpose());
}

TEST_P(RandomPoints, ValueAndGradientAgreesWithSeparateCalls) {
  const Problem p = problem(5);
  const Loss loss(p);
  VectorXd g;
  const double L = loss.valueAndGradient(p.x, g);
  EXPECT_EQ(L, loss.value(p.x));
  EXPECT_EQ(g, loss.gradient(p.x));
  EXPECT_EQ(g.size(), loss.dim());
}

TEST_P(RandomPoints, HessianTimesEqualsHessianColumns) {
  const Problem p = problem(6);
  const Loss loss(p);
  const MatrixXd H = loss.hessian(p.x);
  Random rng(60);
  for (int trial = 0; trial < 3; ++trial) {
    const VectorXd v = gaussian(loss.dim(), 1, rng).col(0);
    EXPECT_LT(relativeError(loss.hessianTimes(p.x, v), H * v), 1e-13);
  }
}

TEST_P(RandomPoints, FactoredHessianWithEveryRowIsTheHessian) {
  const Problem p = problem(7);
  const Loss loss(p);
  const FactoredHessian h = loss.factoredHessian(p.x);
  ASSERT_EQ(h.delta.size(), loss.designRows());
  ASSERT_EQ(h.W.rows(), loss.dim());
  ASSERT_EQ(h.S.rows(), h.W.cols());
  EXPECT_EQ(h.l2, p.l2);
  const Eigen::VectorXi all = Eigen::VectorXi::LinSpaced(loss.designRows(), 0, int(loss.designRows()) - 1);
  const MatrixXd assembled = loss.assembleHessian(h, all, VectorXd::Ones(all.size()));
  EXPECT_LT(relativeError(assembled, loss.hessian(p.x)), 1e-13);
  EXPECT_EQ(assembled, assembled.transpose());
}

// The sampled Hessian against the formula written out with designRow.
TEST_P(RandomPoints, SampledHessianIsTheWeightedSumOfItsRows) {
  const Problem p = problem(8);
  const Loss loss(p);
  const FactoredHessian h = loss.factoredHessian(p.x);
  Random rng(80);
  const Index samples = loss.designRows() + 3;  // with repeats
  Eigen::VectorXi rows(samples);
  VectorXd weights(samples);
  for (Index t = 0; t < samples; ++t) {
    rows[t] = int(rng.below(std::uint64_t(loss.designRows())));
    weights[t] = 0.5 + rng.uniform();
  }
  MatrixXd expected = h.W * h.S * h.W.transpose() + h.l2 * MatrixXd::Identity(loss.dim(), loss.dim());
  VectorXd a(loss.dim());
  for (Index t = 0; t < samples; ++t) {
    loss.designRow(rows[t], a);
    expected += weights[t] * h.delta[rows[t]] * a * a.transpose();
  }
  EXPECT_LT(relativeError(loss.assembleHessian(h, rows, weights), expected), 1e-13);
}

// Rows of 𝒜 reproduce z: Ax, or Z_ij = (A₁XA₂ᵀ)_ij at r = i·n + j for the attention kinds.
TEST_P(RandomPoints, DesignRowsReproduceTheLogits) {
  const Problem p = problem(9);
  const Loss loss(p);
  VectorXd a(loss.dim()), z(loss.designRows());
  for (Index r = 0; r < loss.designRows(); ++r) {
    loss.designRow(r, a);
    z[r] = a.dot(p.x);
  }
  if (isAttentionKind(p.kind)) {
    const Eigen::Map<const MatrixXd> X(p.x.data(), p.d(), p.d());
    const MatrixXd Z = p.A1 * X * p.A2.transpose();
    for (Index i = 0; i < p.n(); ++i)
      for (Index j = 0; j < p.n(); ++j) EXPECT_NEAR(z[i * p.n() + j], Z(i, j), 1e-14);
  } else {
    EXPECT_LT(relativeError(z, p.A * p.x), 1e-15);
  }
}

TEST_P(RandomPoints, ConstMethodsAreSafeFromSeveralThreads) {
  const Problem p = problem(10);
  const Loss loss(p);
  VectorXd expected;
  const double L = loss.valueAndGradient(p.x, expected);
  std::vector<int> good(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int k = 0; k < 20; ++k) {
        VectorXd g;
        good[t] += loss.valueAndGradient(p.x, g) == L && g == expected;
      }
    });
  for (auto& th : threads) th.join();
  for (int t = 0; t < 4; ++t) EXPECT_EQ(good[t], 20);
}

INSTANTIATE_TEST_SUITE_P(AllKinds, RandomPoints, ::testing::ValuesIn(allCases()), nameOf);

// Enough rows (n = 5000) that the Gram sum is split into parts: run on a pool, and with
// infoprompt's and linear's fixed Aᵀdiag(κ)A kept from the first call, the Hessian is still the
// sum of its rows and the same to the last bit with or without the pool, every time.
TEST(LargeProblems, HessianOnAPoolIsTheSameMatrixToTheLastBit) {
  WorkerPool pool(2);
  for (Kind kind : {Kind::Linear, Kind::Exp, Kind::Softmax, Kind::Rescaled, Kind::CrossEntropy, Kind::InfoPrompt}) {
    const Problem p = randomProblem(kind, 12, 0.1, 5000, 6);
    const Loss loss(p);
    const MatrixXd alone = loss.hessian(p.x);
    EXPECT_EQ(loss.hessian(p.x, &pool), alone) << kindName(kind);
    EXPECT_EQ(loss.hessian(p.x, &pool), alone) << kindName(kind);
    EXPECT_EQ(Loss(p).hessian(p.x, &pool), alone) << kindName(kind);
    EXPECT_EQ(alone, alone.transpose()) << kindName(kind);
    const FactoredHessian h = loss.factoredHessian(p.x);
    const Eigen::VectorXi all = Eigen::VectorXi::LinSpaced(loss.designRows(), 0, int(loss.designRows()) - 1);
    EXPECT_LT(relativeError(loss.assembleHessian(h, all, VectorXd::Ones(all.size())), alone), 1e-12)
        << kindName(kind);
    const VectorXd v = VectorXd::LinSpaced(p.d(), -1.0, 1.0);
    EXPECT_LT(relativeError(loss.hessianTimes(p.x, v), alone * v), 1e-12) << kindName(kind);
  }
}

// Passes split into row parts (n·d ≥ 2·2¹⁷ here) give the same bits whether a team of two runs
// them or the caller alone, and the same numbers as the unsplit formulas to rounding.
TEST(LargeProblems, ALossOnATeamGivesTheSameBits) {
  PartTeam team(2);
  for (Kind kind : {Kind::Linear, Kind::Exp, Kind::Softmax, Kind::Rescaled, Kind::CrossEntropy, Kind::InfoPrompt}) {
    const Problem p = randomProblem(kind, 14, 0.1, 9000, 32);
    const Loss alone(p);
    const Loss onTeam = alone.onTeam(&team);
    VectorXd g1, g2;
    EXPECT_EQ(alone.valueAndGradient(p.x, g1), onTeam.valueAndGradient(p.x, g2)) << kindName(kind);
    EXPECT_EQ(g1, g2) << kindName(kind);
    EXPECT_EQ(alone.value(p.x), onTeam.value(p.x)) << kindName(kind);
    const VectorXd v = VectorXd::LinSpaced(p.d(), -1.0, 1.0);
    EXPECT_EQ(alone.hessianTimes(p.x, v), onTeam.hessianTimes(p.x, v)) << kindName(kind);
    const MatrixXd H = alone.hessian(p.x);
    EXPECT_EQ(onTeam.hessian(p.x), H) << kindName(kind);
    EXPECT_EQ(onTeam.mixedPrecisionHessian(p.x), alone.mixedPrecisionHessian(p.x)) << kindName(kind);
    // The split sums against independent computations: a central difference of the loss along
    // v, linear's gradient from its formula, and H·v with H from the chunked Gram sum.
    const double h = 1e-5, slope = (alone.value(p.x + h * v) - alone.value(p.x - h * v)) / (2 * h);
    EXPECT_NEAR(g1.dot(v), slope, 1e-6 * (1.0 + std::abs(slope))) << kindName(kind);
    if (kind == Kind::Linear) {
      EXPECT_LT(relativeError(g1, VectorXd(p.A.transpose() * (p.A * p.x - p.b) + p.l2 * p.x)), 1e-13);
    }
    EXPECT_LT(relativeError(onTeam.hessianTimes(p.x, v), H * v), 1e-12) << kindName(kind);
  }
}

// The curvature valueAndGradient leaves is the one curvature(x) evaluates: the same products and
// Hessians to the last bit, and asking for it changes neither the value nor the gradient.
TEST_P(RandomPoints, CurvatureFromValueAndGradientIsTheSame) {
  for (std::uint64_t seed : {1, 2}) {
    const Problem p = problem(seed);
    const Loss loss(p);
    VectorXd grad, plainGrad;
    Loss::Curvature kept;
    const double value = loss.valueAndGradient(p.x, grad, &kept);
    EXPECT_EQ(value, loss.valueAndGradient(p.x, plainGrad)) << kindName(p.kind);
    EXPECT_EQ(grad, plainGrad) << kindName(p.kind);
    const Loss::Curvature fresh = loss.curvature(p.x);
    const VectorXd v = VectorXd::LinSpaced(p.x.size(), -1.0, 2.0);
    EXPECT_EQ(kept.times(v), fresh.times(v)) << kindName(p.kind);
    EXPECT_EQ(kept.matrix(), fresh.matrix()) << kindName(p.kind);
    EXPECT_EQ(kept.mixedPrecisionMatrix(), fresh.mixedPrecisionMatrix()) << kindName(p.kind);
  }
}

// The first Hessians of a fresh Loss, asked for by several threads at once (some with the pool):
// the fixed part is summed once, and every thread gets the same matrix.
TEST(LargeProblems, FirstHessiansFromSeveralThreadsAgree) {
  const Problem p = randomProblem(Kind::InfoPrompt, 13, 0.0, 3000, 5);
  const MatrixXd expected = Loss(p).hessian(p.x);
  const Loss loss(p);
  WorkerPool pool(1);
  std::vector<int> same(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] { same[t] = loss.hessian(p.x, t % 2 ? &pool : nullptr) == expected; });
  for (auto& th : threads) th.join();
  for (int t = 0; t < 4; ++t) EXPECT_EQ(same[t], 1) << "thread " << t;
}

// Targets with negative entries and Σb ≠ 1: the formulas hold for any b, and Σb enters the
// cross-entropy Hessian (002 Lemma C.14).
TEST(GeneralTargets, DerivativesOfTheSoftmaxKindsHoldForAnyTarget) {
  for (Kind kind : {Kind::Softmax, Kind::CrossEntropy, Kind::InfoPrompt, Kind::Rescaled}) {
    Problem p = randomProblem(kind, 11);
    Random rng(110);
    p.b = gaussian(p.n(), 1, rng).col(0);
    const Loss loss(p);
    EXPECT_LT(relativeError(finiteDifferenceGradient(loss, p.x, kStep), loss.gradient(p.x)), kGradientTol)
        << kindName(kind);
    EXPECT_LT(relativeError(finiteDifferenceHessian(loss, p.x, kStep), loss.hessian(p.x)), kHessianTol)
        << kindName(kind);
  }
}

// --- hard points -----------------------------------------------------------------------------

struct HardCase {
  Kind kind;
  double shift;      // logits ≈ shift + O(1)
  double gap;        // one entry per block ahead by gap: softmax one-hot up to ~e^{−gap}
  bool oneHotTarget;  // b (rows of B) = that one-hot vector
  const char* label;
};

std::vector<HardCase> hardCases() {
  std::vector<HardCase> cases;
  for (Kind kind : {Kind::Softmax, Kind::CrossEntropy, Kind::InfoPrompt, Kind::AttentionNormalized}) {
    cases.push_back({kind, 740.0, 0.0, false, "plus740"});
    cases.push_back({kind, -740.0, 0.0, false, "minus740"});
    cases.push_back({kind, 740.0, 30.0, true, "plus740_onehot"});
    cases.push_back({kind, -740.0, 25.0, true, "minus740_onehot"});
    cases.push_back({kind, 0.0, 8.0, false, "nearly_onehot"});
  }
  // Rescaled: every term is quadratic in e^{z}, so ±300 puts the loss near e^{±600}.
  for (Kind kind : {Kind::Rescaled, Kind::AttentionRescaled}) {
    cases.push_back({kind, 300.0, 0.0, false, "plus300"});
    cases.push_back({kind, -300.0, 0.0, false, "minus300"});
    cases.push_back({kind, 300.0, 20.0, true, "plus300_onehot"});
  }
  cases.push_back({Kind::Exp, 20.0, 0.0, false, "plus20"});
  return cases;
}

class HardPoints : public ::testing::TestWithParam<HardCase> {
 protected:
  Problem problem() const {
    const HardCase& c = GetParam();
    Problem p = randomProblem(c.kind, 21, 0.0, 6, 3);
    p = isAttentionKind(c.kind) ? shiftedAttentionProblem(p, c.shift, c.gap, c.oneHotTarget)
                                : shiftedVectorProblem(p, c.shift, c.gap, 2, c.oneHotTarget);
    // The ½‖diag(w)Ax‖² term would dwarf everything at |Ax| = 740: keep it comparable.
    if (c.kind == Kind::InfoPrompt) p.w.setConstant(c.oneHotTarget ? 1e-9 : 1e-3);
    return p;
  }
};

TEST_P(HardPoints, EverythingIsFinite) {
  const Problem p = problem();
  const Loss loss(p);
  VectorXd g;
  EXPECT_TRUE(std::isfinite(loss.valueAndGradient(p.x, g)));
  EXPECT_TRUE(g.allFinite());
  EXPECT_TRUE(loss.hessian(p.x).allFinite());
  EXPECT_TRUE(loss.hessianTimes(p.x, VectorXd::Ones(loss.dim())).allFinite());
  const FactoredHessian h = loss.factoredHessian(p.x);
  EXPECT_TRUE(h.delta.allFinite() && h.W.allFinite() && h.S.allFinite());
}

TEST_P(HardPoints, GradientMatchesFiniteDifferences) {
  const Problem p = problem();
  const Loss loss(p);
  const VectorXd g = loss.gradient(p.x);
  ASSERT_GT(g.cwiseAbs().maxCoeff(), 0.0);
  EXPECT_LT(relativeError(finiteDifferenceGradient(loss, p.x, kStep), g), kGradientTol);
}

TEST_P(HardPoints, HessianMatchesFiniteDifferencesOfGradient) {
  const Problem p = problem();
  const Loss loss(p);
  const MatrixXd H = loss.hessian(p.x);
  ASSERT_GT(H.cwiseAbs().maxCoeff(), 0.0);
  EXPECT_LT(relativeError(finiteDifferenceHessian(loss, p.x, kStep), H), kHessianTol);
}

TEST_P(HardPoints, HessianTimesEqualsHessianColumns) {
  const Problem p = problem();
  const Loss loss(p);
  const MatrixXd H = loss.hessian(p.x);
  Random rng(22);
  const VectorXd v = gaussian(loss.dim(), 1, rng).col(0);
  EXPECT_LT(relativeError(loss.hessianTimes(p.x, v), H * v), 1e-12);
}

std::string hardName(const ::testing::TestParamInfo<HardCase>& info) {
  return std::string(kindName(info.param.kind)) + "_" + info.param.label;
}

INSTANTIATE_TEST_SUITE_P(HardKinds, HardPoints, ::testing::ValuesIn(hardCases()), hardName);

// The same hard points with enough rows (n·d ≥ 2·2¹⁷) that every pass over A is split into two
// row parts, and the dominant row in either part, at its first or last row: the Hessian-vector
// product (one pass over each part, the centring's sums added after) and the Curvature's
// sums over all rows but the dominant one against the dense Hessian, which sums every row
// apart (addBlockGram); the gradient against central differences; a team or not, the same bits.
struct SplitCase {
  Kind kind;
  double shift, gap;
  bool oneHotTarget;
  Index top;
};

class SplitHardPoints : public ::testing::TestWithParam<SplitCase> {
 protected:
  static constexpr Index kRows = 90003;  // d = 3: parts [0, 45001) and [45001, 90003)
  Problem problem() const {
    const SplitCase& c = GetParam();
    Problem p = shiftedVectorProblem(randomProblem(c.kind, 23, 0.0, kRows, 1), c.shift, c.gap, c.top, c.oneHotTarget);
    if (c.kind == Kind::InfoPrompt) p.w.setConstant(c.oneHotTarget ? 1e-9 : 1e-3);
    return p;
  }
};

std::vector<SplitCase> splitCases() {
  std::vector<SplitCase> cases;
  for (Index top : {Index(2), Index(45000), Index(45001), Index(90002)}) {
    for (Kind kind : {Kind::Softmax, Kind::CrossEntropy, Kind::InfoPrompt}) {
      cases.push_back({kind, 740.0, 30.0, true, top});
      cases.push_back({kind, -740.0, 25.0, true, top});
      cases.push_back({kind, 0.0, 8.0, false, top});
    }
    cases.push_back({Kind::Rescaled, 300.0, 20.0, true, top});
  }
  cases.push_back({Kind::Linear, 0.0, 1.0, false, 2});
  cases.push_back({Kind::Exp, 20.0, 0.0, false, 2});
  return cases;
}

std::string splitName(const ::testing::TestParamInfo<SplitCase>& info) {
  const SplitCase& c = info.param;
  const std::string shift = c.shift > 0 ? "plus" : c.shift < 0 ? "minus" : "zero";
  return std::string(kindName(c.kind)) + "_" + shift + "_gap" + std::to_string(int(c.gap)) + "_top" +
         std::to_string(c.top);
}

TEST_P(SplitHardPoints, ProductsAndGradientAreExact) {
  const Problem p = problem();
  PartTeam team(2);
  const Loss alone(p), onTeam = alone.onTeam(&team);
  const MatrixXd H = alone.hessian(p.x);
  ASSERT_TRUE(H.allFinite());
  VectorXd g, teamGrad;
  Loss::Curvature kept, teamKept;
  alone.valueAndGradient(p.x, g, &kept);
  onTeam.valueAndGradient(p.x, teamGrad, &teamKept);
  EXPECT_EQ(g, teamGrad);
  EXPECT_LT(relativeError(finiteDifferenceGradient(alone, p.x, kStep), g), kGradientTol);
  const Loss::Curvature fresh = alone.curvature(p.x);
  Random rng(24);
  for (const VectorXd& v : {VectorXd(gaussian(p.x.size(), 1, rng).col(0)), VectorXd(VectorXd::Unit(p.x.size(), 0)),
                            VectorXd(VectorXd::Unit(p.x.size(), 1))}) {
    // Against ‖H‖‖v‖: along the intercept column (v = e₀) the softmax part of Hv is 0, and H·v
    // from the dense H is rounding noise, so a relative error would compare two zeros.
    const VectorXd Hv = kept.times(v);
    const double scale = H.cwiseAbs().maxCoeff() * v.cwiseAbs().sum();
    EXPECT_LT((Hv - H * v).cwiseAbs().maxCoeff(), 1e-13 * scale) << "v = " << v.transpose();
    EXPECT_EQ(teamKept.times(v), Hv);
    EXPECT_EQ(fresh.times(v), Hv);
  }
}

INSTANTIATE_TEST_SUITE_P(TwoParts, SplitHardPoints, ::testing::ValuesIn(splitCases()), splitName);

}  // namespace
}  // namespace attnlab
