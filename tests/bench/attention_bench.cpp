// Attention kernels (issue 5): exact softmax attention at L ∈ {1024, 4096}, d = 64, in
// float32 and float64, against 4·L²·d flops (two L×L×d products; the exps are not counted);
// elu linear attention at L = 65536, d = 64 against its 4·L·d·(d + 1) flops; FAVOR+ and a
// causal exact run for scale. Wall time (UseRealTime): the kernels run on every core.
#include <benchmark/benchmark.h>

#include "core/attention/exact_attention.hpp"
#include "core/attention/favor.hpp"
#include "core/attention/feature_map.hpp"
#include "core/attention/linear_attention.hpp"
#include "core/jobs/worker_pool.hpp"
#include "core/random.hpp"

namespace {

using attnlab::Index;
using attnlab::RowMatrix;

template <class T>
RowMatrix<T> gaussian(Index rows, Index cols, std::uint64_t seed) {
  attnlab::Random rng(seed);
  RowMatrix<T> m(rows, cols);
  for (Index i = 0; i < rows; ++i)
    for (Index j = 0; j < cols; ++j) m(i, j) = T(rng.normal());
  return m;
}

template <class T>
struct Inputs {
  RowMatrix<T> Q, K, V;
  Inputs(Index L, Index d) : Q(gaussian<T>(L, d, 1)), K(gaussian<T>(L, d, 2)), V(gaussian<T>(L, d, 3)) {}
};

// One worker per core, shared by every benchmark (as the window's pool is by every lab).
attnlab::WorkerPool& pool() {
  static attnlab::WorkerPool workers;
  return workers;
}

void gflops(benchmark::State& state, double flopsPerIteration) {
  state.counters["GFLOP/s"] =
      benchmark::Counter(flopsPerIteration * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
}

template <class T>
void BM_ExactAttention(benchmark::State& state) {
  const Index L = state.range(0), d = state.range(1);
  const Inputs<T> in(L, d);
  attnlab::SoftmaxAttentionOptions options;
  options.scale = 1.0 / std::sqrt(double(d));
  options.causal = state.range(2) != 0;
  for (auto _ : state) benchmark::DoNotOptimize(attnlab::softmaxAttention(in.Q, in.K, in.V, pool(), options).data());
  // Causal work is about half: L(L+1)/2 score pairs.
  const double pairs = options.causal ? 0.5 * double(L) * double(L + 1) : double(L) * double(L);
  gflops(state, 4.0 * pairs * double(d));
}
BENCHMARK_TEMPLATE(BM_ExactAttention, float)
    ->Args({1024, 64, 0})->Args({4096, 64, 0})->Args({4096, 64, 1})
    ->ArgNames({"L", "d", "causal"})->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_TEMPLATE(BM_ExactAttention, double)
    ->Args({1024, 64, 0})->Args({4096, 64, 0})
    ->ArgNames({"L", "d", "causal"})->Unit(benchmark::kMillisecond)->UseRealTime();

template <class T>
void BM_EluAttention(benchmark::State& state) {
  const Index L = state.range(0), d = state.range(1);
  const Inputs<T> in(L, d);
  attnlab::LinearAttentionOptions options;
  options.causal = state.range(2) != 0;
  const attnlab::EluFeatures<T> map(d);
  for (auto _ : state) benchmark::DoNotOptimize(attnlab::linearAttention(map, in.Q, in.K, in.V, pool(), options).data());
  // φ(K)ᵀ[V 1] and φ(Q)[S z]: 2·L·d·(dv + 1) each.
  gflops(state, 4.0 * double(L) * double(d) * double(d + 1));
  // Q, K, V read once, out written once: the memory-bound floor of this kernel.
  state.SetBytesProcessed(int64_t(4 * L * d * Index(sizeof(T))) * int64_t(state.iterations()));
}
BENCHMARK_TEMPLATE(BM_EluAttention, float)
    ->Args({65536, 64, 0})->Args({65536, 64, 1})
    ->ArgNames({"L", "d", "causal"})->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_TEMPLATE(BM_EluAttention, double)
    ->Args({65536, 64, 0})
    ->ArgNames({"L", "d", "causal"})->Unit(benchmark::kMillisecond)->UseRealTime();

template <class T>
void BM_FavorAttention(benchmark::State& state) {
  const Index L = state.range(0), d = state.range(1), m = state.range(2);
  const Inputs<T> in(L, d);
  const attnlab::FavorFeatures<T> map(attnlab::favorProjection(m, d, 1, true), 1.0 / std::sqrt(double(d)));
  for (auto _ : state) benchmark::DoNotOptimize(attnlab::linearAttention(map, in.Q, in.K, in.V, pool()).data());
  // Features 2·L·d·m for Q and for K, then 2·L·m·(dv + 1) twice.
  gflops(state, 4.0 * double(L) * double(m) * double(d) + 4.0 * double(L) * double(m) * double(d + 1));
}
BENCHMARK_TEMPLATE(BM_FavorAttention, float)
    ->Args({4096, 64, 256})->ArgNames({"L", "d", "m"})->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
