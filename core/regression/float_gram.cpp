#include "core/regression/float_gram.hpp"

#include <algorithm>
#include <vector>

#if defined(__AVX512F__)
#include <immintrin.h>
#endif

namespace attnlab::detail {
namespace {

using Eigen::Index;

// Rows per chunk: the chunk's scaled rows c_r·y_r stay in L1 (at most 32 KB) while every tile
// of G reads them.
Index chunkRows(Index width) { return std::max<Index>(8, 8192 / width); }

#if defined(__AVX512F__)
// G(i0 … i0 + 16·kBlocks − 1, j0 … j0 + 7) += Σ_r y_r(i0 …)·z_r(j0 …) over `rows` rows of a chunk
// (rows of y and z: `width` floats), G column-major with leading dimension width. The 16 or 32
// rows of a tile are one or two registers, each of the 8 columns a broadcast: 8·kBlocks FMAs for
// kBlocks + 8 loads, and 8·kBlocks accumulators that stay in registers for the whole chunk.
template <int kBlocks>
void gramTile(const float* y, const float* z, Index rows, Index width, Index i0, Index j0, float* G) {
  __m512 s0[8], s1[8];
  for (int j = 0; j < 8; ++j) s0[j] = s1[j] = _mm512_setzero_ps();
  for (Index r = 0; r < rows; ++r) {
    const float* yr = y + r * width + i0;
    const float* zr = z + r * width + j0;
    const __m512 y0 = _mm512_loadu_ps(yr);
    const __m512 y1 = kBlocks == 2 ? _mm512_loadu_ps(yr + 16) : _mm512_setzero_ps();
    for (int j = 0; j < 8; ++j) {
      const __m512 scale = _mm512_set1_ps(zr[j]);
      s0[j] = _mm512_fmadd_ps(y0, scale, s0[j]);
      if constexpr (kBlocks == 2) s1[j] = _mm512_fmadd_ps(y1, scale, s1[j]);
    }
  }
  for (int j = 0; j < 8; ++j) {
    float* g = G + (j0 + j) * width + i0;
    _mm512_storeu_ps(g, _mm512_add_ps(_mm512_loadu_ps(g), s0[j]));
    if constexpr (kBlocks == 2) _mm512_storeu_ps(g + 16, _mm512_add_ps(_mm512_loadu_ps(g + 16), s1[j]));
  }
}

// The lower triangle of G in tiles of 32 (or, for the last 16, 16) rows × 8 columns (the tiles
// on the diagonal also fill a little of the upper triangle).
void gramChunk(const float* y, const float* z, Index rows, Index width, float* G) {
  for (Index i0 = 0; i0 < width; i0 += 32)
    for (Index j0 = 0; j0 < std::min(width, i0 + 32); j0 += 8) {
      if (width - i0 >= 32)
        gramTile<2>(y, z, rows, width, i0, j0, G);
      else
        gramTile<1>(y, z, rows, width, i0, j0, G);
    }
}
#endif

}  // namespace

Index paddedWidth(Index cols) { return (cols + 15) / 16 * 16; }

void copyRowsToFloat(const Eigen::MatrixXd& A, Index begin, Index end, FloatRows& Y) {
  Y.middleRows(begin, end - begin).leftCols(A.cols()) = A.middleRows(begin, end - begin).cast<float>();
  Y.middleRows(begin, end - begin).rightCols(Y.cols() - A.cols()).setZero();
}

void addFloatGram(const FloatRows& Y, Index begin, Index end, const Eigen::VectorXd& c, Eigen::MatrixXf& G) {
  const Index width = Y.cols(), chunk = chunkRows(width);
  FloatRows Z(std::min(chunk, end - begin), width);  // every row a chunk reads is written first
  for (Index start = begin; start < end; start += chunk) {
    const Index rows = std::min(chunk, end - start);
    const auto y = Y.middleRows(start, rows);
    Z.topRows(rows) = c.segment(start, rows).cast<float>().asDiagonal() * y;
#if defined(__AVX512F__)
    gramChunk(y.data(), Z.data(), rows, width, G.data());
#else
    G.noalias() += y.transpose() * Z.topRows(rows);
#endif
  }
}

bool floatGramUsesAvx512() {
#if defined(__AVX512F__)
  return true;
#else
  return false;
#endif
}

}  // namespace attnlab::detail
