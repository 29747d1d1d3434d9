#include "core/labs/attention_lab_compute.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

#include "core/attention/attention_weights.hpp"
#include "core/attention/exact_attention.hpp"
#include "core/attention/linear_attention.hpp"
#include "core/errors.hpp"
#include "core/labs/attention_lab_figures.hpp"

namespace attnlab {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// favor's error is a random variable: its mean over this many draws of W is plotted.
constexpr int kFavorDraws = 4;

double relativeError(const RowMatrix<double>& out, const RowMatrix<double>& reference) {
  const double norm = reference.norm();
  return norm > 0 ? (out - reference).norm() / norm : (out - reference).norm();
}

// The median of a few runs: one run of a millisecond is mostly noise, and an exact
// attention of a second needs no second opinion.
template <class Run>
double medianSeconds(const Run& run) {
  std::vector<double> times;
  double total = 0;
  while (times.size() < 3 || (total < 0.05 && times.size() < 9)) {
    const auto start = std::chrono::steady_clock::now();
    run();
    times.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    total += times.back();
    if (total > 0.5) break;
  }
  std::nth_element(times.begin(), times.begin() + times.size() / 2, times.end());
  return times[times.size() / 2];
}

RowMatrix<float> topRowsFloat(const RowMatrix<double>& X, int rows) { return X.topRows(rows).cast<float>(); }

struct FloatInput {
  RowMatrix<float> Q, K, V;
};

FloatInput prefix(const AttentionInput& in, int length) {
  return {topRowsFloat(in.Q, length), topRowsFloat(in.K, length), topRowsFloat(in.V, length)};
}

// One kernel over every L: the map built (or fitted) once on the longest input.
void sweepLengths(const AttentionLabParams& p, const AttentionInput& longest, const std::vector<RowMatrix<float>>& exact,
                  KernelSweep& k, WorkerPool& pool, Progress& progress) {
  const AttentionParams a = attentionParamsFor(p, k.kernel, p.features, AttentionDtype::Float32);
  const auto map = makeFeatureMap<float>(a, longest.Q, longest.K, longest.V, &progress);
  LinearAttentionOptions options;
  options.causal = p.causal;
  options.progress = &progress;
  for (std::size_t i = 0; i < p.lengths.size() && !progress.cancelled(); ++i) {
    const FloatInput in = prefix(longest, p.lengths[i]);
    RowMatrix<float> out;
    k.secondsVsLength[i] = medianSeconds([&] { out = linearAttention(*map, in.Q, in.K, in.V, pool, options); });
    k.errorVsLength[i] = relativeError(out.cast<double>(), exact[i].cast<double>());
  }
}

// One kernel over every m at the matrices' L (in double: the error is the kernel's, not float's);
// a kernel without m (elu) gets its one error there.
void sweepFeatures(const AttentionLabParams& p, const AttentionInput& in, const RowMatrix<double>& exact, KernelSweep& k,
                   WorkerPool& pool, Progress& progress) {
  LinearAttentionOptions options;
  options.causal = p.causal;
  options.progress = &progress;
  if (!usesFeatures(k.kernel)) {
    const AttentionParams a = attentionParamsFor(p, k.kernel, p.features, AttentionDtype::Float64);
    const auto map = makeFeatureMap<double>(a, in.Q, in.K, in.V, &progress);
    k.errorAtLength = relativeError(linearAttention(*map, in.Q, in.K, in.V, pool, options), exact);
    return;
  }
  k.errorVsFeatures.assign(p.featureCounts.size(), kNaN);
  for (std::size_t i = 0; i < p.featureCounts.size() && !progress.cancelled(); ++i) {
    const int draws = k.kernel == AttentionKernel::Favor ? kFavorDraws : 1;
    double sum = 0;
    for (int draw = 0; draw < draws; ++draw) {
      AttentionParams a = attentionParamsFor(p, k.kernel, p.featureCounts[i], AttentionDtype::Float64);
      a.seed = p.seed + std::uint64_t(draw);
      const auto map = makeFeatureMap<double>(a, in.Q, in.K, in.V, &progress);
      sum += relativeError(linearAttention(*map, in.Q, in.K, in.V, pool, options), exact);
    }
    k.errorVsFeatures[i] = sum / draws;
  }
}

}  // namespace

double exactAttentionFlops(Index queries, Index keys, Index d, Index dv, bool causal) {
  const double pairs = causal ? 0.5 * double(queries) * double(keys) : double(queries) * double(keys);
  return 2.0 * pairs * double(d + dv);
}

std::optional<double> crossoverLength(const std::vector<double>& lengths, const std::vector<double>& exactSeconds,
                                      const std::vector<double>& kernelSeconds) {
  const std::size_t n = std::min({lengths.size(), exactSeconds.size(), kernelSeconds.size()});
  // log(kernel / exact) at each L; the crossover is where it first turns negative for good.
  std::vector<double> gap(n, kNaN);
  for (std::size_t i = 0; i < n; ++i)
    if (exactSeconds[i] > 0 && kernelSeconds[i] > 0) gap[i] = std::log(kernelSeconds[i] / exactSeconds[i]);
  for (std::size_t i = 0; i + 1 < n; ++i) {
    if (!(gap[i] >= 0 && gap[i + 1] < 0)) continue;
    bool stays = true;
    for (std::size_t j = i + 1; j < n; ++j) stays = stays && !(gap[j] >= 0);
    if (!stays) continue;
    const double t = gap[i] / (gap[i] - gap[i + 1]);
    return std::exp((1 - t) * std::log(lengths[i]) + t * std::log(lengths[i + 1]));
  }
  return std::nullopt;
}

std::shared_ptr<AttentionMatrices> computeAttentionMatrices(const AttentionLabParams& params, Theme theme,
                                                            Progress& progress) {
  validate(params);
  progress.setStage("attention matrices, L = " + std::to_string(params.length));
  const AttentionInput in = attentionLabInput(params, params.length);
  auto out = std::make_shared<AttentionMatrices>();
  out->params = params;
  out->theme = theme;
  out->exact = softmaxAttentionWeights(in.Q, in.K, params.scale, params.causal);
  const AttentionParams a = attentionParamsFor(params, params.kernel, params.features, AttentionDtype::Float64);
  const auto map = makeFeatureMap<double>(a, in.Q, in.K, in.V, &progress, &out->fit);
  if (progress.cancelled()) return nullptr;
  out->kernel = kernelAttentionWeights(*map, in.Q, in.K, params.causal);
  if (!out->exact.allFinite() || !out->kernel.allFinite())
    throw OverflowError("the " + std::string(attentionKernelName(params.kernel)) +
                        " attention weights of these inputs (lower σ or s)");
  out->outputError = relativeError(out->kernel * in.V, out->exact * in.V);
  out->largestWeightError = (out->kernel - out->exact).cwiseAbs().maxCoeff();
  out->figures = buildAttentionMatrixFigures(*out, theme);
  return out;
}

std::shared_ptr<AttentionSweeps> computeAttentionSweeps(const AttentionLabParams& p, Theme theme, WorkerPool& pool,
                                                        Progress& progress) {
  validate(p);
  auto out = std::make_shared<AttentionSweeps>();
  out->params = p;
  const std::size_t nL = p.lengths.size();
  const AttentionInput longest = attentionLabInput(p, *std::max_element(p.lengths.begin(), p.lengths.end()));

  progress.setStage("exact attention over L");
  SoftmaxAttentionOptions exactOptions;
  exactOptions.scale = p.scale;
  exactOptions.causal = p.causal;
  exactOptions.progress = &progress;
  std::vector<RowMatrix<float>> exact(nL);
  out->exactSeconds.assign(nL, kNaN);
  for (std::size_t i = 0; i < nL && !progress.cancelled(); ++i) {
    const FloatInput in = prefix(longest, p.lengths[i]);
    out->exactSeconds[i] = medianSeconds([&] { exact[i] = softmaxAttention(in.Q, in.K, in.V, pool, exactOptions); });
    if (!exact[i].allFinite()) throw OverflowError("exact attention of these inputs in float32 (lower σ or s)");
    progress.setFraction(0.3 * double(i + 1) / double(nL));
  }

  if (progress.cancelled()) return nullptr;
  const AttentionInput atLength = attentionLabInput(p, p.length);
  const RowMatrix<double> exactAtLength = softmaxAttention(atLength.Q, atLength.K, atLength.V, pool, exactOptions);
  const std::size_t nK = p.sweepKernels.size();
  for (std::size_t k = 0; k < nK && !progress.cancelled(); ++k) {
    KernelSweep sweep;
    sweep.kernel = p.sweepKernels[k];
    sweep.errorVsLength.assign(nL, kNaN);
    sweep.secondsVsLength.assign(nL, kNaN);
    progress.setStage(std::string(attentionKernelName(sweep.kernel)) + " over L and m");
    sweepLengths(p, longest, exact, sweep, pool, progress);
    sweepFeatures(p, atLength, exactAtLength, sweep, pool, progress);
    out->kernels.push_back(std::move(sweep));
    progress.setFraction(0.3 + 0.7 * double(k + 1) / double(nK));
  }
  if (progress.cancelled()) return nullptr;
  buildAttentionSweepFigures(*out, theme);
  return out;
}

JobFunction attentionMatricesJob(AttentionLabParams params, Theme theme, std::shared_ptr<const AttentionMatrices> reuse,
                                 std::shared_ptr<AttentionSnapshots> snapshots) {
  if (reuse && !sameMatrices(reuse->params, params)) reuse.reset();
  return [params, theme, reuse, snapshots](Progress& progress) -> Status {
    std::shared_ptr<AttentionMatrices> matrices;
    if (reuse) {
      matrices = std::make_shared<AttentionMatrices>(*reuse);
      matrices->params = params;
      matrices->theme = theme;
      matrices->figures = buildAttentionMatrixFigures(*matrices, theme);
    } else {
      matrices = computeAttentionMatrices(params, theme, progress);
    }
    if (!matrices) return Status::Cancelled;
    return snapshots->matrices.publishUnlessCancelled(std::shared_ptr<const AttentionMatrices>(std::move(matrices)),
                                                      progress)
               ? Status::Success
               : Status::Cancelled;
  };
}

JobFunction attentionSweepsJob(AttentionLabParams params, Theme theme, std::shared_ptr<const AttentionSweeps> reuse,
                               WorkerPool& pool, std::shared_ptr<AttentionSnapshots> snapshots) {
  if (reuse && !sameSweeps(reuse->params, params)) reuse.reset();
  return [params, theme, reuse, &pool, snapshots](Progress& progress) -> Status {
    std::shared_ptr<AttentionSweeps> sweeps;
    if (reuse) {
      sweeps = std::make_shared<AttentionSweeps>(*reuse);
      sweeps->params = params;
      buildAttentionSweepFigures(*sweeps, theme);
    } else {
      sweeps = computeAttentionSweeps(params, theme, pool, progress);
    }
    if (!sweeps) return Status::Cancelled;
    return snapshots->sweeps.publishUnlessCancelled(std::shared_ptr<const AttentionSweeps>(std::move(sweeps)), progress)
               ? Status::Success
               : Status::Cancelled;
  };
}

}  // namespace attnlab
