#include "core/landscape/plane.hpp"

#include <algorithm>
#include <string>

#include "core/errors.hpp"
#include "core/random.hpp"

namespace attnlab {
namespace {

using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;

InputLocation fieldNamed(const std::string& field) {
  return {.file = "", .field = field, .row = std::nullopt, .column = std::nullopt};
}

void requireLength(const VectorXd& direction, Index dim, const std::string& field) {
  if (direction.size() != dim)
    throw InputError("has " + std::to_string(direction.size()) + " entries, the problem has " + std::to_string(dim) +
                         " parameters",
                     fieldNamed(field));
}

VectorXd gaussianDirection(Index dim, Random& rng, double norm) {
  VectorXd w(dim);
  for (Index k = 0; k < dim; ++k) w(k) = rng.normal();
  const double length = w.norm();
  return length > 0 ? VectorXd(w * (norm / length)) : w;
}

// The iterates that enter the decomposition, as displacements from x0 (columns): all of them
// up to kPcaIterates, else evenly spaced ones with the last always kept.
MatrixXd displacements(const VectorXd& x0, const Trajectory& trajectory) {
  const std::size_t T = trajectory.size();
  const std::size_t kept = std::min(T, kPcaIterates);
  MatrixXd D(x0.size(), static_cast<Index>(kept));
  for (std::size_t c = 0; c < kept; ++c) {
    const std::size_t k = kept == T ? c : (T - 1) - ((kept - 1 - c) * (T - 1)) / (kept - 1);
    D.col(static_cast<Index>(c)) = trajectory[k].x - x0;
  }
  return D;
}

// A unit vector orthogonal to u: the coordinate axis least aligned with u, Gram–Schmidt'ed.
VectorXd orthogonalCompletion(const VectorXd& u) {
  Index k = 0;
  u.cwiseAbs().minCoeff(&k);
  VectorXd v = -u(k) * u;
  v(k) += 1.0;
  return v.normalized();
}

// Deterministic sign: the trajectory's last displacement has a non-negative coordinate along
// w, or, if it has none, w's largest entry is positive.
void orient(VectorXd& w, const VectorXd& last) {
  double along = w.dot(last);
  if (along == 0) {
    Index k = 0;
    w.cwiseAbs().maxCoeff(&k);
    along = w(k);
  }
  if (along < 0) w = -w;
}

}  // namespace

Plane givenPlane(VectorXd x0, VectorXd u, VectorXd v) {
  requireLength(u, x0.size(), "plane.u");
  requireLength(v, x0.size(), "plane.v");
  return {std::move(x0), std::move(u), std::move(v)};
}

Plane randomPlane(const VectorXd& x0, std::uint64_t seed) {
  Random rng(seed);
  const double norm = x0.norm() > 0 ? x0.norm() : 1.0;
  VectorXd u = gaussianDirection(x0.size(), rng, norm);
  VectorXd v = gaussianDirection(x0.size(), rng, norm);
  return {x0, std::move(u), std::move(v)};
}

Plane axesPlane(const VectorXd& x0, Index i, Index j) {
  const Index dim = x0.size();
  if (i < 0 || j < 0 || i >= dim || j >= dim)
    throw InputError("axes must lie in [0, " + std::to_string(dim) + ") (got " + std::to_string(i) + "," +
                         std::to_string(j) + ")",
                     fieldNamed("--axes"));
  if (i == j) throw InputError("the two axes must differ (got " + std::to_string(i) + " twice)", fieldNamed("--axes"));
  return {x0, VectorXd::Unit(dim, i), VectorXd::Unit(dim, j)};
}

Plane pcaPlane(const VectorXd& x0, const Trajectory& trajectory) {
  const Index dim = x0.size();
  if (dim < 2) throw InputError("a pca plane needs at least 2 parameters (the problem has 1)", fieldNamed("--plane"));
  const MatrixXd D = displacements(x0, trajectory);
  const Eigen::BDCSVD<MatrixXd> svd(D, Eigen::ComputeThinU);
  const VectorXd sigma = svd.singularValues();
  if (sigma.size() == 0 || !(sigma(0) > 0)) return {x0, VectorXd::Unit(dim, 0), VectorXd::Unit(dim, 1)};

  const VectorXd last = D.col(D.cols() - 1);
  VectorXd u = svd.matrixU().col(0);
  orient(u, last);
  // Below 1e-12·σ₁ a second singular value is rounding noise, not a direction of the run.
  const bool planar = sigma.size() > 1 && sigma(1) > 1e-12 * sigma(0);
  VectorXd v = planar ? VectorXd(svd.matrixU().col(1)) : orthogonalCompletion(u);
  orient(v, last);
  return {x0, std::move(u), std::move(v)};
}

PlaneProjector::PlaneProjector(const Plane& plane) : x0_(plane.x0), basis_(plane.u.size(), 2) {
  basis_.col(0) = plane.u;
  basis_.col(1) = plane.v;
  factor_.compute(basis_);
}

PlanePoint PlaneProjector::operator()(const VectorXd& x) const {
  const VectorXd offset = x - x0_;
  const Eigen::Vector2d st = factor_.solve(offset);
  const double distance = (offset - basis_ * st).norm();
  return {st(0), st(1), distance};
}

std::vector<TrajectoryPoint> projectTrajectory(const Plane& plane, const Trajectory& trajectory) {
  const PlaneProjector project(plane);
  std::vector<TrajectoryPoint> points;
  points.reserve(trajectory.size());
  for (const Iterate& it : trajectory) {
    const PlanePoint p = project(it.x);
    points.push_back({it.t, p.s, p.t, it.loss, p.distance});
  }
  return points;
}

}  // namespace attnlab
