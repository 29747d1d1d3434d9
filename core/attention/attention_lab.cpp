#include "core/attention/attention_lab.hpp"

#include <array>
#include <chrono>
#include <cmath>
#include <limits>
#include <memory>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>

#include "core/attention/favor.hpp"
#include "core/attention/feature_map.hpp"
#include "core/attention/linear_attention.hpp"
#include "core/errors.hpp"
#include "core/io/matrix_files.hpp"

namespace attnlab {
namespace {

constexpr std::array<std::pair<AttentionKernel, std::string_view>, 6> kKernelNames{{
    {AttentionKernel::Softmax, "softmax"},
    {AttentionKernel::Elu, "elu"},
    {AttentionKernel::Favor, "favor"},
    {AttentionKernel::Softplus, "softplus"},
    {AttentionKernel::Glu, "glu"},
    {AttentionKernel::Aoglu, "aoglu"},
}};

// Peak bytes of one run beyond the parsed input, in double to survive absurd sizes.
double estimatedBytes(const AttentionParams& p, const AttentionInput& in) {
  const double t = p.dtype == AttentionDtype::Float32 ? 4 : 8;
  const double Lq = double(in.Q.rows()), Lk = double(in.K.rows()), d = double(in.Q.cols());
  const double dv = double(in.V.cols()), m = usesFeatures(p.kernel) ? double(p.features) : d;
  double bytes = t * (Lq * d + Lk * d + Lk * dv) + (t + 8) * Lq * dv;  // working copies + out
  if (isApproximate(p.kernel) && p.compareWithSoftmax) bytes += t * Lq * dv;
  if (isApproximate(p.kernel)) {
    const double threads = std::max(1u, std::thread::hardware_concurrency());
    const double segments = std::ceil(std::max(Lq, Lk) / 1024.0) + 1;
    bytes += 8 * 3 * m * d + threads * 4 * t * 256 * m + segments * 8 * m * (dv + 1);
  }
  if (usesFeatures(p.kernel) && p.kernel != AttentionKernel::Favor) {
    const double rows = double(p.training.queryBatch + p.training.keyBatch);
    bytes += 8 * 10 * rows * m + 8 * 8 * m * d;  // batch activations; parameters, Adam, gradient
  }
  return bytes;
}

void requireFinite(const RowMatrix<double>& X, const char* field, bool float32) {
  for (Index i = 0; i < X.rows(); ++i)
    for (Index j = 0; j < X.cols(); ++j) {
      const double x = X(i, j);
      if (!std::isfinite(x)) throw InputError("not a finite number", {"", field, i, j});
      if (float32 && !std::isfinite(float(x)))
        throw InputError("beyond float32 range (" + std::to_string(x) + "); use \"dtype\": \"float64\"",
                         {"", field, i, j});
    }
}

void requireNonEmpty(const RowMatrix<double>& X, const char* field) {
  if (X.rows() == 0 || X.cols() == 0) throw InputError("empty matrix", {"", field, {}, {}});
}

template <class T>
double seconds(T start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Not finite means the scores (or features) left the dtype's range.
template <class T>
void requireFiniteResult(const RowMatrix<T>& out, AttentionKernel kernel) {
  if (out.allFinite()) return;
  const std::string what = "the " + std::string(attentionKernelName(kernel)) + " attention of these inputs";
  if constexpr (std::is_same_v<T, float>)
    throw InputError(what + " overflows float32 (scores or features out of range); use \"dtype\": \"float64\"");
  else
    throw OverflowError(what);
}

FeedforwardKind feedforwardKind(AttentionKernel kernel) {
  switch (kernel) {
    case AttentionKernel::Glu: return FeedforwardKind::Glu;
    case AttentionKernel::Aoglu: return FeedforwardKind::Aoglu;
    default: return FeedforwardKind::Softplus;
  }
}

template <class T>
struct TypedInput {
  RowMatrix<T> Q, K, V;
};

template <class T>
RowMatrix<T> exact(const AttentionParams& p, const TypedInput<T>& in, WorkerPool& pool, Progress& progress) {
  SoftmaxAttentionOptions options;
  options.scale = p.scale;
  options.causal = p.causal;
  options.tiles = p.tiles;
  options.progress = &progress;
  return softmaxAttention(in.Q, in.K, in.V, pool, options);
}

// The kernel itself: everything here is what "seconds" measures.
template <class T>
RowMatrix<T> approximate(const AttentionParams& p, const TypedInput<T>& in, WorkerPool& pool, Progress& progress,
                         AttentionResult& result) {
  LinearAttentionOptions options;
  options.causal = p.causal;
  options.progress = &progress;
  // Only a fitted map reads the data, in double (the float path fits to its rounded inputs);
  // widening 3·L·d numbers for elu or favor would cost more than their attention.
  const std::unique_ptr<FeatureMap<T>> map =
      isFittedMap(p.kernel) ? makeFeatureMap<T>(p, in.Q.template cast<double>(), in.K.template cast<double>(),
                                                in.V.template cast<double>(), &progress, &result.fit)
                            : fixedFeatureMap<T>(p, in.Q.cols());
  return linearAttention(*map, in.Q, in.K, in.V, pool, options);
}

double relativeError(const RowMatrix<double>& out, const RowMatrix<double>& reference) {
  const double diff = (out - reference).norm(), norm = reference.norm();
  return norm > 0 ? diff / norm : diff;  // V = 0: both are 0, and so is the (absolute) error
}

template <class T>
AttentionResult runTyped(const AttentionParams& p, const AttentionInput& input, WorkerPool& pool, Progress& progress) {
  // Rounding to T is input preparation, as in the peers: not part of "seconds".
  const TypedInput<T> in{input.Q.cast<T>(), input.K.cast<T>(), input.V.cast<T>()};
  AttentionResult result;
  const auto start = std::chrono::steady_clock::now();
  const RowMatrix<T> out = isApproximate(p.kernel) ? approximate(p, in, pool, progress, result) : exact(p, in, pool, progress);
  result.seconds = seconds(start);
  result.status = Status::Cancelled;
  if (progress.cancelled()) return result;
  requireFiniteResult(out, p.kernel);
  result.out = out.template cast<double>();
  if (isApproximate(p.kernel) && p.compareWithSoftmax) {
    const auto referenceStart = std::chrono::steady_clock::now();
    const RowMatrix<T> reference = exact(p, in, pool, progress);
    result.softmaxSeconds = seconds(referenceStart);
    if (progress.cancelled()) return result;
    requireFiniteResult(reference, AttentionKernel::Softmax);
    result.errorVsSoftmax = relativeError(result.out, reference.template cast<double>());
  }
  result.status = Status::Success;
  return result;
}

}  // namespace

std::string_view attentionKernelName(AttentionKernel kernel) {
  for (const auto& [k, name] : kKernelNames)
    if (k == kernel) return name;
  return "unknown";
}

std::optional<AttentionKernel> parseAttentionKernel(std::string_view name) {
  for (const auto& [k, n] : kKernelNames)
    if (n == name) return k;
  return std::nullopt;
}

std::string_view attentionDtypeName(AttentionDtype dtype) {
  return dtype == AttentionDtype::Float32 ? "float32" : "float64";
}

std::optional<AttentionDtype> parseAttentionDtype(std::string_view name) {
  if (name == "float32") return AttentionDtype::Float32;
  if (name == "float64") return AttentionDtype::Float64;
  return std::nullopt;
}

void validateAttention(const AttentionParams& p, const AttentionInput& in) {
  requireNonEmpty(in.Q, "Q");
  requireNonEmpty(in.K, "K");
  requireNonEmpty(in.V, "V");
  if (in.K.cols() != in.Q.cols())
    throw InputError("K has " + std::to_string(in.K.cols()) + " columns but Q has " +
                         std::to_string(in.Q.cols()) + " (both must be d wide)",
                     {"", "K", {}, {}});
  if (in.V.rows() != in.K.rows())
    throw InputError("V has " + std::to_string(in.V.rows()) + " rows but K has " +
                         std::to_string(in.K.rows()) + " (one value per key)",
                     {"", "V", {}, {}});
  const bool float32 = p.dtype == AttentionDtype::Float32;
  requireFinite(in.Q, "Q", float32);
  requireFinite(in.K, "K", float32);
  requireFinite(in.V, "V", float32);
  if (!std::isfinite(p.scale)) throw InputError("not a finite number", {"", "scale", {}, {}});
  if (p.kernel == AttentionKernel::Favor && p.scale < 0)
    throw InputError("favor needs scale ≥ 0 (its features use √scale)", {"", "scale", {}, {}});
  if (p.features < 1) throw InputError("must be at least 1", {"", "features", {}, {}});
  if (p.causal && in.Q.rows() > in.K.rows())
    throw InputError("causal attention needs at least as many keys as queries (query i sees keys "
                     "j ≤ i + Lk − Lq); got Lq = " + std::to_string(in.Q.rows()) +
                         ", Lk = " + std::to_string(in.K.rows()),
                     {"", "causal", {}, {}});
  requireMemory(estimatedBytes(p, in), {"", usesFeatures(p.kernel) ? "features" : "Q", {}, {}});
}

template <class T>
std::unique_ptr<FeatureMap<T>> fixedFeatureMap(const AttentionParams& p, Index d) {
  if (p.kernel == AttentionKernel::Favor)
    return std::make_unique<FavorFeatures<T>>(favorProjection(p.features, d, p.seed, p.orthogonalFeatures), p.scale);
  return std::make_unique<EluFeatures<T>>(d);
}

template <class T>
std::unique_ptr<FeatureMap<T>> makeFeatureMap(const AttentionParams& p, const RowMatrix<double>& Q,
                                              const RowMatrix<double>& K, const RowMatrix<double>& V,
                                              Progress* progress, std::optional<FeedforwardFit>* fit) {
  if (!isFittedMap(p.kernel)) return fixedFeatureMap<T>(p, Q.cols());
  FeedforwardTraining training = p.training;
  training.seed = p.seed;
  FeedforwardFit fitted = fitFeedforwardMap(feedforwardKind(p.kernel), p.features, Q, K, V, p.scale, training, progress);
  auto map = std::make_unique<FeedforwardFeatures<T>>(fitted.params);
  if (fit != nullptr) *fit = std::move(fitted);
  return map;
}

template std::unique_ptr<FeatureMap<float>> fixedFeatureMap(const AttentionParams&, Index);
template std::unique_ptr<FeatureMap<double>> fixedFeatureMap(const AttentionParams&, Index);
template std::unique_ptr<FeatureMap<float>> makeFeatureMap(const AttentionParams&, const RowMatrix<double>&,
                                                           const RowMatrix<double>&, const RowMatrix<double>&,
                                                           Progress*, std::optional<FeedforwardFit>*);
template std::unique_ptr<FeatureMap<double>> makeFeatureMap(const AttentionParams&, const RowMatrix<double>&,
                                                            const RowMatrix<double>&, const RowMatrix<double>&,
                                                            Progress*, std::optional<FeedforwardFit>*);

AttentionResult runAttention(const AttentionParams& params, const AttentionInput& input, WorkerPool& pool,
                             Progress& progress) {
  validateAttention(params, input);
  return params.dtype == AttentionDtype::Float32 ? runTyped<float>(params, input, pool, progress)
                                                 : runTyped<double>(params, input, pool, progress);
}

}  // namespace attnlab
