#include "app/cli/template_command.hpp"

#include <memory>
#include <string>

#include "app/cli/cli_support.hpp"
#include "core/io/json_problem.hpp"
#include "core/jobs/worker_pool.hpp"
#include "core/templates/template_input.hpp"

namespace attnlab::cli {
namespace {

nlohmann::ordered_json numbersJson(const std::vector<double>& v) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (double x : v) out.push_back(x);
  return out;
}

nlohmann::ordered_json kernelJson(const TemplateKernelResult& r) {
  nlohmann::ordered_json out;
  out["kernel"] = templateKernelName(r.kernel);
  out["test_error"] = numbersJson(r.testError);
  if (r.monteCarlo) out["test_error_stderr"] = numbersJson(r.testErrorStderr);
  out["train_error"] = numbersJson(r.trainError);
  out["N"] = matrixJson(r.N);
  if (r.monteCarlo) out["N_stderr"] = matrixJson(r.NStderr);
  out["N_singular_values"] = vectorJson(r.NCondition.singularValues);
  // σ_min = 0 exactly: the condition number is infinite, which JSON cannot hold.
  if (std::isfinite(r.NCondition.condition))
    out["N_condition"] = r.NCondition.condition;
  else
    out["N_condition"] = nullptr;
  out["N_singular"] = r.NCondition.singular;
  return out;
}

nlohmann::ordered_json resultJson(const TemplateExperimentParams& p, const TemplateExperiment& e, double seconds) {
  nlohmann::ordered_json out;
  out["task"] = taskKindName(p.task);
  nlohmann::ordered_json templates = nlohmann::ordered_json::array();
  for (const Template& t : e.task.templates) templates.push_back({{"pattern", patternName(t)}, {"label", t.label}});
  out["templates"] = templates;
  out["train_sizes"] = p.trainSizes;
  out["test_size"] = p.testSize;
  out["alphabet"] = e.alphabet;
  out["test_alphabet"] = e.testAlphabet;
  out["embedding"] = p.embedding == EmbeddingKind::OneHot ? "one_hot" : "gaussian";
  out["samples"] = p.samples;
  nlohmann::ordered_json kernels = nlohmann::ordered_json::array();
  for (const TemplateKernelResult& r : e.kernels) kernels.push_back(kernelJson(r));
  out["kernels"] = kernels;
  out["seconds"] = seconds;
  return out;
}

void runTemplateCommand(const std::string& input) {
  const JsonDocument document = readJsonDocument(input);
  const TemplateExperimentParams params = templateExperimentFromJson(document.root, document.source);
  WorkerPool pool;    // one thread per core
  Progress progress;  // nobody cancels a command-line run
  TemplateExperiment experiment;
  const double seconds = timeSeconds([&] { experiment = runTemplateExperiment(params, pool, progress); });
  printJson(resultJson(params, experiment, seconds));
}

}  // namespace

void addTemplateCommand(CLI::App& app) {
  auto input = std::make_shared<std::string>();
  CLI::App* command = app.add_subcommand(
      "template",
      "Template tasks (aa_ab, aba_abb, abab_aabb, majority, random): kernel ridge regression on unseen symbols");
  command
      ->add_option("INPUT", *input,
                   "JSON with task, kernels, train_sizes, test_size, alphabet, samples, ridge, seed, ...; or - for "
                   "standard input")
      ->required();
  command->callback([input] { runTemplateCommand(*input); });
}

}  // namespace attnlab::cli
