// A Newton solve at n=4096, d=64 (issue 2, item 9): infoprompt with R=16 and w=0.02 from
// x=0 to ‖∇L‖ ≤ 1e-7, the setting of ../shared/peers (compare.py --workload newton).
// A fresh Loss per solve, as `attnlab solve` has: infoprompt's fixed Aᵀdiag(w²)A, which a Loss
// keeps after its first Hessian, is paid for in every timed solve.
#include <benchmark/benchmark.h>

#include <memory>

#include "bench/bench_problems.hpp"
#include "core/jobs/worker_pool.hpp"
#include "core/solvers/newton.hpp"

namespace {

struct Variant {
  bool pool = false;   // the Hessian's Gram sum on a pool of one worker plus the caller
  bool reuse = false;  // Newton::setHessianReuse
  bool mixed = false;  // Newton::setMixedPrecision (float32 Gram sums)
};

void solveRepeatedly(benchmark::State& state, Variant v) {
  const auto problem = std::make_shared<const attnlab::Problem>(
      attnlab::bench::vectorProblem(attnlab::Kind::InfoPrompt, state.range(0), state.range(1), 16.0, 1));
  const Eigen::VectorXd x0 = Eigen::VectorXd::Zero(state.range(1));
  attnlab::WorkerPool pool(1);
  int iterations = 0, hessians = 0;
  for (auto _ : state) {
    const attnlab::Loss loss(problem);
    attnlab::Newton newton;
    newton.setTolerance(1e-7).setMaxIterations(100).setRecordTrajectory(false).setHessianReuse(v.reuse).setMixedPrecision(v.mixed);
    if (v.pool) newton.setWorkerPool(&pool);
    newton.compute(loss, x0);
    iterations = newton.iterations();
    hessians = newton.hessianEvaluations();
    if (newton.info() != attnlab::Status::Success) state.SkipWithError("Newton did not converge");
  }
  state.counters["iterations"] = iterations;
  state.counters["hessians"] = hessians;
}

void BM_NewtonInfoPrompt(benchmark::State& state) { solveRepeatedly(state, {}); }
BENCHMARK(BM_NewtonInfoPrompt)->Args({4096, 64})->Args({512, 16})->Unit(benchmark::kMillisecond);

// Wall-clock time: two threads share the work.
void BM_NewtonInfoPromptOnPool(benchmark::State& state) { solveRepeatedly(state, {.pool = true}); }
BENCHMARK(BM_NewtonInfoPromptOnPool)->Args({4096, 64})->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_NewtonInfoPromptHessianReuse(benchmark::State& state) {
  solveRepeatedly(state, {.pool = true, .reuse = true});
}
BENCHMARK(BM_NewtonInfoPromptHessianReuse)->Args({4096, 64})->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_NewtonInfoPromptMixedPrecision(benchmark::State& state) { solveRepeatedly(state, {.mixed = true}); }
BENCHMARK(BM_NewtonInfoPromptMixedPrecision)->Args({4096, 64})->Args({512, 16})->Unit(benchmark::kMillisecond);

void BM_NewtonInfoPromptMixedPrecisionOnPool(benchmark::State& state) {
  solveRepeatedly(state, {.pool = true, .mixed = true});
}
BENCHMARK(BM_NewtonInfoPromptMixedPrecisionOnPool)->Args({4096, 64})->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace
