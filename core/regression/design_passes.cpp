#include "core/regression/design_passes.hpp"

#include <algorithm>

namespace attnlab::detail {
namespace {

using Eigen::Index;
namespace ei = Eigen::internal;
using Packet = ei::packet_traits<double>::type;  // the widest: 8 doubles with AVX-512
constexpr Index kPacket = ei::unpacket_traits<Packet>::size;
// Design columns summed at once: W·K sums in registers, W streams of A for the prefetcher (one
// right-hand column: 8; three: 4, measured ~20 % faster than 8 at d = 64).
template <int K>
constexpr int kDesignColumns = K == 1 ? 8 : 4;

// acc[j][c] += a_j[i, i + kPacket) · x[c] for W design columns and K right-hand packets.
template <int W, int K>
inline void accumulate(const double* const (&a)[W], Index i, const Packet (&x)[K], Packet (&acc)[W][K]) {
  for (int j = 0; j < W; ++j) {
    const Packet y = ei::ploadu<Packet>(a[j] + i);
    for (int c = 0; c < K; ++c) acc[j][c] = ei::pmadd(y, x[c], acc[j][c]);
  }
}

template <int W, int K>
inline void accumulateRange(const double* const (&a)[W], Index from, Index to, const std::array<const double*, K>& r,
                            Packet (&acc)[W][K]) {
  Packet x[K];
  for (Index i = from; i < to; i += kPacket) {
    for (int c = 0; c < K; ++c) x[c] = ei::ploadu<Packet>(r[c] + i);
    accumulate<W, K>(a, i, x, acc);
  }
}

// Design columns a[0 … W) against the K right-hand columns, over [begin, end).
template <int W, int K>
void sumColumns(const double* const (&a)[W], Index begin, Index end, const std::array<const double*, K>& r,
                Index skip, Index column, const std::array<double*, K>& out) {
  Packet acc[W][K];
  for (int j = 0; j < W; ++j)
    for (int c = 0; c < K; ++c) acc[j][c] = ei::pset1<Packet>(0.0);
  const Index whole = begin + (end - begin) / kPacket * kPacket;
  if (skip >= begin && skip < whole) {  // the packet that holds it: its row zeroed in all but the first
    const Index at = begin + (skip - begin) / kPacket * kPacket;
    accumulateRange<W, K>(a, begin, at, r, acc);
    Packet x[K];
    alignas(64) double copy[kPacket];
    for (int c = 0; c < K; ++c) {
      std::copy(r[c] + at, r[c] + at + kPacket, copy);
      if (c > 0) copy[skip - at] = 0.0;
      x[c] = ei::ploadu<Packet>(copy);
    }
    accumulate<W, K>(a, at, x, acc);
    accumulateRange<W, K>(a, at + kPacket, whole, r, acc);
  } else {
    accumulateRange<W, K>(a, begin, whole, r, acc);
  }
  for (int j = 0; j < W; ++j)
    for (int c = 0; c < K; ++c) {
      double sum = ei::predux(acc[j][c]);
      for (Index i = whole; i < end; ++i)
        if (c == 0 || i != skip) sum += a[j][i] * r[c][i];
      out[c][column + j] = sum;
    }
}

template <int W, int K>
void sumColumnsFrom(const Eigen::MatrixXd& A, Index column, Index begin, Index end,
                    const std::array<const double*, K>& r, Index skip, const std::array<double*, K>& out) {
  const double* a[W];
  for (int j = 0; j < W; ++j) a[j] = A.col(column + j).data();
  sumColumns<W, K>(a, begin, end, r, skip, column, out);
}

}  // namespace

template <int K>
void transposeTimesColumns(const Eigen::MatrixXd& A, Index begin, Index end, const std::array<const double*, K>& r,
                           Index skip, const std::array<double*, K>& out) {
  const Index d = A.cols();
  Index column = 0;
  for (; column + kDesignColumns<K> <= d; column += kDesignColumns<K>)
    sumColumnsFrom<kDesignColumns<K>, K>(A, column, begin, end, r, skip, out);
  switch (d - column) {  // the last few columns
    case 7: sumColumnsFrom<7, K>(A, column, begin, end, r, skip, out); break;
    case 6: sumColumnsFrom<6, K>(A, column, begin, end, r, skip, out); break;
    case 5: sumColumnsFrom<5, K>(A, column, begin, end, r, skip, out); break;
    case 4: sumColumnsFrom<4, K>(A, column, begin, end, r, skip, out); break;
    case 3: sumColumnsFrom<3, K>(A, column, begin, end, r, skip, out); break;
    case 2: sumColumnsFrom<2, K>(A, column, begin, end, r, skip, out); break;
    case 1: sumColumnsFrom<1, K>(A, column, begin, end, r, skip, out); break;
    default: break;
  }
}

template void transposeTimesColumns<1>(const Eigen::MatrixXd&, Index, Index, const std::array<const double*, 1>&, Index,
                                       const std::array<double*, 1>&);
template void transposeTimesColumns<2>(const Eigen::MatrixXd&, Index, Index, const std::array<const double*, 2>&, Index,
                                       const std::array<double*, 2>&);
template void transposeTimesColumns<3>(const Eigen::MatrixXd&, Index, Index, const std::array<const double*, 3>&, Index,
                                       const std::array<double*, 3>&);

}  // namespace attnlab::detail
