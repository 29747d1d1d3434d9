// transposeTimesColumns (design_passes.hpp) against sums in long double: every width of the
// last design-column group, ranges with and without a partial last packet, and the skipped row
// in a whole packet, in the partial one, at either end of the range and outside it. Its first
// column must come out to the same bits whether one or three columns are summed.
#include <gtest/gtest.h>

#include <array>
#include <vector>

#include "core/regression/design_passes.hpp"
#include "unit/regression_testing.hpp"

namespace attnlab {
namespace {

using namespace attnlab::testing;
using detail::transposeTimesColumns;

// Σ_{begin ≤ j < end, j ≠ skip unless keepSkip} r_j a_j in long double.
VectorXd reference(const MatrixXd& A, Index begin, Index end, const VectorXd& r, Index skip, bool keepSkip) {
  VectorXd out(A.cols());
  for (Index l = 0; l < A.cols(); ++l) {
    long double sum = 0.0L;
    for (Index j = begin; j < end; ++j)
      if (keepSkip || j != skip) sum += static_cast<long double>(A(j, l)) * r[j];
    out[l] = static_cast<double>(sum);
  }
  return out;
}

struct Range {
  Index begin, end;
};

TEST(TransposeTimesColumns, MatchesLongDoubleSumsAndSkipsOneRowInAllButTheFirstColumn) {
  Random rng(5);
  const Index n = 203;
  const VectorXd r0 = gaussian(n, 1, rng).col(0), r1 = gaussian(n, 1, rng).col(0), r2 = gaussian(n, 1, rng).col(0);
  for (Index d : {1, 3, 4, 5, 7, 8, 9, 12, 64, 67}) {
    const MatrixXd A = gaussian(n, d, rng);
    for (Range range : {Range{0, n}, Range{16, 96}, Range{3, 200}, Range{40, 45}}) {
      for (Index skip : {Index(-1), range.begin, range.begin + 9, range.end - 1, range.end, Index(100)}) {
        VectorXd one(d), a(d), b(d), c(d);
        transposeTimesColumns<1>(A, range.begin, range.end, {r0.data()}, skip, {one.data()});
        transposeTimesColumns<3>(A, range.begin, range.end, {r0.data(), r1.data(), r2.data()}, skip,
                                 {a.data(), b.data(), c.data()});
        const std::string where = "d " + std::to_string(d) + " rows [" + std::to_string(range.begin) + ", " +
                                  std::to_string(range.end) + ") skip " + std::to_string(skip);
        EXPECT_LT(relativeError(one, reference(A, range.begin, range.end, r0, skip, true)), 1e-13) << where;
        EXPECT_LT(relativeError(b, reference(A, range.begin, range.end, r1, skip, false)), 1e-13) << where;
        EXPECT_LT(relativeError(c, reference(A, range.begin, range.end, r2, skip, false)), 1e-13) << where;
        EXPECT_EQ(a, one) << where;  // the first column's bits do not depend on the others
      }
    }
  }
}

// A skipped row that dominates the others: leaving it out is not the same as subtracting it.
TEST(TransposeTimesColumns, LeavesOutARowThatDwarfsTheRest) {
  Random rng(6);
  const Index n = 64, d = 5, skip = 13;
  const MatrixXd A = gaussian(n, d, rng);
  VectorXd r = gaussian(n, 1, rng).col(0) * 1e-12;
  r[skip] = 1.0;
  VectorXd all(d), rest(d);
  transposeTimesColumns<3>(A, 0, n, {r.data(), r.data(), r.data()}, skip, {all.data(), rest.data(), rest.data()});
  EXPECT_LT(relativeError(rest, reference(A, 0, n, r, skip, false)), 1e-13);
  EXPECT_LT(relativeError(all, reference(A, 0, n, r, skip, true)), 1e-13);
}

}  // namespace
}  // namespace attnlab
