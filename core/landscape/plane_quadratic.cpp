#include "core/landscape/plane_quadratic.hpp"

namespace attnlab {

PlaneQuadratic& PlaneQuadratic::operator+=(const PlaneQuadratic& o) {
  c0 += o.c0;
  cs += o.cs;
  ct += o.ct;
  css += o.css;
  ctt += o.ctt;
  cst += o.cst;
  return *this;
}

PlaneQuadratic PlaneQuadratic::operator*(double k) const {
  return {k * c0, k * cs, k * ct, k * css, k * ctt, k * cst};
}

PlaneQuadratic PlaneQuadratic::halfWeightedNorm(const Eigen::VectorXd& c, const Eigen::VectorXd& p,
                                                const Eigen::VectorXd& q, const Eigen::VectorXd& weight) {
  const Eigen::VectorXd wc = weight.size() ? Eigen::VectorXd(weight.cwiseProduct(c)) : c;
  const Eigen::VectorXd wp = weight.size() ? Eigen::VectorXd(weight.cwiseProduct(p)) : p;
  return {0.5 * wc.dot(c), wc.dot(p), wc.dot(q), 0.5 * wp.dot(p), weight.size() ? 0.5 * weight.cwiseProduct(q).dot(q)
                                                                                 : 0.5 * q.squaredNorm(),
          wp.dot(q)};
}

PlaneQuadratic PlaneQuadratic::inner(const Eigen::VectorXd& b, const Eigen::VectorXd& c, const Eigen::VectorXd& p,
                                     const Eigen::VectorXd& q) {
  return {b.dot(c), b.dot(p), b.dot(q), 0.0, 0.0, 0.0};
}

}  // namespace attnlab
