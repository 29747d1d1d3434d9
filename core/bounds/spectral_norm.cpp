#include "core/bounds/spectral_norm.hpp"

#include <algorithm>
#include <cmath>

namespace attnlab {

double spectralNorm(const Eigen::MatrixXd& M) {
  if (M.size() == 0) return 0.0;
  const double scale = M.cwiseAbs().maxCoeff();
  if (scale == 0.0) return 0.0;
  const Eigen::MatrixXd S = M / scale;
  const Eigen::MatrixXd gram = S.cols() <= S.rows() ? Eigen::MatrixXd(S.transpose() * S)
                                                    : Eigen::MatrixXd(S * S.transpose());
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(gram, Eigen::EigenvaluesOnly);
  return scale * std::sqrt(std::max(eig.eigenvalues().maxCoeff(), 0.0));
}

}  // namespace attnlab
