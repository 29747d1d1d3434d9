// Everything the user can set in the attention lab ("Exact vs kernelized attention",
// math.md §3, issue 5): the random input (Q, K with entries N(0, σ²), V with N(0, 1)), the
// attention matrices' length and the kernel shown against exact softmax, and the sweeps
// (error and time against L, error against the number of features m). A plain,
// comparable, serialisable struct like BoundsLabParams: the lab compares it with the last
// jobs' to decide what to recompute (the matrices, the sweeps, or both).
#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <vector>

#include "core/attention/attention_lab.hpp"

namespace attnlab {

struct AttentionLabParams {
  // [input] row i of Q, K, V from Random(seed), Random(seed + 1), Random(seed + 2): a longer
  // input extends a shorter one, so every L of a sweep sees the same first tokens.
  int d = 16;
  double sigma = 0.5;   // σ: larger spreads the scores, sharpening the softmax (and FAVOR+'s variance)
  double scale = 0.25;  // s of exp(s·qᵀk): 1/√d by default
  std::uint64_t seed = 0;
  bool causal = false;
  // Self-attention's K = Q (one set of tokens): each query scores itself s‖q‖², so the
  // matrices show a diagonal that sharpens with σ. Off: K drawn apart from Q.
  bool keysAreQueries = true;

  // [matrices] the L×L attention matrices: exact, `kernel`'s, and their difference
  int length = 64;
  AttentionKernel kernel = AttentionKernel::Favor;
  int features = 64;    // m of favor, softplus, glu, aoglu (elu has m = d)
  int fitSteps = 150;   // Adam steps fitting softplus, glu, aoglu to the exact attention

  // [sweeps] on float32, as the speed targets are
  std::vector<AttentionKernel> sweepKernels{AttentionKernel::Elu, AttentionKernel::Favor, AttentionKernel::Softplus};
  std::vector<int> lengths{64, 128, 256, 512, 1024, 2048, 4096};
  std::vector<int> featureCounts{8, 16, 32, 64, 128, 256};

  bool operator==(const AttentionLabParams&) const = default;
};

// Ranges the widgets and a session are held to: the matrices are drawn cell by cell, the
// sweeps run exact attention at every L.
inline constexpr int kMaxAttentionLabD = 256;
inline constexpr int kMaxAttentionMatrixLength = 512;
inline constexpr int kMaxAttentionSweepLength = 16384;
inline constexpr int kMaxAttentionFeatures = 1024;
inline constexpr int kMaxAttentionFitSteps = 2000;
inline constexpr int kMaxAttentionSweepPoints = 16;

// What a change costs: the matrices depend on the input, the length and the shown kernel;
// the sweeps on the input, the fit, the matrices' L (error vs m is measured there) and
// their own lists.
bool sameMatrices(const AttentionLabParams& a, const AttentionLabParams& b);
bool sameSweeps(const AttentionLabParams& a, const AttentionLabParams& b);

// Throws InputError naming the field ("attention.length") of the first bad value.
void validate(const AttentionLabParams& p);

// The core's parameters for `kernel` with m features (attention_lab.hpp).
AttentionParams attentionParamsFor(const AttentionLabParams& p, AttentionKernel kernel, int features,
                                   AttentionDtype dtype);

// Q, K, V for the first `length` tokens (see [input] above), all d wide.
AttentionInput attentionLabInput(const AttentionLabParams& p, int length);

// The lab's part of a session: {"d": 16, "sigma": 0.5, "scale": 0.25, "seed": 0, "causal":
// false, "keys_are_queries": true, "length": 64, "kernel": "favor", "features": 64, "fit_steps": 150, "sweep":
// {"kernels": ["elu", "favor", "softplus"], "lengths": [64, ...], "features": [8, ...]}}.
nlohmann::json toJson(const AttentionLabParams& p);
// Reads the fields present over `base`, then validates. Unknown fields are ignored.
AttentionLabParams attentionParamsFromJson(const nlohmann::json& json, const AttentionLabParams& base);

}  // namespace attnlab
