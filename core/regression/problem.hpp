// One instance of the family: data, optional ridge, and a starting point.
#pragma once
#include <Eigen/Dense>

#include "core/regression/kind.hpp"

namespace attnlab {

struct Problem {
  Kind kind = Kind::Softmax;
  Eigen::MatrixXd A;   // n×d          (vector kinds)
  Eigen::VectorXd b;   // n            (vector kinds)
  Eigen::VectorXd w;   // n            (infoprompt regulariser weights)
  Eigen::MatrixXd A1;  // n×d          (attention kinds)
  Eigen::MatrixXd A2;  // n×d          (attention kinds)
  Eigen::MatrixXd B;   // n×n          (attention kinds)
  double l2 = 0.0;     // ridge ½·l2·‖x‖²
  Eigen::VectorXd x;   // the point: d, or vec(X) of length d² for attention kinds

  Eigen::Index n() const { return isAttentionKind(kind) ? A1.rows() : A.rows(); }
  Eigen::Index d() const { return isAttentionKind(kind) ? A1.cols() : A.cols(); }
  // Number of parameters: d for vector kinds, d² for attention kinds.
  Eigen::Index dim() const { return isAttentionKind(kind) ? d() * d() : d(); }
};

// Checks shapes and finiteness; throws InputError naming the field (and row/column).
// Fills x with zeros when it is empty.
void validate(Problem& p);

}  // namespace attnlab
