// The Gram sum of Newton's mixed-precision Hessian, in float32 (internal to core/regression):
//     lower(G) += Σ_r c_r y_r y_rᵀ
// over the rows y_r of a row-major float32 copy of the design, its width padded with zeros to a
// multiple of 16 (one AVX-512 register). Eigen has no fast float32 SYRK: its GEMM forms the full
// product at ~70% of the core's peak, and a product of half-width blocks loses that rate, so the
// lower triangle alone costs as much as the full square. With AVX-512 the lower triangle is
// summed here by a register-tiled kernel (32 rows × 8 columns of G held in 32 registers while a
// chunk of rows streams past), about 1.8× faster than Eigen's GEMM at d = 64; elsewhere Eigen's
// GEMM computes the full square.
#pragma once
#include <Eigen/Dense>

namespace attnlab::detail {

using FloatRows = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// Columns of the padded copy of a design with `cols` columns.
Eigen::Index paddedWidth(Eigen::Index cols);

// The float32 copy of rows [begin, end) of A into the same rows of Y (Y: A.rows() × paddedWidth).
void copyRowsToFloat(const Eigen::MatrixXd& A, Eigen::Index begin, Eigen::Index end, FloatRows& Y);

// For rows [begin, end) of Y, into G (p × p, p = Y.cols()): Σ c_r y_r y_rᵀ in at least its lower
// triangle. Summed in float32 over chunks of rows, each chunk's sums in registers.
void addFloatGram(const FloatRows& Y, Eigen::Index begin, Eigen::Index end, const Eigen::VectorXd& c,
                  Eigen::MatrixXf& G);

bool floatGramUsesAvx512();  // which kernel addFloatGram runs (for tests and benchmarks)

}  // namespace attnlab::detail
