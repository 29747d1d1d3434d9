// The r×r template matrix N of 001 Lemma 3.5 / Eq. 7–8: Nᵢⱼ = K(sub(zᵢ, s), sub(zⱼ, s')) for
// substitutions s, s' with disjoint images that avoid every template token. For a
// token-symmetric kernel this does not depend on the choice of s, s'. N nonsingular ⇒ kernel
// ridge regression generalises to unseen symbols; its condition number says how many
// samples that takes (001 App. D.2).
#pragma once
#include <Eigen/Dense>
#include <functional>
#include <utility>
#include <vector>

#include "core/templates/template_data.hpp"

namespace attnlab {

// sub(zᵢ, s) and sub(zᵢ, s') for every template i, s and s' from the layout's fresh block.
struct TemplateMatrixStrings {
  std::vector<TemplateString> left;   // s
  std::vector<TemplateString> right;  // s'
};
TemplateMatrixStrings templateMatrixStrings(const TemplateTask& task, const SymbolLayout& layout);

using StringKernel = std::function<double(const TemplateString&, const TemplateString&)>;
Eigen::MatrixXd templateMatrixN(const TemplateTask& task, const SymbolLayout& layout, const StringKernel& kernel);

struct TemplateMatrixCondition {
  Eigen::VectorXd singularValues;  // descending
  double condition = 0.0;          // σ_max/σ_min; +inf when σ_min = 0
  bool singular = false;           // σ_min ≤ r·ε·σ_max: numerically rank-deficient
};
TemplateMatrixCondition templateMatrixCondition(const Eigen::MatrixXd& N);

}  // namespace attnlab
