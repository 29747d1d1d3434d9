// Landscapes on the pool (the calling thread plus one worker per other hardware thread, as the
// command line runs them): the cli.md benchmark size, softmax n = 1024, d = 64, 256² points,
// every vector kind at that size, the preview grid, and the attention kinds point by point.
// compare.py's landscape workload measures the same size against the NumPy and PyTorch peers.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <thread>

#include "bench/bench_problems.hpp"
#include "core/landscape/landscape.hpp"

namespace attnlab {
namespace {

WorkerPool& pool() {
  static WorkerPool p(std::max(1u, std::thread::hardware_concurrency()) - 1);
  return p;
}

Problem attentionProblem(Kind kind, Eigen::Index n, Eigen::Index d) {
  Random rng(3);
  Problem p;
  p.kind = kind;
  p.A1 = bench::gaussianMatrix(n, d, rng) / std::sqrt(double(d));
  p.A2 = bench::gaussianMatrix(n, d, rng) / std::sqrt(double(d));
  p.B = bench::gaussianMatrix(n, n, rng).cwiseAbs();
  for (Eigen::Index i = 0; i < n; ++i) p.B.row(i) /= p.B.row(i).sum();
  p.x = bench::gaussianMatrix(d * d, 1, rng).col(0) * 0.3;
  return p;
}

void runLandscape(benchmark::State& state, const Problem& problem, int points) {
  const Loss loss(problem);
  const Plane plane = randomPlane(problem.x.norm() > 0 ? problem.x : Eigen::VectorXd::Ones(problem.dim()), 1);
  const Plane centred{problem.x, plane.u, plane.v};
  for (auto _ : state) {
    Progress progress;
    LandscapeResult r = computeLandscape(loss, centred, {points, 1.0}, pool(), progress);
    benchmark::DoNotOptimize(r.loss.data());
  }
  state.counters["points/s"] = benchmark::Counter(double(points) * points, benchmark::Counter::kIsIterationInvariantRate);
}

void BM_LandscapeVector(benchmark::State& state) {
  const Kind kind = static_cast<Kind>(state.range(0));
  state.SetLabel(std::string(kindName(kind)));
  runLandscape(state, bench::vectorProblem(kind, state.range(1), 64, 4.0, 1), int(state.range(2)));
}
BENCHMARK(BM_LandscapeVector)
    ->ArgsProduct({{int(Kind::Softmax)}, {1024}, {64, 256, 512}})
    ->ArgsProduct({{int(Kind::Linear), int(Kind::Exp), int(Kind::Rescaled), int(Kind::CrossEntropy),
                    int(Kind::InfoPrompt)},
                   {1024},
                   {256}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_LandscapeAttention(benchmark::State& state) {
  const Kind kind = static_cast<Kind>(state.range(0));
  state.SetLabel(std::string(kindName(kind)));
  runLandscape(state, attentionProblem(kind, state.range(1), 8), int(state.range(2)));
}
BENCHMARK(BM_LandscapeAttention)
    ->ArgsProduct({{int(Kind::AttentionNormalized), int(Kind::AttentionRescaled)}, {64}, {64}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace attnlab
