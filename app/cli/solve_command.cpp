#include "app/cli/solve_command.hpp"

#include <algorithm>
#include <climits>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <thread>

#include "app/cli/cli_support.hpp"
#include "core/errors.hpp"
#include "core/io/json_problem.hpp"
#include "core/jobs/part_team.hpp"
#include "core/jobs/worker_pool.hpp"
#include "core/solvers/approximate_newton.hpp"
#include "core/solvers/gradient_descent.hpp"
#include "core/solvers/momentum.hpp"
#include "core/solvers/newton.hpp"

namespace attnlab::cli {
namespace {

// Counts and the seed stay text until parseCount has checked them (see cli_support.hpp).
struct SolveOptions {
  std::string problem;
  std::string method;
  double lr = 0.1;
  std::string steps = "1000";
  double tol = 1e-10;
  double beta = 0.9;
  std::string seed = "0";
  std::string samples = "0";  // 0: the solver chooses
  bool hessianReuse = false;
  std::string hessianPrecision = "mixed";
  bool warmup = false;  // one untimed solve first (thread start-up, first-touch page faults)
  int repeat = 1;       // timed solves; "seconds" is their median
};

struct Settings {
  int steps = 0;
  std::uint64_t seed = 0;
  int samples = 0;
};

std::string numberText(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.17g", v);
  return text;
}

// cli.md's ranges: --lr > 0, --steps an integer in [0, 10⁷], --tol ≥ 0, all finite; and
// heavy-ball momentum needs 0 ≤ β < 1 to be a contraction of the step history.
Settings checkOptions(const SolveOptions& o) {
  requireFiniteOption(o.lr, "--lr");
  if (o.lr <= 0) throw InputError("must be > 0 (got " + numberText(o.lr) + ")", optionField("--lr"));
  requireFiniteOption(o.tol, "--tol");
  if (o.tol < 0) throw InputError("must be ≥ 0 (got " + numberText(o.tol) + ")", optionField("--tol"));
  requireFiniteOption(o.beta, "--beta");
  if (o.beta < 0 || o.beta >= 1) throw InputError("must be in [0, 1) (got " + numberText(o.beta) + ")", optionField("--beta"));
  Settings s;
  s.steps = static_cast<int>(parseCount(o.steps, "--steps", 10'000'000));
  s.seed = parseCount(o.seed, "--seed", UINT64_MAX);
  s.samples = static_cast<int>(parseCount(o.samples, "--samples", INT_MAX));
  return s;
}

nlohmann::ordered_json trajectoryJson(const Problem& problem, const Trajectory& trajectory) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const Iterate& it : trajectory) {
    nlohmann::ordered_json entry;
    entry["t"] = it.t;
    entry["loss"] = it.loss;
    entry["grad_norm"] = it.gradNorm;
    entry["x"] = pointJson(problem, it.x);
    out.push_back(std::move(entry));
  }
  return out;
}

// Runs a configured solver from the problem's point and reports it in cli.md's fields. Each
// run (--warmup's untimed one, then --repeat timed ones) starts from a Loss with nothing cached,
// as the first does; they compute the same numbers, and "seconds" is the median.
template <class Solver>
nlohmann::ordered_json solveWith(Solver& solver, const Loss& loss, const std::string& method, const SolveOptions& o,
                                 const Settings& s) {
  const Problem& problem = loss.problem();
  solver.setTolerance(o.tol).setMaxIterations(s.steps);
  if (o.warmup) Solver(solver).compute(loss.uncached(), problem.x);
  std::vector<double> runs{timeSeconds([&] { solver.compute(loss.uncached(), problem.x); })};
  for (int r = 1; r < o.repeat; ++r) runs.push_back(timeSeconds([&] { Solver(solver).compute(loss.uncached(), problem.x); }));
  std::vector<double> sorted = runs;
  std::nth_element(sorted.begin(), sorted.begin() + sorted.size() / 2, sorted.end());
  const double seconds = sorted[sorted.size() / 2];
  const Trajectory& trajectory = solver.trajectory();

  nlohmann::ordered_json out;
  out["method"] = method;
  out["converged"] = solver.info() == Status::Success;
  out["iterations"] = solver.iterations();
  out["x"] = pointJson(problem, solver.solution());
  out["loss"] = trajectory.empty() ? loss.value(solver.solution()) : trajectory.back().loss;
  out["grad_norm"] = solver.error();
  out["status"] = statusName(solver.info());
  out["trajectory"] = trajectoryJson(problem, trajectory);
  out["seconds"] = seconds;
  if (runs.size() > 1) out["seconds_runs"] = runs;
  return out;
}

nlohmann::ordered_json solve(const Loss& loss, const SolveOptions& o, const Settings& s, PartTeam& team) {
  if (o.method == "gd") {
    GradientDescent solver;
    solver.setStepSize(o.lr);
    return solveWith(solver, loss, o.method, o, s);
  }
  if (o.method == "momentum") {
    Momentum solver;
    solver.setStepSize(o.lr).setBeta(o.beta);
    return solveWith(solver, loss, o.method, o, s);
  }
  // Both Newton methods factor a dense dim×dim matrix: refuse one that cannot fit.
  requireDenseMatrixFits(loss.dim(), "--method");
  if (o.method == "newton") {
    Newton solver;
    solver.setPartTeam(&team).setHessianReuse(o.hessianReuse).setMixedPrecision(o.hessianPrecision == "mixed");
    return solveWith(solver, loss, o.method, o, s);
  }
  ApproximateNewton solver;
  solver.setSamples(s.samples).setSeed(s.seed);
  nlohmann::ordered_json out = solveWith(solver, loss, o.method, o, s);
  out["samples"] = solver.samples();
  if (solver.hasEpsilon()) out["epsilon"] = solver.epsilon();
  return out;
}

void runSolve(const SolveOptions& options) {
  const Settings settings = checkOptions(options);
  prepareToCompute();
  // Started before the problem is read, so that its helper threads are up (stacks faulted in,
  // tile state granted, spinning or asleep) by the time the solve needs them.
  PartTeam team(0, Loss::prepareThread);  // one thread per core, the caller among them
  const Loss loss(std::make_shared<const Problem>(readProblem(options.problem)));
  printJson(solve(loss, options, settings, team));
}

}  // namespace

void addSolveCommand(CLI::App& app) {
  auto o = std::make_shared<SolveOptions>();
  CLI::App* solve = app.add_subcommand("solve", "Minimise the loss from the problem's point x; prints the trajectory");
  solve->add_option("PROBLEM", o->problem, "problem JSON file, or - for standard input")->required();
  solve->add_option("--method", o->method, "gd, momentum, newton or approx-newton")
      ->required()
      ->check(CLI::IsMember({"gd", "momentum", "newton", "approx-newton"}));
  solve->add_option("--lr", o->lr, "step size η > 0 (gd, momentum)")->capture_default_str();
  solve->add_option("--steps", o->steps, "most updates T, an integer in [0, 10^7]")->capture_default_str();
  solve->add_option("--tol", o->tol, "stop once ‖∇L‖ ≤ ε (ε ≥ 0)")->capture_default_str();
  solve->add_option("--beta", o->beta, "heavy-ball β in [0, 1) (momentum)")->capture_default_str();
  solve->add_option("--seed", o->seed, "seed of the row sampling (approx-newton)")->capture_default_str();
  solve->add_option("--samples", o->samples, "rows kept in the sparsified Hessian, 0 = automatic (approx-newton)")
      ->capture_default_str();
  solve->add_flag("--hessian-reuse", o->hessianReuse,
                  "newton: reuse the last Hessian's factor while each step still cuts ‖∇L‖ at least in half "
                  "(fewer Hessians, linear instead of quadratic convergence)");
  solve->add_option("--hessian-precision", o->hessianPrecision,
                    "newton: mixed (the Hessian's Gram sum in bf16x3 on the AMX tile unit where the CPU has "
                    "one, else in float32; each step refined to the exact Newton step with exact "
                    "Hessian-vector products; float32, then double Hessians where that stalls), or double "
                    "(every Hessian in double)")
      ->capture_default_str()
      ->check(CLI::IsMember({"double", "mixed"}));
  solve->add_flag("--warmup", o->warmup,
                  "solve once untimed first, as the peers do (threads started, memory touched)");
  solve->add_option("--repeat", o->repeat, "timed solves; \"seconds\" is their median (default 1)")
      ->check(CLI::Range(1, 1000));
  solve->callback([o] { runSolve(*o); });
}

}  // namespace attnlab::cli
