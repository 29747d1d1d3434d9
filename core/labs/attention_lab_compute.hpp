// The attention lab's computation (architecture.md, "One lab, end to end", piece 2): two
// cancellable jobs that "latest wins", each publishing an immutable snapshot.
//   matrices — at one L, the exact attention matrix, the shown kernel's, and their
//              difference, with the relative error of the outputs (fast: L ≤ 512);
//   sweeps   — over L: each kernel's error against exact attention and the time of both,
//              in float32; over m: each kernel's error at the matrices' L (slower: exact
//              attention up to the largest L, a fit per m for the trainable maps).
// Nothing here touches ImGui or OpenGL: the window draws the snapshots, tests inspect them.
#pragma once
#include <limits>
#include <memory>
#include <optional>
#include <vector>

#include "core/attention/feedforward_kernels.hpp"
#include "core/figure/figure.hpp"
#include "core/jobs/job.hpp"
#include "core/jobs/snapshot.hpp"
#include "core/jobs/worker_pool.hpp"
#include "core/labs/attention_lab_params.hpp"

namespace attnlab {

struct AttentionMatrixFigures {
  Figure exact;       // "attention_exact"
  Figure kernel;      // "attention_kernel"
  Figure difference;  // "attention_difference"
};

struct AttentionMatrices {
  AttentionLabParams params;  // what it was computed for
  Theme theme = Theme::Light;
  RowMatrix<double> exact;    // L×L: D⁻¹exp(s·QKᵀ)
  RowMatrix<double> kernel;   // L×L: D⁻¹φ(Q)φ(K)ᵀ
  double outputError = 0;     // ‖W_φV − WV‖_F / ‖WV‖_F
  double largestWeightError = 0;  // max |W_φ − W|
  std::optional<FeedforwardFit> fit;  // softplus, glu, aoglu
  AttentionMatrixFigures figures;
};

// One kernel's line in the sweeps; entries NaN where it was not computed.
struct KernelSweep {
  AttentionKernel kernel = AttentionKernel::Elu;
  std::vector<double> errorVsLength;    // per params.lengths
  std::vector<double> secondsVsLength;  // per params.lengths; the map only (a fit is a one-off)
  std::vector<double> errorVsFeatures;  // per params.featureCounts; empty for elu (m = d)
  double errorAtLength = std::numeric_limits<double>::quiet_NaN();  // elu (no m): its error at the matrices' L, in double
};

struct AttentionSweeps {
  AttentionLabParams params;
  Theme theme = Theme::Light;
  std::vector<double> exactSeconds;  // per params.lengths
  std::vector<KernelSweep> kernels;  // in params.sweepKernels' order
  Figure errorVsLength;    // "error_vs_length"
  Figure errorVsFeatures;  // "error_vs_features"
  Figure timeVsLength;     // "time_vs_length"
};

// The floating-point operations of exact attention (two L×L×d products, half of them
// masked away when causal): what GFLOP/s are quoted against.
double exactAttentionFlops(Index queries, Index keys, Index d, Index dv, bool causal);

// Where `kernel` first becomes faster than exact attention, interpolated between sweep
// points on log-log axes; empty when it never does within the sweep (or always is).
std::optional<double> crossoverLength(const std::vector<double>& lengths, const std::vector<double>& exactSeconds,
                                      const std::vector<double>& kernelSeconds);

// Null when cancelled. Throws InputError for bad params and what runAttention throws.
std::shared_ptr<AttentionMatrices> computeAttentionMatrices(const AttentionLabParams& params, Theme theme,
                                                            Progress& progress);
std::shared_ptr<AttentionSweeps> computeAttentionSweeps(const AttentionLabParams& params, Theme theme,
                                                        WorkerPool& pool, Progress& progress);

// Shared by the lab and its jobs, so a job that outlives the panel still writes somewhere valid.
struct AttentionSnapshots {
  Snapshot<AttentionMatrices> matrices;
  Snapshot<AttentionSweeps> sweeps;
};

// The jobs. `reuse`, when it was computed for the same numbers, is only recoloured.
JobFunction attentionMatricesJob(AttentionLabParams params, Theme theme, std::shared_ptr<const AttentionMatrices> reuse,
                                 std::shared_ptr<AttentionSnapshots> snapshots);
JobFunction attentionSweepsJob(AttentionLabParams params, Theme theme, std::shared_ptr<const AttentionSweeps> reuse,
                               WorkerPool& pool, std::shared_ptr<AttentionSnapshots> snapshots);

}  // namespace attnlab
