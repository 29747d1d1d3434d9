#include "core/templates/template_matrix.hpp"

#include <limits>

namespace attnlab {

TemplateMatrixStrings templateMatrixStrings(const TemplateTask& task, const SymbolLayout& layout) {
  std::vector<SymbolIndex> s, sPrime;
  for (int w = 0; w < task.wildcards; ++w) {
    s.push_back(layout.fresh.begin + w);
    sPrime.push_back(layout.fresh.begin + task.wildcards + w);
  }
  TemplateMatrixStrings out;
  for (int i = 0; i < int(task.templates.size()); ++i) {
    out.left.push_back(substitute(task, i, s));
    out.right.push_back(substitute(task, i, sPrime));
  }
  return out;
}

Eigen::MatrixXd templateMatrixN(const TemplateTask& task, const SymbolLayout& layout, const StringKernel& kernel) {
  const TemplateMatrixStrings z = templateMatrixStrings(task, layout);
  const auto r = Eigen::Index(task.templates.size());
  Eigen::MatrixXd N(r, r);
  for (Eigen::Index i = 0; i < r; ++i)
    for (Eigen::Index j = 0; j < r; ++j) N(i, j) = kernel(z.left[std::size_t(i)], z.right[std::size_t(j)]);
  return N;
}

TemplateMatrixCondition templateMatrixCondition(const Eigen::MatrixXd& N) {
  TemplateMatrixCondition c;
  c.singularValues = Eigen::JacobiSVD<Eigen::MatrixXd>(N).singularValues();
  const double top = c.singularValues(0), bottom = c.singularValues(c.singularValues.size() - 1);
  c.condition = bottom > 0.0 ? top / bottom : std::numeric_limits<double>::infinity();
  c.singular = bottom <= double(N.rows()) * std::numeric_limits<double>::epsilon() * top;
  return c;
}

}  // namespace attnlab
