// Planes through parameter space, x0 + s·u + t·v, on which a landscape is drawn (cli.md,
// `landscape`), and where a trajectory sits relative to one: its plane coordinates and its
// distance from the plane, which a picture of the plane alone would hide.
//
// The parameter vector is x (d entries) for the vector kinds and vec(X) (d² entries, columns
// stacked) for the attention kinds; a Plane does not care which.
#pragma once
#include <Eigen/Dense>
#include <cstdint>
#include <vector>

#include "core/solvers/solver.hpp"

namespace attnlab {

struct Plane {
  Eigen::VectorXd x0;  // the centre, (s, t) = (0, 0)
  Eigen::VectorXd u;   // direction of s (grid columns)
  Eigen::VectorXd v;   // direction of t (grid rows)
};

// u, v used exactly as given (not normalised). Throws InputError (field "plane.u" or
// "plane.v") when a length differs from x0's.
Plane givenPlane(Eigen::VectorXd x0, Eigen::VectorXd u, Eigen::VectorXd v);

// Two Gaussian directions drawn from seed (u first, then v, with attnlab::Random), each
// rescaled to ‖x0‖, or to 1 when x0 = 0: the vector form of filter normalisation (Li et al.
// 2018), which keeps the plane's scale that of the point it passes through.
Plane randomPlane(const Eigen::VectorXd& x0, std::uint64_t seed);

// u = e_i, v = e_j. Throws InputError (field "--axes") unless i ≠ j are both in [0, dim).
Plane axesPlane(const Eigen::VectorXd& x0, Eigen::Index i, Eigen::Index j);

// The plane through x0 spanned by the top-2 principal directions of a trajectory (Li et al.
// 2018), as orthonormal u, v. Li et al. take the right singular vectors of [x_t − x_final],
// the displacements from their plot's centre; our plot is centred at x0, so we take them of
// [x_t − x0]: the plane through x0 that minimises Σ_t dist(x_t, plane)², and one that holds a
// trajectory lying in any 2-D plane through x0 at distance 0. Signs: the last iterate has
// s, t ≥ 0. A trajectory that spans one direction only gets v completed by the coordinate
// axis least aligned with u (Gram–Schmidt); one that never moves gets u = e0, v = e1. At most
// kPcaIterates iterates, evenly spaced with the last one kept, enter the decomposition (a 10⁷-
// step run needs no 10⁷-column SVD). Throws InputError when dim < 2.
inline constexpr std::size_t kPcaIterates = 512;
Plane pcaPlane(const Eigen::VectorXd& x0, const Trajectory& trajectory);

// Where a point sits relative to the plane: (s, t) minimising ‖x − (x0 + s·u + t·v)‖ (the
// least-squares coordinates; the minimum-norm ones when u, v are parallel), and that distance.
struct PlanePoint {
  double s = 0.0;
  double t = 0.0;
  double distance = 0.0;
};

// Projects many points with one factorisation of [u v].
class PlaneProjector {
 public:
  explicit PlaneProjector(const Plane& plane);
  PlanePoint operator()(const Eigen::VectorXd& x) const;

 private:
  Eigen::VectorXd x0_;
  Eigen::Matrix<double, Eigen::Dynamic, 2> basis_;
  Eigen::CompleteOrthogonalDecomposition<Eigen::Matrix<double, Eigen::Dynamic, 2>> factor_;
};

// A trajectory iterate seen from the plane: its iteration, plane coordinates, distance from
// the plane, and the loss at the iterate itself (not at its projection).
struct TrajectoryPoint {
  int iteration = 0;
  double s = 0.0;
  double t = 0.0;
  double loss = 0.0;
  double distance = 0.0;
};

std::vector<TrajectoryPoint> projectTrajectory(const Plane& plane, const Trajectory& trajectory);

}  // namespace attnlab
