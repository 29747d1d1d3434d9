// Loss+gradient and dense Hessian across n ∈ {256, 4096, 65536}, d ∈ {16, 64, 256}
// (issue 2, item 9), and a memory-bandwidth reference to say how close loss+gradient
// comes to the machine's bound: it streams A twice (z = Ax, then Aᵀ∇_z).
#include <benchmark/benchmark.h>

#include "bench/bench_problems.hpp"
#include "core/jobs/part_team.hpp"
#include "core/jobs/worker_pool.hpp"
#include "core/regression/loss.hpp"

namespace {

using attnlab::Kind;
using attnlab::Loss;

void sizes(benchmark::internal::Benchmark* b) {
  for (long n : {256, 4096, 65536})
    for (long d : {16, 64, 256}) b->Args({n, d});
}

void BM_SoftmaxLossGradient(benchmark::State& state) {
  const Loss loss(attnlab::bench::vectorProblem(Kind::Softmax, state.range(0), state.range(1), 4.0, 1));
  Eigen::VectorXd x = Eigen::VectorXd::Constant(state.range(1), 0.1), g;
  for (auto _ : state) benchmark::DoNotOptimize(loss.valueAndGradient(x, g));
  const double bytes = 2.0 * 8.0 * double(state.range(0)) * double(state.range(1));
  state.SetBytesProcessed(int64_t(bytes) * state.iterations());
}
BENCHMARK(BM_SoftmaxLossGradient)->Apply(sizes)->Unit(benchmark::kMicrosecond);

void BM_InfoPromptLossGradient(benchmark::State& state) {
  const Loss loss(attnlab::bench::vectorProblem(Kind::InfoPrompt, state.range(0), state.range(1), 4.0, 1));
  Eigen::VectorXd x = Eigen::VectorXd::Constant(state.range(1), 0.1), g;
  for (auto _ : state) benchmark::DoNotOptimize(loss.valueAndGradient(x, g));
  const double bytes = 2.0 * 8.0 * double(state.range(0)) * double(state.range(1));
  state.SetBytesProcessed(int64_t(bytes) * state.iterations());
}
BENCHMARK(BM_InfoPromptLossGradient)->Args({65536, 64})->Unit(benchmark::kMicrosecond);

// A Hessian's Gram sum (a SYRK) costs n·d² multiply-adds on one triangle: its rate, so that
// every Hessian benchmark reads on one scale.
void countGramRate(benchmark::State& state) {
  state.counters["GFLOP/s"] = benchmark::Counter(double(state.range(0)) * state.range(1) * state.range(1),
                                                 benchmark::Counter::kIsIterationInvariantRate,
                                                 benchmark::Counter::kIs1000);
}

void BM_SoftmaxHessian(benchmark::State& state) {
  const Loss loss(attnlab::bench::vectorProblem(Kind::Softmax, state.range(0), state.range(1), 4.0, 1));
  Eigen::VectorXd x = Eigen::VectorXd::Constant(state.range(1), 0.1);
  for (auto _ : state) benchmark::DoNotOptimize(loss.hessian(x).data());
  countGramRate(state);
}
BENCHMARK(BM_SoftmaxHessian)->Apply(sizes)->Unit(benchmark::kMicrosecond);

// The same on both cores (a pool of one worker plus the caller, as `attnlab solve` runs it):
// wall-clock time, since the work is split between two threads.
void BM_SoftmaxHessianOnPool(benchmark::State& state) {
  const Loss loss(attnlab::bench::vectorProblem(Kind::Softmax, state.range(0), state.range(1), 4.0, 1));
  attnlab::WorkerPool pool(1);
  Eigen::VectorXd x = Eigen::VectorXd::Constant(state.range(1), 0.1);
  for (auto _ : state) benchmark::DoNotOptimize(loss.hessian(x, &pool).data());
  countGramRate(state);
}
BENCHMARK(BM_SoftmaxHessianOnPool)->Args({4096, 64})->Args({65536, 64})->UseRealTime()->Unit(benchmark::kMicrosecond);

// Infoprompt's Hessian (issue 2's Newton workload): Aᵀdiag(w²)A is kept by the Loss after the
// first call, so each further Hessian sums only the n rows of the softmax part.
void BM_InfoPromptHessian(benchmark::State& state) {
  const Loss loss(attnlab::bench::vectorProblem(Kind::InfoPrompt, state.range(0), state.range(1), 4.0, 1));
  Eigen::VectorXd x = Eigen::VectorXd::Constant(state.range(1), 0.1);
  for (auto _ : state) benchmark::DoNotOptimize(loss.hessian(x).data());
  countGramRate(state);
}
BENCHMARK(BM_InfoPromptHessian)->Args({4096, 16})->Args({4096, 64})->Args({65536, 64})->Unit(benchmark::kMicrosecond);

// The same with the Gram sum in low precision (Newton's default, --hessian-precision mixed): in
// bf16x3 on the AMX tile unit where the CPU has one (Fastest), else and in the Float32 lines in
// float32. The rate counts the same n·d² multiply-adds, so it compares directly with the line
// above. Alone, and on a team of two as the CLI runs it (wall-clock time).
template <Loss::GramSum kSum>
void BM_InfoPromptMixedPrecisionHessian(benchmark::State& state) {
  const Loss loss(attnlab::bench::vectorProblem(Kind::InfoPrompt, state.range(0), state.range(1), 4.0, 1));
  Eigen::VectorXd x = Eigen::VectorXd::Constant(state.range(1), 0.1);
  for (auto _ : state) benchmark::DoNotOptimize(loss.mixedPrecisionHessian(x, nullptr, kSum).data());
  countGramRate(state);
  state.SetLabel(kSum == Loss::GramSum::Fastest && Loss::hasBfloat16Gram() ? "bf16x3 (AMX)" : "float32");
}
BENCHMARK(BM_InfoPromptMixedPrecisionHessian<Loss::GramSum::Fastest>)
    ->Args({4096, 16})->Args({4096, 64})->Args({8192, 64})->Args({16384, 64})->Args({65536, 64})
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_InfoPromptMixedPrecisionHessian<Loss::GramSum::Float32>)
    ->Args({4096, 64})->Args({8192, 64})->Args({16384, 64})->Args({65536, 64})->Unit(benchmark::kMicrosecond);

template <Loss::GramSum kSum>
void BM_InfoPromptMixedPrecisionHessianOnTeam(benchmark::State& state) {
  attnlab::PartTeam team(2);
  const Loss loss = Loss(attnlab::bench::vectorProblem(Kind::InfoPrompt, state.range(0), state.range(1), 4.0, 1)).onTeam(&team);
  Eigen::VectorXd x = Eigen::VectorXd::Constant(state.range(1), 0.1);
  for (auto _ : state) benchmark::DoNotOptimize(loss.mixedPrecisionHessian(x, nullptr, kSum).data());
  countGramRate(state);
  state.SetLabel(kSum == Loss::GramSum::Fastest && Loss::hasBfloat16Gram() ? "bf16x3 (AMX)" : "float32");
}
BENCHMARK(BM_InfoPromptMixedPrecisionHessianOnTeam<Loss::GramSum::Fastest>)
    ->Args({4096, 64})->Args({8192, 64})->Args({16384, 64})->Args({32768, 64})->Args({65536, 64})->Args({4096, 256})->UseRealTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_InfoPromptMixedPrecisionHessianOnTeam<Loss::GramSum::Float32>)
    ->Args({4096, 64})->Args({8192, 64})->Args({16384, 64})->Args({32768, 64})->Args({65536, 64})->Args({4096, 256})->UseRealTime()->Unit(benchmark::kMicrosecond);

// Loss and gradient on a team of two: each core streams its half of A from its own L2.
void BM_InfoPromptLossGradientOnTeam(benchmark::State& state) {
  attnlab::PartTeam team(2);
  const Loss loss = Loss(attnlab::bench::vectorProblem(Kind::InfoPrompt, state.range(0), state.range(1), 4.0, 1)).onTeam(&team);
  Eigen::VectorXd x = Eigen::VectorXd::Constant(state.range(1), 0.1), g;
  for (auto _ : state) benchmark::DoNotOptimize(loss.valueAndGradient(x, g));
  state.SetBytesProcessed(int64_t(2 * state.range(0) * state.range(1) * sizeof(double)) * state.iterations());
}
BENCHMARK(BM_InfoPromptLossGradientOnTeam)->Args({4096, 64})->Args({65536, 64})->UseRealTime()->Unit(benchmark::kMicrosecond);

// The bound: one read-only streaming pass over as many bytes as A holds at n=65536, d=64.
void BM_MemoryBandwidthReference(benchmark::State& state) {
  // Eigen's vectorised sum keeps several accumulators, so it is limited by memory, not by
  // the latency of a serial chain of additions.
  const Eigen::VectorXd a = Eigen::VectorXd::Ones(65536 * 64);
  for (auto _ : state) benchmark::DoNotOptimize(a.sum());
  state.SetBytesProcessed(int64_t(a.size() * sizeof(double)) * state.iterations());
}
BENCHMARK(BM_MemoryBandwidthReference)->Unit(benchmark::kMicrosecond);

}  // namespace
