// The bounds on ‖δb‖ that the lab measures against (math.md §2 table), as base-10 logarithms:
// with R ≥ 4 the factors exp(2R²), exp(10R²) leave double precision from R ≈ 8.4, and β⁻¹ does
// once logits pass 709. Every function below is a sum of logs, finite for finite arguments.
//
//   Part 1   ‖δb,1‖ ≤ 2β⁻² n^{1.5} R exp(2R²)·‖Δ‖     000 Lemma 5.5 / 7.5 (the R, dropped from
//                                                     the printed statement, is in its proof:
//                                                     math.md Errata)
//   Part 2   ‖δb,2‖ ≤ 2β⁻¹ √n R exp(R²)·‖Δ‖           same (the proof's exp(2R²) is a slip: Errata)
//   lemma    ‖δb‖   ≤ 4β⁻² n^{1.5} R exp(2R²)·‖Δ‖     000 Lemma 5.5 / 7.5 Part 3
//   theorem  ‖δb‖²  ≤ M·‖Δx‖²,  M = n^{1.5} exp(10R²)  000 Thm 8.1 (squared as printed; true
//                                                     through the sharp bound, not its proof: Errata)
//            ‖δb‖²  ≤ M·‖ΔA‖  (unsquared, as printed)  000 Thm 8.2
//   sharp    ‖δb‖   ≤ ½‖A‖·‖Δx‖ or ½‖ΔA·x‖           ‖softmax Jacobian‖ ≤ ½ (not in the paper)
//
// A zero step (‖Δ‖ = 0, as when x = 0 in the data shift) makes every bound 0, whose log is −∞.
// JSON holds no infinity, so log10‖Δ‖ is floored at log10 of the smallest positive double
// (≈ −323.3): the bound then describes a step of 4.9e-324 and, being increasing in ‖Δ‖, is still
// a true upper bound of the measured 0. The lab flags such steps (zero_step) and also reports
// each constant factor (bound ÷ ‖Δ‖, always finite) so nothing is lost.
#pragma once
#include <Eigen/Dense>

namespace attnlab {

// log10 of the smallest positive double, the floor of log10‖Δ‖.
double log10SmallestStep();
// log10‖Δ‖, or log10SmallestStep() when stepNorm = 0.
double log10StepNorm(double stepNorm);

// log10 of the constant factors (bound ÷ ‖Δ‖); logBeta is the natural log of β.
double lemma55Part1Factor(double logBeta, double n, double R);  // 2β⁻² n^{1.5} R e^{2R²}
double lemma55Part2Factor(double logBeta, double n, double R);  // 2β⁻¹ √n R e^{R²}
double lemma55Part3Factor(double logBeta, double n, double R);  // 4β⁻² n^{1.5} R e^{2R²}
double theoremM(double n, double R);                            // log10 M, M = n^{1.5} e^{10R²}

// log10 of the bounds themselves.
double shiftBoundLemma55Part1(double logBeta, double n, double R, double stepNorm);
double shiftBoundLemma55Part2(double logBeta, double n, double R, double stepNorm);
double shiftBoundLemma55Part3(double logBeta, double n, double R, double stepNorm);
double theorem81Bound(double n, double R, double stepNorm);  // log10(M·‖Δx‖²)
double theorem82Bound(double n, double R, double stepNorm);  // log10(M·‖ΔA‖)

// The sharp bounds, plain numbers (they never overflow before ‖A‖·‖Δx‖ does).
double sharpBoundWeightShift(double normA, double stepNorm);  // ½‖A‖·‖x_{t+1} − x_t‖
double sharpBoundDataShift(double logitShiftNorm);            // ½‖(A_{t+1} − A_t)x‖

}  // namespace attnlab
