// The attention lab's compute function (architecture.md, "One lab"): exact softmax
// attention or one of the kernelized approximations of math.md §3 on given Q, K, V, with
// the time it took and its error against exact attention. Used by `attnlab attention`
// (cli.md) and by the window.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "core/attention/attention_matrix.hpp"
#include "core/attention/exact_attention.hpp"
#include "core/attention/feature_map.hpp"
#include "core/attention/feedforward_kernels.hpp"
#include "core/jobs/progress.hpp"
#include "core/jobs/worker_pool.hpp"
#include "core/status.hpp"

namespace attnlab {

enum class AttentionKernel { Softmax, Elu, Favor, Softplus, Glu, Aoglu };

std::string_view attentionKernelName(AttentionKernel kernel);
std::optional<AttentionKernel> parseAttentionKernel(std::string_view name);
// Every kernel but softmax approximates softmax attention.
constexpr bool isApproximate(AttentionKernel kernel) { return kernel != AttentionKernel::Softmax; }
// favor, softplus, glu, aoglu have m features (elu has m = d).
constexpr bool usesFeatures(AttentionKernel kernel) {
  return kernel != AttentionKernel::Softmax && kernel != AttentionKernel::Elu;
}

enum class AttentionDtype { Float32, Float64 };
std::string_view attentionDtypeName(AttentionDtype dtype);
std::optional<AttentionDtype> parseAttentionDtype(std::string_view name);

struct AttentionParams {
  AttentionKernel kernel = AttentionKernel::Softmax;
  double scale = 1.0;     // s: multiplies QKᵀ for softmax and favor; the other maps see Q, K
  Index features = 256;   // m
  std::uint64_t seed = 0; // favor's W; the fitted maps' initialisation and batches
  AttentionDtype dtype = AttentionDtype::Float64;  // float32: inputs rounded, computed in float
  bool causal = false;    // CausalRule (attention_matrix.hpp)
  bool orthogonalFeatures = true;  // favor: orthogonal blocks (Performer) or i.i.d. rows
  FeedforwardTraining training;    // softplus, glu, aoglu (its seed is replaced by `seed`)
  bool compareWithSoftmax = true;  // also compute error_vs_softmax (approximate kernels)
  AttentionTiles tiles;
};

struct AttentionInput {
  RowMatrix<double> Q, K, V;  // Lq×d, Lk×d, Lk×dv
};

struct AttentionResult {
  Status status = Status::InvalidInput;
  RowMatrix<double> out;           // Lq×dv (float results widened exactly)
  double seconds = 0;              // the kernel alone, fitting included; no parsing, no reference
  std::optional<double> errorVsSoftmax;  // ‖out − softmax out‖_F / ‖softmax out‖_F
  double softmaxSeconds = 0;       // the exact reference behind errorVsSoftmax
  std::optional<FeedforwardFit> fit;     // softplus, glu, aoglu
};

// Throws InputError naming the field (and row, column) for: empty matrices, Q and K of
// different widths, V with a row count other than K's, non-finite entries, entries beyond
// float range with float32, features < 1, a negative scale for favor, causal with more
// queries than keys, or a problem too big for this machine's memory.
void validateAttention(const AttentionParams& params, const AttentionInput& input);

// Validates, then computes. Status::Cancelled if progress asked for it (out is then empty).
// An output that is not finite (scores beyond the dtype's range) throws OverflowError for
// float64 and InputError (suggesting float64) for float32.
AttentionResult runAttention(const AttentionParams& params, const AttentionInput& input, WorkerPool& pool,
                             Progress& progress);

// softplus, glu, aoglu are fitted to the data; elu and favor are not.
constexpr bool isFittedMap(AttentionKernel kernel) { return usesFeatures(kernel) && kernel != AttentionKernel::Favor; }

// elu's map, or favor's drawn from p.seed, for inputs d wide (the kernel must be one of them).
template <class T>
std::unique_ptr<FeatureMap<T>> fixedFeatureMap(const AttentionParams& p, Index d);

// The feature map of an approximate kernel (not softmax) for these inputs, in T: elu; favor
// drawn from p.seed; softplus, glu, aoglu first fitted to the exact attention of Q, K, V
// (p.training, its seed replaced by p.seed), the fit returned through `fit` when given.
template <class T>
std::unique_ptr<FeatureMap<T>> makeFeatureMap(const AttentionParams& p, const RowMatrix<double>& Q,
                                              const RowMatrix<double>& K, const RowMatrix<double>& V,
                                              Progress* progress = nullptr,
                                              std::optional<FeedforwardFit>* fit = nullptr);

}  // namespace attnlab
