#include "app/cli/attention_command.hpp"

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "app/cli/cli_support.hpp"
#include "core/attention/attention_input.hpp"
#include "core/io/json_problem.hpp"
#include "core/jobs/worker_pool.hpp"

namespace attnlab::cli {
namespace {

struct AttentionOptions {
  std::string input;
  std::string dtype;  // empty: the input's "dtype" (default float64)
  bool warmup = false;  // one untimed run first (thread start-up, first-touch page faults)
  int repeat = 1;       // timed runs; "seconds" is their median
};

nlohmann::ordered_json fitJson(const FeedforwardFit& fit) {
  nlohmann::ordered_json out;
  out["steps"] = fit.steps;
  out["initial_loss"] = fit.initialLoss;
  out["final_loss"] = fit.finalLoss;
  return out;
}

// {"kernel", "dtype", "causal", "out", "seconds"} and, for approximate kernels,
// "error_vs_softmax" with "softmax_seconds" (the exact reference, not part of "seconds");
// "features" for maps with m features; "fit" for the trained maps.
nlohmann::ordered_json resultJson(const AttentionParams& params, const AttentionResult& result,
                                  const std::vector<double>& runs) {
  nlohmann::ordered_json out;
  out["kernel"] = attentionKernelName(params.kernel);
  out["dtype"] = attentionDtypeName(params.dtype);
  out["causal"] = params.causal;
  if (usesFeatures(params.kernel)) out["features"] = params.features;
  out["out"] = matrixJson(result.out);
  out["seconds"] = result.seconds;
  if (runs.size() > 1) out["seconds_runs"] = runs;
  if (result.errorVsSoftmax) {
    out["error_vs_softmax"] = *result.errorVsSoftmax;
    out["softmax_seconds"] = result.softmaxSeconds;
  }
  if (result.fit) out["fit"] = fitJson(*result.fit);
  return out;
}

void runAttentionCommand(const AttentionOptions& options) {
  const JsonDocument document = readJsonDocument(options.input);
  AttentionProblem problem = attentionProblemFromJson(document.root, document.source);
  if (!options.dtype.empty()) problem.params.dtype = *parseAttentionDtype(options.dtype);
  WorkerPool pool;     // one thread per core
  Progress progress;  // nobody cancels a command-line run
  // runAttention times the kernel itself; parsing above and printing below are not in "seconds".
  if (options.warmup) {
    AttentionParams untimed = problem.params;
    untimed.compareWithSoftmax = false;
    runAttention(untimed, problem.input, pool, progress);
  }
  // Every run computes the same numbers (seeded); the first keeps its error against softmax.
  AttentionResult result = runAttention(problem.params, problem.input, pool, progress);
  std::vector<double> runs{result.seconds};
  AttentionParams again = problem.params;
  again.compareWithSoftmax = false;
  for (int r = 1; r < options.repeat; ++r) runs.push_back(runAttention(again, problem.input, pool, progress).seconds);
  std::vector<double> sorted = runs;
  std::nth_element(sorted.begin(), sorted.begin() + sorted.size() / 2, sorted.end());
  result.seconds = sorted[sorted.size() / 2];
  printJson(resultJson(problem.params, result, runs));
}

}  // namespace

void addAttentionCommand(CLI::App& app) {
  auto options = std::make_shared<AttentionOptions>();
  CLI::App* command = app.add_subcommand(
      "attention", "Exact (softmax) or kernelized (elu, favor, softplus, glu, aoglu) attention on Q, K, V");
  command->add_option("INPUT", options->input,
                      "JSON with kernel, Q, K, V, scale, features, seed, dtype, causal; or - for standard input")
      ->required();
  command
      ->add_option("--dtype", options->dtype,
                   "compute in float32 or float64, overriding the input's \"dtype\" (to time one input both ways)")
      ->check(CLI::IsMember({"float32", "float64"}));
  command->add_flag("--warmup", options->warmup,
                    "run the kernel once untimed first, as the peers do (threads started, memory touched)");
  command->add_option("--repeat", options->repeat, "timed runs; \"seconds\" is their median (default 1)")
      ->check(CLI::Range(1, 1000));
  command->callback([options] { runAttentionCommand(*options); });
}

}  // namespace attnlab::cli
