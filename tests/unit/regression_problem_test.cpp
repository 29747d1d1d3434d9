// Kind names and validate(): shapes, finiteness, the infoprompt weights, the ridge, and where
// each rejection points (field, row, column).
#include <gtest/gtest.h>

#include <limits>
#include <string>

#include "core/errors.hpp"
#include "unit/regression_testing.hpp"

namespace attnlab {
namespace {

using namespace attnlab::testing;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

TEST(KindNames, RoundTripWithTheDocumentedNames) {
  const char* names[] = {"linear",        "exp",        "softmax",              "rescaled",
                         "cross_entropy", "infoprompt", "attention_normalized", "attention_rescaled"};
  for (std::size_t i = 0; i < kAllKinds.size(); ++i) {
    EXPECT_EQ(kindName(kAllKinds[i]), names[i]);
    EXPECT_EQ(kindFromName(names[i]), kAllKinds[i]);
  }
}

TEST(KindNames, UnknownNamesAreRejected) {
  for (const char* bad : {"", "Softmax", "softmax ", "attention", "cross-entropy"})
    EXPECT_FALSE(kindFromName(bad).has_value()) << bad;
}

TEST(KindNames, OnlyTheMatrixKindsAreAttentionKinds) {
  for (Kind k : kAllKinds)
    EXPECT_EQ(isAttentionKind(k), k == Kind::AttentionNormalized || k == Kind::AttentionRescaled);
}

// Runs validate and returns where it complained (fails the test if it did not).
InputLocation rejection(Problem p, const std::string& expectedField) {
  try {
    validate(p);
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().field, expectedField) << e.what();
    EXPECT_NE(std::string(e.what()).find("field '" + expectedField + "'"), std::string::npos) << e.what();
    return e.where();
  }
  ADD_FAILURE() << "validate accepted a problem with a bad '" << expectedField << "'";
  return {};
}

TEST(Validate, AcceptsGoodProblemsAndFillsAMissingPointWithZeros) {
  for (Kind kind : kAllKinds) {
    Problem p = randomProblem(kind, 1);
    p.x.resize(0);
    EXPECT_NO_THROW(validate(p)) << kindName(kind);
    EXPECT_EQ(p.x, VectorXd::Zero(p.dim())) << kindName(kind);
  }
}

TEST(Validate, KeepsAGivenPoint) {
  Problem p = randomProblem(Kind::AttentionRescaled, 2);
  const VectorXd x = p.x;
  validate(p);
  EXPECT_EQ(p.x, x);
}

TEST(Validate, NamesTheRowAndColumnOfANonFiniteMatrixEntry) {
  Problem p = randomProblem(Kind::Softmax, 3);
  p.A(2, 1) = kNaN;
  const InputLocation at = rejection(p, "A");
  EXPECT_EQ(at.row, 2);
  EXPECT_EQ(at.column, 1);

  p = randomProblem(Kind::AttentionNormalized, 3);
  p.B(1, 2) = -kInf;
  const InputLocation atB = rejection(p, "B");
  EXPECT_EQ(atB.row, 1);
  EXPECT_EQ(atB.column, 2);

  p = randomProblem(Kind::AttentionNormalized, 3);
  p.A2(0, 3) = kNaN;
  EXPECT_EQ(rejection(p, "A2").column, 3);
}

TEST(Validate, NamesTheEntryOfANonFiniteVector) {
  Problem p = randomProblem(Kind::Exp, 4);
  p.b[5] = kInf;
  const InputLocation at = rejection(p, "b");
  EXPECT_EQ(at.row, 5);
  EXPECT_FALSE(at.column.has_value());

  p = randomProblem(Kind::Linear, 4);
  p.x[3] = kNaN;
  EXPECT_EQ(rejection(p, "x").row, 3);

  p = randomProblem(Kind::InfoPrompt, 4);
  p.w[0] = kNaN;
  EXPECT_EQ(rejection(p, "w").row, 0);
}

// The attention point is the d×d matrix X (x = vec(X)): a bad x[k + d·l] is X(k, l).
TEST(Validate, ReportsABadAttentionPointAsTheMatrixX) {
  Problem p = randomProblem(Kind::AttentionRescaled, 5, 0.0, 4, 3);
  p.x[1 + 3 * 2] = kNaN;
  const InputLocation at = rejection(p, "X");
  EXPECT_EQ(at.row, 1);
  EXPECT_EQ(at.column, 2);
}

TEST(Validate, RejectsShapesThatDisagree) {
  Problem p = randomProblem(Kind::Softmax, 6);
  p.b.resize(p.n() - 1);
  rejection(p, "b");

  p = randomProblem(Kind::Softmax, 6);
  p.A.resize(0, 4);
  rejection(p, "A");

  p = randomProblem(Kind::Softmax, 6);
  p.A.resize(7, 0);
  rejection(p, "A");

  p = randomProblem(Kind::Linear, 6);
  p.x.resize(p.d() + 1);
  rejection(p, "x");

  p = randomProblem(Kind::AttentionNormalized, 6);
  p.A2.resize(p.n(), p.d() + 1);
  rejection(p, "A2");

  p = randomProblem(Kind::AttentionNormalized, 6);
  p.B.resize(p.n(), p.n() + 1);
  rejection(p, "B");

  p = randomProblem(Kind::AttentionRescaled, 6);
  p.A1.resize(0, 0);
  rejection(p, "A1");

  p = randomProblem(Kind::AttentionRescaled, 6);
  p.x.resize(p.d());  // d instead of d²
  rejection(p, "X");
}

TEST(Validate, InfopromptNeedsItsWeights) {
  Problem p = randomProblem(Kind::InfoPrompt, 7);
  p.w.resize(0);
  rejection(p, "w");
  p.w = VectorXd::Ones(p.n() + 2);
  rejection(p, "w");
  p.w = VectorXd::Zero(p.n());  // zeros given explicitly are fine
  EXPECT_NO_THROW(validate(p));
}

TEST(Validate, RidgeMustBeFiniteAndNonNegative) {
  for (double l2 : {-1e-3, kNaN, kInf}) {
    Problem p = randomProblem(Kind::Softmax, 8);
    p.l2 = l2;
    rejection(p, "l2");
  }
}

TEST(Validate, IgnoresFieldsTheKindDoesNotUse) {
  Problem vector = randomProblem(Kind::Softmax, 9);
  vector.A1 = MatrixXd::Constant(2, 3, kNaN);
  vector.w = VectorXd::Constant(1, kNaN);  // only infoprompt reads w
  EXPECT_NO_THROW(validate(vector));

  Problem attention = randomProblem(Kind::AttentionNormalized, 9);
  attention.A = MatrixXd::Constant(1, 1, kNaN);
  attention.b = VectorXd::Constant(5, kInf);
  EXPECT_NO_THROW(validate(attention));
}

TEST(LossConstruction, RejectsShapesThatDisagree) {
  Problem p = randomProblem(Kind::CrossEntropy, 10);
  p.b.resize(2);
  EXPECT_THROW(Loss{p}, InputError);
  p = randomProblem(Kind::InfoPrompt, 10);
  p.w.resize(0);
  EXPECT_THROW(Loss{p}, InputError);
  EXPECT_THROW(Loss{std::shared_ptr<const Problem>()}, std::invalid_argument);
}

}  // namespace
}  // namespace attnlab
