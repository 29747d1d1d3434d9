// A Newton solve at n=4096, d=64 (issue 2, item 9): infoprompt with R=16 and w=0.02 from
// x=0 to ‖∇L‖ ≤ 1e-7, the setting of ../shared/peers (compare.py --workload newton).
// A fresh Loss per solve, as `attnlab solve` has: infoprompt's fixed Aᵀdiag(w²)A, which a Loss
// keeps after its first Hessian, is paid for in every timed solve.
#include <benchmark/benchmark.h>

#include <memory>

#include "bench/bench_problems.hpp"
#include "core/jobs/part_team.hpp"
#include "core/jobs/worker_pool.hpp"
#include "core/solvers/newton.hpp"

namespace {

struct Variant {
  bool team = false;    // passes over A on a PartTeam of two (the caller and one helper), as the CLI
  bool pool = false;    // double Gram sums on a pool of one worker plus the caller
  bool reuse = false;   // Newton::setHessianReuse
  bool mixed = true;    // Newton::setMixedPrecision: low-precision Gram sums, refined steps (the default)
};

void solveRepeatedly(benchmark::State& state, Variant v) {
  const auto problem = std::make_shared<const attnlab::Problem>(
      attnlab::bench::vectorProblem(attnlab::Kind::InfoPrompt, state.range(0), state.range(1), 16.0, 1));
  const Eigen::VectorXd x0 = Eigen::VectorXd::Zero(state.range(1));
  attnlab::WorkerPool pool(1);
  attnlab::PartTeam team(2);
  int iterations = 0, hessians = 0, products = 0;
  for (auto _ : state) {
    const attnlab::Loss loss(problem);
    attnlab::Newton newton;
    newton.setTolerance(1e-7).setMaxIterations(100).setRecordTrajectory(false).setHessianReuse(v.reuse).setMixedPrecision(v.mixed);
    if (v.pool) newton.setWorkerPool(&pool);
    if (v.team) newton.setPartTeam(&team);
    newton.compute(loss, x0);
    iterations = newton.iterations();
    hessians = newton.hessianEvaluations();
    products = newton.hessianProducts();
    if (newton.info() != attnlab::Status::Success) state.SkipWithError("Newton did not converge");
  }
  state.counters["iterations"] = iterations;
  state.counters["hessians"] = hessians;
  state.counters["products"] = products;
}

// The default: low-precision Gram sums (bf16x3 on AMX, else float32), every step refined to the exact Newton step, the caller alone.
void BM_NewtonInfoPrompt(benchmark::State& state) { solveRepeatedly(state, {}); }
BENCHMARK(BM_NewtonInfoPrompt)->Args({4096, 64})->Args({512, 16})->Unit(benchmark::kMillisecond);

// What `attnlab solve --method newton` runs: the same on a team of two. Wall-clock time.
void BM_NewtonInfoPromptOnTeam(benchmark::State& state) { solveRepeatedly(state, {.team = true}); }
BENCHMARK(BM_NewtonInfoPromptOnTeam)->Args({4096, 64})->UseRealTime()->Unit(benchmark::kMillisecond);

// Every Hessian in double (--hessian-precision double), alone, on a pool, on a team.
void BM_NewtonInfoPromptDouble(benchmark::State& state) { solveRepeatedly(state, {.mixed = false}); }
BENCHMARK(BM_NewtonInfoPromptDouble)->Args({4096, 64})->Args({512, 16})->Unit(benchmark::kMillisecond);

void BM_NewtonInfoPromptDoubleOnPool(benchmark::State& state) { solveRepeatedly(state, {.pool = true, .mixed = false}); }
BENCHMARK(BM_NewtonInfoPromptDoubleOnPool)->Args({4096, 64})->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_NewtonInfoPromptDoubleOnTeam(benchmark::State& state) { solveRepeatedly(state, {.team = true, .mixed = false}); }
BENCHMARK(BM_NewtonInfoPromptDoubleOnTeam)->Args({4096, 64})->UseRealTime()->Unit(benchmark::kMillisecond);

// The chord variant (--hessian-reuse) on double Hessians.
void BM_NewtonInfoPromptHessianReuse(benchmark::State& state) {
  solveRepeatedly(state, {.pool = true, .reuse = true, .mixed = false});
}
BENCHMARK(BM_NewtonInfoPromptHessianReuse)->Args({4096, 64})->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace
