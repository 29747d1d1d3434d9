// The float32 Gram kernel of Newton's mixed-precision Hessian (core/regression/float_gram.hpp)
// against double sums of the same float32 rows: every width around the 16- and 32-row tiles and
// the 8-column tiles, row ranges that cut chunks, weights of both signs.
#include <gtest/gtest.h>

#include <cmath>

#include "core/regression/float_gram.hpp"
#include "unit/regression_testing.hpp"

namespace attnlab::detail {
namespace {

using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;

// The same sum in double over the float32 rows (so only the kernel's float32 accumulation differs).
MatrixXd reference(const FloatRows& Y, Index begin, Index end, const VectorXd& c) {
  const MatrixXd y = Y.middleRows(begin, end - begin).cast<double>();
  const VectorXd w = c.segment(begin, end - begin).cast<float>().cast<double>();
  return y.transpose() * w.asDiagonal() * y;
}

TEST(FloatGram, MatchesDoubleSumsForEveryWidth) {
  std::printf("kernel: %s\n", floatGramUsesAvx512() ? "AVX-512 tiles" : "Eigen GEMM");
  for (Index d : {1, 2, 7, 15, 16, 17, 31, 32, 33, 48, 64, 70, 100}) {
    const Index n = 777;
    Random rng(static_cast<std::uint64_t>(100 * d));
    const MatrixXd A = testing::gaussian(n, d, rng, 1.0);
    const VectorXd c = testing::gaussian(n, 1, rng, 1.0).col(0);  // both signs
    FloatRows Y(n, paddedWidth(d));
    copyRowsToFloat(A, 0, n, Y);
    ASSERT_EQ(Y.cols() % 16, 0);
    EXPECT_TRUE(Y.rightCols(Y.cols() - d).isZero());
    for (auto [begin, end] : {std::pair<Index, Index>{0, n}, {13, 500}, {500, 501}}) {
      const Index width = Y.cols();
      Eigen::MatrixXf G = Eigen::MatrixXf::Constant(width, width, 0.5f);
      addFloatGram(Y, begin, end, c, G);
      const MatrixXd expected = reference(Y, begin, end, c);
      const double scale = expected.cwiseAbs().maxCoeff() + 1.0;
      for (Index j = 0; j < d; ++j)
        for (Index i = j; i < d; ++i)
          ASSERT_NEAR(G(i, j) - 0.5, expected(i, j), 1e-5 * scale) << "d " << d << " (" << i << ", " << j << ")";
    }
  }
}

// The padded copy keeps every row's values, and float32 rounding is all that changes them.
TEST(FloatGram, CopiesRowsToFloat32) {
  Random rng(5);
  const MatrixXd A = testing::gaussian(40, 20, rng, 3.0);
  FloatRows Y = FloatRows::Constant(40, paddedWidth(20), 7.0f);
  copyRowsToFloat(A, 10, 30, Y);
  EXPECT_EQ(Y.cols(), 32);
  EXPECT_TRUE(Y.middleRows(10, 20).leftCols(20).isApprox(A.middleRows(10, 20).cast<float>()));
  EXPECT_TRUE(Y.middleRows(10, 20).rightCols(12).isZero());
  EXPECT_EQ(Y(0, 0), 7.0f);  // rows outside the range untouched
  EXPECT_EQ(Y(39, 31), 7.0f);
}

}  // namespace
}  // namespace attnlab::detail
