// Quadratics in the plane coordinates: c0 + cs·s + ct·t + css·s² + ctt·t² + cst·s·t.
// Every linear, ridge and ‖diag(w)·Ax‖² term of a loss restricted to a plane x0 + s·u + t·v
// is one, so on a grid it costs O(1) per point after O(n) work for its six coefficients.
#pragma once
#include <Eigen/Dense>

namespace attnlab {

struct PlaneQuadratic {
  double c0 = 0.0, cs = 0.0, ct = 0.0, css = 0.0, ctt = 0.0, cst = 0.0;

  double operator()(double s, double t) const { return c0 + s * (cs + css * s + cst * t) + t * (ct + ctt * t); }

  // The values on one grid row t: out_i = q(s_i, t).
  void row(const Eigen::ArrayXd& s, double t, Eigen::Ref<Eigen::ArrayXd> out) const {
    out = (c0 + t * (ct + ctt * t)) + s * ((cs + cst * t) + css * s);
  }

  PlaneQuadratic& operator+=(const PlaneQuadratic& o);
  PlaneQuadratic operator*(double k) const;

  // ½·Σ_k ω_k (c_k + s·p_k + t·q_k)²; weight empty means ω = 1.
  static PlaneQuadratic halfWeightedNorm(const Eigen::VectorXd& c, const Eigen::VectorXd& p, const Eigen::VectorXd& q,
                                         const Eigen::VectorXd& weight = {});
  // Σ_k b_k (c_k + s·p_k + t·q_k).
  static PlaneQuadratic inner(const Eigen::VectorXd& b, const Eigen::VectorXd& c, const Eigen::VectorXd& p,
                              const Eigen::VectorXd& q);
};

}  // namespace attnlab
