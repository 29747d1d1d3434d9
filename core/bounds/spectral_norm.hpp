// ‖M‖, the largest singular value: the norm of A, of ΔA and of the random perturbation G in
// the shift bounds (math.md §2: "‖·‖ the spectral norm of a matrix").
#pragma once
#include <Eigen/Dense>

namespace attnlab {

// √λ_max of the smaller Gram matrix (MᵀM or MMᵀ), M scaled by its largest entry first so that
// neither entries near 1e-160 nor near 1e160 under- or overflow when squared. 0 for an empty
// or zero matrix. Cost O(nd·min(n, d) + min(n, d)³).
double spectralNorm(const Eigen::MatrixXd& M);

}  // namespace attnlab
