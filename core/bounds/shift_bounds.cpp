#include "core/bounds/shift_bounds.hpp"

#include <cmath>
#include <limits>
#include <numbers>

namespace attnlab {
namespace {

constexpr double kLn10 = std::numbers::ln10;

// Natural log of 2·n^{1.5}·R·e^{2R²}, the β-free part of Part 1 (and, doubled, of the lemma).
double lnPart1Core(double n, double R) { return std::log(2.0) + 1.5 * std::log(n) + std::log(R) + 2.0 * R * R; }

}  // namespace

double log10SmallestStep() { return std::log10(std::numeric_limits<double>::denorm_min()); }

double log10StepNorm(double stepNorm) { return stepNorm > 0.0 ? std::log10(stepNorm) : log10SmallestStep(); }

double lemma55Part1Factor(double logBeta, double n, double R) { return (lnPart1Core(n, R) - 2.0 * logBeta) / kLn10; }

double lemma55Part2Factor(double logBeta, double n, double R) {
  return (std::log(2.0) + 0.5 * std::log(n) + std::log(R) + R * R - logBeta) / kLn10;
}

double lemma55Part3Factor(double logBeta, double n, double R) {
  return (std::log(2.0) + lnPart1Core(n, R) - 2.0 * logBeta) / kLn10;
}

double theoremM(double n, double R) { return (1.5 * std::log(n) + 10.0 * R * R) / kLn10; }

double shiftBoundLemma55Part1(double logBeta, double n, double R, double stepNorm) {
  return lemma55Part1Factor(logBeta, n, R) + log10StepNorm(stepNorm);
}

double shiftBoundLemma55Part2(double logBeta, double n, double R, double stepNorm) {
  return lemma55Part2Factor(logBeta, n, R) + log10StepNorm(stepNorm);
}

double shiftBoundLemma55Part3(double logBeta, double n, double R, double stepNorm) {
  return lemma55Part3Factor(logBeta, n, R) + log10StepNorm(stepNorm);
}

double theorem81Bound(double n, double R, double stepNorm) { return theoremM(n, R) + 2.0 * log10StepNorm(stepNorm); }

double theorem82Bound(double n, double R, double stepNorm) { return theoremM(n, R) + log10StepNorm(stepNorm); }

double sharpBoundWeightShift(double normA, double stepNorm) { return 0.5 * normA * stepNorm; }

double sharpBoundDataShift(double logitShiftNorm) { return 0.5 * logitShiftNorm; }

}  // namespace attnlab
