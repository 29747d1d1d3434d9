#include "core/regression/problem.hpp"

#include <cmath>
#include <cstdio>
#include <optional>
#include <string>
#include <utility>

#include "core/errors.hpp"
#include "core/regression/shapes.hpp"

namespace attnlab {
namespace {

// All four parts spelled out: GCC's -Wextra flags designated initializers that skip members.
InputLocation at(std::string field, std::optional<long long> row = {}, std::optional<long long> column = {}) {
  return InputLocation{.file = {}, .field = std::move(field), .row = row, .column = column};
}

std::string formatNumber(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6g", v);
  return buffer;
}

std::string shapeText(Eigen::Index rows, Eigen::Index cols) {
  return std::to_string(rows) + "×" + std::to_string(cols);
}

void requireNonEmpty(const Eigen::MatrixXd& m, const char* field) {
  if (m.rows() < 1 || m.cols() < 1)
    throw InputError("must have at least one row and one column (got " + shapeText(m.rows(), m.cols()) + ")",
                     at(field));
}

void requireShape(const Eigen::MatrixXd& m, Eigen::Index rows, Eigen::Index cols, const char* field,
                  const char* expected) {
  if (m.rows() != rows || m.cols() != cols)
    throw InputError(std::string("must be ") + expected + " = " + shapeText(rows, cols) + " (got " +
                         shapeText(m.rows(), m.cols()) + ")",
                     at(field));
}

void requireLength(const Eigen::VectorXd& v, Eigen::Index n, const char* field, const char* expected) {
  if (v.size() != n)
    throw InputError("must have " + std::string(expected) + " = " + std::to_string(n) + " entries (got " +
                         std::to_string(v.size()) + ")",
                     at(field));
}

// Reports the first non-finite entry in reading order (rows as the JSON writes them).
void requireFinite(const Eigen::MatrixXd& m, const char* field) {
  if (m.allFinite()) return;
  for (Eigen::Index i = 0; i < m.rows(); ++i)
    for (Eigen::Index j = 0; j < m.cols(); ++j)
      if (!std::isfinite(m(i, j)))
        throw InputError("entry is " + std::string(std::isnan(m(i, j)) ? "NaN" : "infinite") + "; every entry must be finite",
                         at(field, i, j));
}

void requireFinite(const Eigen::VectorXd& v, const char* field) {
  if (v.allFinite()) return;
  for (Eigen::Index i = 0; i < v.size(); ++i)
    if (!std::isfinite(v[i]))
      throw InputError("entry is " + std::string(std::isnan(v[i]) ? "NaN" : "infinite") + "; every entry must be finite",
                       at(field, i));
}

// The attention point is the d×d matrix X; report its bad entry as X(row, column), x = vec(X).
void requireFiniteMatrixPoint(const Eigen::VectorXd& x, Eigen::Index d) {
  if (x.allFinite()) return;
  requireFinite(Eigen::MatrixXd(Eigen::Map<const Eigen::MatrixXd>(x.data(), d, d)), "X");
}

}  // namespace

namespace detail {

void checkShapes(const Problem& p) {
  if (isAttentionKind(p.kind)) {
    requireNonEmpty(p.A1, "A1");
    requireShape(p.A2, p.A1.rows(), p.A1.cols(), "A2", "n×d like A1");
    requireShape(p.B, p.A1.rows(), p.A1.rows(), "B", "n×n");
    return;
  }
  requireNonEmpty(p.A, "A");
  requireLength(p.b, p.A.rows(), "b", "n");
  if (p.kind == Kind::InfoPrompt) {
    // A missing w is an error, not zeros: the regulariser is what makes infoprompt differ.
    if (p.w.size() == 0)
      throw InputError("kind 'infoprompt' needs the n = " + std::to_string(p.A.rows()) + " regulariser weights",
                       at("w"));
    requireLength(p.w, p.A.rows(), "w", "n");
  }
}

}  // namespace detail

void validate(Problem& p) {
  detail::checkShapes(p);
  const bool attention = isAttentionKind(p.kind);
  const char* pointField = attention ? "X" : "x";
  if (p.x.size() == 0) {
    p.x = Eigen::VectorXd::Zero(p.dim());
  } else if (p.x.size() != p.dim()) {
    throw InputError(attention ? "must be d×d = " + shapeText(p.d(), p.d()) + " (got " + std::to_string(p.x.size()) +
                                     " entries)"
                               : "must have d = " + std::to_string(p.d()) + " entries (got " +
                                     std::to_string(p.x.size()) + ")",
                     at(pointField));
  }

  if (attention) {
    requireFinite(p.A1, "A1");
    requireFinite(p.A2, "A2");
    requireFinite(p.B, "B");
    requireFiniteMatrixPoint(p.x, p.d());
  } else {
    requireFinite(p.A, "A");
    requireFinite(p.b, "b");
    if (p.kind == Kind::InfoPrompt) requireFinite(p.w, "w");
    requireFinite(p.x, "x");
  }
  if (!std::isfinite(p.l2) || p.l2 < 0)
    throw InputError("must be finite and ≥ 0 (got " + formatNumber(p.l2) + ")", at("l2"));
}

}  // namespace attnlab
