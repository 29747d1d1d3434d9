// core/templates: the Monte Carlo K_attn against exact limits (β = 0) and an independent
// per-pair estimator, its symmetry, positive semi-definiteness, standard errors and seeding;
// kernel ridge regression; the tasks; and 001's claim itself — on αα vs αβ the transformer
// kernel generalises to unseen symbols, the inner-product (MLP) kernel does not, and their
// template matrices N are nonsingular and singular. Sizes keep the file at a few seconds.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <vector>

#include "core/errors.hpp"
#include "core/jobs/worker_pool.hpp"
#include "core/random.hpp"
#include "core/templates/attention_kernel.hpp"
#include "core/templates/kernel_ridge_regression.hpp"
#include "core/templates/mlp_kernel.hpp"
#include "core/templates/template_experiment.hpp"
#include "core/templates/template_matrix.hpp"

namespace attnlab {
namespace {

using Index = Eigen::Index;

WorkerPool& pool() {
  static WorkerPool workers(2);
  return workers;
}

TemplateString str(std::vector<SymbolIndex> symbols) { return {std::move(symbols), 0, 0.0}; }

// Strings over a small alphabet with repeats, so that XYᵀ takes many values.
std::vector<TemplateString> someStrings(Index count, Index length, Index symbols, std::uint64_t seed) {
  Random rng(seed);
  std::vector<TemplateString> out;
  for (Index i = 0; i < count; ++i) {
    std::vector<SymbolIndex> s;
    for (Index a = 0; a < length; ++a) s.push_back(SymbolIndex(rng.below(std::uint64_t(symbols))));
    out.push_back(str(s));
  }
  return out;
}

SymbolEmbedding oneHot(SymbolIndex symbols) {
  Random unused(0);
  return SymbolEmbedding(EmbeddingKind::OneHot, symbols, 0, unused);
}

KAttnEstimate estimate(const std::vector<TemplateString>& strings, const SymbolEmbedding& e,
                       const AttentionKernelParams& p, Index samples, std::uint64_t seed,
                       WorkerPool& workers = pool()) {
  Progress progress;
  return kAttnMonteCarlo(strings, Index(strings.size()), e, p, samples, seed, workers, progress);
}

// β = 0 makes every softmax uniform, p = 1/k, whatever the scores: then
// K_attn(X, Y) = (1/k²)·1ᵀ(XYᵀ + γ²I)1 = (#{(a, b) : xₐ = y_b} + kγ²)/k² exactly, each draw alike.
TEST(KAttn, BetaZeroIsUniformAttention) {
  const auto strings = someStrings(7, 3, 4, 1);
  const SymbolEmbedding e = oneHot(4);
  const double gamma = 0.7;
  const KAttnEstimate K = estimate(strings, e, {.beta = 0.0, .gamma = gamma, .kqIdentity = 0.0}, 50, 3);
  for (Index i = 0; i < 7; ++i)
    for (Index j = 0; j < 7; ++j) {
      double same = 0;
      for (SymbolIndex a : strings[std::size_t(i)].symbols)
        for (SymbolIndex b : strings[std::size_t(j)].symbols) same += a == b ? 1 : 0;
      EXPECT_NEAR(K.mean.cross(i, j), (same + 3 * gamma * gamma) / 9.0, 1e-14);
      EXPECT_NEAR(K.standardError.cross(i, j), 0.0, 1e-14);
    }
}

// An independent estimator: for one pair, draw [m(X), m(Y)] from its 2k×2k covariance by a
// Cholesky factor (fresh draws, no shared random features) and average the integrand.
double perPairKAttn(const Eigen::MatrixXd& X, const Eigen::MatrixXd& Y, double beta, double gamma, Index samples,
                    double* standardError) {
  const Index k = X.rows();
  const Eigen::MatrixXd I = gamma * gamma * Eigen::MatrixXd::Identity(k, k);
  Eigen::MatrixXd C(2 * k, 2 * k);
  C << X * X.transpose() + I, X * Y.transpose() + I, Y * X.transpose() + I, Y * Y.transpose() + I;
  C.diagonal().array() += 1e-12;  // AA has a rank-deficient XXᵀ + γ²I only when γ = 0
  const Eigen::MatrixXd L = C.llt().matrixL();
  const Eigen::MatrixXd V = X * Y.transpose() + I;
  auto smax = [&](const Eigen::VectorXd& m) {
    const Eigen::ArrayXd e = (beta * (m.array() - m.maxCoeff())).exp();
    return Eigen::VectorXd(e / e.sum());
  };
  Random rng(12345);
  double sum = 0, sumSq = 0;
  for (Index s = 0; s < samples; ++s) {
    Eigen::VectorXd z(2 * k);
    for (Index a = 0; a < 2 * k; ++a) z(a) = rng.normal();
    const Eigen::VectorXd m = L * z;
    const double f = smax(m.head(k)).dot(V * smax(m.tail(k)));
    sum += f;
    sumSq += f * f;
  }
  const double mean = sum / double(samples);
  *standardError = std::sqrt((sumSq / double(samples) - mean * mean) / double(samples));
  return mean;
}

TEST(KAttn, AgreesWithAnIndependentPerPairEstimator) {
  const SymbolEmbedding e = oneHot(5);
  // AAB, ABC, CAB, DDE: shared symbols at shifted positions, a repeat, and a disjoint string.
  const std::vector<TemplateString> strings{str({0, 0, 1}), str({0, 1, 2}), str({2, 0, 1}), str({3, 3, 4})};
  const AttentionKernelParams p{.beta = 1.5, .gamma = 0.8, .kqIdentity = 0.0};
  const KAttnEstimate K = estimate(strings, e, p, 40000, 7);
  for (Index i = 0; i < 4; ++i)
    for (Index j = 0; j <= i; ++j) {
      double se = 0;
      const double direct = perPairKAttn(e.matrix(strings[std::size_t(i)]), e.matrix(strings[std::size_t(j)]), p.beta,
                                         p.gamma, 40000, &se);
      const double tolerance = 4.5 * std::hypot(se, K.standardError.cross(i, j));
      EXPECT_NEAR(K.mean.cross(i, j), direct, tolerance) << i << ", " << j;
    }
}

TEST(KAttn, TransClosedFormMatchesSamplingTheCosineLayer) {
  const CosineParams c{.b1 = 1.3, .b2 = 0.4};
  const double kxx = 1.2, kyy = 0.9, kxy = 0.5;
  const Eigen::Matrix2d C{{kxx, kxy}, {kxy, kyy}};
  const Eigen::Matrix2d L = C.llt().matrixL();
  Random rng(9);
  double sum = 0, sumSq = 0;
  const int samples = 200000;
  for (int s = 0; s < samples; ++s) {
    const Eigen::Vector2d uv = L * Eigen::Vector2d(rng.normal(), rng.normal());
    const double f = std::cos(c.b1 * uv(0) + c.b2) * std::cos(c.b1 * uv(1) + c.b2);
    sum += f;
    sumSq += f * f;
  }
  const double mean = sum / samples, se = std::sqrt((sumSq / samples - mean * mean) / samples);
  EXPECT_NEAR(cosineFeatureKernel(kxx, kyy, kxy, c), mean, 4.5 * se);
}

TEST(KAttn, SymmetricPositiveSemidefiniteAndTransToo) {
  const auto strings = someStrings(14, 3, 6, 2);
  for (const EmbeddingKind kind : {EmbeddingKind::OneHot, EmbeddingKind::Gaussian}) {
    Random rng(4);
    const SymbolEmbedding e(kind, 6, 5, rng);
    const KAttnEstimate K = estimate(strings, e, {.beta = 1.0, .gamma = 1.0, .kqIdentity = 0.5}, 64, 5);
    const Eigen::MatrixXd& A = K.mean.cross;
    EXPECT_LT((A - A.transpose()).cwiseAbs().maxCoeff(), 1e-13);
    EXPECT_LT((A.diagonal() - K.mean.diag).cwiseAbs().maxCoeff(), 1e-13);
    const Eigen::MatrixXd sym = 0.5 * (A + A.transpose());
    EXPECT_GT(Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(sym).eigenvalues().minCoeff(), -1e-12 * sym.norm());
    const Eigen::MatrixXd T = kTransFromAttn(K.mean, {}).cross;
    const Eigen::MatrixXd symT = 0.5 * (T + T.transpose());
    EXPECT_GT(Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(symT).eigenvalues().minCoeff(), -1e-12 * symT.norm());
  }
}

TEST(KAttn, StandardErrorShrinksLikeOneOverRootSamples) {
  const auto strings = someStrings(6, 2, 4, 3);
  const SymbolEmbedding e = oneHot(4);
  const double small = estimate(strings, e, {}, 400, 1).standardError.cross.mean();
  const double large = estimate(strings, e, {}, 6400, 1).standardError.cross.mean();
  std::printf("mean standard error: %.4g (400 draws), %.4g (6400 draws), ratio %.3g (expected 4)\n", small, large,
              small / large);
  EXPECT_GT(small / large, 3.0);
  EXPECT_LT(small / large, 5.3);
}

TEST(KAttn, SeededAndIndependentOfTheThreadCount) {
  const auto strings = someStrings(5, 3, 4, 4);
  const SymbolEmbedding e = oneHot(4);
  WorkerPool one(1);
  const KAttnEstimate a = estimate(strings, e, {}, 100, 11);
  const KAttnEstimate b = estimate(strings, e, {}, 100, 11, one);
  const KAttnEstimate c = estimate(strings, e, {}, 100, 12);
  EXPECT_EQ(a.mean.cross, b.mean.cross);
  EXPECT_EQ(a.mean.diag, b.mean.diag);
  EXPECT_NE(a.mean.cross, c.mean.cross);
}

TEST(KAttn, CancelledBeforeItStarts) {
  const auto strings = someStrings(5, 3, 4, 4);
  Progress progress;
  progress.requestCancel();
  EXPECT_EQ(kAttnMonteCarlo(strings, 5, oneHot(4), {}, 1000, 1, pool(), progress).status, Status::Cancelled);
}

TEST(TemplateExperiment, Cancelled) {
  Progress progress;
  progress.requestCancel();
  EXPECT_EQ(runTemplateExperiment(TemplateExperimentParams{}, pool(), progress).status, Status::Cancelled);
}

// The identity-perturbed head (001 Obs 1.2, a = kq_identity) learns αα vs αβ from fewer samples.
TEST(TemplateExperiment, KqIdentityImprovesDataEfficiency) {
  TemplateExperimentParams p;
  p.kernels = {TemplateKernel::Transformer};
  p.trainSizes = {16};
  p.testSize = 100;
  p.alphabet = 64;
  p.samples = 400;
  p.seed = 1;
  Progress progress;
  const double plain = runTemplateExperiment(p, pool(), progress).kernels[0].testError[0];
  p.attention.kqIdentity = 1.0;
  const double perturbed = runTemplateExperiment(p, pool(), progress).kernels[0].testError[0];
  std::printf("n = 16: test error %.4f (a = 0), %.4f (a = 1)\n", plain, perturbed);
  EXPECT_LT(perturbed, 0.7 * plain);
}

TEST(KernelRidgeRegression, InterpolatesAsRidgeVanishes) {
  const auto strings = someStrings(10, 3, 8, 6);
  const SymbolEmbedding e = oneHot(8);
  const KAttnEstimate K = estimate(strings, e, {}, 200, 2);
  Eigen::VectorXd y(10);
  Random rng(3);
  for (Index i = 0; i < 10; ++i) y(i) = rng.normal();
  double previous = 1e300;
  for (double ridge : {1e-1, 1e-3, 1e-6, 1e-10}) {
    const double err = meanSquaredError(kernelRidgeRegression(K.mean.cross, y, K.mean.cross, ridge), y);
    EXPECT_LT(err, previous);
    previous = err;
  }
  EXPECT_LT(previous, 1e-12);
}

TEST(TemplateTasks, Definitions) {
  const TemplateTask same = sameDifferentTask();
  ASSERT_EQ(same.templates.size(), 2u);
  EXPECT_EQ(patternName(same.templates[0]), "αα");
  EXPECT_EQ(patternName(same.templates[1]), "αβ");
  const TemplateTask m2 = majorityTask(2);
  EXPECT_EQ(patternName(m2.templates[0]), "αα");
  EXPECT_EQ(m2.templates[0].label, 1.0);
  EXPECT_EQ(patternName(m2.templates[1]), "αβ");
  EXPECT_EQ(m2.templates[1].label, -1.0);
  const TemplateTask m5 = majorityTask(5);
  EXPECT_EQ(m5.templates.size(), 16u);
  for (const Template& t : m5.templates) {
    int same = 0;
    for (const TemplateSlot& s : t.slots) same += s.index == 0 ? 1 : 0;
    // The first symbol fills a strict majority of the other 4 positions: 3 or 4 of them.
    EXPECT_EQ(t.label, same - 1 >= 3 ? 1.0 : -1.0) << patternName(t);
  }
  Random rng(5);
  const TemplateTask r = randomTemplateTask(6, 4, 2, 2, rng);
  double mean = 0, meanSquare = 0;
  for (std::size_t i = 0; i < r.templates.size(); ++i) {
    mean += r.templates[i].label / 6;
    meanSquare += r.templates[i].label * r.templates[i].label / 6;
    for (std::size_t j = 0; j < i; ++j)
      EXPECT_NE(canonicalForm(r.templates[i].slots), canonicalForm(r.templates[j].slots));
  }
  EXPECT_NEAR(mean, 0.0, 1e-12);
  EXPECT_NEAR(meanSquare, 1.0, 1e-12);
  EXPECT_EQ(canonicalForm({{true, 1}, {false, 0}, {true, 1}, {true, 0}}),
            (std::vector<TemplateSlot>{{true, 0}, {false, 0}, {true, 0}, {true, 1}}));
  Random rng2(1);
  EXPECT_THROW(randomTemplateTask(3, 2, 2, 0, rng2), InputError);  // only αα and αβ exist
}

TEST(TemplateTasks, TrainAndTestAlphabetsAreDisjoint) {
  const TemplateTask task = abaAbbTask();
  const SymbolLayout layout = symbolLayout(task, 10, 10);
  Random rng(2);
  for (const auto& [alphabet, strings] : {std::pair{layout.train, sampleTemplateStrings(task, 50, layout.train, rng)},
                                          std::pair{layout.test, sampleTemplateStrings(task, 50, layout.test, rng)}})
    for (const TemplateString& x : strings) {
      for (SymbolIndex s : x.symbols) {
        EXPECT_GE(s, alphabet.begin);
        EXPECT_LT(s, alphabet.begin + alphabet.size);
      }
      // αβα: x₁ = x₃ ≠ x₂; αββ: x₁ ≠ x₂ = x₃.
      EXPECT_NE(x.symbols[0], x.symbols[1]);
      EXPECT_EQ(x.templateIndex == 0, x.symbols[0] == x.symbols[2]);
    }
}

// 001 §3.3: with an inner-product kernel every entry of N is κ(0), so N is singular.
TEST(TemplateMatrix, InnerProductKernelIsSingular) {
  for (const TemplateTask& task : {sameDifferentTask(), abaAbbTask(), majorityTask(4)}) {
    const SymbolLayout layout = symbolLayout(task, 8, 8);
    const SymbolEmbedding e = oneHot(layout.count);
    const Eigen::MatrixXd N = templateMatrixN(
        task, layout, [&](const TemplateString& x, const TemplateString& y) { return kMlp(x, y, e, 1.0, {}); });
    const TemplateMatrixCondition c = templateMatrixCondition(N);
    EXPECT_TRUE(c.singular) << task.name << " σ = " << c.singularValues.transpose();
    EXPECT_EQ(N.minCoeff(), N.maxCoeff());
  }
}

TemplateExperimentParams sameDifferentRun() {
  TemplateExperimentParams p;
  p.task = TaskKind::SameDifferent;
  p.kernels = {TemplateKernel::Transformer, TemplateKernel::Attention, TemplateKernel::Mlp};
  p.trainSizes = {4, 16, 64, 128};
  p.testSize = 100;
  p.alphabet = 64;
  p.samples = 400;
  p.seed = 1;
  return p;
}

// 001 Thm 3.4 vs App. I on αα vs αβ: the transformer kernel's test error on unseen symbols
// falls with n, the MLP kernel's stays at the trivial level; N_trans nonsingular, N_mlp not.
TEST(TemplateExperiment, TransformerGeneralisesToUnseenSymbolsAndTheMlpDoesNot) {
  const TemplateExperimentParams p = sameDifferentRun();
  Progress progress;
  const TemplateExperiment e = runTemplateExperiment(p, pool(), progress);
  ASSERT_EQ(e.status, Status::Success);
  ASSERT_EQ(e.kernels.size(), 3u);
  for (const TemplateKernelResult& r : e.kernels) {
    std::printf("%-11s test error", std::string(templateKernelName(r.kernel)).c_str());
    for (std::size_t s = 0; s < r.testError.size(); ++s)
      std::printf("  n=%ld: %.4f ± %.4f", long(p.trainSizes[s]), r.testError[s],
                  r.monteCarlo ? r.testErrorStderr[s] : 0.0);
    std::printf("   cond N = %.4g\n", r.NCondition.condition);
  }
  const TemplateKernelResult& trans = e.kernels[0];
  const TemplateKernelResult& attn = e.kernels[1];
  const TemplateKernelResult& mlp = e.kernels[2];
  EXPECT_LT(trans.testError.back(), 0.5 * trans.testError.front());
  EXPECT_LT(trans.testError.back(), 0.15);
  EXPECT_LT(attn.testError.back(), 0.15);
  EXPECT_GT(mlp.testError.back(), 0.8);  // predicting a constant costs ≈ 1
  EXPECT_GT(mlp.testError.back(), 4.0 * trans.testError.back());
  EXPECT_FALSE(trans.NCondition.singular);
  EXPECT_LT(trans.NCondition.condition, 1e4);
  EXPECT_FALSE(attn.NCondition.singular);
  EXPECT_TRUE(mlp.NCondition.singular);
  EXPECT_FALSE(mlp.monteCarlo);
  for (double se : trans.testErrorStderr) EXPECT_GT(se, 0.0);
  for (double err : trans.trainError) EXPECT_LT(err, 1e-3);  // λ = 1e-6 nearly interpolates
}

TEST(TemplateExperiment, SameSeedSameNumbers) {
  TemplateExperimentParams p = sameDifferentRun();
  p.kernels = {TemplateKernel::Transformer};
  p.trainSizes = {8};
  p.testSize = 20;
  p.samples = 40;
  Progress progress;
  const auto a = runTemplateExperiment(p, pool(), progress);
  const auto b = runTemplateExperiment(p, pool(), progress);
  EXPECT_EQ(a.kernels[0].testError, b.kernels[0].testError);
  EXPECT_EQ(a.kernels[0].N, b.kernels[0].N);
  p.seed = 2;
  EXPECT_NE(runTemplateExperiment(p, pool(), progress).kernels[0].testError, a.kernels[0].testError);
}

// The training kernel kept for the lab's figure is the matrix the regression used: refitting
// on its top-left n×n block with the templates' labels gives the reported training error.
TEST(TemplateExperiment, KeptTrainKernelIsTheOneTheRegressionUsed) {
  TemplateExperimentParams p = sameDifferentRun();
  p.trainSizes = {8, 32};
  p.testSize = 20;
  p.samples = 40;
  p.ridge = 0.1;  // far from interpolation, so the training error is a real check
  Progress progress;
  EXPECT_TRUE(runTemplateExperiment(p, pool(), progress).kernels[0].trainKernel.size() == 0) << "off by default";
  p.keepTrainKernel = true;
  const TemplateExperiment e = runTemplateExperiment(p, pool(), progress);
  ASSERT_EQ(e.train.size(), 32u);
  for (const TemplateString& x : e.train) EXPECT_TRUE(x.templateIndex == 0 || x.templateIndex == 1);
  for (const TemplateKernelResult& r : e.kernels) {
    ASSERT_EQ(r.trainKernel.rows(), 32);
    ASSERT_EQ(r.trainKernel.cols(), 32);
    EXPECT_LT((r.trainKernel - r.trainKernel.transpose()).norm(), 1e-12 * r.trainKernel.norm());
    for (std::size_t s = 0; s < p.trainSizes.size(); ++s) {
      const Index n = p.trainSizes[s];
      Eigen::VectorXd y(n);
      for (Index i = 0; i < n; ++i) y(i) = e.task.templates[std::size_t(e.train[std::size_t(i)].templateIndex)].label;
      const Eigen::MatrixXd K = r.trainKernel.topLeftCorner(n, n);
      EXPECT_NEAR(meanSquaredError(kernelRidgeRegression(K, y, K, p.ridge), y), r.trainError[s], 1e-12);
    }
  }
  EXPECT_GT(templateKernelMemoryBytes(p), 0.0);
}

TEST(TemplateExperiment, ValidationNamesTheField) {
  auto field = [](const TemplateExperimentParams& p) {
    try {
      validateTemplateExperiment(p);
    } catch (const InputError& e) {
      return e.where().field;
    }
    return std::string("(accepted)");
  };
  TemplateExperimentParams p;
  EXPECT_EQ(field(p), "(accepted)");
  auto with = [&](auto change) {
    TemplateExperimentParams q;
    change(q);
    return field(q);
  };
  EXPECT_EQ(with([](auto& q) { q.trainSizes = {}; }), "train_sizes");
  EXPECT_EQ(with([](auto& q) { q.trainSizes = {0}; }), "train_sizes");
  EXPECT_EQ(with([](auto& q) { q.ridge = -1; }), "ridge");
  EXPECT_EQ(with([](auto& q) { q.ridge = NAN; }), "ridge");
  EXPECT_EQ(with([](auto& q) { q.samples = 1; }), "samples");
  EXPECT_EQ(with([](auto& q) { q.alphabet = 1; }), "alphabet");
  EXPECT_EQ(with([](auto& q) { q.kernels = {TemplateKernel::Mlp, TemplateKernel::Mlp}; }), "kernels");
  EXPECT_EQ(with([](auto& q) { q.attention.beta = INFINITY; }), "beta");
  EXPECT_EQ(with([](auto& q) { q.task = TaskKind::Majority, q.length = 13; }), "length");
  EXPECT_EQ(with([](auto& q) { q.task = TaskKind::Random, q.templates = 1; }), "templates");
  EXPECT_EQ(with([](auto& q) { q.testSize = 100000, q.trainSizes = {4096}; }), "test_size");
}

}  // namespace
}  // namespace attnlab
