#include "core/templates/template_experiment.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <limits>
#include <sstream>

#include "core/errors.hpp"
#include "core/templates/kernel_ridge_regression.hpp"
#include "core/templates/mlp_kernel.hpp"

namespace attnlab {
namespace {

using Index = Eigen::Index;

// Independent generators for the parts of one run, all from the one seed.
enum Stream : std::uint64_t { TemplatesStream = 1, DataStream, EmbeddingStream, MonteCarloStream };
std::uint64_t streamSeed(std::uint64_t seed, Stream stream) { return seed ^ (0x243f6a8885a308d3ULL * stream); }

// Refused before any allocation: 2^27 doubles (1 GiB) for all kernel blocks together.
constexpr double kMaxDoubles = double(std::uint64_t(1) << 27);

void fail(const std::string& field, const std::string& message) {
  throw InputError(message, {.file = "", .field = field, .row = std::nullopt, .column = std::nullopt});
}

std::string number(double x) {
  std::ostringstream s;
  s << std::setprecision(12) << x;
  return s.str();
}

void requireRange(const std::string& field, double value, double lo, double hi) {
  if (!(value >= lo && value <= hi))
    fail(field, "must be in [" + number(lo) + ", " + number(hi) + "] (got " + number(value) + ")");
}

void requireFinite(const std::string& field, double value) {
  if (!std::isfinite(value)) fail(field, "not a finite number");
}

int taskWildcards(const TemplateExperimentParams& p) { return p.task == TaskKind::Random ? p.wildcards : 2; }

Index taskTemplates(const TemplateExperimentParams& p) {
  switch (p.task) {
    case TaskKind::Majority: return Index(1) << (p.length - 1);
    case TaskKind::Random: return p.templates;
    default: return 2;
  }
}

Index taskLength(const TemplateExperimentParams& p) {
  switch (p.task) {
    case TaskKind::SameDifferent: return 2;
    case TaskKind::AbaAbb: return 3;
    case TaskKind::AbabAabb: return 4;
    default: return p.length;
  }
}

Index maxTrainSize(const TemplateExperimentParams& p) {
  return *std::max_element(p.trainSizes.begin(), p.trainSizes.end());
}

Index resolvedAlphabet(const TemplateExperimentParams& p) {
  return p.alphabet > 0 ? p.alphabet : std::max<Index>(maxTrainSize(p), taskWildcards(p));
}

Index resolvedTestAlphabet(const TemplateExperimentParams& p) {
  return p.testAlphabet > 0 ? p.testAlphabet : resolvedAlphabet(p);
}

// Where each string sits in the kernel blocks: columns are the training strings and the
// s'-strings of N; rows are the columns, then the s-strings of N, then the test strings.
struct BlockLayout {
  Index train = 0, templates = 0, test = 0;
  Index columns() const { return train + templates; }
  Index nLeft() const { return columns(); }
  Index testBegin() const { return columns() + templates; }
  Index rows() const { return testBegin() + test; }
};

struct Analysis {
  std::vector<double> testError, trainError;
  Eigen::MatrixXd N;
};

Analysis analyse(const KernelBlocks& K, const BlockLayout& L, const Eigen::VectorXd& yTrain,
                 const Eigen::VectorXd& yTest, const TemplateExperimentParams& p) {
  Analysis a;
  for (Index n : p.trainSizes) {
    const Eigen::MatrixXd kTrain = K.cross.topLeftCorner(n, n);
    const Eigen::VectorXd y = yTrain.head(n);
    a.testError.push_back(
        meanSquaredError(kernelRidgeRegression(kTrain, y, K.cross.block(L.testBegin(), 0, L.test, n), p.ridge), yTest));
    a.trainError.push_back(meanSquaredError(kernelRidgeRegression(kTrain, y, kTrain, p.ridge), y));
  }
  a.N = K.cross.block(L.nLeft(), L.train, L.templates, L.templates);
  return a;
}

// Jackknife standard error of each scalar over the leave-one-batch-out replicates.
double jackknife(const std::vector<double>& replicates) {
  const double B = double(replicates.size());
  double mean = 0.0, ss = 0.0;
  for (double r : replicates) mean += r / B;
  for (double r : replicates) ss += (r - mean) * (r - mean);
  return std::sqrt((B - 1.0) / B * ss);
}

TemplateKernelResult resultFrom(TemplateKernel kernel, const Analysis& a) {
  TemplateKernelResult r;
  r.kernel = kernel;
  r.testError = a.testError;
  r.trainError = a.trainError;
  r.N = a.N;
  r.NCondition = templateMatrixCondition(a.N);
  return r;
}

void addJackknife(TemplateKernelResult& r, const std::vector<Analysis>& replicates) {
  r.monteCarlo = true;
  for (std::size_t s = 0; s < r.testError.size(); ++s) {
    std::vector<double> v;
    for (const Analysis& a : replicates) v.push_back(a.testError[s]);
    r.testErrorStderr.push_back(jackknife(v));
  }
  r.NStderr.resize(r.N.rows(), r.N.cols());
  for (Index i = 0; i < r.N.rows(); ++i)
    for (Index j = 0; j < r.N.cols(); ++j) {
      std::vector<double> v;
      for (const Analysis& a : replicates) v.push_back(a.N(i, j));
      r.NStderr(i, j) = jackknife(v);
    }
}

}  // namespace

std::string_view taskKindName(TaskKind kind) {
  switch (kind) {
    case TaskKind::SameDifferent: return "aa_ab";
    case TaskKind::AbaAbb: return "aba_abb";
    case TaskKind::AbabAabb: return "abab_aabb";
    case TaskKind::Majority: return "majority";
    case TaskKind::Random: return "random";
  }
  return "?";
}

std::optional<TaskKind> parseTaskKind(const std::string& name) {
  for (TaskKind k :
       {TaskKind::SameDifferent, TaskKind::AbaAbb, TaskKind::AbabAabb, TaskKind::Majority, TaskKind::Random})
    if (taskKindName(k) == name) return k;
  return std::nullopt;
}

std::string_view templateKernelName(TemplateKernel kernel) {
  switch (kernel) {
    case TemplateKernel::Transformer: return "transformer";
    case TemplateKernel::Attention: return "attention";
    case TemplateKernel::Mlp: return "mlp";
  }
  return "?";
}

std::optional<TemplateKernel> parseTemplateKernel(const std::string& name) {
  for (TemplateKernel k : {TemplateKernel::Transformer, TemplateKernel::Attention, TemplateKernel::Mlp})
    if (templateKernelName(k) == name) return k;
  return std::nullopt;
}

void validateTemplateExperiment(const TemplateExperimentParams& p) {
  if (p.task == TaskKind::Majority) requireRange("length", p.length, 2, 12);
  if (p.task == TaskKind::Random) {
    requireRange("length", p.length, 1, 16);
    requireRange("templates", p.templates, 2, 256);
    requireRange("wildcards", p.wildcards, 1, 24);
    requireRange("tokens", p.tokens, 0, 26);
  }
  if (p.kernels.empty()) fail("kernels", "must name at least one kernel");
  for (std::size_t i = 0; i < p.kernels.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (p.kernels[i] == p.kernels[j])
        fail("kernels", "names '" + std::string(templateKernelName(p.kernels[i])) + "' twice");
  if (p.trainSizes.empty()) fail("train_sizes", "must hold at least one size");
  for (Index n : p.trainSizes) requireRange("train_sizes", double(n), 1, 4096);
  requireRange("test_size", double(p.testSize), 1, 100000);
  requireRange("dim", double(p.dim), 1, 4096);
  requireRange("samples", double(p.samples), 2, 1e9);
  const double wildcards = taskWildcards(p);
  if (p.alphabet != 0) requireRange("alphabet", double(p.alphabet), wildcards, 1e6);
  if (p.testAlphabet != 0) requireRange("test_alphabet", double(p.testAlphabet), wildcards, 1e6);
  requireFinite("ridge", p.ridge);
  if (p.ridge < 0.0) fail("ridge", "must be ≥ 0");
  requireFinite("beta", p.attention.beta);
  requireFinite("gamma", p.attention.gamma);
  requireFinite("kq_identity", p.attention.kqIdentity);
  requireFinite("b1", p.cosine.b1);
  requireFinite("b2", p.cosine.b2);
  const double doubles = templateKernelMemoryBytes(p) / 8.0;
  if (doubles > kMaxDoubles)
    fail("test_size", "train_sizes, test_size and the task need " + std::to_string(int(doubles * 8.0 / 1048576.0)) +
                          " MiB of kernel matrices (at most " + std::to_string(int(kMaxDoubles * 8.0 / 1048576.0)) +
                          " MiB)");
}

// Kernel blocks: rows × columns per batch, mean, error and replicate, plus the k² value
// terms of K_attn per entry.
double templateKernelMemoryBytes(const TemplateExperimentParams& p) {
  if (p.trainSizes.empty()) return 0.0;
  const double k = double(taskLength(p)), r = double(taskTemplates(p));
  const double columns = double(maxTrainSize(p)) + r, rows = columns + r + double(p.testSize);
  return 8.0 * rows * columns * (double(kMonteCarloBatches) + 4.0 + k * k);
}

TemplateTask templateTaskFor(const TemplateExperimentParams& p) {
  switch (p.task) {
    case TaskKind::SameDifferent: return sameDifferentTask();
    case TaskKind::AbaAbb: return abaAbbTask();
    case TaskKind::AbabAabb: return ababAabbTask();
    case TaskKind::Majority: return majorityTask(p.length);
    case TaskKind::Random: {
      Random rng(streamSeed(p.seed, TemplatesStream));
      return randomTemplateTask(p.templates, p.length, p.wildcards, p.tokens, rng);
    }
  }
  return sameDifferentTask();
}

TemplateExperiment runTemplateExperiment(const TemplateExperimentParams& p, WorkerPool& pool, Progress& progress) {
  validateTemplateExperiment(p);
  TemplateExperiment out;
  out.task = templateTaskFor(p);
  out.alphabet = resolvedAlphabet(p);
  out.testAlphabet = resolvedTestAlphabet(p);
  const SymbolLayout symbols = symbolLayout(out.task, out.alphabet, out.testAlphabet);
  const BlockLayout L{maxTrainSize(p), Index(out.task.templates.size()), p.testSize};

  Random data(streamSeed(p.seed, DataStream));
  const auto train = sampleTemplateStrings(out.task, L.train, symbols.train, data);
  const auto test = sampleTemplateStrings(out.task, L.test, symbols.test, data);
  const TemplateMatrixStrings nStrings = templateMatrixStrings(out.task, symbols);
  std::vector<TemplateString> strings = train;
  strings.insert(strings.end(), nStrings.right.begin(), nStrings.right.end());
  strings.insert(strings.end(), nStrings.left.begin(), nStrings.left.end());
  strings.insert(strings.end(), test.begin(), test.end());
  out.train = train;
  Eigen::VectorXd yTrain(L.train), yTest(L.test);
  for (Index i = 0; i < L.train; ++i) yTrain(i) = train[std::size_t(i)].label;
  for (Index i = 0; i < L.test; ++i) yTest(i) = test[std::size_t(i)].label;

  Random embeddingRng(streamSeed(p.seed, EmbeddingStream));
  const SymbolEmbedding embedding(p.embedding, symbols.count, p.dim, embeddingRng);

  const bool needsAttention =
      std::any_of(p.kernels.begin(), p.kernels.end(), [](TemplateKernel k) { return k != TemplateKernel::Mlp; });
  KAttnEstimate attn;
  if (needsAttention) {
    progress.setStage("template: Monte Carlo K_attn");
    attn = kAttnMonteCarlo(strings, L.columns(), embedding, p.attention, p.samples,
                           streamSeed(p.seed, MonteCarloStream), pool, progress);
    if (attn.status == Status::Cancelled) {
      out.status = Status::Cancelled;
      return out;
    }
  }
  progress.setStage("template: kernel ridge regression");
  for (TemplateKernel kernel : p.kernels) {
    if (kernel == TemplateKernel::Mlp) {
      const KernelBlocks K = kMlpBlocks(strings, L.columns(), embedding, p.attention.gamma, p.cosine);
      out.kernels.push_back(resultFrom(kernel, analyse(K, L, yTrain, yTest, p)));
      if (p.keepTrainKernel) out.kernels.back().trainKernel = K.cross.topLeftCorner(L.train, L.train);
      continue;
    }
    auto blocks = [&](const KernelBlocks& a) {
      return kernel == TemplateKernel::Transformer ? kTransFromAttn(a, p.cosine) : a;
    };
    const KernelBlocks mean = blocks(attn.mean);
    TemplateKernelResult r = resultFrom(kernel, analyse(mean, L, yTrain, yTest, p));
    if (p.keepTrainKernel) r.trainKernel = mean.cross.topLeftCorner(L.train, L.train);
    std::vector<Analysis> replicates;
    for (std::size_t b = 0; b < attn.batchMeans.size(); ++b) {
      if (progress.cancelled()) {
        out.status = Status::Cancelled;
        return out;
      }
      replicates.push_back(analyse(blocks(leaveOneBatchOut(attn, b)), L, yTrain, yTest, p));
    }
    addJackknife(r, replicates);
    out.kernels.push_back(std::move(r));
  }
  progress.setFraction(1.0);
  return out;
}

}  // namespace attnlab
