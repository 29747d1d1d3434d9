// The inner-product baseline (001 §3.3, App. I): a random-features MLP on vec(X̃), X̃ = [X, γI],
// with the same activation φ(t) = cos(b₁t + b₂) as the transformer. Its kernel depends on the
// pair only through ⟨X̃, Ỹ⟩_F/k = (Σᵢ ⟨x_i, y_i⟩ + kγ²)/k — for one-hot symbols a function
// κ(Σᵢ 1(xᵢ = yᵢ)) of the positions that agree. So every pair of strings with disjoint symbols
// gets the same value κ(0), N is singular and the ridge regression cannot tell templates apart
// on unseen symbols. Exact (no Monte Carlo).
#pragma once
#include "core/templates/attention_kernel.hpp"

namespace attnlab {

double kMlp(const TemplateString& x, const TemplateString& y, const SymbolEmbedding& embedding, double gamma,
            const CosineParams& params);

// The same blocks as kAttnMonteCarlo computes, for this kernel.
KernelBlocks kMlpBlocks(const std::vector<TemplateString>& strings, Eigen::Index columns,
                        const SymbolEmbedding& embedding, double gamma, const CosineParams& params);

}  // namespace attnlab
