#include "core/attention/favor.hpp"

#include <cmath>

#include "core/random.hpp"

namespace attnlab {
namespace {

// d×d orthogonal matrix, Haar-distributed: QR of a Gaussian matrix with R's diagonal made
// positive (without the sign fix the distribution of Q depends on the QR algorithm).
Eigen::MatrixXd randomOrthogonal(Index d, Random& rng) {
  Eigen::MatrixXd G(d, d);
  for (Index i = 0; i < d; ++i)
    for (Index j = 0; j < d; ++j) G(i, j) = rng.normal();
  const Eigen::HouseholderQR<Eigen::MatrixXd> qr(G);
  Eigen::MatrixXd Q = qr.householderQ() * Eigen::MatrixXd::Identity(d, d);
  for (Index j = 0; j < d; ++j)
    if (qr.matrixQR()(j, j) < 0) Q.col(j) = -Q.col(j);
  return Q;
}

}  // namespace

Eigen::MatrixXd favorProjection(Index m, Index d, std::uint64_t seed, bool orthogonal) {
  Random rng(seed);
  Eigen::MatrixXd W(m, d);
  if (!orthogonal) {
    for (Index r = 0; r < m; ++r)
      for (Index c = 0; c < d; ++c) W(r, c) = rng.normal();
    return W;
  }
  for (Index r0 = 0; r0 < m; r0 += d) {
    const Index rows = std::min(d, m - r0);
    const Eigen::MatrixXd Q = randomOrthogonal(d, rng);
    for (Index r = 0; r < rows; ++r) {
      // A Gaussian vector's length: rows of W are then marginally N(0, I_d).
      double norm2 = 0;
      for (Index c = 0; c < d; ++c) norm2 += std::pow(rng.normal(), 2);
      W.row(r0 + r) = std::sqrt(norm2) * Q.row(r);
    }
  }
  return W;
}

double favorKernelEstimate(const Eigen::MatrixXd& W, const Eigen::VectorXd& q, const Eigen::VectorXd& k,
                           double scale) {
  const double root = std::sqrt(scale);
  const Eigen::VectorXd x = root * q, y = root * k;
  const double half = 0.5 * (x.squaredNorm() + y.squaredNorm());
  return ((W * (x + y)).array() - half).exp().mean();
}

template <class T>
FavorFeatures<T>::FavorFeatures(Eigen::MatrixXd W, double scale)
    : Wt_((std::sqrt(scale) * W.transpose()).cast<T>()), halfScale_(T(0.5 * scale)) {}

template <class T>
void FavorFeatures<T>::queries(const ConstRowsRef<T>& X, RowMatrix<T>& phi) const {
  phi.noalias() = X * Wt_;
  for (Index i = 0; i < phi.rows(); ++i) {
    auto row = phi.row(i).array();
    row = (row - row.maxCoeff()).exp();
  }
}

template <class T>
T FavorFeatures<T>::keys(const ConstRowsRef<T>& X, RowMatrix<T>& phi) const {
  phi.noalias() = X * Wt_;
  phi.array().colwise() -= halfScale_ * X.rowwise().squaredNorm().array();
  const T shift = phi.maxCoeff();
  phi.array() = (phi.array() - shift).exp();
  return shift;
}

template class FavorFeatures<float>;
template class FavorFeatures<double>;

}  // namespace attnlab
