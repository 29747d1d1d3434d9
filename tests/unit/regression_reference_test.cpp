// Every loss against a naive long-double computation written straight from math.md §1 — in
// x-space, with no max shift, no z-blocks, no factoring of scales (long double's exponent
// range reaches e^{±11356}, so exp(740) is just a number) — and every gradient against
// central differences of that reference. This checks the formulas, not only their consistency.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/jobs/part_team.hpp"
#include "unit/regression_testing.hpp"

namespace attnlab {
namespace {

using namespace attnlab::testing;
using Real = long double;
using VectorR = Eigen::Matrix<Real, Eigen::Dynamic, 1>;

// L(x) for a vector kind, from the table in math.md §1.
Real referenceVectorLoss(const Problem& p, const VectorR& x) {
  const Index n = p.A.rows(), d = p.A.cols();
  VectorR z = VectorR::Zero(n), u(n), f(n);
  for (Index i = 0; i < n; ++i)
    for (Index k = 0; k < d; ++k) z[i] += Real(p.A(i, k)) * x[k];
  Real alpha = 0;
  for (Index i = 0; i < n; ++i) alpha += u[i] = std::exp(z[i]);
  for (Index i = 0; i < n; ++i) f[i] = u[i] / alpha;
  Real L = 0;
  for (Index i = 0; i < n; ++i) {
    const Real b = p.b[i];
    switch (p.kind) {
      case Kind::Linear: L += 0.5L * (z[i] - b) * (z[i] - b); break;
      case Kind::Exp: L += 0.5L * (u[i] - b) * (u[i] - b); break;
      case Kind::Softmax: L += 0.5L * (f[i] - b) * (f[i] - b); break;
      case Kind::Rescaled: L += 0.5L * (u[i] - alpha * b) * (u[i] - alpha * b); break;
      case Kind::CrossEntropy: L -= b * std::log(f[i]); break;
      case Kind::InfoPrompt: {
        const Real wz = Real(p.w[i]) * z[i];
        L += 0.5L * (f[i] - b) * (f[i] - b) - b * std::log(f[i]) + 0.5L * wz * wz;
        break;
      }
      default: ADD_FAILURE() << "not a vector kind";
    }
  }
  return L;
}

// ½‖D(X)⁻¹exp(A₁XA₂ᵀ) − B‖_F² and ½‖exp(A₁XA₂ᵀ) − D(X)B‖_F², D(X) = diag(exp(A₁XA₂ᵀ)1),
// X(k, l) = x[k + d·l].
Real referenceAttentionLoss(const Problem& p, const VectorR& x) {
  const Index n = p.A1.rows(), d = p.A1.cols();
  Eigen::Matrix<Real, Eigen::Dynamic, Eigen::Dynamic> E(n, n);
  for (Index i = 0; i < n; ++i)
    for (Index j = 0; j < n; ++j) {
      Real zij = 0;
      for (Index k = 0; k < d; ++k)
        for (Index l = 0; l < d; ++l) zij += Real(p.A1(i, k)) * x[k + d * l] * Real(p.A2(j, l));
      E(i, j) = std::exp(zij);
    }
  Real L = 0;
  for (Index i = 0; i < n; ++i) {
    const Real D = E.row(i).sum();
    for (Index j = 0; j < n; ++j) {
      const Real r = p.kind == Kind::AttentionNormalized ? E(i, j) / D - Real(p.B(i, j)) : E(i, j) - D * Real(p.B(i, j));
      L += 0.5L * r * r;
    }
  }
  return L;
}

Real referenceLoss(const Problem& p, const VectorR& x) {
  const Real ridge = 0.5L * Real(p.l2) * x.squaredNorm();
  return (isAttentionKind(p.kind) ? referenceAttentionLoss(p, x) : referenceVectorLoss(p, x)) + ridge;
}

// Fourth-order central differences in long double: ~1e-13 truncation, ~1e-16 rounding.
VectorXd referenceGradient(const Problem& p, const VectorXd& x, double h) {
  VectorXd g(x.size());
  const VectorR xr = x.cast<Real>();
  for (Index k = 0; k < x.size(); ++k) {
    const auto at = [&](Real t) {
      VectorR y = xr;
      y[k] += t;
      return referenceLoss(p, y);
    };
    g[k] = double((-at(2 * h) + 8 * at(h) - 8 * at(-h) + at(-2 * h)) / (12 * Real(h)));
  }
  return g;
}

double relativeDifference(double value, long double reference) {
  return double(std::fabs((value - reference) / reference));
}

struct Point {
  Kind kind;
  double l2;
  double shift;  // logits ≈ shift + O(1)
  double gap;    // nearly one-hot softmax up to ~e^{−gap} (kept moderate: the naive
                 // reference itself loses (1 − f_top) below ~1e−8)
  const char* label;
};

std::vector<Point> points() {
  std::vector<Point> out;
  for (Kind kind : kAllKinds) {
    out.push_back({kind, 0.0, 0.0, 0.0, "random"});
    out.push_back({kind, 0.4, 0.0, 0.0, "random_ridge"});
  }
  for (Kind kind : {Kind::Softmax, Kind::CrossEntropy, Kind::InfoPrompt, Kind::AttentionNormalized}) {
    out.push_back({kind, 0.0, 740.0, 0.0, "plus740"});
    out.push_back({kind, 0.0, -740.0, 0.0, "minus740"});
    out.push_back({kind, 0.0, 740.0, 12.0, "plus740_nearly_onehot"});
  }
  for (Kind kind : {Kind::Rescaled, Kind::AttentionRescaled}) {
    out.push_back({kind, 0.0, 300.0, 0.0, "plus300"});
    out.push_back({kind, 0.0, -300.0, 0.0, "minus300"});
  }
  out.push_back({Kind::Exp, 0.0, 15.0, 0.0, "plus15"});
  out.push_back({Kind::Exp, 0.0, -15.0, 0.0, "minus15"});
  out.push_back({Kind::Linear, 0.0, 1e6, 0.0, "plus1e6"});
  return out;
}

class Reference : public ::testing::TestWithParam<Point> {
 protected:
  Problem problem() const {
    const Point& pt = GetParam();
    Problem p = randomProblem(pt.kind, 31, pt.l2);
    if (pt.shift != 0.0 || pt.gap != 0.0)
      p = isAttentionKind(pt.kind) ? shiftedAttentionProblem(p, pt.shift, pt.gap)
                                   : shiftedVectorProblem(p, pt.shift, pt.gap);
    if (pt.kind == Kind::InfoPrompt && pt.shift != 0.0) p.w *= 1e-3;
    return p;
  }
};

TEST_P(Reference, LossMatchesTheFormula) {
  const Problem p = problem();
  const double L = Loss(p).value(p.x);
  EXPECT_LT(relativeDifference(L, referenceLoss(p, p.x.cast<Real>())), 1e-12) << "loss " << L;
}

TEST_P(Reference, GradientMatchesDifferencesOfTheFormula) {
  const Problem p = problem();
  const VectorXd g = Loss(p).gradient(p.x);
  EXPECT_LT(relativeError(g, referenceGradient(p, p.x, 1e-3)), 1e-9);
}

std::string pointName(const ::testing::TestParamInfo<Point>& info) {
  return std::string(kindName(info.param.kind)) + "_" + info.param.label;
}

INSTANTIATE_TEST_SUITE_P(Formulas, Reference, ::testing::ValuesIn(points()), pointName);

// The softmax kinds with enough rows (n·d ≥ 2·2¹⁷) that their z-space work is split over row
// parts (each part's own max and exponentials, combined after): the loss and gradient still
// match the formula, with the dominant row in the first part or the last, alone or on a team.
TEST(Reference, SoftmaxKindsSplitIntoRowPartsMatchTheFormula) {
  constexpr Index kRows = 44001;  // d = 4 + 2: two row parts
  PartTeam team(2);
  for (Kind kind : {Kind::Softmax, Kind::CrossEntropy, Kind::InfoPrompt})
    for (Index top : {Index(2), kRows - 3})
      for (const Point& pt : {Point{kind, 0.0, 0.0, 0.0, "random"}, Point{kind, 0.3, 740.0, 0.0, "plus740"},
                              Point{kind, 0.0, -740.0, 0.0, "minus740"},
                              Point{kind, 0.0, 740.0, 12.0, "plus740_nearly_onehot"}}) {
        Problem p = randomProblem(kind, 33, pt.l2, kRows, 4);
        p = shiftedVectorProblem(p, pt.shift, pt.gap, top);
        if (kind == Kind::InfoPrompt && pt.shift != 0.0) p.w *= 1e-3;
        const Loss loss(p);
        const std::string what = std::string(kindName(kind)) + " " + pt.label + " top " + std::to_string(top);
        EXPECT_LT(relativeDifference(loss.value(p.x), referenceLoss(p, p.x.cast<Real>())), 1e-12) << what;
        VectorXd g, teamGrad;
        const double L = loss.valueAndGradient(p.x, g);
        EXPECT_EQ(loss.onTeam(&team).valueAndGradient(p.x, teamGrad), L) << what;
        EXPECT_EQ(teamGrad, g) << what;
        EXPECT_LT(relativeError(g, referenceGradient(p, p.x, 1e-3)), 1e-9) << what;
      }
}

// A case small enough to do by hand: A = I₂, x = (1, 0), b = (0.25, 0.75).
TEST(Reference, TwoByTwoByHand) {
  Problem p;
  p.A = MatrixXd::Identity(2, 2);
  p.b = Eigen::Vector2d(0.25, 0.75);
  p.w = Eigen::Vector2d(0.5, 2.0);
  p.x = Eigen::Vector2d(1.0, 0.0);
  const double e = std::exp(1.0), f0 = e / (e + 1), f1 = 1 / (e + 1);
  const double softmax = 0.5 * ((f0 - 0.25) * (f0 - 0.25) + (f1 - 0.75) * (f1 - 0.75));
  const double crossEntropy = -0.25 * std::log(f0) - 0.75 * std::log(f1);
  const std::vector<std::pair<Kind, double>> expected = {
      {Kind::Linear, 0.5 * (0.75 * 0.75 + 0.75 * 0.75)},
      {Kind::Exp, 0.5 * ((e - 0.25) * (e - 0.25) + 0.25 * 0.25)},
      {Kind::Softmax, softmax},
      {Kind::Rescaled, 0.5 * ((e - 0.25 * (e + 1)) * (e - 0.25 * (e + 1)) + (1 - 0.75 * (e + 1)) * (1 - 0.75 * (e + 1)))},
      {Kind::CrossEntropy, crossEntropy},
      {Kind::InfoPrompt, softmax + crossEntropy + 0.5 * 0.25},
  };
  for (const auto& [kind, value] : expected) {
    p.kind = kind;
    EXPECT_NEAR(Loss(p).value(p.x), value, 1e-15 * std::max(1.0, value)) << kindName(kind);
  }
}

// 003's matrix problems with n = 1: one row, B = (1), so the normalized loss is ½(1 − 1)² = 0 and
// the rescaled one ½(e^z − e^z)² = 0 whatever X is — exactly, not up to rounding.
TEST(Reference, SingleTokenAttentionIsExactlyZero) {
  for (Kind kind : {Kind::AttentionNormalized, Kind::AttentionRescaled}) {
    Problem p;
    p.kind = kind;
    p.A1 = MatrixXd::Constant(1, 2, 0.5);
    p.A2 = MatrixXd::Constant(1, 2, 3.0);
    p.B = MatrixXd::Ones(1, 1);
    p.x = VectorXd::Constant(4, 50.0);  // z = 300
    const Loss loss(p);
    EXPECT_EQ(loss.value(p.x), 0.0) << kindName(kind);
    EXPECT_EQ(loss.gradient(p.x), VectorXd::Zero(4)) << kindName(kind);
  }
}

}  // namespace
}  // namespace attnlab
