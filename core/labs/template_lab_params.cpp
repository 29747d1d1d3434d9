#include "core/labs/template_lab_params.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <optional>

#include "core/errors.hpp"
#include "core/labs/json_fields.hpp"

namespace attnlab {
namespace {

constexpr json_fields::LabFields kFields{"templates"};

std::string_view embeddingName(EmbeddingKind kind) { return kind == EmbeddingKind::OneHot ? "one_hot" : "gaussian"; }
std::optional<EmbeddingKind> embeddingFromName(std::string_view name) {
  if (name == "one_hot") return EmbeddingKind::OneHot;
  if (name == "gaussian") return EmbeddingKind::Gaussian;
  return std::nullopt;
}

std::size_t kernelOrder(TemplateKernel kernel) {
  return static_cast<std::size_t>(std::find(std::begin(kAllTemplateKernels), std::end(kAllTemplateKernels), kernel) -
                                  std::begin(kAllTemplateKernels));
}

// "kernels": ["transformer", "mlp"] in any order; kept in kAllTemplateKernels' order so
// that two sessions naming the same kernels compare equal.
void readKernels(const nlohmann::json& json, TemplateLabParams& p) {
  if (!json.contains("kernels")) return;
  std::vector<std::string> names;
  kFields.read(json, "kernels", names);
  std::vector<TemplateKernel> kernels;
  for (const std::string& name : names) {
    const auto kernel = parseTemplateKernel(name);
    if (!kernel) kFields.bad("kernels", "unknown kernel '" + name + "' (transformer, attention or mlp)");
    if (std::find(kernels.begin(), kernels.end(), *kernel) != kernels.end()) kFields.bad("kernels", "names '" + name + "' twice");
    kernels.push_back(*kernel);
  }
  std::sort(kernels.begin(), kernels.end(),
            [](TemplateKernel a, TemplateKernel b) { return kernelOrder(a) < kernelOrder(b); });
  p.kernels = std::move(kernels);
}

constexpr int kMaxCopyEmbedding = 4096;
constexpr int kMaxCopyWidths = 8;

void readCopy(const nlohmann::json& json, CopyTaskLabParams& c) {
  if (!json.contains("copy")) return;
  const nlohmann::json& j = json.at("copy");
  if (!j.is_object()) kFields.bad("copy", "must be an object such as {\"embeddings\": [16, 256], \"steps\": 200}");
  constexpr json_fields::LabFields kCopy{"templates.copy"};  // errors name "templates.copy.steps"
  kCopy.readWholeList(j, "embeddings", c.embeddings);
  kCopy.readWhole(j, "train_tokens", c.trainTokens);
  kCopy.readWhole(j, "test_tokens", c.testTokens);
  kCopy.readWhole(j, "heads", c.heads);
  kCopy.readWhole(j, "head_dim", c.headDim);
  kCopy.readWhole(j, "steps", c.steps);
  kCopy.read(j, "lr", c.lr);
}

std::optional<TemplateView> templateViewFromName(std::string_view name) {
  for (TemplateView v : {TemplateView::Regression, TemplateView::Copying})
    if (templateViewName(v) == name) return v;
  return std::nullopt;
}

void validateCopy(const CopyTaskLabParams& c) {
  if (c.embeddings.empty()) kFields.bad("copy.embeddings", "needs at least one width");
  if (c.embeddings.size() > std::size_t(kMaxCopyWidths)) kFields.bad("copy.embeddings", "at most 8 widths");
  for (int d : c.embeddings) kFields.requireRange("copy.embeddings", d, 1, kMaxCopyEmbedding);
  if (!std::is_sorted(c.embeddings.begin(), c.embeddings.end(), std::less_equal<>()))
    kFields.bad("copy.embeddings", "must increase: " + json_fields::formatWholeList(c.embeddings));
  kFields.requireRange("copy.train_tokens", c.trainTokens, 1, 1024);
  kFields.requireRange("copy.test_tokens", c.testTokens, 1, 1024);
  kFields.requireRange("copy.heads", c.heads, 1, 64);
  kFields.requireRange("copy.head_dim", c.headDim, 1, 256);
  kFields.requireRange("copy.steps", c.steps, 1, 5000);
  kFields.requireRange("copy.lr", c.lr, 1e-6, 100.0);
}

}  // namespace

std::string_view templateViewName(TemplateView view) {
  return view == TemplateView::Copying ? "copying" : "regression";
}

bool sameExperiment(const TemplateLabParams& a, const TemplateLabParams& b) {
  TemplateLabParams x = a, y = b;
  x.view = y.view;
  x.copy = y.copy;
  return x == y;
}

bool sameCopyTask(const TemplateLabParams& a, const TemplateLabParams& b) { return a.copy == b.copy && a.seed == b.seed; }

CopyTaskParams copyTaskParamsFor(const TemplateLabParams& p, int embedding) {
  CopyTaskParams c;
  c.trainTokens = p.copy.trainTokens;
  c.testTokens = p.copy.testTokens;
  c.embedding = embedding;
  c.heads = p.copy.heads;
  c.headDim = p.copy.headDim;
  c.learningRate = p.copy.lr;
  c.steps = p.copy.steps;
  c.seed = p.seed;
  return c;
}

bool showsKernel(const TemplateLabParams& p, TemplateKernel kernel) {
  return std::find(p.kernels.begin(), p.kernels.end(), kernel) != p.kernels.end();
}

void setKernelShown(TemplateLabParams& p, TemplateKernel kernel, bool shown) {
  std::vector<TemplateKernel> kernels;
  for (TemplateKernel k : kAllTemplateKernels)
    if (k == kernel ? shown : showsKernel(p, k)) kernels.push_back(k);
  p.kernels = std::move(kernels);
}

void validate(const TemplateLabParams& p) {
  validateCopy(p.copy);
  if (p.kernels.empty()) kFields.bad("kernels", "choose at least one kernel");
  if (p.trainSizes.empty()) kFields.bad("train_sizes", "needs at least one size");
  if (p.trainSizes.size() > static_cast<std::size_t>(kMaxTemplateLabTrainSizes))
    kFields.bad("train_sizes", "at most " + std::to_string(kMaxTemplateLabTrainSizes) + " sizes");
  for (int n : p.trainSizes) kFields.requireRange("train_sizes", n, 1, kMaxTemplateLabTrainSize);
  kFields.requireRange("test_size", p.testSize, 1, kMaxTemplateLabTestSize);
  kFields.requireRange("samples", p.samples, 2, kMaxTemplateLabSamples);
  kFields.requireRange("dim", p.dim, 1, kMaxTemplateLabDim);
  kFields.requireRange("ridge", p.ridge, 0.0, 1e6);
  kFields.requireRange("beta", p.beta, 0.0, 100.0);
  kFields.requireRange("gamma", p.gamma, 0.0, 100.0);
  kFields.requireRange("kq_identity", p.kqIdentity, -100.0, 100.0);
  kFields.requireRange("b1", p.b1, 0.0, 100.0);
  kFields.requireRange("b2", p.b2, -10.0, 10.0);
  // The rest (task sizes, duplicate kernels, a random task that cannot be drawn) as the
  // command line checks it, named in this lab's part of the session.
  const TemplateExperimentParams e = experimentParamsFor(p);
  try {
    validateTemplateExperiment(e);
    templateTaskFor(e);
  } catch (const InputError& error) {
    kFields.bad(error.where().field, error.message());
  }
  const double bytes = templateKernelMemoryBytes(e);
  if (bytes > kMaxTemplateLabBytes)
    kFields.bad("test_size", "the largest train size, test_size and the task need " + std::to_string(int(bytes / 1048576.0)) +
                         " MiB of kernel matrices (the lab allows " + std::to_string(int(kMaxTemplateLabBytes / 1048576.0)) +
                         " MiB; `attnlab template` allows more)");
}

TemplateExperimentParams experimentParamsFor(const TemplateLabParams& p) {
  TemplateExperimentParams e;
  e.task = p.task;
  e.length = p.length;
  e.templates = p.templates;
  e.wildcards = p.wildcards;
  e.tokens = p.tokens;
  e.kernels = p.kernels;
  e.trainSizes.assign(p.trainSizes.begin(), p.trainSizes.end());
  e.testSize = p.testSize;
  e.embedding = p.embedding;
  e.dim = p.dim;
  e.samples = p.samples;
  e.ridge = p.ridge;
  e.seed = p.seed;
  e.attention.beta = p.beta;
  e.attention.gamma = p.gamma;
  e.attention.kqIdentity = p.kqIdentity;
  e.cosine.b1 = p.b1;
  e.cosine.b2 = p.b2;
  e.keepTrainKernel = true;
  return e;
}

nlohmann::json toJson(const TemplateLabParams& p) {
  nlohmann::json kernels = nlohmann::json::array();
  for (TemplateKernel k : p.kernels) kernels.push_back(templateKernelName(k));
  return {{"task", taskKindName(p.task)},
          {"length", p.length},
          {"templates", p.templates},
          {"wildcards", p.wildcards},
          {"tokens", p.tokens},
          {"kernels", kernels},
          {"train_sizes", p.trainSizes},
          {"test_size", p.testSize},
          {"embedding", embeddingName(p.embedding)},
          {"dim", p.dim},
          {"samples", p.samples},
          {"ridge", p.ridge},
          {"seed", p.seed},
          {"beta", p.beta},
          {"gamma", p.gamma},
          {"kq_identity", p.kqIdentity},
          {"b1", p.b1},
          {"b2", p.b2},
          {"view", templateViewName(p.view)},
          {"copy", {{"embeddings", p.copy.embeddings},
                    {"train_tokens", p.copy.trainTokens},
                    {"test_tokens", p.copy.testTokens},
                    {"heads", p.copy.heads},
                    {"head_dim", p.copy.headDim},
                    {"steps", p.copy.steps},
                    {"lr", p.copy.lr}}}};
}

TemplateLabParams templateLabParamsFromJson(const nlohmann::json& json, const TemplateLabParams& base) {
  if (!json.is_object()) throw InputError("the template lab's settings must be a JSON object");
  TemplateLabParams p = base;
  kFields.readEnum(json, "task", p.task, [](std::string_view s) { return parseTaskKind(std::string(s)); });
  kFields.readWhole(json, "length", p.length);
  kFields.readWhole(json, "templates", p.templates);
  kFields.readWhole(json, "wildcards", p.wildcards);
  kFields.readWhole(json, "tokens", p.tokens);
  readKernels(json, p);
  kFields.readWholeList(json, "train_sizes", p.trainSizes);
  kFields.readWhole(json, "test_size", p.testSize);
  kFields.readEnum(json, "embedding", p.embedding, embeddingFromName);
  kFields.readWhole(json, "dim", p.dim);
  kFields.readWhole(json, "samples", p.samples);
  kFields.read(json, "ridge", p.ridge);
  kFields.read(json, "seed", p.seed);
  kFields.read(json, "beta", p.beta);
  kFields.read(json, "gamma", p.gamma);
  kFields.read(json, "kq_identity", p.kqIdentity);
  kFields.read(json, "b1", p.b1);
  kFields.read(json, "b2", p.b2);
  kFields.readEnum(json, "view", p.view, templateViewFromName);
  readCopy(json, p.copy);
  validate(p);
  return p;
}

}  // namespace attnlab
