#include "core/templates/attention_kernel.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>

namespace attnlab {
namespace {

using Index = Eigen::Index;
using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

std::uint64_t batchSeed(std::uint64_t seed, Index batch) {
  // Distinct odd multipliers keep (seed, batch) pairs apart; Random's splitmix64 mixes the rest.
  return seed * 0x9e3779b97f4a7c15ULL + std::uint64_t(batch + 1) * 0xd1b54a32d192ed03ULL;
}

// G(i·k + a, j·k + b) = (XᵢXⱼᵀ + γ²I)(a, b) for every row i and column j, and the diagonal
// blocks per row: the value term of K_attn, fixed across draws.
struct ValueTerms {
  RowMatrix cross;
  std::vector<Eigen::MatrixXd> diag;
};

ValueTerms valueTerms(const std::vector<TemplateString>& strings, Index columns, const SymbolEmbedding& embedding,
                      double gamma) {
  const Index rows = Index(strings.size());
  const Index k = Index(strings.front().symbols.size());
  const Eigen::MatrixXd positional = gamma * gamma * Eigen::MatrixXd::Identity(k, k);
  ValueTerms v;
  v.cross.resize(rows * k, columns * k);
  for (Index i = 0; i < rows; ++i) {
    for (Index j = 0; j < columns; ++j)
      v.cross.block(i * k, j * k, k, k) = embedding.gram(strings[std::size_t(i)], strings[std::size_t(j)]) + positional;
    v.diag.push_back(embedding.gram(strings[std::size_t(i)], strings[std::size_t(i)]) + positional);
  }
  return v;
}

// Adds pᵢᵀ G pⱼ of one draw to the sums.
void accumulate(const ValueTerms& v, const Eigen::MatrixXd& P, KernelBlocks& sum) {
  const Index rows = sum.cross.rows(), columns = sum.cross.cols(), k = P.cols();
  const Eigen::VectorXd stacked = [&] {  // pⱼ stacked, column j at j·k
    Eigen::VectorXd s(columns * k);
    for (Index j = 0; j < columns; ++j) s.segment(j * k, k) = P.row(j).transpose();
    return s;
  }();
  for (Index i = 0; i < rows; ++i) {
    for (Index a = 0; a < k; ++a) {
      const double pia = P(i, a);
      const double* g = v.cross.row(i * k + a).data();
      for (Index j = 0; j < columns; ++j) {
        double s = 0.0;
        for (Index b = 0; b < k; ++b) s += g[j * k + b] * stacked[j * k + b];
        sum.cross(i, j) += pia * s;
      }
    }
    sum.diag(i) += P.row(i).dot(v.diag[std::size_t(i)] * P.row(i).transpose());
  }
}

KernelBlocks zeros(Index rows, Index columns) {
  return {Eigen::MatrixXd::Zero(rows, columns), Eigen::VectorXd::Zero(rows)};
}

}  // namespace

ScoreInputs scoreInputs(const std::vector<TemplateString>& strings, const SymbolEmbedding& embedding,
                        const AttentionKernelParams& params) {
  ScoreInputs in;
  for (const TemplateString& x : strings) in.used.insert(in.used.end(), x.symbols.begin(), x.symbols.end());
  std::sort(in.used.begin(), in.used.end());
  in.used.erase(std::unique(in.used.begin(), in.used.end()), in.used.end());
  const Index k = Index(strings.front().symbols.size());
  in.shift = Eigen::MatrixXd::Zero(Index(strings.size()), k);
  for (std::size_t i = 0; i < strings.size(); ++i) {
    const auto& x = strings[i].symbols;
    std::vector<Index> c;
    for (SymbolIndex s : x) c.push_back(Index(std::lower_bound(in.used.begin(), in.used.end(), s) - in.used.begin()));
    in.compact.push_back(std::move(c));
    // a·XXᵀe_q with the query q = k−1 (the identity-perturbed head).
    if (params.kqIdentity != 0.0)
      for (Index a = 0; a < k; ++a)
        in.shift(Index(i), a) = params.kqIdentity * embedding.inner(x[std::size_t(a)], x.back());
  }
  return in;
}

Eigen::MatrixXd attentionWeights(const ScoreInputs& inputs, const AttentionKernelParams& params,
                                 const Eigen::VectorXd& scores, const Eigen::VectorXd& positional) {
  const Index k = positional.size();
  Eigen::MatrixXd P(inputs.shift.rows(), k);
  Eigen::VectorXd m(k);
  for (Index i = 0; i < P.rows(); ++i) {
    const auto& x = inputs.compact[std::size_t(i)];
    for (Index a = 0; a < k; ++a) m(a) = scores(x[std::size_t(a)]) + params.gamma * positional(a) + inputs.shift(i, a);
    const Eigen::ArrayXd e = (params.beta * (m.array() - m.maxCoeff())).exp();
    P.row(i) = (e / e.sum()).matrix().transpose();
  }
  return P;
}

KAttnEstimate kAttnMonteCarlo(const std::vector<TemplateString>& strings, Index columns,
                              const SymbolEmbedding& embedding, const AttentionKernelParams& params, Index samples,
                              std::uint64_t seed, WorkerPool& pool, Progress& progress) {
  const Index rows = Index(strings.size());
  KAttnEstimate out;
  if (rows == 0 || samples < 2) {  // nothing to estimate (callers validate; no UB either way)
    out.status = Status::InvalidInput;
    return out;
  }
  const Index k = Index(strings.front().symbols.size());
  const ValueTerms v = valueTerms(strings, columns, embedding, params.gamma);
  const ScoreInputs inputs = scoreInputs(strings, embedding, params);
  const Index batches = std::min(kMonteCarloBatches, samples);
  std::vector<KernelBlocks> sums(std::size_t(batches), zeros(rows, columns));
  for (Index b = 0; b < batches; ++b) out.batchSamples.push_back(samples / batches + (b < samples % batches ? 1 : 0));
  std::atomic<Index> done{0};
  pool.parallelFor(
      0, batches, 1,
      [&](WorkerPool::Index begin, WorkerPool::Index end) {
        for (Index b = begin; b < end; ++b) {
          Random rng(batchSeed(seed, b));
          for (Index s = 0; s < out.batchSamples[std::size_t(b)] && !progress.cancelled(); ++s) {
            const Eigen::VectorXd scores = embedding.randomScores(rng, inputs.used);
            Eigen::VectorXd positional(k);
            for (Index a = 0; a < k; ++a) positional(a) = rng.normal();
            accumulate(v, attentionWeights(inputs, params, scores, positional), sums[std::size_t(b)]);
            progress.setFraction(double(done.fetch_add(1, std::memory_order_relaxed) + 1) / double(samples));
          }
        }
      },
      &progress);
  if (progress.cancelled()) {
    out.status = Status::Cancelled;
    return out;
  }
  out.mean = zeros(rows, columns);
  for (Index b = 0; b < batches; ++b) {  // in batch order: the same sum on any number of threads
    out.mean.cross += sums[std::size_t(b)].cross;
    out.mean.diag += sums[std::size_t(b)].diag;
    const double nb = double(out.batchSamples[std::size_t(b)]);
    out.batchMeans.push_back({sums[std::size_t(b)].cross / nb, sums[std::size_t(b)].diag / nb});
  }
  out.mean.cross /= double(samples);
  out.mean.diag /= double(samples);
  // Standard error of the mean from the spread of the batch means (weighted by batch size).
  out.standardError = zeros(rows, columns);
  for (Index b = 0; b < batches; ++b) {
    const double w = double(out.batchSamples[std::size_t(b)]) / double(samples);
    out.standardError.cross += w * (out.batchMeans[std::size_t(b)].cross - out.mean.cross).array().square().matrix();
    out.standardError.diag += w * (out.batchMeans[std::size_t(b)].diag - out.mean.diag).array().square().matrix();
  }
  // Var(batch mean) ≈ σ²/n_b, so Var(mean) ≈ Σ w_b (m_b − m)² / (B − 1).
  const double dof = double(std::max<Index>(batches - 1, 1));
  out.standardError.cross = (out.standardError.cross / dof).cwiseSqrt();
  out.standardError.diag = (out.standardError.diag / dof).cwiseSqrt();
  return out;
}

KernelBlocks kTransFromAttn(const KernelBlocks& attn, const CosineParams& params) {
  KernelBlocks t{Eigen::MatrixXd(attn.cross.rows(), attn.cross.cols()), Eigen::VectorXd(attn.diag.size())};
  for (Index i = 0; i < t.cross.rows(); ++i) {
    for (Index j = 0; j < t.cross.cols(); ++j)
      t.cross(i, j) = cosineFeatureKernel(attn.diag(i), attn.diag(j), attn.cross(i, j), params);
    t.diag(i) = cosineFeatureKernel(attn.diag(i), attn.diag(i), attn.diag(i), params);
  }
  return t;
}

KernelBlocks leaveOneBatchOut(const KAttnEstimate& estimate, std::size_t batch) {
  Index total = 0;
  for (Index n : estimate.batchSamples) total += n;
  const double nb = double(estimate.batchSamples[batch]);
  const double rest = double(total) - nb;
  return {(double(total) * estimate.mean.cross - nb * estimate.batchMeans[batch].cross) / rest,
          (double(total) * estimate.mean.diag - nb * estimate.batchMeans[batch].diag) / rest};
}

}  // namespace attnlab
