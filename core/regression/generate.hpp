// Seeded random instances of the regression family: the "generate" member of a problem
// file (cli.md, "Problems"). Drawn with attnlab::Random only, so one seed gives the same
// instance, bit for bit, on every machine and standard library.
//
// The recipe, for the record (peers and papers may rebuild it):
//   draw order  A (column-major, n·d normals), then x° (d normals), then noise (n normals);
//               attention kinds: A1, A2, X° (column-major d·d), then noise (n·n, row by row);
//   A           Gaussian, rescaled so that its spectral norm is exactly R (up to rounding);
//   x°          a Gaussian direction with ‖x°‖ = 1 (‖X°‖_F = 1), so ‖Ax°‖ ≤ R: the target
//               softmax(Ax°) is informative — neither uniform nor one-hot for moderate R;
//   b           softmax(Ax°) for every vector kind: a probability vector, the exact target
//               of softmax, cross_entropy and rescaled (and the informative one otherwise);
//   B           the row-wise softmax of A1 X° A2ᵀ, the exact target of both attention kinds;
//   noise       b + noise·g with g standard normal, clipped at 0 and renormalised to sum 1
//               (each row of B likewise);
//   w           infoprompt weights: every entry spec.w, default 0.1;
//   x           the start: zeros.
#pragma once
#include <cstdint>
#include <optional>

#include "core/regression/problem.hpp"

namespace attnlab {

struct GenerateSpec {
  Eigen::Index n = 0;               // rows of A (A1, A2)
  Eigen::Index d = 0;               // columns of A (A1, A2)
  double R = 1.0;                   // spectral norm of A (A1, A2), > 0
  std::uint64_t seed = 0;
  double noise = 0.0;               // standard deviation of the noise added to b (B), ≥ 0
  std::optional<double> w;          // infoprompt weight of every row (default 0.1)
};

inline constexpr double kDefaultInfoPromptWeight = 0.1;

// Throws InputError naming the field ("generate.n", "generate.R", ...) for n, d < 1,
// R ≤ 0, noise < 0 or a non-finite number.
void checkGenerateSpec(const GenerateSpec& spec);

// Bytes the instance (with the Gram matrix used to measure ‖A‖) will take, so that a caller
// can refuse, before anything is allocated, an instance larger than the machine's memory.
double generatedBytes(Kind kind, const GenerateSpec& spec);

// Checks the spec (checkGenerateSpec), then draws the instance. Also throws InputError
// ("generate.noise") when the noise leaves no probability mass in b (or a row of B).
Problem generateProblem(Kind kind, const GenerateSpec& spec);

}  // namespace attnlab
