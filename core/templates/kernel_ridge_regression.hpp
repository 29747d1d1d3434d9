// Kernel ridge regression, the limit of kernel gradient flow with weight decay (001 Prop 3.1):
//   f̂(X) = yᵀ(K̂ + λI)⁻¹ k(X),  K̂ᵢⱼ = K(Xᵢ, Xⱼ),  kᵢ(X) = K(Xᵢ, X).
#pragma once
#include <Eigen/Dense>

namespace attnlab {

// Predictions f̂ at the points whose kernel rows against the training set are the rows of
// kTest (m × n). λ ≥ 0; when K̂ + λI is not positive definite (λ = 0 and duplicated training
// strings) the minimum-norm least-squares solution is used instead.
Eigen::VectorXd kernelRidgeRegression(const Eigen::MatrixXd& kTrain, const Eigen::VectorXd& y,
                                      const Eigen::MatrixXd& kTest, double ridge);

double meanSquaredError(const Eigen::VectorXd& prediction, const Eigen::VectorXd& target);

}  // namespace attnlab
