// A Newton solve at n=4096, d=64 (issue 2, item 9): infoprompt with R=16 and w=0.02 from
// x=0 to ‖∇L‖ ≤ 1e-7, the setting of ../shared/peers (compare.py --workload newton).
#include <benchmark/benchmark.h>

#include "bench/bench_problems.hpp"
#include "core/solvers/newton.hpp"

namespace {

void BM_NewtonInfoPrompt(benchmark::State& state) {
  const attnlab::Loss loss(
      attnlab::bench::vectorProblem(attnlab::Kind::InfoPrompt, state.range(0), state.range(1), 16.0, 1));
  const Eigen::VectorXd x0 = Eigen::VectorXd::Zero(state.range(1));
  int iterations = 0;
  for (auto _ : state) {
    attnlab::Newton newton;
    newton.setTolerance(1e-7).setMaxIterations(100).setRecordTrajectory(false).compute(loss, x0);
    iterations = newton.iterations();
    if (newton.info() != attnlab::Status::Success) state.SkipWithError("Newton did not converge");
  }
  state.counters["iterations"] = iterations;
}
BENCHMARK(BM_NewtonInfoPrompt)->Args({4096, 64})->Args({512, 16})->Unit(benchmark::kMillisecond);

}  // namespace
