// The AMX bf16x3 Gram kernel of Newton's mixed-precision Hessian (core/regression/tile_gram.hpp)
// against double sums of the same float32 values: every width around the 16-column tiles, row
// ranges that cut the 32-row blocks and the chunks, weights of both signs;
// and values whose low bits only the lo halves carry. Skipped where the CPU has no AMX.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "core/regression/float_gram.hpp"
#include "core/regression/tile_gram.hpp"
#include "unit/regression_testing.hpp"

namespace attnlab::detail {
namespace {

using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;

#define SKIP_WITHOUT_TILES() \
  if (!tileGramAvailable()) GTEST_SKIP() << "no AMX-BF16 tiles on this machine"

struct Sums {
  MatrixXd gram;     // the sum in double of the float32 values
  MatrixXd gramAbs;  // the same sum of |terms|: what float32 rounding is relative to
};

Sums reference(const MatrixXd& A, Index begin, Index end, const VectorXd& c) {
  const Index n = end - begin;
  MatrixXd z(n, A.cols());  // c_r·y_r rounded to float32, as the kernel rounds it
  for (Index j = 0; j < A.cols(); ++j)
    for (Index r = 0; r < n; ++r) z(r, j) = double(float(c[begin + r] * A(begin + r, j)));
  const MatrixXd y = A.middleRows(begin, n).cast<float>().cast<double>();
  return {z.transpose() * y, z.cwiseAbs().transpose() * y.cwiseAbs()};
}

// bf16x3 keeps 16 significant bits of each factor: relative errors of ~3·2⁻¹⁷ per term, plus
// float32 accumulation.
constexpr double kTermTolerance = 4e-5;
// G starts at 0.5 (the kernel adds to it): the float32 sum rounds by up to half an ulp of 0.5.
constexpr double kOffsetUlp = 3e-8;

void expectGram(const MatrixXd& A, Index begin, Index end, const VectorXd& c) {
  const Index d = A.cols(), width = paddedWidth(d);
  const TileDesign Y = packTileDesign(A, begin, end);
  Eigen::MatrixXf G = Eigen::MatrixXf::Constant(width, width, 0.5f);
  addTileGram(Y, A, c, G);
  const Sums expected = reference(A, begin, end, c);
  for (Index j = 0; j < d; ++j)
    for (Index i = j; i < d; ++i)
      ASSERT_NEAR(G(i, j) - 0.5, expected.gram(i, j), kTermTolerance * expected.gramAbs(i, j) + kOffsetUlp)
          << "d " << d << " rows [" << begin << ", " << end << ") entry (" << i << ", " << j << ")";
  for (Index j = d; j < width; ++j)
    for (Index i = j; i < width; ++i) ASSERT_EQ(G(i, j), 0.5f) << "padding (" << i << ", " << j << ")";
}

TEST(TileGram, MatchesDoubleSumsForEveryWidth) {
  SKIP_WITHOUT_TILES();
  prepareTileState();  // as a PartTeam's threadStart does: it must leave no configuration behind
  for (Index d : {1, 2, 7, 15, 16, 17, 31, 32, 33, 48, 64, 70, 100}) {
    const Index n = 777;
    Random rng(static_cast<std::uint64_t>(100 * d));
    const MatrixXd A = testing::gaussian(n, d, rng, 1.0);
    const VectorXd c = testing::gaussian(n, 1, rng, 1.0).col(0);  // both signs
    for (auto [begin, end] : {std::pair<Index, Index>{0, n}, {13, 500}, {500, 501}, {64, 192}})
      expectGram(A, begin, end, c);
  }
}

// 1 + 2⁻¹⁰ is not a bfloat16 (8 significant bits): hi·hi alone would be off by 2⁻⁹ relative in
// every term, and the terms all have one sign, so nothing averages out.
TEST(TileGram, CarriesTheBitsBeyondOneBfloat16) {
  SKIP_WITHOUT_TILES();
  const Index n = 300, d = 20;
  const MatrixXd A = MatrixXd::Constant(n, d, 1.0 + std::ldexp(1.0, -10) + std::ldexp(1.0, -15));
  const VectorXd c = VectorXd::Constant(n, 1.0 - std::ldexp(1.0, -12));
  expectGram(A, 0, n, c);
  const TileDesign Y = packTileDesign(A, 0, n);
  Eigen::MatrixXf G = Eigen::MatrixXf::Zero(paddedWidth(d), paddedWidth(d));
  addTileGram(Y, A, c, G);
  const double exact = double(n) * c[0] * A(0, 0) * A(0, 0);
  EXPECT_NEAR(G(5, 3), exact, 2e-6 * exact);
}

// Word (t, j) of block (rb, cb) holds rows 2t and 2t + 1 of column 16·cb + j, low half first;
// hi + lo is the float32 value to 16 bits; rows past the end and columns past the design are 0.
TEST(TileGram, PacksPairsOfRowsColumnByColumn) {
  SKIP_WITHOUT_TILES();
  Random rng(3);
  const MatrixXd A = testing::gaussian(70, 20, rng, 2.0);
  const Index begin = 5, end = 70;
  const TileDesign Y = packTileDesign(A, begin, end);
  ASSERT_EQ(Y.rowBlocks, 3);
  ASSERT_EQ(Y.colBlocks, 2);
  const auto bf16 = [](std::uint32_t word, int half) {
    const std::uint32_t bits = (half == 0 ? word & 0xFFFFu : word >> 16) << 16;
    float value;
    std::memcpy(&value, &bits, sizeof value);
    return double(value);
  };
  for (Index rb = 0; rb < Y.rowBlocks; ++rb)
    for (Index cb = 0; cb < Y.colBlocks; ++cb)
      for (int t = 0; t < 16; ++t)
        for (int j = 0; j < 16; ++j)
          for (int half = 0; half < 2; ++half) {
            const Index row = begin + rb * 32 + 2 * t + half, col = cb * 16 + j;
            const double value = bf16(Y.hiTile(rb, cb)[t * 16 + j], half) + bf16(Y.loTile(rb, cb)[t * 16 + j], half);
            const double expected = row < end && col < A.cols() ? double(float(A(row, col))) : 0.0;
            ASSERT_NEAR(value, expected, std::ldexp(std::abs(expected), -16)) << row << ", " << col;
          }
}

}  // namespace
}  // namespace attnlab::detail
