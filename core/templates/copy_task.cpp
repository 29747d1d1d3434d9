#include "core/templates/copy_task.hpp"

#include <atomic>
#include <cmath>
#include <string>

#include "core/errors.hpp"
#include "core/random.hpp"

namespace attnlab {
namespace {

using Eigen::MatrixXd;
using Eigen::VectorXd;

MatrixXd gaussian(Eigen::Index rows, Eigen::Index cols, double sd, Random& rng) {
  MatrixXd m(rows, cols);
  for (Eigen::Index j = 0; j < cols; ++j)
    for (Eigen::Index i = 0; i < rows; ++i) m(i, j) = sd * rng.normal();
  return m;
}

// Column-wise softmax of the logits, max-shifted; returns Σ_i log p[target_i, i].
double softmaxColumns(MatrixXd& Z, int firstToken) {
  double logLikelihood = 0.0;
  for (Eigen::Index i = 0; i < Z.cols(); ++i) {
    auto z = Z.col(i);
    const double top = z.maxCoeff();
    z = (z.array() - top).exp().matrix();
    const double sum = z.sum();
    logLikelihood += std::log(z[firstToken + i] / sum);
    z /= sum;
  }
  return logLikelihood;
}

void requireRange(const char* field, double value, double lo, double hi) {
  if (!(value >= lo && value <= hi))
    throw InputError("must lie in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]",
                     InputLocation{{}, std::string("copy.") + field, {}, {}});
}

}  // namespace

MatrixXd CopyTaskWeights::mixing() const {
  const Eigen::Index d = embedding.cols();
  double beta = 0.0;
  for (double bh : b) beta += bh;
  MatrixXd M = beta * MatrixXd::Identity(d, d);
  for (std::size_t h = 0; h < value.size(); ++h) M.noalias() += value[h] * output[h].transpose();
  return M;
}

CopyTaskWeights initialCopyTaskWeights(const CopyTaskParams& p) {
  Random rng(p.seed);
  const double sd = 1.0 / std::sqrt(double(p.embedding));
  CopyTaskWeights w;
  w.embedding = gaussian(p.trainTokens + p.testTokens, p.embedding, sd, rng);
  for (int h = 0; h < p.heads; ++h) {
    w.value.push_back(gaussian(p.embedding, p.headDim, sd, rng));
    w.output.push_back(gaussian(p.embedding, p.headDim, sd, rng));
  }
  w.b.assign(std::size_t(p.heads), 0.0);
  return w;
}

// M·Y without forming the d×d M: Σ_h W_V^h (W_O^hᵀ Y) + β·Y, O(d·headDim·heads) per column.
MatrixXd CopyTaskWeights::mix(const MatrixXd& Y) const {
  double beta = 0.0;
  for (double bh : b) beta += bh;
  MatrixXd out = beta * Y;
  for (std::size_t h = 0; h < value.size(); ++h) out.noalias() += value[h] * (output[h].transpose() * Y);
  return out;
}

// With X the inputs' embeddings (n×d), U = M Xᵀ, Z = W_E U, P = softmax(Z) by column, G = (P − Y)/n,
// dU = W_Eᵀ G, ∂M = dU X:
//   ∂W_E = G Uᵀ + scatter(X rows ← dUᵀ M),
//   ∂W_V^h = ∂M W_O^h = dU (X W_O^h),  ∂W_O^h = ∂Mᵀ W_V^h = Xᵀ (dUᵀ W_V^h),  ∂b_h = tr ∂M = Σ dU ∘ Xᵀ,
// all without forming a d×d matrix.
double copyTaskLoss(const CopyTaskParams& p, const CopyTaskWeights& w, int firstToken, int count,
                    CopyTaskWeights* gradient) {
  const MatrixXd& E = w.embedding;
  const MatrixXd Xt = E.middleRows(firstToken, count).transpose();  // d×n
  const MatrixXd U = w.mix(Xt);
  MatrixXd Z = E * U;
  const double loss = -softmaxColumns(Z, firstToken) / count;
  if (!gradient) return loss;
  MatrixXd& G = Z;  // P − Y, then / n
  for (int i = 0; i < count; ++i) G(firstToken + i, i) -= 1.0;
  G /= double(count);
  const MatrixXd dU = E.transpose() * G;  // d×n
  gradient->embedding = G * U.transpose();
  // dUᵀ M = (Mᵀ dU)ᵀ, and Mᵀ has the heads' roles swapped.
  CopyTaskWeights transposed{MatrixXd(), w.output, w.value, w.b};
  gradient->embedding.middleRows(firstToken, count) += transposed.mix(dU).transpose();
  gradient->value.resize(w.value.size());
  gradient->output.resize(w.output.size());
  gradient->b.assign(w.b.size(), p.identityScalings ? (dU.array() * Xt.array()).sum() : 0.0);
  for (std::size_t h = 0; h < w.value.size(); ++h) {
    gradient->value[h] = dU * (Xt.transpose() * w.output[h]);
    gradient->output[h] = Xt * (dU.transpose() * w.value[h]);
  }
  return loss;
}

void validateCopyTask(const CopyTaskParams& p) {
  requireRange("train_tokens", p.trainTokens, 1, 4096);
  requireRange("test_tokens", p.testTokens, 1, 4096);
  requireRange("embedding", p.embedding, 1, 4096);
  requireRange("heads", p.heads, 1, 64);
  requireRange("head_dim", p.headDim, 1, 1024);
  requireRange("lr", p.learningRate, 1e-9, 1e3);
  requireRange("steps", p.steps, 0, 100000);
}

CopyTaskRun trainCopyTask(const CopyTaskParams& p, const Progress* progress) {
  validateCopyTask(p);
  CopyTaskWeights w = initialCopyTaskWeights(p), g;
  CopyTaskRun run;
  const auto record = [&](double trainLoss) {
    run.trainLoss.push_back(trainLoss);
    run.testLoss.push_back(copyTaskLoss(p, w, p.trainTokens, p.testTokens));
    // Unseen tokens copied: the largest logit is the token's own.
    const MatrixXd Z = w.embedding * w.mix(w.embedding.bottomRows(p.testTokens).transpose());
    int right = 0;
    for (int i = 0; i < p.testTokens; ++i) {
      Eigen::Index top = 0;
      Z.col(i).maxCoeff(&top);
      right += top == p.trainTokens + i;
    }
    run.testAccuracy.push_back(double(right) / p.testTokens);
    double beta = 0.0;
    for (double bh : w.b) beta += bh;
    run.b.push_back(beta);
  };
  for (int t = 0; t < p.steps; ++t) {
    if (progress && progress->cancelled()) {
      run.cancelled = true;
      return run;
    }
    record(copyTaskLoss(p, w, 0, p.trainTokens, &g));
    w.embedding -= p.learningRate * g.embedding;
    for (std::size_t h = 0; h < w.value.size(); ++h) {
      w.value[h] -= p.learningRate * g.value[h];
      w.output[h] -= p.learningRate * g.output[h];
      w.b[h] -= p.learningRate * g.b[h];
    }
  }
  record(copyTaskLoss(p, w, 0, p.trainTokens));
  return run;
}

CopyTaskSweep sweepCopyTask(const CopyTaskParams& params, const std::vector<int>& embeddings, WorkerPool& pool,
                            Progress& progress) {
  validateCopyTask(params);
  if (embeddings.empty()) throw InputError("needs at least one width", InputLocation{{}, "copy.embeddings", {}, {}});
  for (int d : embeddings) {
    CopyTaskParams p = params;
    p.embedding = d;
    validateCopyTask(p);
  }
  CopyTaskSweep sweep;
  sweep.embeddings = embeddings;
  sweep.vocabulary = params.trainTokens + params.testTokens;
  const auto n = static_cast<WorkerPool::Index>(embeddings.size());
  sweep.plain.resize(embeddings.size());
  sweep.identity.resize(embeddings.size());
  std::atomic<int> finished{0};
  // Widest first: the longest runs start while the others fill the gaps.
  pool.parallelFor(0, 2 * n, 1, [&](WorkerPool::Index begin, WorkerPool::Index end) {
    for (WorkerPool::Index k = begin; k < end; ++k) {
      const auto i = static_cast<std::size_t>(n - 1 - k / 2);
      CopyTaskParams p = params;
      p.embedding = embeddings[i];
      p.identityScalings = k % 2 == 1;
      (p.identityScalings ? sweep.identity : sweep.plain)[i] = trainCopyTask(p, &progress);
      progress.setFraction(double(++finished) / double(2 * n));
    }
  }, &progress);
  for (const auto* runs : {&sweep.plain, &sweep.identity})
    for (const CopyTaskRun& r : *runs) sweep.cancelled = sweep.cancelled || r.cancelled || r.trainLoss.empty();
  return sweep;
}

}  // namespace attnlab
