// The "Unseen symbols" lab's figures as plain data (paper 001, math.md §3). No ImGui here:
// the window draws them through figure_view, and `attnlab export` writes the same figures.
//
//   "test_error"        test MSE on symbols never seen in training against the number n of
//                       training strings, log-log, one line per kernel; a band of ±1
//                       jackknife standard error where the kernel is a Monte Carlo estimate,
//                       and the MSE 1 of predicting 0 for reference.
//   "kernel_matrix"     the kernel on the training strings sorted by template: nearly
//                       constant r×r blocks whose values are the template matrix N (001 Fig. 4),
//                       except where two strings share a symbol (and on the diagonal); the
//                       colours span the pairs that share none, so the exceptions saturate.
//   "template_spectrum" the singular values of N per kernel as points, log axis, κ(N) (and
//                       which σ are 0) in the legend:
//                       N nonsingular is what lets ridge regression reach unseen symbols
//                       (001 Lemma 3.5); the MLP's N is singular.
#pragma once
#include <string>
#include <vector>

#include "core/figure/figure.hpp"
#include "core/labs/template_lab_params.hpp"
#include "core/templates/template_experiment.hpp"

namespace attnlab {

struct TemplateFigures {
  Figure testError;         // "test_error"
  Figure kernelMatrix;      // "kernel_matrix"
  Figure templateSpectrum;  // "template_spectrum"
};

// The kernel matrix figure shows at most this many training strings (the first ones drawn:
// the training sets are nested, so that is the matrix of training set n = this).
inline constexpr int kMaxKernelFigureStrings = 256;

// Legend name of a kernel: "transformer K_trans", "attention K_attn", "MLP (inner product)";
// and the short one: "transformer", "attention", "MLP".
std::string kernelTitle(TemplateKernel kernel);
std::string kernelShortName(TemplateKernel kernel);
// Its colour in every figure of the lab.
Rgba kernelColour(TemplateKernel kernel, Theme theme);
// "αα vs αβ"; "16 templates of length 4" when there are many.
std::string taskTitle(const TemplateTask& task);
// "κ(N) = 3.1" or "κ(N) = ∞ (singular)".
std::string conditionText(const TemplateMatrixCondition& c);
// Singular values first…last (1-based) that are 0: "σ₂…σ₁₆ = 0 (not drawn)".
std::string zeroSingularValuesText(int first, int last);
// The same for N's singular values that are 0 to double precision (descending, so the last
// ones); empty when there are none.
std::string zeroSingularValuesNote(const TemplateMatrixCondition& c);

// Which kernel the kernel-matrix figure shows: the transformer's when computed, else the first.
const TemplateKernelResult& kernelMatrixSource(const TemplateExperiment& experiment);
// The first `count` training strings sorted (stably) by template: the figure's order.
std::vector<int> stringsByTemplate(const std::vector<TemplateString>& strings, int count);
// Whether two strings have a symbol in common: such pairs are 001 Fig. 4's exceptions, whose
// kernel value is not the block's entry of N.
bool shareSymbol(const TemplateString& x, const TemplateString& y);

Figure testErrorFigure(const TemplateExperiment& e, const std::vector<int>& trainSizes, Theme theme);
Figure kernelMatrixFigure(const TemplateExperiment& e, Theme theme);
Figure templateSpectrumFigure(const TemplateExperiment& e, Theme theme);
TemplateFigures buildTemplateFigures(const TemplateExperiment& e, const std::vector<int>& trainSizes, Theme theme);

// One line for the panel: "transformer test MSE 0.68 → 0.031 as n goes 8 → 128; MLP 1.1 → 1
// (no better than predicting 0)"; and the condition numbers of N: "transformer κ(N) = 133; …".
std::string testErrorSummary(const TemplateExperiment& e, const std::vector<int>& trainSizes);
std::string conditionSummary(const TemplateExperiment& e);

}  // namespace attnlab
