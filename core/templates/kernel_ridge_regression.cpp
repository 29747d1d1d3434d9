#include "core/templates/kernel_ridge_regression.hpp"

namespace attnlab {

Eigen::VectorXd kernelRidgeRegression(const Eigen::MatrixXd& kTrain, const Eigen::VectorXd& y,
                                      const Eigen::MatrixXd& kTest, double ridge) {
  // Symmetrised: Monte Carlo sums of pᵢᵀGpⱼ and pⱼᵀGpᵢ differ in the last bits.
  Eigen::MatrixXd A = 0.5 * (kTrain + kTrain.transpose());
  A.diagonal().array() += ridge;
  const Eigen::LLT<Eigen::MatrixXd> llt(A);
  if (llt.info() == Eigen::Success) return kTest * llt.solve(y);
  return kTest * A.completeOrthogonalDecomposition().solve(y);
}

double meanSquaredError(const Eigen::VectorXd& prediction, const Eigen::VectorXd& target) {
  return (prediction - target).squaredNorm() / double(target.size());
}

}  // namespace attnlab
