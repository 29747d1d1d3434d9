#include "core/templates/template_data.hpp"

#include <cmath>

namespace attnlab {

SymbolLayout symbolLayout(const TemplateTask& task, SymbolIndex trainAlphabet, SymbolIndex testAlphabet) {
  SymbolLayout layout;
  layout.train = {task.tokens, trainAlphabet};
  layout.test = {layout.train.begin + trainAlphabet, testAlphabet};
  layout.fresh = {layout.test.begin + testAlphabet, 2 * SymbolIndex(task.wildcards)};
  layout.count = layout.fresh.begin + layout.fresh.size;
  return layout;
}

TemplateString substitute(const TemplateTask& task, int templateIndex, const std::vector<SymbolIndex>& substitution) {
  const Template& z = task.templates[static_cast<std::size_t>(templateIndex)];
  TemplateString x;
  x.templateIndex = templateIndex;
  x.label = z.label;
  for (const TemplateSlot& s : z.slots)
    x.symbols.push_back(s.wildcard ? substitution[static_cast<std::size_t>(s.index)] : SymbolIndex(s.index));
  return x;
}

std::vector<TemplateString> sampleTemplateStrings(const TemplateTask& task, Eigen::Index count,
                                                  const Alphabet& alphabet, Random& rng) {
  std::vector<TemplateString> out;
  out.reserve(static_cast<std::size_t>(count));
  const auto templates = static_cast<std::uint64_t>(task.templates.size());
  for (Eigen::Index i = 0; i < count; ++i) {
    const auto z = static_cast<int>(rng.below(templates));
    // Injective s: redraw a symbol already taken (|W| is small next to the alphabet).
    std::vector<SymbolIndex> s;
    while (static_cast<int>(s.size()) < task.wildcards) {
      const SymbolIndex t = alphabet.begin + SymbolIndex(rng.below(static_cast<std::uint64_t>(alphabet.size)));
      bool fresh = true;
      for (SymbolIndex u : s) fresh = fresh && u != t;
      if (fresh) s.push_back(t);
    }
    out.push_back(substitute(task, z, s));
  }
  return out;
}

SymbolEmbedding::SymbolEmbedding(EmbeddingKind kind, SymbolIndex symbols, Eigen::Index dim, Random& rng)
    : kind_(kind), symbols_(symbols) {
  if (kind_ != EmbeddingKind::Gaussian) return;
  vectors_.resize(symbols, dim);
  const double scale = 1.0 / std::sqrt(double(dim));
  for (SymbolIndex s = 0; s < symbols; ++s)
    for (Eigen::Index j = 0; j < dim; ++j) vectors_(s, j) = scale * rng.normal();
}

double SymbolEmbedding::inner(SymbolIndex a, SymbolIndex b) const {
  if (kind_ == EmbeddingKind::OneHot) return a == b ? 1.0 : 0.0;
  return vectors_.row(a).dot(vectors_.row(b));
}

Eigen::MatrixXd SymbolEmbedding::gram(const TemplateString& x, const TemplateString& y) const {
  Eigen::MatrixXd g(Eigen::Index(x.symbols.size()), Eigen::Index(y.symbols.size()));
  for (Eigen::Index a = 0; a < g.rows(); ++a)
    for (Eigen::Index b = 0; b < g.cols(); ++b) g(a, b) = inner(x.symbols[std::size_t(a)], y.symbols[std::size_t(b)]);
  return g;
}

Eigen::MatrixXd SymbolEmbedding::matrix(const TemplateString& x) const {
  Eigen::MatrixXd X = Eigen::MatrixXd::Zero(Eigen::Index(x.symbols.size()), dim());
  for (Eigen::Index a = 0; a < X.rows(); ++a) {
    const SymbolIndex s = x.symbols[std::size_t(a)];
    if (kind_ == EmbeddingKind::OneHot)
      X(a, s) = 1.0;
    else
      X.row(a) = vectors_.row(s);
  }
  return X;
}

Eigen::VectorXd SymbolEmbedding::randomScores(Random& rng, const std::vector<SymbolIndex>& used) const {
  const auto count = Eigen::Index(used.size());
  Eigen::VectorXd h(count);
  if (kind_ == EmbeddingKind::OneHot) {
    for (Eigen::Index i = 0; i < count; ++i) h(i) = rng.normal();  // ⟨e_s, g⟩ = g_s
    return h;
  }
  Eigen::VectorXd g(vectors_.cols());
  for (Eigen::Index j = 0; j < g.size(); ++j) g(j) = rng.normal();
  for (Eigen::Index i = 0; i < count; ++i) h(i) = vectors_.row(used[std::size_t(i)]).dot(g);
  return h;
}

}  // namespace attnlab
