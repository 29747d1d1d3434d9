#include "core/templates/mlp_kernel.hpp"

namespace attnlab {
namespace {

// Cov(u(X), u(Y)) of the first layer's Gaussian pre-activation, w ~ N(0, I/k).
double preactivationCovariance(const TemplateString& x, const TemplateString& y, const SymbolEmbedding& embedding,
                               double gamma) {
  const std::size_t k = x.symbols.size();
  double s = double(k) * gamma * gamma;
  for (std::size_t i = 0; i < k; ++i) s += embedding.inner(x.symbols[i], y.symbols[i]);
  return s / double(k);
}

}  // namespace

double kMlp(const TemplateString& x, const TemplateString& y, const SymbolEmbedding& embedding, double gamma,
            const CosineParams& params) {
  return cosineFeatureKernel(preactivationCovariance(x, x, embedding, gamma),
                             preactivationCovariance(y, y, embedding, gamma),
                             preactivationCovariance(x, y, embedding, gamma), params);
}

KernelBlocks kMlpBlocks(const std::vector<TemplateString>& strings, Eigen::Index columns,
                        const SymbolEmbedding& embedding, double gamma, const CosineParams& params) {
  const auto rows = Eigen::Index(strings.size());
  KernelBlocks out{Eigen::MatrixXd(rows, columns), Eigen::VectorXd(rows)};
  for (Eigen::Index i = 0; i < rows; ++i) {
    const TemplateString& x = strings[std::size_t(i)];
    for (Eigen::Index j = 0; j < columns; ++j)
      out.cross(i, j) = kMlp(x, strings[std::size_t(j)], embedding, gamma, params);
    out.diag(i) = kMlp(x, x, embedding, gamma, params);
  }
  return out;
}

}  // namespace attnlab
