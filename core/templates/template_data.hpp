// Labelled strings of a template task and the embedding of their symbols. Symbols are
// numbered 0 … count−1 in blocks: the task's fixed tokens, the training alphabet, the test
// alphabet (disjoint from it: test strings hold only unseen symbols), and a small fresh block
// for the substitutions s, s' that define the template matrix N (001 Eq. 8).
#pragma once
#include <Eigen/Dense>
#include <vector>

#include "core/random.hpp"
#include "core/templates/template_task.hpp"

namespace attnlab {

using SymbolIndex = Eigen::Index;

struct Alphabet {
  SymbolIndex begin = 0;
  SymbolIndex size = 0;
};

struct SymbolLayout {
  Alphabet train, test, fresh;
  SymbolIndex count = 0;  // every symbol, fixed tokens first
};

// Fixed tokens, then the three alphabets; fresh holds 2·|W| symbols.
SymbolLayout symbolLayout(const TemplateTask& task, SymbolIndex trainAlphabet, SymbolIndex testAlphabet);

struct TemplateString {
  std::vector<SymbolIndex> symbols;  // length k
  int templateIndex = 0;
  double label = 0.0;
};

// sub(z, s): wildcard w becomes substitution[w], fixed token t becomes symbol t.
TemplateString substitute(const TemplateTask& task, int templateIndex, const std::vector<SymbolIndex>& substitution);

// count samples (x, y) = (sub(z, s), f*(z)): z uniform over the templates, s an injective
// map from the wildcards into the alphabet, uniform. Needs alphabet.size ≥ task.wildcards.
std::vector<TemplateString> sampleTemplateStrings(const TemplateTask& task, Eigen::Index count,
                                                  const Alphabet& alphabet, Random& rng);

enum class EmbeddingKind { OneHot, Gaussian };

// How a symbol becomes a vector. One-hot (the paper's choice, 001 §3.1): X = [e_{x1} … e_{xk}]ᵀ,
// so XYᵀ is the incidence matrix 1(xᵢ = yⱼ). Gaussian: i.i.d. N(0, I_d/d) vectors, unit norm on
// average, distinct symbols nearly orthogonal for large d.
class SymbolEmbedding {
 public:
  SymbolEmbedding(EmbeddingKind kind, SymbolIndex symbols, Eigen::Index dim, Random& rng);

  EmbeddingKind kind() const { return kind_; }
  Eigen::Index dim() const { return kind_ == EmbeddingKind::OneHot ? symbols_ : vectors_.cols(); }
  double inner(SymbolIndex a, SymbolIndex b) const;
  // XYᵀ: the k×k matrix of inner products between the symbols of two strings.
  Eigen::MatrixXd gram(const TemplateString& x, const TemplateString& y) const;
  // The input matrix X ∈ R^{k×d} (for one-hot, d = the number of symbols).
  Eigen::MatrixXd matrix(const TemplateString& x) const;
  // ⟨e_s, g⟩ for the symbols s in `used` and one g ~ N(0, I_d): the token part of the random
  // attention scores m(X) = X g (001 Eq. 4), drawn once and shared by every string. Only the
  // symbols in use are drawn: a one-hot alphabet may be far larger than the strings need.
  Eigen::VectorXd randomScores(Random& rng, const std::vector<SymbolIndex>& used) const;

 private:
  EmbeddingKind kind_;
  SymbolIndex symbols_;
  Eigen::MatrixXd vectors_;  // Gaussian only: symbols × d
};

}  // namespace attnlab
