#include "app/cli/eval_command.hpp"

#include <memory>

#include "app/cli/cli_support.hpp"
#include "core/io/json_problem.hpp"
#include "core/regression/loss.hpp"

namespace attnlab::cli {
namespace {

struct EvalOptions {
  std::string problem;
  bool hessian = false;
};

// {"kind", "loss", "grad", "hessian"?, "seconds"}; for attention kinds grad is the d×d
// matrix ∇_X L and the Hessian is d²×d² over vec(X).
void runEval(const EvalOptions& options) {
  const auto problem = std::make_shared<const Problem>(readProblem(options.problem));
  if (options.hessian) requireDenseMatrixFits(problem->dim(), "--hessian");
  const Loss loss(problem);
  double value = 0;
  Eigen::VectorXd grad;
  Eigen::MatrixXd hessian;
  const double seconds = timeSeconds([&] {
    value = loss.valueAndGradient(problem->x, grad);
    if (options.hessian) hessian = loss.hessian(problem->x);
  });

  nlohmann::ordered_json out;
  out["kind"] = kindName(problem->kind);
  out["loss"] = value;
  out["grad"] = pointJson(*problem, grad);
  if (options.hessian) out["hessian"] = matrixJson(hessian);
  out["seconds"] = seconds;
  printJson(out);
}

}  // namespace

void addEvalCommand(CLI::App& app) {
  auto options = std::make_shared<EvalOptions>();
  CLI::App* eval = app.add_subcommand("eval", "Loss and gradient (and Hessian) at the problem's point x");
  eval->add_option("PROBLEM", options->problem, "problem JSON file, or - for standard input")->required();
  eval->add_flag("--hessian", options->hessian, "also print the dense Hessian (d²×d² over vec(X) for attention kinds)");
  eval->callback([options] { runEval(*options); });
}

}  // namespace attnlab::cli
