// Output, in cli.md's fields and order: shift, n, d, R, steps[], seconds — each step t, step_norm,
// db_norm, db1_norm, db2_norm, beta, log10_beta, log10_part1, log10_part2, log10_lemma,
// log10_theorem, sharp, hypotheses{R_at_least_4, A_norm_at_most_R, x_norm_at_most_R, small_step}.
// Added (cli.md allows more, never fewer): kind and attention_update at the top, new_target
// (b̃ or b̂ = b − Σδb) before seconds; per step zero_step, logit_shift_inf (the ∞-norm small_step
// tests) and log10_*_factor (each bound ÷ ‖Δ‖, ÷ ‖Δx‖² for Thm 8.1: finite even for a zero step).
//
// `beta` is printed only while β = min(α_t, α_{t+1}) is a positive finite double: α overflows
// once Ax > 709, and JSON holds no inf — which is why log10_beta is always there (cli.md).
// For a zero step (‖Δ‖ = 0) the log10 bounds use log10‖Δ‖ = log10(4.9e-324) ≈ −323.3, an upper
// bound still (core/bounds/shift_bounds.hpp), and zero_step is true.
//
// Up to 10⁷ steps are allowed, so the steps are streamed: every step is checked for finiteness
// first (nothing is printed if one fails), then the document is written piece by piece.
#include "app/cli/bounds_command.hpp"

#include <cstdint>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>

#include "app/cli/cli_support.hpp"
#include "core/bounds/bounds_lab.hpp"
#include "core/errors.hpp"
#include "core/io/json_problem.hpp"

namespace attnlab::cli {
namespace {

// Counts and the seed stay text until parseCount has checked them (see cli_support.hpp).
struct BoundsOptions {
  std::string problem;
  std::string shift;
  double lr = BoundsParams{}.lr;
  std::string steps = std::to_string(BoundsParams{}.steps);
  double R = 0.0;  // used when --R was given
  bool hasR = false;
  std::string update = "gd";
  double scale = BoundsParams{}.scale;
  std::string seed = "0";
};

BoundsParams paramsFrom(const BoundsOptions& o) {
  BoundsParams p;
  p.shift = *shiftFromName(o.shift);
  p.update = *attentionUpdateFromName(o.update);
  requireFiniteOption(o.lr, "--lr");
  p.lr = o.lr;
  p.steps = static_cast<long long>(parseCount(o.steps, "--steps", kMaxBoundsSteps));
  if (o.hasR) {
    requireFiniteOption(o.R, "--R");
    p.R = o.R;
  }
  requireFiniteOption(o.scale, "--scale");
  p.scale = o.scale;
  p.seed = parseCount(o.seed, "--seed", UINT64_MAX);
  checkBoundsParams(p, "--");
  return p;
}

nlohmann::ordered_json hypothesesJson(const ShiftHypotheses& h) {
  nlohmann::ordered_json out;
  out["R_at_least_4"] = h.RAtLeast4;
  out["A_norm_at_most_R"] = h.ANormAtMostR;
  out["x_norm_at_most_R"] = h.xNormAtMostR;
  out["small_step"] = h.smallStep;
  return out;
}

nlohmann::ordered_json stepJson(const StepBounds& s) {
  nlohmann::ordered_json out;
  out["t"] = s.t;
  out["step_norm"] = s.stepNorm;
  out["db_norm"] = s.dbNorm;
  out["db1_norm"] = s.db1Norm;
  out["db2_norm"] = s.db2Norm;
  if (const auto beta = s.beta()) out["beta"] = *beta;
  out["log10_beta"] = s.log10Beta();
  out["log10_part1"] = s.log10Part1;
  out["log10_part2"] = s.log10Part2;
  out["log10_lemma"] = s.log10Lemma;
  out["log10_theorem"] = s.log10Theorem;
  out["sharp"] = s.sharp;
  out["hypotheses"] = hypothesesJson(s.hypotheses);
  out["zero_step"] = s.zeroStep;
  out["logit_shift_inf"] = s.logitShiftInf;
  out["log10_part1_factor"] = s.log10Part1Factor;
  out["log10_part2_factor"] = s.log10Part2Factor;
  out["log10_lemma_factor"] = s.log10LemmaFactor;
  out["log10_theorem_factor"] = s.log10TheoremFactor;
  return out;
}

// The fields before "steps" and after it; each dumped without its outer braces.
std::string innerFields(const nlohmann::ordered_json& object) {
  const std::string text = object.dump();
  return text.substr(1, text.size() - 2);
}

void printResult(const Problem& problem, const BoundsParams& params, const BoundsResult& r, double seconds) {
  nlohmann::ordered_json head;
  head["shift"] = shiftName(r.shift);
  head["n"] = r.n;
  head["d"] = r.d;
  head["R"] = r.R;
  head["kind"] = kindName(problem.kind);
  if (r.shift == Shift::Data) head["attention_update"] = attentionUpdateName(params.update);
  nlohmann::ordered_json tail;
  tail["new_target"] = vectorJson(r.newTarget());
  tail["seconds"] = seconds;
  requireFinite(head, "");
  requireFinite(tail, "");
  for (std::size_t i = 0; i < r.steps.size(); ++i) requireFinite(stepJson(r.steps[i]), "steps[" + std::to_string(i) + "]");

  std::cout << '{' << innerFields(head) << ",\"steps\":[";
  for (std::size_t i = 0; i < r.steps.size(); ++i) std::cout << (i ? "," : "") << stepJson(r.steps[i]).dump();
  std::cout << "]," << innerFields(tail) << "}\n";
  std::cout.flush();
  if (!std::cout) throw std::runtime_error("cannot write the result to standard output");
}

void runBoundsCommand(const BoundsOptions& options) {
  const BoundsParams params = paramsFrom(options);
  const Problem problem = readProblem(options.problem);
  Progress progress;
  BoundsResult result;
  const double seconds = timeSeconds([&] { result = runBounds(problem, params, progress); });
  printResult(problem, params, result, seconds);
}

}  // namespace

void addBoundsCommand(CLI::App& app) {
  auto o = std::make_shared<BoundsOptions>();
  CLI::App* cmd = app.add_subcommand(
      "bounds", "Weight shift (GD on x) or data shift (A moved) measured against the bounds of 000 Lemma 5.5/7.5, Thm 8.1/8.2");
  cmd->add_option("PROBLEM", o->problem, "problem JSON file (a vector kind), or - for standard input")->required();
  cmd->add_option("--shift", o->shift, "x: gradient descent on x; A: x fixed, the document A moved")
      ->required()
      ->check(CLI::IsMember({"x", "A"}));
  cmd->add_option("--lr", o->lr, "step size η > 0 (GD on x, GD on A, and the LSA layer's scale)")->capture_default_str();
  cmd->add_option("--steps", o->steps, "number of steps T, an integer in [0, 10^7]")->capture_default_str();
  cmd->add_option("--R", o->R, "radius R > 0 of the hypotheses (default: max(4, ‖A_t‖, ‖x_t‖) over the run)")
      ->each([o](const std::string&) { o->hasR = true; });
  cmd->add_option("--attention-update", o->update, "how --shift A moves A: gd, lsa or random")
      ->capture_default_str()
      ->check(CLI::IsMember({"gd", "lsa", "random"}));
  cmd->add_option("--scale", o->scale, "spectral norm s ≥ 0 of each random perturbation (--attention-update random)")
      ->capture_default_str();
  cmd->add_option("--seed", o->seed, "seed of W_Q, W_K, W_V (lsa) and of G (random)")->capture_default_str();
  cmd->callback([o] { runBoundsCommand(*o); });
}

}  // namespace attnlab::cli
