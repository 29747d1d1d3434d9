// The Aᵀ pass over a range of a design's rows, for a few vectors at once (internal to
// core/regression).
//
// A gradient pass sums A_kᵀr over a part's rows; Newton's evaluations also want A_kᵀq and A_kᵀf
// (the curvature's weights) from the same rows. Eigen's GEMM with three right-hand columns packs
// the design first and runs ~6× slower than one GEMV, and three GEMVs read the part three times
// from L2; transposeTimesColumns reads it once, eight design columns at a time, with 8·K sums in
// registers. Each column is summed in the same order whatever K is, so a gradient comes out to
// the same bits alone or with the curvature's sums beside it.
#pragma once
#include <Eigen/Dense>
#include <array>

namespace attnlab::detail {

// out[c] = Σ_{begin ≤ j < end} r[c][j]·a_j (a_j: row j of A) for c < K, each into A.cols()
// doubles. Row `skip`, if in the range, is left out of every column but the first: the
// curvature's sums leave out the dominant row, which they treat apart.
template <int K>
void transposeTimesColumns(const Eigen::MatrixXd& A, Eigen::Index begin, Eigen::Index end,
                           const std::array<const double*, K>& r, Eigen::Index skip, const std::array<double*, K>& out);

extern template void transposeTimesColumns<1>(const Eigen::MatrixXd&, Eigen::Index, Eigen::Index,
                                              const std::array<const double*, 1>&, Eigen::Index,
                                              const std::array<double*, 1>&);
extern template void transposeTimesColumns<2>(const Eigen::MatrixXd&, Eigen::Index, Eigen::Index,
                                              const std::array<const double*, 2>&, Eigen::Index,
                                              const std::array<double*, 2>&);
extern template void transposeTimesColumns<3>(const Eigen::MatrixXd&, Eigen::Index, Eigen::Index,
                                              const std::array<const double*, 3>&, Eigen::Index,
                                              const std::array<double*, 3>&);

}  // namespace attnlab::detail
