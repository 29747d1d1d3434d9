#include "core/labs/attention_lab_params.hpp"

#include <algorithm>
#include <functional>
#include <string>

#include "core/errors.hpp"
#include "core/labs/json_fields.hpp"
#include "core/random.hpp"

namespace attnlab {
namespace {

constexpr json_fields::LabFields kFields{"attention"};

void requireList(const char* field, const std::vector<int>& values, int lo, int hi) {
  if (values.empty()) kFields.bad(field, "needs at least one value");
  if (values.size() > static_cast<std::size_t>(kMaxAttentionSweepPoints))
    kFields.bad(field, "at most " + std::to_string(kMaxAttentionSweepPoints) + " values");
  for (int v : values) kFields.requireRange(field, v, lo, hi);
  if (!std::is_sorted(values.begin(), values.end(), std::less_equal<>()))
    kFields.bad(field, "must increase: " + json_fields::formatWholeList(values));
}

std::vector<AttentionKernel> readKernels(const nlohmann::json& json) {
  std::vector<std::string> names;
  kFields.read(json, "kernels", names);
  std::vector<AttentionKernel> kernels;
  for (const std::string& name : names) {
    const auto k = parseAttentionKernel(name);
    if (!k) kFields.bad("sweep.kernels", "unknown kernel '" + name + "'");
    kernels.push_back(*k);
  }
  return kernels;
}

void readSweep(const nlohmann::json& json, AttentionLabParams& p) {
  if (!json.contains("sweep")) return;
  const nlohmann::json& s = json.at("sweep");
  if (!s.is_object()) kFields.bad("sweep", "must be an object such as {\"kernels\": [\"elu\"], \"lengths\": [64, 128]}");
  if (s.contains("kernels")) p.sweepKernels = readKernels(s);
  constexpr json_fields::LabFields kSweep{"attention.sweep"};  // errors name "attention.sweep.lengths"
  kSweep.readWholeList(s, "lengths", p.lengths);
  kSweep.readWholeList(s, "features", p.featureCounts);
}

// Entries N(0, sd²), row after row: the first L rows do not depend on how many follow.
RowMatrix<double> gaussianRows(int rows, int cols, std::uint64_t seed, double sd) {
  Random rng(seed);
  RowMatrix<double> m(rows, cols);
  for (int i = 0; i < rows; ++i)
    for (int j = 0; j < cols; ++j) m(i, j) = sd * rng.normal();
  return m;
}

}  // namespace

bool sameMatrices(const AttentionLabParams& a, const AttentionLabParams& b) {
  return a.d == b.d && a.sigma == b.sigma && a.scale == b.scale && a.seed == b.seed && a.causal == b.causal &&
         a.keysAreQueries == b.keysAreQueries && a.length == b.length && a.kernel == b.kernel && a.features == b.features && a.fitSteps == b.fitSteps;
}

bool sameSweeps(const AttentionLabParams& a, const AttentionLabParams& b) {
  return a.d == b.d && a.sigma == b.sigma && a.scale == b.scale && a.seed == b.seed && a.causal == b.causal &&
         a.keysAreQueries == b.keysAreQueries && a.length == b.length && a.features == b.features && a.fitSteps == b.fitSteps &&
         a.sweepKernels == b.sweepKernels &&
         a.lengths == b.lengths && a.featureCounts == b.featureCounts;
}

void validate(const AttentionLabParams& p) {
  kFields.requireRange("d", p.d, 1, kMaxAttentionLabD);
  kFields.requireRange("sigma", p.sigma, 1e-6, 1e3);
  kFields.requireRange("scale", p.scale, 0.0, 1e3);
  kFields.requireRange("length", p.length, 1, kMaxAttentionMatrixLength);
  if (!isApproximate(p.kernel)) kFields.bad("kernel", "the kernel shown against softmax must be an approximate one");
  kFields.requireRange("features", p.features, 1, kMaxAttentionFeatures);
  kFields.requireRange("fit_steps", p.fitSteps, 1, kMaxAttentionFitSteps);
  if (p.sweepKernels.empty()) kFields.bad("sweep.kernels", "needs at least one kernel");
  for (AttentionKernel k : p.sweepKernels)
    if (!isApproximate(k)) kFields.bad("sweep.kernels", "softmax is the reference every kernel is measured against");
  requireList("sweep.lengths", p.lengths, 1, kMaxAttentionSweepLength);
  requireList("sweep.features", p.featureCounts, 1, kMaxAttentionFeatures);
}

AttentionParams attentionParamsFor(const AttentionLabParams& p, AttentionKernel kernel, int features,
                                   AttentionDtype dtype) {
  AttentionParams a;
  a.kernel = kernel;
  a.scale = p.scale;
  a.features = features;
  a.seed = p.seed;
  a.dtype = dtype;
  a.causal = p.causal;
  a.training.steps = p.fitSteps;
  return a;
}

AttentionInput attentionLabInput(const AttentionLabParams& p, int length) {
  RowMatrix<double> Q = gaussianRows(length, p.d, p.seed, p.sigma);
  RowMatrix<double> K = p.keysAreQueries ? Q : gaussianRows(length, p.d, p.seed + 1, p.sigma);
  return {std::move(Q), std::move(K), gaussianRows(length, p.d, p.seed + 2, 1.0)};
}

nlohmann::json toJson(const AttentionLabParams& p) {
  std::vector<std::string> kernels;
  for (AttentionKernel k : p.sweepKernels) kernels.emplace_back(attentionKernelName(k));
  return {{"d", p.d},
          {"sigma", p.sigma},
          {"scale", p.scale},
          {"seed", p.seed},
          {"causal", p.causal},
          {"keys_are_queries", p.keysAreQueries},
          {"length", p.length},
          {"kernel", attentionKernelName(p.kernel)},
          {"features", p.features},
          {"fit_steps", p.fitSteps},
          {"sweep", {{"kernels", kernels}, {"lengths", p.lengths}, {"features", p.featureCounts}}}};
}

AttentionLabParams attentionParamsFromJson(const nlohmann::json& json, const AttentionLabParams& base) {
  if (!json.is_object()) throw InputError("the attention lab's settings must be a JSON object");
  AttentionLabParams p = base;
  kFields.readWhole(json, "d", p.d);
  kFields.read(json, "sigma", p.sigma);
  kFields.read(json, "scale", p.scale);
  kFields.read(json, "seed", p.seed);
  kFields.read(json, "causal", p.causal);
  kFields.read(json, "keys_are_queries", p.keysAreQueries);
  kFields.readWhole(json, "length", p.length);
  kFields.readEnum(json, "kernel", p.kernel, parseAttentionKernel);
  kFields.readWhole(json, "features", p.features);
  kFields.readWhole(json, "fit_steps", p.fitSteps);
  readSweep(json, p);
  validate(p);
  return p;
}

}  // namespace attnlab
