// The landscape grid (cli.md, `landscape`): N×N points of the plane, fixed as
//     s_i = −span + 2·span·i/(N−1),  i = 0…N−1  (endpoints included),  t_j the same,
// with loss(j, i) = L(x0 + s_i·u + t_j·v): rows follow t, columns follow s.
#pragma once
#include <Eigen/Dense>

namespace attnlab {

// Values on the grid, value(j, i) at (s_i, t_j); row-major, so a grid row is contiguous.
using GridValues = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

struct GridSpec {
  int points = 64;    // N ≥ 2
  double span = 1.0;  // finite, > 0
};

// Throws InputError (field "--grid" or "--span") when spec is out of range.
void validate(const GridSpec& spec);

// s (equally t) of the grid.
Eigen::VectorXd gridAxis(const GridSpec& spec);

}  // namespace attnlab
